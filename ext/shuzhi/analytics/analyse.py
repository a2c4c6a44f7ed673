"""The whole-archive figures, computed once from summaries, stats and findings.

:func:`analyse` is the one entry point; its result is frozen data the pages and
the charts only read. Reports without a year are counted under ``None``
(shown as 年份待定, :mod:`shuzhi.labels`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..config import Config
from ..labels import ordered_kinds
from ..match.ledger import Ledger, LedgerEntry, build_ledger
from ..model import ReportSummary
from ..model.findings import Finding
from ..model.frontmatter import DEFAULT_KINDS
from .clusters import THRESHOLD, Cluster, find_clusters
from .stats import Quantity, ReportStats
from .taxonomy import Taxonomy, load_taxonomy

#: keywords shown per year
TOP_KEYWORDS = 15

ItemRef = tuple[str, str]  # (report ref, item id)


@dataclass(frozen=True)
class Share:
    """A completeness figure: how many of the reports it applies to pass."""

    label: str
    passed: int
    total: int
    failing: tuple[str, ...]  # refs of the reports that do not pass

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.passed / self.total, 1) if self.total else None


@dataclass(frozen=True)
class Keyword:
    term: str
    count: int
    score: float


@dataclass(frozen=True)
class YearQuantities:
    year: int | None
    quantities: tuple[tuple[str, Quantity], ...]  # (report ref, quantity)
    placeholders: int
    placeholder_refs: tuple[tuple[str, int], ...]  # (report ref, count), count > 0 only


@dataclass(frozen=True)
class Analytics:
    reports: tuple[ReportSummary, ...]  # sorted by year, org, ref
    years: tuple[int | None, ...]  # ascending, None last
    by_year: tuple[tuple[int | None, int], ...]
    by_org: tuple[tuple[str, int], ...]  # most reports first
    by_kind: tuple[tuple[str, int], ...]
    by_year_kind: tuple[tuple[int | None, str, int], ...]
    completeness: tuple[Share, ...]
    categories: tuple[str, ...]  # taxonomy order, 其他 last
    category_of: tuple[tuple[ItemRef, str], ...]  # every problem's category
    category_cells: tuple[tuple[str, int | None, tuple[ItemRef, ...]], ...]  # (category, year, problems)
    clusters: tuple[Cluster, ...]
    keywords: tuple[tuple[int | None, tuple[Keyword, ...]], ...]
    quantities: tuple[YearQuantities, ...]
    ledger: Ledger

    @property
    def total(self) -> int:
        return len(self.reports)

    @property
    def problems(self) -> int:
        return sum(len(s.problems) for s in self.reports)

    def cell(self, category: str, year: int | None) -> tuple[ItemRef, ...]:
        for c, y, refs in self.category_cells:
            if c == category and y == year:
                return refs
        return ()

    def report(self, ref: str) -> ReportSummary | None:
        return self._by_ref.get(ref)

    @cached_property
    def _by_ref(self) -> dict[str, ReportSummary]:
        return {s.ref: s for s in reversed(self.reports)}  # the first of a ref, as a search would find

    @property
    def orgs(self) -> tuple[str, ...]:
        return tuple(sorted({s.org for s in self.reports if s.org}))

    def timeline(self, org: str) -> list[tuple[int | None, list[LedgerEntry]]]:
        """The organisation's problems year by year, each with its ledger status."""
        years: dict[int | None, list[LedgerEntry]] = {}
        for entry in self.ledger.for_org(org):
            years.setdefault(entry.year, []).append(entry)
        return sorted(years.items(), key=lambda kv: _year_order(kv[0]))


def _year_order(year: int | None) -> tuple[int, int]:
    return (1, 0) if year is None else (0, year)


