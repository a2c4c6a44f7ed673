"""Property tests: the rules never raise and always locate findings inside the file."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuzhi.check import check_archive, check_report
from shuzhi.model import parse_report, summarise
from shuzhi.model.findings import SEVERITIES

PIECES = [
    "---\n", "title: 报告\n", "year: 2023\n", "org: 某局\n", "kind: 述职报告\n", "status: final\n", "## 一、履职情况\n",
    "## 二、存在问题\n", "## 三、三、下一步打算\n", "（一）", "（二）", "(三)", "1.", "１．", "一是", "二是", "四是", "六是",
    "【P1】", "【M1→P1、P9】", "【R1→2022/a#P2】", "【P", "x次", "\\*\\*区", "**", "20xx年", "13812345678", "QQ：12345",
    "##paidbegin##", "原因分析：", "\n", "\n\n", "```\n", "。", "a@b.cn",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=40))
def test_rules_never_raise_and_lines_are_inside(parts: list[str]) -> None:
    text = "".join(parts)
    report = parse_report(text, "reports/2023/x.md")
    for finding in check_report(report):
        assert 1 <= finding.line <= report.line_count
        assert finding.severity in SEVERITIES
        assert finding.message
    for finding in check_archive([summarise(report), summarise(parse_report(text, "reports/2023/y.md"))]):
        assert finding.line >= 1
