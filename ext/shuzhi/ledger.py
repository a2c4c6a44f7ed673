"""The rectification ledger (整改台账): every problem of every report, and what became of it.

Works on :class:`~shuzhi.model.ReportSummary` only, so the Sphinx Domain can build
it once from its stored data and the CLI from parsed files. For a problem of
organisation O in year Y, the *follow-up report* is O's report for year Y+1:

- 已报整改 (rectified): a rectification item of the follow-up report refers to the
  problem explicitly (``【R1→2023/slug#P2】``), or is clearly about it (suggested);
- 反复出现 (recurring): the follow-up report admits a similar problem again;
- 未见跟进 (no follow-up): the follow-up report exists but does neither;
- 措施已定 (planned): no follow-up report yet, and the problem has a measure;
- 尚无措施 (no measure): no follow-up report yet, and no measure either.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .links import CONFIDENT_SCORE, build_idf, stopwords
from .model import ItemSummary, ReportSummary
from .segment import words

STATUSES = {
    "rectified": "已报整改",
    "recurring": "反复出现",
    "no-follow-up": "未见跟进",
    "planned": "措施已定",
    "no-measure": "尚无措施",
}
#: similarity above which a next-year problem counts as the same problem again
RECURRING_SCORE = 0.30
#: similarity above which a rectification item is suggested as answering a problem
SUGGEST_SCORE = 0.22


@dataclass(frozen=True)
class Reference:
    ref: str  # report ref, "<year>/<slug>"
    item_id: str
    text: str
    score: float
    explicit: bool


@dataclass(frozen=True)
class LedgerEntry:
    ref: str
    title: str
    org: str
    year: int | None
    problem_id: str
    problem: str
    line: int
    measures: tuple[str, ...]
    status: str
    follow_up: str | None = None  # ref of the next year's report
    rectified_by: tuple[Reference, ...] = ()
    recurs_in: tuple[Reference, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]


@dataclass
class Ledger:
    entries: list[LedgerEntry] = field(default_factory=list)
    #: ref → suggested (rectification id → (problem ref#id, score)) for reports without explicit references
    suggestions: dict[str, dict[str, tuple[str, float]]] = field(default_factory=dict)

    def for_org(self, org: str) -> list[LedgerEntry]:
        return [e for e in self.entries if e.org == org]

    def counts(self) -> Counter[str]:
        return Counter(e.status for e in self.entries)


def ledger_terms(item: ItemSummary | Any) -> Counter[str]:
    """Terms of a problem or rectification for cross-year similarity (lead counted three times)."""
    stop = stopwords()
    counts: Counter[str] = Counter()
    for w in words(item.lead):
        if w not in stop:
            counts[w] += 3
    for w in words(item.text[len(item.lead) : len(item.lead) + 300]):
        if w not in stop:
            counts[w] += 1
    return counts


def unit_vector(counts: Mapping[str, float], idf: Mapping[str, float], default: float = 1.0) -> dict[str, float]:
    """TF-IDF weights ((1 + log tf) · idf) of a term count, scaled to length 1."""
    vec = {t: (1 + math.log(c)) * idf.get(t, default) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def _cos(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def build_ledger(
    summaries: Sequence[ReportSummary],
    measures_of: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    terms: Mapping[tuple[str, str], Counter[str]] | None = None,
) -> Ledger:
    """The ledger of the whole archive.

    ``measures_of`` maps a report ref to {problem id: [measure ids]} as resolved by
    :func:`shuzhi.links.resolve_links`; without it, explicit measure markers are used.
    ``terms`` maps (ref, item id) to :func:`ledger_terms` computed earlier (the Sphinx
    build stores them while reading, so resolving the ledger needs no segmentation).
    """
    terms = terms or {}
    by_key: dict[tuple[str, int], list[ReportSummary]] = {}
    for s in summaries:
        if s.org and s.year is not None:
            by_key.setdefault((s.org, s.year), []).append(s)
    def item_terms(s: ReportSummary, i: ItemSummary) -> Counter[str]:
        found = terms.get((s.ref, i.id))
        return found if found is not None else ledger_terms(i)

    idf = build_idf(item_terms(s, i) for s in summaries for i in s.items if i.kind in ("problem", "rectification"))
    default = max(idf.values(), default=1.0)
    vectors: dict[tuple[str, str], dict[str, float]] = {}

    def vec(s: ReportSummary, i: ItemSummary) -> dict[str, float]:
        key = (s.ref, i.id)
        if key not in vectors:
            vectors[key] = unit_vector(item_terms(s, i), idf, default)
        return vectors[key]

    ledger = Ledger()
    for s in sorted(summaries, key=lambda r: (r.org, r.year or 0, r.ref)):
        linked = dict(measures_of.get(s.ref, {})) if measures_of is not None else _explicit_measures(s)
        nexts = by_key.get((s.org, s.year + 1), []) if s.org and s.year is not None else []
        for p in s.problems:
            rectified: list[Reference] = []
            recurring: list[Reference] = []
            for n in nexts:
                explicit = [r for r in n.items if r.kind == "rectification" and f"{s.ref}#{p.id}" in r.targets]
                rectified += [Reference(n.ref, r.id, r.lead, 1.0, True) for r in explicit]
                if not explicit:
                    for r in n.items:
                        if r.kind == "rectification" and not any("#" in t for t in r.targets):
                            score = _cos(vec(s, p), vec(n, r))
                            if score >= SUGGEST_SCORE:
                                rectified.append(Reference(n.ref, r.id, r.lead, round(score, 3), False))
                for q in n.problems:
                    score = _cos(vec(s, p), vec(n, q))
                    if score >= RECURRING_SCORE:
                        recurring.append(Reference(n.ref, q.id, q.lead, round(score, 3), False))
            measures = tuple(linked.get(p.id, ()))
            if recurring:
                status = "recurring"
            elif rectified:
                status = "rectified"
            elif nexts:
                status = "no-follow-up"
            else:
                status = "planned" if measures else "no-measure"
            ledger.entries.append(
                LedgerEntry(
                    ref=s.ref,
                    title=s.title,
                    org=s.org,
                    year=s.year,
                    problem_id=p.id,
                    problem=p.lead,
                    line=p.line,
                    measures=measures,
                    status=status,
                    follow_up=nexts[0].ref if nexts else None,
                    rectified_by=tuple(sorted(rectified, key=lambda r: -r.score)),
                    recurs_in=tuple(sorted(recurring, key=lambda r: -r.score)),
                )
            )
    return ledger


def _explicit_measures(s: ReportSummary) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in s.items:
        if m.kind == "measure":
            for t in m.targets:
                out.setdefault(t, []).append(m.id)
    return out


def previous_problems(summaries: Iterable[ReportSummary], org: str, year: int) -> tuple[ReportSummary | None, list[ItemSummary]]:
    """The organisation's report for ``year - 1`` and its problems (for 整改落实 and ``shuzhi new``)."""
    for s in summaries:
        if s.org == org and s.year == year - 1 and s.problems:
            return s, list(s.problems)
    return None, []


__all__ = [
    "CONFIDENT_SCORE", "Ledger", "LedgerEntry", "Reference", "STATUSES", "build_ledger", "ledger_terms",
    "previous_problems",
]
