"""Analytics figures on the five imported seeds in reports/, checked by reading them.

000 → 2023/judangzushujizhuajicengdangjian-shuzhi (述职报告, org unknown), 001 → 2022/fagaiwei-shuzhi
(区发改委), 002 → 2022/dangzuzhishujizhuajicengdang-shuzelian (述责述廉报告, org unknown),
003 → 2023/xju-zongjie (X局, 工作总结), 004 → undated/zhengwuju-shuzhi (X区政务局, no year).
Placeholder counts were cross-checked with a plain regex count of x/X values and
\\*\\* stars in the files (31, 12, 15 x-values; 1 and 6 star values in 2022).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from shuzhi.analytics import Analytics, analyse, stats
from shuzhi.model import Report, parse_report, summarise
from shuzhi.publish.archive_export import export_reports, validate

REPORTS = Path(__file__).resolve().parent.parent / "reports"
pytestmark = pytest.mark.skipif(len(list(REPORTS.rglob("*.md"))) != 5, reason="reports/ does not hold the five seeds")


@lru_cache(maxsize=1)
def seeds() -> tuple[Report, ...]:
    return tuple(parse_report(p.read_text(encoding="utf-8"), f"reports/{p.relative_to(REPORTS)}") for p in sorted(REPORTS.rglob("*.md")))


@lru_cache(maxsize=1)
def archive() -> Analytics:
    from shuzhi.check import check_report

    rs = seeds()
    return analyse([summarise(r) for r in rs], [stats(r) for r in rs], [f for r in rs for f in check_report(r)])


def test_seed_counts() -> None:
    a = archive()
    assert a.total == 5 and a.problems == 17
    assert a.by_year == ((2022, 2), (2023, 2), (None, 1))
    assert a.by_kind == (("述职报告", 3), ("述责述廉报告", 1), ("工作总结", 1))
    assert a.by_org == (("", 2), ("X区政务局", 1), ("X局", 1), ("区发改委", 1))  # no org: labelled on the pages
    assert a.by_year_kind == (
        (2022, "述职报告", 1), (2022, "述责述廉报告", 1), (2023, "工作总结", 1), (2023, "述职报告", 1), (None, "述职报告", 1),
    )


def test_seed_completeness() -> None:
    sections, paired, followed = archive().completeness
    # both 2022 reports give no 原因分析
    assert (sections.passed, sections.total) == (3, 5)
    assert sections.failing == ("2022/dangzuzhishujizhuajicengdang-shuzelian", "2022/fagaiwei-shuzhi")
    assert (paired.passed, paired.total) == (2, 5)
    assert (followed.total, followed.percent) == (0, None)  # no organisation has two years yet


def test_seed_placeholders_and_quantities() -> None:
    by_year = {yq.year: yq for yq in archive().quantities}
    assert {y: yq.placeholders for y, yq in by_year.items()} == {2022: 7, 2023: 43, None: 15}
    assert by_year[2023].placeholder_refs == (("2023/judangzushujizhuajicengdangjian-shuzhi", 31), ("2023/xju-zongjie", 12))
    fagaiwei = {q.text: q for ref, q in by_year[2022].quantities if ref == "2022/fagaiwei-shuzhi"}
    assert fagaiwei["3229万人次"].number == 32_290_000 and fagaiwei["3229万人次"].sentence.endswith("保障人员12万人次，检测3229万人次。")
    assert fagaiwei["430家"].sentence.startswith("在用心用情办好民生实事中担当作为")
    assert len(by_year[2022].quantities) == 15 + 14 and len(by_year[2023].quantities) == 2 and len(by_year[None].quantities) == 1


def test_seed_keywords_and_export() -> None:
    for _year, words in archive().keywords:
        assert not {k.term for k in words} & {"习近平", "党建", "工作", "党建工作", "新时代"}
    doc = export_reports(list(seeds()))
    validate(doc)
    assert [r["ref"] for r in doc["reports"]][-1] == "undated/zhengwuju-shuzhi"
    assert sum(len(r["problems"]) for r in doc["reports"]) == 17
