"""The rectification ledger across years.

tests/fixtures/ledger-years: one unit over three years, renamed in the third
(市局 → 市行政管理局, an alias in its shuzhi.yaml). 2024 follows 2023 up with two
explicit links and one free item; 2025 follows 2024 up without links.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shuzhi.config import load_config
from shuzhi.match.ledger import build_ledger, previous_problems
from shuzhi.match.ledger_command import ledger_of, load_reports
from shuzhi.model import parse_report, summarise

FIXTURES = Path(__file__).parent / "fixtures"
YEARS = FIXTURES / "ledger-years"


def _entries(aliases: bool = True, replace: dict[str, tuple[str, str]] | None = None) -> dict[str, object]:
    config = load_config(YEARS if aliases else None)
    reports, problems = load_reports([YEARS / "reports"], config)
    assert problems == []
    if replace:
        reports = [parse_report(r.text.replace(*replace[r.path]), r.path) if r.path in replace else r for r in reports]
    return {f"{e.ref}#{e.problem_id}": e for e in ledger_of(reports, config).entries}


def test_each_status_from_the_follow_up_words() -> None:
    e = _entries()
    status = {k: v.status for k, v in e.items()}  # type: ignore[attr-defined]
    assert status == {
        "2023/shiju#P1": "reappeared",  # 已整改到位 (explicit R1), restated next year as 2024 P2
        "2023/shiju#P2": "in-progress",  # first answered two years on (2025 R1: 并非全部完成)
        "2023/shiju#P3": "reappeared",  # 已全部完成 (free item R2), restated two years on as 2025 P1
        "2023/shiju#P4": "rectified",  # 已销号 (explicit R3)
        "2024/shiju#P1": "in-progress",  # 并非全部完成: a negated 已整改 phrase
        "2024/shiju#P2": "not-rectified",  # 尚未启动
        "2024/shiju#P3": "unclear",  # what was done, not whether it is done
        "2024/shiju#P4": "no-follow-up",  # the 2025 report says nothing of it
        "2025/shiju#P1": "awaiting",
        "2025/shiju#P2": "awaiting",
    }


def test_follow_up_sentence_is_quoted_and_located() -> None:
    e = _entries()
    unclear = e["2024/shiju#P3"]
    assert unclear.sentence == "三是严格落实组织生活会制度，全年召开组织生活会4次，开展谈心谈话30余人次。"  # type: ignore[attr-defined]
    assert [(r.ref, r.item_id, r.explicit) for r in unclear.rectified_by] == [("2025/shiju", "R3", False)]  # type: ignore[attr-defined]
    negated = e["2024/shiju#P1"]
    assert negated.sentence.endswith("但宣传任务并非全部完成。") and negated.reported == "in-progress"  # type: ignore[attr-defined]
    assert e["2024/shiju#P4"].rectified_by == () and e["2024/shiju#P4"].follow_up == "2025/shiju"  # type: ignore[attr-defined]


def test_recurrence_flagged_on_both_problems() -> None:
    e = _entries()
    one_year, two_years = e["2023/shiju#P1"], e["2023/shiju#P3"]
    assert [(r.ref, r.item_id) for r in one_year.recurs_in] == [("2024/shiju", "P2")]  # type: ignore[attr-defined]
    assert [(r.ref, r.item_id) for r in two_years.recurs_in] == [("2025/shiju", "P1")]  # type: ignore[attr-defined]
    assert one_year.reported == "rectified" and two_years.reported == "rectified"  # type: ignore[attr-defined]
    assert [(r.ref, r.item_id) for r in e["2024/shiju#P2"].recurrence_of] == [("2023/shiju", "P1")]  # type: ignore[attr-defined]
    assert [(r.ref, r.item_id) for r in e["2025/shiju#P1"].recurrence_of] == [("2023/shiju", "P3")]  # type: ignore[attr-defined]
    # a recurrence of a problem not reported rectified keeps the follow-up's status
    assert e["2023/shiju#P2"].status == "in-progress" and e["2023/shiju#P2"].recurs_in  # type: ignore[attr-defined]


def test_renamed_unit_needs_its_alias() -> None:
    with_alias = _entries()
    assert {v.unit for v in with_alias.values()} == {"市行政管理局"}  # type: ignore[attr-defined]
    without = _entries(aliases=False)
    # without the alias the 2025 report belongs to another unit: 2024's problems wait for a report
    assert without["2024/shiju#P1"].status == "awaiting"  # type: ignore[attr-defined]
    assert without["2023/shiju#P3"].status == "rectified" and not without["2023/shiju#P3"].recurs_in  # type: ignore[attr-defined]
    # an explicit link is followed whatever the linking report's organisation
    path = str(YEARS / "reports/2025/shiju.md")
    linked = _entries(aliases=False, replace={path: ("【R2】二是", "【R2→2024/shiju#P2】二是")})
    assert linked["2024/shiju#P2"].status == "not-rectified"  # type: ignore[attr-defined]
    assert linked["2024/shiju#P1"].status == "awaiting"  # type: ignore[attr-defined]


def test_explicit_link_overrides_the_matcher() -> None:
    e = _entries()
    # 2024 R1 speaks of 宣传 (P2's subject) but names P1: P1 it is, and P2 is not answered by it
    assert [r.item_id for r in e["2023/shiju#P1"].rectified_by] == ["R1"]  # type: ignore[attr-defined]
    assert [(r.ref, r.item_id) for r in e["2023/shiju#P2"].rectified_by] == [("2025/shiju", "R1")]  # type: ignore[attr-defined]
    # an explicit link can also send a free item elsewhere: R2 of 2024 named for P4 answers P4, not P3
    path = str(YEARS / "reports/2024/shiju.md")
    swapped = _entries(replace={path: ("【R2】二是成立", "【R2→2023/shiju#P4】二是成立")})
    assert [(r.item_id, r.explicit) for r in swapped["2023/shiju#P4"].rectified_by] == [("R2", True), ("R3", True)]  # type: ignore[attr-defined]
    # … and P3, which the matcher gave R2, is left without a follow-up (no later item is about it)
    assert swapped["2023/shiju#P3"].status == "no-follow-up" and swapped["2023/shiju#P3"].rectified_by == ()  # type: ignore[attr-defined]


def test_previous_problems_for_scaffolding() -> None:
    fixture = FIXTURES / "ledger" / "reports"
    summaries = [summarise(parse_report(p.read_text(encoding="utf-8"), str(p))) for p in sorted(fixture.rglob("*.md"))]
    prev, problems = previous_problems(summaries, "市局", 2024)
    assert prev is not None and prev.ref == "2023/shiju-shuzhi"
    assert [p.id for p in problems] == ["P1", "P2", "P3"]
    assert previous_problems(summaries, "市局", 2023) == (None, [])


def test_archive_without_measures_of_uses_explicit_markers() -> None:
    fixture = FIXTURES / "ledger" / "reports"
    summaries = [summarise(parse_report(p.read_text(encoding="utf-8"), str(p))) for p in sorted(fixture.rglob("*.md"))]
    entries = {(e.ref, e.problem_id): e for e in build_ledger(summaries).entries}
    assert entries[("2024/shiju-shuzhi", "P1")].measures == ("M1",)
    assert entries[("2024/shiju-shuzhi", "P1")].status == "awaiting"


@pytest.mark.parametrize("text, message", [
    ("orgs: [甲]\n", "orgs.aliases 应为"),
    ("orgs:\n  aliases:\n    新名: 新名\n", "不能是它自己"),
    ("orgs:\n  aliases:\n    新名: [旧名]\n    另名: [旧名]\n", "同时归到"),
    ("orgs:\n  aliases:\n    新名: [中名]\n    中名: [旧名]\n", "本身又是"),
    ("orgs:\n  aliases:\n    新名: [3]\n", "曾用名的列表"),
    ("orgs:\n  alias:\n    新名: [旧名]\n", "不认识「alias」"),
])
def test_bad_aliases_are_located_chinese_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "shuzhi.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        load_config(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'shuzhi.yaml'}:")
    assert ":" in str(info.value).split("shuzhi.yaml", 1)[1][:4]  # the line of the offending name
