"""Property tests (hypothesis) on arbitrary Unicode: the structural parser, the matcher,
the importer's output front matter and the ``shuzhi lint`` command.

Complements test_rules_props.py (rules: lines inside the file), test_import_property.py
(import loses nothing, markers consistent) and test_lint.py (lint() on arbitrary bytes).
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuzhi.cli import main
from shuzhi.match.links import match_report, resolve_links
from shuzhi.model import frontmatter, parse_report, plain, summarise
from shuzhi.model.ordinals import ITEM_MARKER
from shuzhi.model.parse import raw_offset

PIECES = [
    "---\n", "title: 报告\n", "year: 2023\n", "year: 二〇二三\n", "org: 某局\n", "kind: 述职报告\n", "status: final\n",
    "title: !!python/object/apply:os.system [\"true\"]\n", "- a\n", "[\n", "# 标题\n", "## 一、履职情况\n",
    "## 二、存在问题\n", "## 三、下一步打算\n", "### （一）", "（一）", "(一)", "（二）", "(二)", "1.", "1．", "２．", "一是",
    "二是", "第一，", "【P1】", "【P1】", "【M1→P1、P9】", "【M2→2023/x#P1】", "【R1→2022/a#P2】", "【R2→反馈】", "【P", "】", "【",
    "原因分析：", "针对上述问题，", "\\*", "\\", "**", "<script>", "```\n", ":::\n", "```{raw} html\n", "\n", "\n\n", "\r\n", "\r",
    "\ufeff", "　", "。", "；", "学习不够深入", "加强理论学习",
]
text_like = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=50).map("".join)
anything = st.one_of(text_like, st.text(max_size=400))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _line_count(text: str) -> int:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


@FAST
@given(anything)
def test_parser_never_raises_and_locates_inside_the_file(text: str) -> None:
    report = parse_report(text, "reports/2023/x.md")
    last = _line_count(text)
    assert report.line_count == last
    for block in report.blocks:
        assert 1 <= block.line <= block.end_line <= last
    for section in report.sections:
        assert 1 <= section.line <= section.end_line <= last
        assert section.parent is None or 0 <= section.parent < len(report.sections)
    for item in report.items:
        assert 1 <= item.line <= last
        assert item.id[0] in "PMR" and item.id[1:].isdigit()
        assert 0 <= item.section < len(report.sections)
    for note in report.notes:
        assert 1 <= note.line <= last and note.message
    for run in report.runs:
        assert all(1 <= line <= last for line, _ in run.entries)
    ids = [i.id for i in report.items if not i.explicit]
    assert len(ids) == len(set(ids))  # generated ids never collide
    summarise(report)  # the picklable view never fails either


@FAST
@given(st.lists(st.sampled_from(["\\", "*", "\n", "a", "【P1】", "【M2→P1】 ", "。", "\\\\", "\\*", "一是", "\\【"]), max_size=16).map("".join))
def test_raw_offset_matches_plain(raw: str) -> None:
    """The linear offset map agrees with plain(): the character at plain offset p is the one at raw offset."""
    body = plain(raw)
    start = ITEM_MARKER.match(raw)
    for p in range(len(body)):
        r = raw_offset(raw, p)
        assert raw[r] == body[p] or (start is None and raw[r] == "\\" and raw[r + 1] == body[p])


@FAST
@given(anything)
def test_matcher_never_raises_and_pairs_real_items(text: str) -> None:
    report = parse_report(text, "reports/2023/x.md")
    problems = {p.id for p in report.problems}
    measures = {m.id for m in report.measures}
    for pair in match_report(report):
        assert pair.problem_id in problems and pair.measure_id in measures
        assert 0 <= pair.score <= 1.0001
    links = resolve_links(report)
    assert set(links.by_problem) == problems
    assert set(links.orphans) <= measures
    for line, item_id, _target in links.unknown:
        assert 1 <= line <= report.line_count and report.item(item_id) is not None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_imported_front_matter_is_always_a_valid_mapping(text: str) -> None:
    """Whatever the source says (fences, YAML tags, colons), the importer writes loadable front matter."""
    from shuzhi.read import ImportFailure, import_text

    try:
        result = import_text(text, "fuzz.txt")
    except ImportFailure:
        return
    fm = frontmatter.parse(result.markdown)
    assert fm.present
    broken = [n.message for n in fm.notes if "YAML" in n.message or "映射" in n.message or "未知的元数据键" in n.message]
    assert broken == []
    assert fm.data.get("status") == "draft" and fm.data.get("source") == "fuzz.txt"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_lint_cli_json_is_valid_and_located(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reports" / "2023" / "x.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8", newline="")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["lint", "--format", "json", "-j", "1", str(path.parent.parent)])
        assert status in (0, 1) and "Traceback" not in err.getvalue()
        rows = json.loads(out.getvalue())
        assert status == (1 if any(r["severity"] == "error" for r in rows) else 0)
        last = _line_count(text)
        for r in rows:
            assert r["path"] == str(path) and 1 <= r["line"] <= last and r["message"]
