"""The ledger resolved again after an edit: only the units the edit can change are matched again.

A unit's matches (follow-ups and restated problems, :class:`~.ledger.UnitMatches`) depend on
its own reports and on the IDF weights of their terms, nothing else. The IDF is kept as
document frequencies: an edit subtracts the features of the reports as they were and adds
them as they are now. A unit is matched again when one of its reports changed, when it gained
or lost a report or an explicit follow-up, or when the frequency of one of its terms changed;
when the number of items changes, every weight changes and every unit is matched again. The
result is the one :func:`~.ledger.build_ledger` gives from scratch (tests compare them).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import ReportSummary
from .ledger import Features, Ledger, UnitMatches, build_ledger, explicit_follow_ups, ledger_features, units

#: unit -> (its reports in order, the explicit follow-ups of its problems) as last matched
UnitInputs = tuple[tuple[str, ...], frozenset[tuple[str, str]]]


@dataclass(frozen=True)
class LedgerMemo:
    """What one build's ledger keeps for the next."""

    aliases: tuple[tuple[str, str], ...]
    df: Mapping[str, int]  # term -> how many items have it
    n: int  # items
    units: Mapping[str, UnitMatches]
    inputs: Mapping[str, UnitInputs]


@dataclass(frozen=True)
class Edit:
    """What changed since the memo's build: the features of the reports read again, as they were
    and as they are, and their organisations (before and after)."""

    removed: Sequence[Features]
    added: Sequence[Features]
    orgs: frozenset[str]


def resolve_ledger(summaries: Sequence[ReportSummary], measures_of: Mapping[str, Mapping[str, Sequence[str]]],
                   features: Mapping[tuple[str, str], Features], aliases: Mapping[str, str],
                   memo: LedgerMemo | None = None, edit: Edit | None = None) -> tuple[Ledger, LedgerMemo]:
    """The ledger of ``summaries`` (as :func:`build_ledger`) and the memo for the next build."""
    key = tuple(sorted(aliases.items()))
    by_unit = units(summaries, aliases)
    explicit = explicit_follow_ups(summaries)
    unit_of = {s.ref: u for u, reports in by_unit.items() for s in reports}
    held: dict[str, set[tuple[str, str]]] = {}
    for ref, pid in explicit:
        if ref in unit_of:
            held.setdefault(unit_of[ref], set()).add((ref, pid))
    inputs = {u: (tuple(s.ref for s in reports), frozenset(held.get(u, ()))) for u, reports in by_unit.items()}
    if memo is not None and edit is not None and memo.aliases == key:
        df = Counter(memo.df)
        for f in edit.removed:
            df.subtract(f.keys())
        for f in edit.added:
            df.update(f.keys())
        df = +df  # drop the terms no item has any more
        n = memo.n - len(edit.removed) + len(edit.added)
        known = _still_valid(memo, df, n, edit, by_unit, inputs, features, aliases)
    else:
        df, n = _frequencies(summaries, features)
        known = {}
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    ledger = build_ledger(summaries, measures_of, features, aliases, idf=idf, known=known, explicit=explicit)
    return ledger, LedgerMemo(key, df, n, ledger.matches, inputs)


def _frequencies(summaries: Sequence[ReportSummary],
                 features: Mapping[tuple[str, str], Features]) -> tuple[Counter[str], int]:
    """Every item's document frequencies, as :func:`~.links.build_idf` counts them for the ledger."""
    df: Counter[str] = Counter()
    n = 0
    for s in summaries:
        for i in s.items:
            found = features.get((s.ref, i.id))
            n += 1
            df.update((found if found is not None else ledger_features(i)).keys())
    return df, n


def _still_valid(memo: LedgerMemo, df: Mapping[str, int], n: int, edit: Edit,
                 by_unit: Mapping[str, Sequence[ReportSummary]], inputs: Mapping[str, UnitInputs],
                 features: Mapping[tuple[str, str], Features], aliases: Mapping[str, str]) -> dict[str, UnitMatches]:
    """The memo's units whose matches cannot have changed."""
    if n != memo.n or min(df.values(), default=0) != min(memo.df.values(), default=0):
        return {}  # every weight changed (or the weight of an unknown term did)
    changed = {t for f in (*edit.removed, *edit.added) for t in f if df.get(t, 0) != memo.df.get(t, 0)}
    dirty = {aliases.get(org, org) for org in edit.orgs}
    known = {}
    for unit, reports in by_unit.items():
        if unit in dirty or unit not in memo.units or memo.inputs.get(unit) != inputs[unit]:
            continue
        if changed and any(t in f for s in reports for i in s.items
                           for f in (features.get((s.ref, i.id)) or {},) for t in changed):
            continue
        known[unit] = memo.units[unit]
    return known
