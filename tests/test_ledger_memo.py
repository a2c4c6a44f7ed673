"""The ledger resolved again after an edit equals the ledger built from scratch, and reuses units."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shuzhi.bench.generate import generate, load_samples
from shuzhi.match.ledger import build_ledger, ledger_features
from shuzhi.match.ledger_memo import Edit, LedgerMemo, resolve_ledger
from shuzhi.match.links import resolve_links
from shuzhi.model import ReportSummary, parse_report, summarise

REPO = Path(__file__).resolve().parent.parent
Data = dict[str, tuple[ReportSummary, dict[str, list[str]], dict[str, dict[str, float]]]]


def _read(path: str, text: str) -> tuple[ReportSummary, dict[str, list[str]], dict[str, dict[str, float]]]:
    report = parse_report(text, path)
    links = resolve_links(report)
    return (summarise(report), {pid: [m.id for m in ms] for pid, ms in links.by_problem.items()},
            {i.id: ledger_features(i) for i in report.items})


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("memo") / "reports"
    paths = generate(load_samples(REPO / "reports"), 60, folder)
    return {f"reports/{p.relative_to(folder).as_posix()}": p.read_text(encoding="utf-8") for p in paths}


def _inputs(data: Data) -> tuple[list[ReportSummary], dict[str, dict[str, list[str]]], dict[tuple[str, str], dict[str, float]]]:
    summaries = [data[p][0] for p in sorted(data)]
    measures_of = {data[p][0].ref: data[p][1] for p in data}
    features = {(data[p][0].ref, iid): f for p in data for iid, f in data[p][2].items()}
    return summaries, measures_of, features


def _again(before: Data, after: Data, memo: LedgerMemo) -> tuple[list[object], LedgerMemo, list[object]]:
    """The ledger of ``after`` resolved from ``memo``, and built from scratch."""
    touched = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    was = [before[p] for p in sorted(touched) if p in before]
    now = [after[p] for p in sorted(touched) if p in after]
    edit = Edit(removed=[f for r in was for f in r[2].values()], added=[f for r in now for f in r[2].values()],
                orgs=frozenset(r[0].org for r in (*was, *now)))
    summaries, measures_of, features = _inputs(after)
    ledger, memo = resolve_ledger(summaries, measures_of, features, {}, memo, edit)
    scratch = build_ledger(summaries, measures_of, features, {})
    return ledger.entries, memo, scratch.entries  # type: ignore[return-value]


def test_edits_resolve_to_the_ledger_built_from_scratch(archive: dict[str, str]) -> None:
    data: Data = {p: _read(p, t) for p, t in archive.items()}
    summaries, measures_of, features = _inputs(data)
    ledger, memo = resolve_ledger(summaries, measures_of, features, {})
    assert ledger.entries == build_ledger(summaries, measures_of, features, {}).entries
    paths = sorted(archive)
    # 1. a problem reworded with words no other report has: only its own unit is matched again
    edited = paths[len(paths) // 2]
    text = archive[edited].replace("【P1】", "【P1】档案核验专用词汇甲乙丙", 1)
    assert text != archive[edited]
    after = {**data, edited: _read(edited, text)}
    entries, memo2, scratch = _again(data, after, memo)
    assert entries == scratch
    unit = after[edited][0].org
    reused = set(memo2.units) - {unit}
    assert reused and all(memo2.units[u] is memo.units[u] for u in reused)
    # 2. a problem reworded as another unit's problem: that unit's weights change, it is matched again
    other = next(p for p in paths if data[p][0].org != data[edited][0].org and data[p][0].problems)
    lead = data[other][0].problems[0].text
    text = re.sub(r"(【P1】)[^\n]*", lambda m: m.group(1) + lead, archive[edited], count=1)
    borrowed = {**after, edited: _read(edited, text)}
    entries, memo3, scratch = _again(after, borrowed, memo2)
    assert entries == scratch
    assert memo3.units[data[other][0].org] is not memo2.units[data[other][0].org]
    # 3. a report moved to another unit, 4. a report removed, 5. a report added back
    moved_text = re.sub(r"^org: .*$", f"org: {data[other][0].org}", archive[edited], count=1, flags=re.M)
    steps: list[Data] = [
        {**after, edited: _read(edited, moved_text)},
        {p: v for p, v in after.items() if p != other},
        after,
    ]
    current, current_memo = borrowed, memo3
    for step in steps:
        entries, current_memo, scratch = _again(current, step, current_memo)
        assert entries == scratch
        current = step