def analyse(
    summaries: Sequence[ReportSummary],
    stats: Iterable[ReportStats] = (),
    findings: Iterable[Finding] | None = None,
    config: Config | None = None,
    *,
    taxonomy: Taxonomy | None = None,
    threshold: float = THRESHOLD,
    ledger: Ledger | None = None,
    terms: Mapping[tuple[str, str], Counter[str]] | None = None,
    categorised: MutableMapping[bytes, str] | None = None,
) -> Analytics:
    """Every figure of the 统计分析 pages.

    ``stats`` are matched to summaries by ref, ``findings`` by path; without
    findings, a report's required sections are judged from its stats
    (the same test the section-missing rule makes). ``categorised``: the problems the
    taxonomy classified before (see :meth:`~.taxonomy.Taxonomy.classify`), added to.
    """
    reports = tuple(sorted(summaries, key=lambda s: (_year_order(s.year), s.org, s.ref)))
    by_ref = {s.ref: s for s in reports}
    stat = {st.ref: st for st in stats if st.ref in by_ref}
    measures_of = {ref: st.measures_of() for ref, st in stat.items()}
    if ledger is None:
        ledger = build_ledger(reports, {ref: measures_of.get(ref, {}) for ref in by_ref} if stat else None, terms)
    taxonomy = taxonomy or load_taxonomy(config)
    years = tuple(sorted({s.year for s in reports}, key=_year_order))
    category_of, cells = _categories(reports, taxonomy, years, categorised)
    return Analytics(
        reports=reports,
        years=years,
        by_year=tuple((y, sum(1 for s in reports if s.year == y)) for y in years),
        by_org=_ranked(Counter(s.org for s in reports)),  # "" = none given (labelled by the pages)
        by_kind=_kinds(Counter(s.kind for s in reports), config.kinds if config else DEFAULT_KINDS),
        by_year_kind=tuple(
            (y, k, n) for (y, k), n in sorted(Counter((s.year, s.kind) for s in reports).items(), key=lambda kv: (_year_order(kv[0][0]), kv[0][1]))
        ),
        completeness=_completeness(reports, stat, findings, ledger),
        categories=taxonomy.names,
        category_of=category_of,
        category_cells=cells,
        clusters=tuple(find_clusters(reports, threshold, terms)),
        keywords=_keywords(reports, stat, years),
        quantities=_quantities(reports, stat, years),
        ledger=ledger,
    )


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _kinds(counts: Counter[str], kinds: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """Kinds in the archive's order (``shuzhi.yaml``), others after."""
    return tuple((k, counts[k]) for k in ordered_kinds(counts, kinds))


def _completeness(
    reports: Sequence[ReportSummary],
    stat: dict[str, ReportStats],
    findings: Iterable[Finding] | None,
    ledger: Ledger,
) -> tuple[Share, ...]:
    shares = []
    # 1. all required sections
    if findings is not None:
        missing_paths = {f.path for f in findings if f.code == "section-missing"}
        lacking = [s.ref for s in reports if s.path in missing_paths]
        shares.append(Share("必备章节齐全", len(reports) - len(lacking), len(reports), tuple(lacking)))
    elif stat:
        judged = [s for s in reports if s.ref in stat]
        lacking = [s.ref for s in judged if stat[s.ref].missing_sections]
        shares.append(Share("必备章节齐全", len(judged) - len(lacking), len(judged), tuple(lacking)))
    # 2. every problem paired with a measure (reports that list problems)
    with_problems = [s for s in reports if s.problems and (s.ref in stat or not stat)]
    unpaired = []
    for s in with_problems:
        linked = set(stat[s.ref].measures_of()) if s.ref in stat else {e.problem_id for e in ledger.entries if e.ref == s.ref and e.measures}
        if any(p.id not in linked for p in s.problems):
            unpaired.append(s.ref)
    shares.append(Share("每条问题都有对应措施", len(with_problems) - len(unpaired), len(with_problems), tuple(unpaired)))
    # 3. last year's problems followed up (reports whose organisation reported problems the year before)
    followed: dict[str, bool] = {}
    for e in ledger.entries:
        if e.follow_up is not None:
            followed[e.follow_up] = followed.get(e.follow_up, True) and e.status != "no-follow-up"
    missed = tuple(sorted(ref for ref, ok in followed.items() if not ok))
    shares.append(Share("上年问题均已跟进", len(followed) - len(missed), len(followed), missed))
    return tuple(shares)


def _categories(
    reports: Sequence[ReportSummary], taxonomy: Taxonomy, years: tuple[int | None, ...],
    memo: MutableMapping[bytes, str] | None = None,
) -> tuple[tuple[tuple[ItemRef, str], ...], tuple[tuple[str, int | None, tuple[ItemRef, ...]], ...]]:
    category_of: list[tuple[ItemRef, str]] = []
    cells: dict[tuple[str, int | None], list[ItemRef]] = {}
    for s in reports:
        for p in s.problems:
            name = taxonomy.classify(p, memo)
            category_of.append(((s.ref, p.id), name))
            cells.setdefault((name, s.year), []).append((s.ref, p.id))
    ordered = tuple((name, y, tuple(cells[(name, y)])) for name in taxonomy.names for y in years if (name, y) in cells)
    return tuple(category_of), ordered


def _keywords(
    reports: Sequence[ReportSummary], stat: dict[str, ReportStats], years: tuple[int | None, ...]
) -> tuple[tuple[int | None, tuple[Keyword, ...]], ...]:
    """TF-IDF: term counts summed over the year's reports, IDF over all reports (smoothed)."""
    counted = [s for s in reports if s.ref in stat]
    n = len(counted)
    df: Counter[str] = Counter()
    tfs: dict[int | None, dict[str, int]] = {y: {} for y in years}
    for s in counted:
        terms = stat[s.ref].terms
        df.update(t for t, _ in terms)
        tf = tfs[s.year]
        for t, c in terms:  # a plain loop: Counter.update(mapping) is one too, with a call per term
            tf[t] = tf.get(t, 0) + c
    out = []
    for y in years:
        scored = [Keyword(t, c, round(c * (math.log((1 + n) / (1 + df[t])) + 1.0), 2)) for t, c in tfs[y].items()]
        scored.sort(key=lambda k: (-k.score, -k.count, k.term))
        out.append((y, tuple(scored[:TOP_KEYWORDS])))
    return tuple(out)


def _quantities(
    reports: Sequence[ReportSummary], stat: dict[str, ReportStats], years: tuple[int | None, ...]
) -> tuple[YearQuantities, ...]:
    out = []
    for y in years:
        mine = [s for s in reports if s.year == y and s.ref in stat]
        out.append(
            YearQuantities(
                year=y,
                quantities=tuple((s.ref, q) for s in mine for q in stat[s.ref].quantities),
                placeholders=sum(len(stat[s.ref].placeholders) for s in mine),
                placeholder_refs=tuple((s.ref, len(stat[s.ref].placeholders)) for s in mine if stat[s.ref].placeholders),
            )
        )
    return tuple(out)
