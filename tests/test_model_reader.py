"""The model reads a report the way MyST does: headings, fences, quotes, code and HTML.

The model is built from MyST's own markdown-it tokens (``shuzhi.model.tokens``), so what
the published page shows as a heading is a section, and what it shows as code or
as a fence's body is never a section, an item or an ordinal. Each case here is
one the old line scanner read differently from the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shuzhi.check import check_report
from shuzhi.config import load_config
from shuzhi.model import Report, parse_report, plain

FRONT = """---
title: 测试局党组书记述职报告
year: 2023
org: 测试局
author: 党组书记
kind: 述职报告
status: draft
---
"""

HEAD = "# 测试局党组书记抓基层党建工作述职报告\n\n## 一、履职情况\n\n（一）强化政治担当。一是学习。二是落实。\n\n"
TAIL = "\n## 三、下一步打算\n\n【M1→P1】（一）加强理论学习，提升学习质效。\n"


def report(problems: str, head: str = HEAD, tail: str = TAIL, myst: dict[str, object] | None = None) -> Report:
    text = FRONT + head + "## 二、存在问题\n\n" + problems + "\n" + tail
    return parse_report(text, "reports/2023/test.md", myst=myst)


def line_of(r: Report, needle: str) -> int:
    return next(n for n, line in enumerate(r.lines, start=1) if needle in line)


def titles(r: Report) -> list[str]:
    return [s.title for s in r.sections]


def test_setext_headings_are_sections() -> None:
    text = FRONT + "测试局述职报告\n========\n\n一、履职情况\n--------\n\n一是学习。\n\n二、存在问题\n------\n\n一是学习不够深入。\n"
    r = parse_report(text)
    assert r.title == "测试局述职报告" and r.title_line == line_of(r, "测试局述职报告")
    assert titles(r) == ["一、履职情况", "二、存在问题"]
    assert [s.line for s in r.sections] == [line_of(r, "一、履职情况"), line_of(r, "二、存在问题")]
    assert r.sections[1].canonical == ("存在问题",)
    assert [(p.id, p.line) for p in r.problems] == [("P1", line_of(r, "一是学习不够深入"))]


@pytest.mark.parametrize("fence", ["```", "~~~", ":::{note}", "```{code-block} text"])
def test_fences_hold_no_headings_items_or_ordinals(fence: str) -> None:
    close = fence[:3]
    body = f"{fence}\n## 四、不是标题\n【P7】一是不是条目。\n三是也不是。\n全年召开会议x次\n{close}\n\n【P1】一是理论学习不够深入。\n"
    r = report(body)
    assert "四、不是标题" not in titles(r)
    assert [(p.id, p.text) for p in r.problems] == [("P1", "一是理论学习不够深入。")]
    fence_lines = range(line_of(r, fence), line_of(r, "全年召开会议x次") + 2)
    assert not any(line in fence_lines for run in r.runs for line, _ in run.entries)
    block = next(b for b in r.blocks if b.line == line_of(r, fence))
    assert block.fenced and block.kind == "other" and "【P7】" in block.text
    # the hygiene rules read outside fences: ::: ones included
    found = check_report(r)
    assert not [f for f in found if f.code in ("placeholder", "numbering") and f.line in fence_lines]


def test_a_colon_fence_is_a_fence_only_where_the_archive_enables_it() -> None:
    body = ":::\n一、写在冒号围栏里\n:::\n\n【P1】一是理论学习不够深入。\n"
    fenced = report(body)
    assert [b.kind for b in fenced.blocks if "冒号围栏" in b.text] == ["other"]
    assert [p.id for p in fenced.problems] == ["P1"]
    # an archive whose conf.py does not enable colon_fence: MyST reads a paragraph, and so does the model
    plain_colons = report(body, myst={"enable_extensions": []})
    assert [b.kind for b in plain_colons.blocks if "冒号围栏" in b.text] == ["paragraph"]


def test_colon_fence_setting_read_from_the_archive_conf(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser"]\nmyst_heading_anchors = 2\n', encoding="utf-8")
    assert load_config(tmp_path).myst == {"heading_anchors": 2}
    (tmp_path / "conf.py").write_text('myst_enable_extensions = ["colon_fence"]\n', encoding="utf-8")
    assert load_config(tmp_path).myst == {"enable_extensions": ["colon_fence"]}
    (tmp_path / "conf.py").write_text("raise RuntimeError('坏配置')\n", encoding="utf-8")
    with pytest.raises(ValueError, match="conf.py: 读取 MyST 设置失败"):
        load_config(tmp_path)


def test_block_quotes_are_read_without_their_markers() -> None:
    body = "> ## 四、引文中的标题\n> 一是引用的评议意见，\n继续的一行。\n\n【P1】一是理论学习不够深入。\n"
    r = report(body)
    assert "四、引文中的标题" not in titles(r)
    quoted = next(b for b in r.blocks if "引用的评议意见" in b.text)
    assert quoted.kind == "paragraph" and quoted.text == "一是引用的评议意见，\n继续的一行。"
    assert (quoted.line, quoted.end_line) == (line_of(r, "引用的评议意见"), line_of(r, "继续的一行"))


def test_indented_code_is_not_an_item() -> None:
    body = "    【P7】一是缩进四格的代码。\n    二是代码。\n\n【P1】一是理论学习不够深入。\n"
    r = report(body)
    assert [p.id for p in r.problems] == ["P1"]
    code = next(b for b in r.blocks if b.line == line_of(r, "缩进四格"))
    assert code.code and not code.fenced and code.kind == "other"


def test_html_blocks_are_opaque_and_flagged() -> None:
    body = '<div style="color:red">\n一是网页里粘贴的一段。\n</div>\n\n【P1】一是理论学习不够深入。\n'
    r = report(body)
    assert [p.id for p in r.problems] == ["P1"]
    html = next(b for b in r.blocks if b.html)
    assert html.line == line_of(r, "<div")
    assert [(f.line, f.code) for f in check_report(r) if f.code == "unsafe-html"] == [(html.line, "unsafe-html")]


def test_an_item_marker_inside_inline_code_is_text() -> None:
    body = "条目标记写作 `【P5】`，措施写作 `【M1→P1】`。\n\n一是理论学习不够深入，`【P9】` 不算编号。\n"
    r = report(body)
    assert [(p.id, p.explicit) for p in r.problems] == [("P1", False)]
    assert "【P9】" in r.problems[0].text and r.item("P5") is None and r.item("P9") is None


def test_front_matter_is_not_read_as_markdown() -> None:
    text = FRONT.replace("status: draft\n", "status: draft\nnotes: |\n  ## 一、存在问题\n  一是不是条目。\n") + HEAD
    r = parse_report(text)
    assert r.blocks[0].type == "front_matter" and r.blocks[0].end_line == line_of(r, "是不是条目") + 1
    assert titles(r) == ["一、履职情况"] and r.problems == []


def test_ordered_list_numbers_are_level_three_ordinals() -> None:
    body = "1. 理论学习不够深入。\n2. 宣传力度有待加强。\n4. 阵地建设不足。\n"
    r = report(body)
    assert [p.text for p in r.problems] == ["1. 理论学习不够深入。", "2. 宣传力度有待加强。", "4. 阵地建设不足。"]
    found = [(f.line, f.code) for f in check_report(r) if f.code == "numbering"]
    assert found == [(line_of(r, "4. 阵地建设不足"), "numbering")]


def test_seed_lines_are_those_of_the_file() -> None:
    """Every section, item and paragraph starts on the line of the file that holds its text."""
    root = Path(__file__).resolve().parent.parent / "reports"
    paths = sorted(root.rglob("*.md"))
    assert len(paths) >= 5
    config = load_config(root.parent)
    for path in paths:
        r = parse_report(path.read_text(encoding="utf-8"), str(path), config.schema, config.kinds, config.myst)
        assert r.sections and r.items, path
        for s in r.sections:
            assert s.title in plain(r.lines[s.line - 1]), (path, s.line)
        for item in r.items:
            assert item.text[:4] in plain(r.lines[item.line - 1]), (path, item.id)
        for b in r.blocks:
            if b.kind == "paragraph":
                assert b.text.split("\n")[0] in r.lines[b.line - 1].strip(), (path, b.line)


def test_paragraph_head_is_stripped_as_the_anchored_substitution_does() -> None:
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from shuzhi.model.schema import _normalise_head

    pieces = st.sampled_from(["【P1】", "【", "】", " ", "\t", "\n", "*", "_", "\\", "原因分析：", "x", "究其原因"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces | st.text(max_size=3), max_size=10).map("".join))
    def run(text: str) -> None:
        assert _normalise_head(text) == re.sub(r"^(【[^】]*】|\s|[*_\\])+", "", text)

    run()
