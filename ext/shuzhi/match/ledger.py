"""The rectification ledger (整改台账): every problem of every report, and what became of it.

Works on :class:`~shuzhi.model.ReportSummary` only, so the Sphinx Domain can build
it once from its stored data and the CLI from parsed files. A *unit* is an
organisation under all its names (``orgs.aliases`` in shuzhi.yaml). For a
problem of unit U in year N:

- its *follow-up* is found in U's later reports, earliest first: a rectification
  item that names it (``【R1→2023/slug#P2】``) overrides the matcher; otherwise the
  rectification item most like it (and it most like that item) answers it;
- its status is read from the follow-up's own words (:mod:`shuzhi.match.followup`):
  已整改, 整改中, 未整改, or 待核实 when the words do not decide; 未提及 when a
  later report exists and answers nothing; 待跟进 when no later report exists yet;
- a problem of a later year that restates it is a *recurrence* (both are
  flagged); a recurrence admitted in or after the report that claimed 已整改
  makes the status 整改后复现, the reviewer's first question.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from ..model import ItemSummary, ReportSummary
from .followup import classify
from .links import CONFIDENT_SCORE, build_idf, item_terms, stopwords, tfidf_vector
from .segment import words

#: status code → label, in the order a reviewer reads them (strongest signal first)
STATUSES = {
    "reappeared": "整改后复现",
    "not-rectified": "未整改",
    "unclear": "待核实",
    "in-progress": "整改中",
    "no-follow-up": "未提及",
    "rectified": "已整改",
    "awaiting": "待跟进",
}
#: similarity above which a later problem restates an earlier one (calibrated on tests/corpus/series:
#: restatements scored 0.28 and more, the best unrelated pair 0.12)
RECURRING_SCORE = 0.20
#: similarity above which a rectification item is taken as the follow-up of a problem (follow-ups
#: scored 0.16 and more, the best unrelated item of a report 0.06)
FOLLOW_SCORE = 0.14
#: weight of a problem's measures in its vector: a follow-up reports what the measures did,
#: and a restated problem tends to get the same measures again
MEASURE_WEIGHT = 1.0
#: a rectification answers a second problem of the same report when it scores this share of its best
SHARED_RATIO = 0.85

Features = Mapping[str, float]


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
    measures: tuple[str, ...]  # measure ids
    status: str
    #: the report holding the follow-up (or, when none answers, the unit's next report)
    follow_up: str | None = None
    rectified_by: tuple[Reference, ...] = ()  # the follow-up items, explicit or matched
    recurs_in: tuple[Reference, ...] = ()  # later problems restating this one
    measure_leads: tuple[str, ...] = ()
    sentence: str = ""  # the follow-up sentence that decided the status
    reported: str = ""  # the status the follow-up's words give (before 整改后复现)
    recurrence_of: tuple[Reference, ...] = ()  # earlier problems this one restates
    unit: str = ""  # the organisation's current name (aliases resolved)

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]


@dataclass(frozen=True)
class UnitMatches:
    """What the matcher found in one unit's reports (depends on them and on the IDF of their terms only)."""

    found: Mapping[tuple[str, str], tuple[str | None, tuple[Reference, ...]]]  # (ref, problem) -> follow-up
    pairs: tuple[tuple[Reference, Reference], ...]  # (earlier, later) restated problems


@dataclass
class Ledger:
    entries: list[LedgerEntry] = field(default_factory=list)
    #: unit -> its matches, for :mod:`.ledger_memo` to reuse in the next build
    matches: dict[str, UnitMatches] = field(default_factory=dict)

    def for_org(self, org: str) -> list[LedgerEntry]:
        """The entries of an organisation (by the name it reported under, or its unit's current name)."""
        index = self.__dict__.get("_by_org")
        if index is None or index[0] != len(self.entries):
            by_org: dict[str, list[LedgerEntry]] = {}
            for e in self.entries:
                for name in {e.org, e.unit or e.org}:
                    by_org.setdefault(name, []).append(e)
            index = self.__dict__["_by_org"] = (len(self.entries), by_org)  # one pass, not one per organisation
        return list(index[1].get(org, ()))

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_by_org"}

    def counts(self) -> Counter[str]:
        return Counter(e.status for e in self.entries)


