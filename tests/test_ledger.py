"""The rectification ledger across years, on a two-year fixture of one organisation."""

from __future__ import annotations

from pathlib import Path

from shuzhi.ledger import build_ledger, previous_problems
from shuzhi.model import parse_report, summarise

FIXTURE = Path(__file__).parent / "fixtures" / "ledger" / "reports"


def summaries():
    return [summarise(parse_report(p.read_text(encoding="utf-8"), str(p))) for p in sorted(FIXTURE.rglob("*.md"))]


def test_statuses_rectified_recurring_open() -> None:
    ledger = build_ledger(summaries())
    status = {(e.ref, e.problem_id): e for e in ledger.entries}
    rectified = status[("2023/shiju-shuzhi", "P1")]
    assert rectified.status == "rectified" and rectified.status_label == "已报整改"
    assert [(r.ref, r.item_id, r.explicit) for r in rectified.rectified_by] == [("2024/shiju-shuzhi", "R1", True)]
    recurring = status[("2023/shiju-shuzhi", "P2")]
    assert recurring.status == "recurring"
    assert [(r.ref, r.item_id) for r in recurring.recurs_in] == [("2024/shiju-shuzhi", "P1")]
    assert status[("2023/shiju-shuzhi", "P3")].status == "no-follow-up"
    # the newest year has no follow-up report yet: its problems have planned measures
    assert status[("2024/shiju-shuzhi", "P1")].status == "planned"
    assert status[("2024/shiju-shuzhi", "P1")].measures == ("M1",)
    assert ledger.counts() == {"rectified": 1, "recurring": 1, "no-follow-up": 1, "planned": 2}


def test_previous_problems_for_scaffolding() -> None:
    prev, problems = previous_problems(summaries(), "市局", 2024)
    assert prev is not None and prev.ref == "2023/shiju-shuzhi"
    assert [p.id for p in problems] == ["P1", "P2", "P3"]
    assert previous_problems(summaries(), "市局", 2023) == (None, [])
