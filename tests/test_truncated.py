"""The truncated rule: an incomplete source is an error at its line, in lint and after import."""

from __future__ import annotations

from pathlib import Path

import pytest

from shuzhi.check import REGISTRY, check_report
from shuzhi.cli import main
from shuzhi.model import parse_report
from shuzhi.read import import_text

RAW = """2023年度某局党组书记抓基层党建工作述职报告
一、履职情况
（一）压实责任。全年研究党建工作8次。……（此处省略1200字，开通会员查看全文）……
（二）抓好学习。组织集中学习12次。
（未完，全文请下载）
"""


def test_import_marks_each_gap_and_the_rule_reports_it_there() -> None:
    result = import_text(RAW, "gap.txt")
    lines = result.markdown.split("\n")
    body = [line for line in lines[lines.index("---", 1) :] if not line.startswith("%")]
    assert not [line for line in body if "此处省略" in line or "未完" in line]  # cut from the text
    gaps = [n for n, line in enumerate(lines, 1) if line.startswith("% 原文不完整：")]
    assert len(gaps) == 2
    found = [f for f in check_report(result.report) if f.code == "truncated"]
    assert [f.line for f in found] == gaps
    assert all(f.severity == "error" for f in found)
    assert "缺约 1200 字" in found[0].message and "缺约" not in found[1].message
    # the paragraph before the gap keeps its sentence end; the summary lists both notes
    assert "全年研究党建工作8次。" in result.markdown
    summary = result.summary()
    assert sum("（行内，付费或省略提示）" in line for line in summary) == 2
    assert sum(line.startswith("提示：原文第") and "原文不完整" in line for line in summary) == 2


@pytest.mark.parametrize(
    ("note", "chars"),
    [("……此处省略1200字，开通会员查看全文……", "1200"), ("此处隐藏800字", "800"), ("（未完，全文请下载）", None),
     ("……此处为付费内容，剩余1100字，开通会员即可阅读全文……", "1100")],
)
def test_a_note_left_in_a_report_is_found(note: str, chars: str | None) -> None:
    text = f"---\ntitle: t\nyear: 2023\norg: 某局\nkind: 述职报告\n---\n\n# t\n\n## 一、履职情况\n\n全年研究党建工作8次。{note}\n"
    found = [f for f in check_report(parse_report(text, "r.md")) if f.code == "truncated"]
    assert [f.line for f in found] == [12]
    assert (f"缺约 {chars} 字" in found[0].message) if chars else ("缺约" not in found[0].message)


def test_ordinary_text_is_not_truncated() -> None:
    text = "---\ntitle: t\n---\n\n# t\n\n## 一、履职情况\n\n会议省略了繁文缛节，全文共分三部分，未完成的任务已列入清单。\n"
    assert not [f for f in check_report(parse_report(text, "r.md")) if f.code == "truncated"]


def test_lint_reports_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.md"
    report.write_text(import_text(RAW, "gap.txt").markdown, encoding="utf-8")
    assert main(["lint", str(report)]) == 1
    out = capsys.readouterr().out
    assert out.count("error truncated") == 2
    assert REGISTRY["truncated"].draft == "error"