def ledger_terms(item: ItemSummary | Any) -> Counter[str]:
    """Terms of a problem for the archive-wide clusters (lead counted three times)."""
    stop = stopwords()
    counts: Counter[str] = Counter()
    for w in words(item.lead):
        if w not in stop:
            counts[w] += 3
    for w in words(item.text[len(item.lead) : len(item.lead) + 300]):
        if w not in stop:
            counts[w] += 1
    return counts


def ledger_features(item: ItemSummary | Any) -> dict[str, float]:
    """The matcher's features of a problem or rectification (words, bigrams, related terms)."""
    return item_terms(cast(Any, item))


def report_terms(items: Iterable[ItemSummary | Any]) -> dict[str, Counter[str]]:
    """Item id -> cluster terms, for a report's problems and rectifications (what the build stores)."""
    return {i.id: ledger_terms(i) for i in items if i.kind in ("problem", "rectification")}


def report_features(items: Iterable[ItemSummary | Any]) -> dict[str, dict[str, float]]:
    """Item id -> matcher features, for every item of a report (what the build stores)."""
    return {i.id: ledger_features(i) for i in items}


def _cos(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # only shared terms: a skipped product is 0.0, so the sum is the same, in the same order
    return sum([v * b[t] for t, v in a.items() if t in b])


class _Space:
    """Unit vectors of every problem (with its measures) and rectification, over one IDF."""

    def __init__(self, summaries: Sequence[ReportSummary], features: Mapping[tuple[str, str], Features],
                 measures_of: Mapping[str, Mapping[str, Sequence[str]]], idf: Mapping[str, float] | None = None) -> None:
        self._features = features
        self._measures_of = measures_of
        self._items = {(s.ref, i.id): i for s in summaries for i in s.items}
        self._vectors: dict[tuple[str, str], dict[str, float]] = {}
        self._idf = idf if idf is not None else build_idf(self._terms(s.ref, i) for s in summaries for i in s.items)
        self._default = max(self._idf.values(), default=1.0)

    def _terms(self, ref: str, i: ItemSummary) -> Features:
        found = self._features.get((ref, i.id))
        return found if found is not None else ledger_features(i)

    def score(self, a: tuple[ReportSummary, ItemSummary], b: tuple[ReportSummary, ItemSummary]) -> float:
        return _cos(self.vec(*a), self.vec(*b))

    def vec(self, s: ReportSummary, i: ItemSummary) -> dict[str, float]:
        key = (s.ref, i.id)
        if key not in self._vectors:
            counts = dict(self._terms(s.ref, i))
            if i.kind == "problem":
                for mid in self._measures_of.get(s.ref, {}).get(i.id, ()):
                    measure = self._items.get((s.ref, mid))
                    for term, weight in (self._terms(s.ref, measure).items() if measure else ()):
                        counts[term] = counts.get(term, 0.0) + MEASURE_WEIGHT * weight
            self._vectors[key] = tfidf_vector(counts, self._idf, self._default)
        return self._vectors[key]


def units(summaries: Iterable[ReportSummary], aliases: Mapping[str, str] | None = None) -> dict[str, list[ReportSummary]]:
    """Reports by unit (an organisation under all its names), oldest first; undated and unnamed left out."""
    aliases = aliases or {}
    out: dict[str, list[ReportSummary]] = {}
    for s in summaries:
        if s.org and s.year is not None:
            out.setdefault(aliases.get(s.org, s.org), []).append(s)
    for reports in out.values():
        reports.sort(key=lambda r: (r.year or 0, r.ref))
    return out


def build_ledger(
    summaries: Sequence[ReportSummary],
    measures_of: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    features: Mapping[tuple[str, str], Features] | None = None,
    aliases: Mapping[str, str] | None = None,
    *,
    idf: Mapping[str, float] | None = None,
    known: Mapping[str, UnitMatches] | None = None,
    explicit: FollowUps | None = None,
) -> Ledger:
    """The ledger of the whole archive.

    ``measures_of`` maps a report ref to {problem id: [measure ids]} as resolved by
    :func:`shuzhi.match.links.resolve_links`; without it, explicit measure markers are used.
    ``features`` maps (ref, item id) to :func:`ledger_features` computed earlier (the
    Sphinx build stores them while reading, so resolving needs no segmentation).
    ``aliases`` maps an organisation's former name to its current one. ``idf`` (of every item's
    features), ``known`` (units whose matches still hold) and ``explicit`` (already computed)
    come from :mod:`.ledger_memo` when the Sphinx build resolves the ledger after an edit.
    """
    if measures_of is None:
        measures_of = {s.ref: _explicit_measures(s) for s in summaries}
    space = _Space(summaries, features or {}, measures_of, idf)
    aliases = aliases or {}
    by_unit = units(summaries, aliases)
    explicit = explicit if explicit is not None else explicit_follow_ups(summaries)
    matches = {unit: (known or {}).get(unit) or UnitMatches(_follow_ups(reports, space, explicit),
                                                            tuple(_recurrences(reports, space)))
               for unit, reports in by_unit.items()}
    found, recurs, origins = _joined(explicit, matches.values())
    years = {s.ref: s.year for s in summaries}
    texts = {(s.ref, i.id): i.text for s in summaries for i in s.items if i.kind == "rectification"}
    ledger = Ledger(matches=matches)
    for s in sorted(summaries, key=lambda r: (r.org, r.year or 0, r.ref)):
        linked = measures_of.get(s.ref, {})
        leads = {i.id: i.lead for i in s.items}
        unit = aliases.get(s.org, s.org)
        later = [r for r in by_unit.get(unit, []) if s.year is not None and (r.year or 0) > s.year]
        for p in s.problems:
            follow_ref, items = found.get((s.ref, p.id), (None, ()))
            again = tuple(sorted(recurs.get((s.ref, p.id), []), key=lambda r: (r.ref, -r.score)))
            sentence, reported = "", ""
            if items:
                verdict = classify("".join(texts.get((r.ref, r.item_id), r.text) for r in items))
                sentence, reported = verdict.sentence, verdict.status
                status = reported
                follow_year = years.get(follow_ref or "") or 0
                if reported == "rectified" and any((years.get(r.ref) or 0) >= follow_year for r in again):
                    status = "reappeared"
            else:
                status = "no-follow-up" if later else "awaiting"
                follow_ref = later[0].ref if later else None
            measures = tuple(linked.get(p.id, ()))
            ledger.entries.append(LedgerEntry(
                ref=s.ref, title=s.title, org=s.org, year=s.year, problem_id=p.id, problem=p.lead, line=p.line,
                measures=measures, status=status, follow_up=follow_ref, rectified_by=items, recurs_in=again,
                measure_leads=tuple(leads.get(m, "") for m in measures), sentence=sentence, reported=reported,
                recurrence_of=tuple(origins.get((s.ref, p.id), [])), unit=unit,
            ))
    return ledger


FollowUps = dict[tuple[str, str], tuple[str | None, tuple[Reference, ...]]]
Refs = dict[tuple[str, str], list[Reference]]


def _joined(explicit: FollowUps, matches: Iterable[UnitMatches]) -> tuple[FollowUps, Refs, Refs]:
    """Every problem's follow-up, later restatements and earlier originals, from all units' matches."""
    found = dict(explicit)
    recurs: Refs = {}
    origins: Refs = {}
    for matched in matches:
        found.update(matched.found)
        for before, after in matched.pairs:
            recurs.setdefault((before.ref, before.item_id), []).append(after)
            origins.setdefault((after.ref, after.item_id), []).append(before)
    return found, recurs, origins


def explicit_follow_ups(summaries: Sequence[ReportSummary]) -> FollowUps:
    """(ref, problem id) → (report, items) named by explicit links (【R1→2023/slug#P2】), whatever the
    linking report's organisation: a link is the editor's word, and overrides the matcher."""
    by_target: dict[str, list[tuple[ReportSummary, ItemSummary]]] = {}
    for n in summaries:
        for r in n.items:
            if r.kind == "rectification":
                for target in r.targets:
                    if "#" in target:
                        by_target.setdefault(target, []).append((n, r))
    years = {s.ref: s.year for s in summaries}
    out: FollowUps = {}
    for target, found in by_target.items():
        ref, pid = target.split("#", 1)
        year = years.get(ref)
        # a follow-up comes later (a link from the same or an earlier year is a slip the rules report)
        items = [(n, r) for n, r in found if year is None or n.year is None or n.year > year]
        if not items:
            continue
        first = min(items, key=lambda nr: (nr[0].year or 0, nr[0].ref))[0]
        out[(ref, pid)] = (first.ref, tuple(Reference(n.ref, r.id, r.lead, 1.0, True) for n, r in items if n is first))
    return out


def _follow_ups(reports: Sequence[ReportSummary], space: _Space, explicit: FollowUps) -> FollowUps:
    """(ref, problem id) → (report, follow-up item) found by the matcher, for the unit's problems
    without an explicit follow-up: the later reports' items that name no problem, earliest first."""
    out: FollowUps = {}
    for k, s in enumerate(reports):
        pending = [p for p in s.problems if (s.ref, p.id) not in explicit]
        for n in reports[k + 1 :]:
            if n.year == s.year or not pending:
                continue
            free = [r for r in n.items if r.kind == "rectification" and not any("#" in t for t in r.targets)]
            scores = {(p.id, r.id): space.score((s, p), (n, r)) for p in pending for r in free}
            for p in list(pending):
                best = max(free, key=lambda r: scores[(p.id, r.id)], default=None)
                if best is None or scores[(p.id, best.id)] < FOLLOW_SCORE:
                    continue
                # the item must be about this problem more than about any other of the report
                top = max(scores[(q.id, best.id)] for q in pending)
                if scores[(p.id, best.id)] >= SHARED_RATIO * top:
                    out[(s.ref, p.id)] = (n.ref, (Reference(n.ref, best.id, best.lead, round(scores[(p.id, best.id)], 3), False),))
                    pending.remove(p)
    return out


def _recurrences(reports: Sequence[ReportSummary], space: _Space) -> list[tuple[Reference, Reference]]:
    """(earlier problem, later problem) pairs of a unit: each the other's best match across the two reports."""
    pairs: list[tuple[Reference, Reference]] = []
    problems = [s.problems for s in reports]  # a property that filters the items: once per report
    for k, s in enumerate(reports):
        mine = problems[k]
        for n, theirs in zip(reports[k + 1 :], problems[k + 1 :], strict=True):
            if n.year == s.year or not mine or not theirs:
                continue
            scores = {(p.id, q.id): space.score((s, p), (n, q)) for p in mine for q in theirs}
            for p in mine:
                q = max(theirs, key=lambda q: scores[(p.id, q.id)])
                score = scores[(p.id, q.id)]
                back = max(mine, key=lambda x: scores[(x.id, q.id)])
                if score >= RECURRING_SCORE and back.id == p.id:
                    pairs.append((Reference(s.ref, p.id, p.lead, round(score, 3), False),
                                  Reference(n.ref, q.id, q.lead, round(score, 3), False)))
    return pairs


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
    "CONFIDENT_SCORE", "Ledger", "LedgerEntry", "Reference", "STATUSES", "build_ledger", "ledger_features",
    "ledger_terms", "previous_problems", "units",
]
