"""The parser without the block rules that cannot open in a text gives the same tokens.

:func:`shuzhi.model.block_rules.narrowed` disables, per report, the markdown-it block
rules whose opening string the text lacks. A wrong "needed string" would silently
change what the model reads (a fence taken for a paragraph), so these tests compare
the token streams of the narrowed and the full parser on texts that mix every block
construct MyST knows with the containers that move where a line starts (quotes, list
items, footnotes, definitions, field lists), on the repository's own Markdown and on a
generated archive.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuzhi.bench.generate import generate, load_samples
from shuzhi.model.block_rules import narrowed
from shuzhi.model.tokens import DEFAULT_MYST, markdown, tokenise

ROOT = Path(__file__).resolve().parents[1]

#: what a line may start with: indentation and the containers that shift where it is read
PREFIXES = ["", " ", "   ", "    ", "\t", "> ", ">", ">     ", "- ", "1. ", "2) ", "* ", "+ ", "-\t", "1.     ",
            ": ", "~ ", "  : ", ":name: ", "[^1]: ", "> - ", "- > "]
#: block openers of every rule, near misses, and report prose
BODIES = ["一是加强学习。", "# 标题", "## 一、履职情况", "---", "***", "___", "+++", "+ + +", "% 注释", "%x",
          "(target)=", "```", "```python", "~~~", ":::", "::::{note}", "| 项目 | 数量 |", "|---|---|", "--- | ---",
          "<div>", "<!-- 注释 -->", "[ref]: https://example.org", "[^1]: 脚注", "术语", ": 释义", "~ 释义",
          ":field: 内容", "====", "----", "x", "", "1. 第一", "- 条目", "> 引用", "\\# 转义", "`代码`",
          "**加粗**", "（一）工作", "增长15%", "党建+网格", "10:30 开会", "a)=b", "a]:b", "x<y", "【P1】问题"]

MYSTS: list[dict[str, Any]] = [
    dict(DEFAULT_MYST),
    # a rule shuzhi does not know (dollar maths): the line rules are then always kept
    {"enable_extensions": ["colon_fence", "deflist", "fieldlist", "dollarmath"]},
    {"enable_extensions": []},
]


def signature(tokens: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (t.type, t.tag, t.nesting, t.map, t.content, t.info, t.markup, t.level, t.block, t.hidden, dict(t.attrs), t.meta)
        for t in tokens
    ]


def same_tokens(text: str, myst: dict[str, Any]) -> bool:
    full = markdown(myst)
    env_full: dict[str, Any] = {}
    env_narrow: dict[str, Any] = {}
    narrow = narrowed(full, text)
    return signature(full.parse(text, env_full)) == signature(narrow.parse(text, env_narrow)) and env_full == env_narrow


lines = st.tuples(st.sampled_from(PREFIXES), st.sampled_from(BODIES)).map("".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(lines, min_size=1, max_size=14),
    st.booleans(),
    st.sampled_from(["", "\n", "\r\n", "\r"]),
    st.sampled_from(range(len(MYSTS))),
)
def test_narrowed_parser_gives_the_same_tokens(body: list[str], front: bool, newline: str, which: int) -> None:
    text = newline.join((["---", "title: 标题", "---"] if front else []) + body) + newline
    assert same_tokens(text, MYSTS[which])


def enabled(text: str, myst: dict[str, Any] | None = None) -> set[str]:
    md = narrowed(markdown(myst or dict(DEFAULT_MYST)), text)
    return {rule.name for rule in md.block.ruler.__rules__ if rule.enabled}


def test_rules_are_dropped_only_when_their_opening_is_absent() -> None:
    plain = "---\ntitle: 标题\n---\n\n# 标题\n\n一是加强学习，增长15%。\n"
    kept = enabled(plain)
    assert {"table", "fence", "colon_fence", "blockquote", "html_block", "code", "deflist", "fieldlist"}.isdisjoint(kept)
    assert {"paragraph", "heading", "list", "hr", "lheading", "front_matter"} <= kept
    assert "table" in enabled(plain + "| a | b |\n")
    assert "fence" in enabled(plain + "~~~\n")
    assert "colon_fence" in enabled(plain + ":::{note}\n")
    assert "code" in enabled(plain + "    缩进\n")
    # a line that opens with % after a list marker keeps the comment rule; a % inside a line does not
    assert "myst_line_comment" in enabled(plain + "- % 注释\n")
    assert "myst_line_comment" not in enabled(plain + "增长 % 了\n")
    # an unknown rule (dollar maths) may shift lines: the line rules stay
    assert "myst_line_comment" in enabled(plain, MYSTS[1])
    assert "table" not in enabled(plain, MYSTS[1])


def test_repository_markdown_gives_the_same_tokens() -> None:
    files = sorted(ROOT.glob("reports/**/*.md")) + sorted(ROOT.glob("tests/**/*.md")) + sorted(ROOT.glob("docs/*.md"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        for myst in MYSTS:
            assert same_tokens(text, myst), path


def test_generated_archive_gives_the_same_tokens(tmp_path: Path) -> None:
    paths = generate(load_samples(ROOT / "reports"), 60, tmp_path / "reports")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert same_tokens(text, dict(DEFAULT_MYST)), path
        # and tokenise (what the model reads) uses the narrowed parser
        _tokens, source = tokenise(text, DEFAULT_MYST)
        assert "table" not in {r.name for r in source.md.block.ruler.__rules__ if r.enabled} or "|" in text


@pytest.mark.parametrize(
    "text",
    ["", "\n", "%", "+++", ":a: b", "[^1]: x\n: y",
     # containers whose text starts after a label: what opens there must still be read
     "[^1]: % 注释\n", "[^1]: +++\n", "[^1]: :a: b\n", ":name: % 注释\n", ": 释义 +++\n", "- % 注释\n", "> +++\n",
     "1) : 释义\n", "术语\n: 释义\n", "a\r% 注释\r"],
)
def test_containers_and_edge_texts(text: str) -> None:
    for myst in MYSTS:
        assert same_tokens(text, myst)
