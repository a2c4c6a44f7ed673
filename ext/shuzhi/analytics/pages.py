"""The 统计分析 pages and the organisation timeline, rendered from the theme's templates.

Every function takes the :class:`~shuzhi.analytics.Analytics` of the archive and
a ``url_for(ref, item_id=None) -> str`` callback (the extension decides URLs),
gathers what its page shows (text, numbers, :class:`Link`\\ s; no HTML) and renders
``pages/analytics/<name>.html`` with ``render``: by default
:func:`shuzhi.site.templates.render`, in Sphinx the builder's template engine. The
templates are autoescaped; only the charts (inline SVG made by
:mod:`~shuzhi.analytics.charts`) are passed as markup. Charts have a table
beside them carrying the same figures; ``charts=False`` leaves them out (e.g.
when :class:`~shuzhi.analytics.charts.NoCJKFont` was raised).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from markupsafe import Markup

from ..labels import ANALYTICS_TITLES, kind_label, org_label, year_label
from ..match.ledger import STATUSES
from ..site import templates
from ..site.templates import Render
from . import charts as _charts
from .analyse import Analytics

T = TypeVar("T")
UrlFor = Callable[..., str]  # (ref: str, item_id: str | None = None) -> str
#: quantities listed per year on the 数量与占位符 page
MAX_QUANTITIES = 200
TITLES = ANALYTICS_TITLES


@dataclass(frozen=True)
class Page:
    name: str  # overview | categories | recurring | keywords | quantities
    title: str
    html: str


class Link(NamedTuple):
    href: str
    text: str


def newest_first(rows: Sequence[T]) -> list[T]:
    """Rows ordered by year ascending (undated last) → newest year first, undated still last."""
    dated = [r for r in rows if _year(r) is not None]
    return [*reversed(dated), *(r for r in rows if _year(r) is None)]


def _year(row: object) -> int | None:
    year = row[0] if isinstance(row, tuple) else getattr(row, "year", None)
    return year if isinstance(year, int) else None


def _reports(a: Analytics, url_for: UrlFor) -> Callable[[str], Link]:
    def report(ref: str) -> Link:
        s = a.report(ref)
        return Link(url_for(ref), s.title if s else ref)

    return report


def _chart(charts: bool, make: Callable[[], str]) -> Markup | None:
    return Markup(make()) if charts else None  # noqa: S704 - SVG drawn by our chart module, its text escaped there


def _render(render: Render | None, name: str, context: dict[str, Any]) -> str:
    return (render or templates.render)(f"pages/analytics/{name}.html", context)


# -- 统计分析 overview ----------------------------------------------------------------


def overview(a: Analytics, url_for: UrlFor, *, charts: bool = True, render: Render | None = None) -> str:
    report = _reports(a, url_for)
    kinds = [k for k, _ in a.by_kind]
    grid = {(y, k): n for y, k, n in a.by_year_kind}
    chart = None
    if a.by_year:
        series = [(kind_label(k), [grid.get((y, k), 0) for y, _ in a.by_year]) for k in kinds]
        desc = "；".join(f"{year_label(y)} {n} 份" for y, n in a.by_year)
        chart = _chart(charts, lambda: _charts.bar_chart(
            [year_label(y) for y, _ in a.by_year], series, title="各年度报告数（份）", description=desc,
            chart_id="sz-chart-years", stacked=True))
    counts = a.ledger.counts()
    return _render(render, "overview", {
        "a": a,
        "chart": chart,
        "kinds": [kind_label(k) for k in kinds],
        "years": [(year_label(y), [grid.get((y, k), 0) for k in kinds], n) for y, n in a.by_year],
        "kind_totals": [n for _, n in a.by_kind],
        "orgs": [(org_label(o), n) for o, n in a.by_org],
        "completeness": [(s, [report(ref) for ref in s.failing]) for s in a.completeness],
        "statuses": [(label, counts.get(code, 0)) for code, label in STATUSES.items()],
    })


# -- 问题分类 -------------------------------------------------------------------------


def _cell_id(k: int, year: int | None) -> str:
    return f"sz-cat-{k}-{year if year is not None else 'undated'}"


def categories(a: Analytics, url_for: UrlFor, *, charts: bool = True, render: Render | None = None) -> str:
    report = _reports(a, url_for)
    years = a.years
    lead = {(s.ref, p.id): p.lead for s in a.reports for p in s.problems}
    counts = [(name, [(len(a.cell(name, y)), _cell_id(k, y)) for y in years]) for k, name in enumerate(a.categories)]
    rows = [(name, cells, sum(n for n, _ in cells)) for name, cells in counts]
    chart = None
    if a.problems:
        shown = [(name, [n for n, _ in cells]) for name, cells, total in rows if total]
        series = [(year_label(y), [vals[i] for _, vals in shown]) for i, y in enumerate(years)]
        desc = "；".join(f"{name} {sum(vals)} 条" for name, vals in shown)
        chart = _chart(charts, lambda: _charts.bar_chart(
            [n for n, _ in shown], series[-4:], title="各类问题数（条）", description=desc,
            chart_id="sz-chart-categories", horizontal=True))
    cells = [
        (_cell_id(k, y), f"{name} · {year_label(y)}（{len(refs)} 条）",
         [(Link(url_for(ref, pid), f"{pid} {lead.get((ref, pid), pid)}"), report(ref)) for ref, pid in refs])
        for k, name in enumerate(a.categories) for y in years if (refs := a.cell(name, y))
    ]
    return _render(render, "categories", {
        "chart": chart, "years": [year_label(y) for y in years], "rows": rows, "cells": cells})


# -- 反复出现的问题 -------------------------------------------------------------------


def recurring(a: Analytics, url_for: UrlFor, *, render: Render | None = None) -> str:
    report = _reports(a, url_for)
    clusters = [
        {
            "label": c.label,
            "meta": f"{len(c.members)} 条，涉及 {len(c.orgs)} 个单位、{len(c.years)} 个年度",
            "terms": "、".join(c.terms) or "—",
            "members": [(year_label(m.year), m.org or "—", Link(url_for(m.ref, m.problem_id), f"{m.problem_id} {m.lead}"),
                         report(m.ref)) for m in c.members],
        }
        for c in a.clusters
    ]
    return _render(render, "recurring", {"clusters": clusters})


# -- 关键词 ---------------------------------------------------------------------------


def keywords(a: Analytics, *, render: Render | None = None) -> str:
    years = [(year_label(year), words) for year, words in newest_first(a.keywords)]
    return _render(render, "keywords", {"years": years})


# -- 数量与占位符 ---------------------------------------------------------------------


def _marked(sentence: str, text: str) -> tuple[str, str, str]:
    """The sentence split around the quantity (to be marked): before, the quantity, after."""
    at = sentence.find(text)
    if at < 0:
        return sentence, "", ""
    return sentence[:at], text, sentence[at + len(text):]


def quantities(a: Analytics, url_for: UrlFor, *, charts: bool = True, limit: int = MAX_QUANTITIES,
               render: Render | None = None) -> str:
    report = _reports(a, url_for)
    chart = None
    if a.quantities and any(yq.placeholders for yq in a.quantities):
        desc = "；".join(f"{year_label(yq.year)} {yq.placeholders} 处" for yq in a.quantities)
        chart = _chart(charts, lambda: _charts.bar_chart(
            [year_label(yq.year) for yq in a.quantities], [("占位符", [yq.placeholders for yq in a.quantities])],
            title="各年度未填写的占位符（处）", description=desc, chart_id="sz-chart-placeholders"))
    placeholders = [(year_label(yq.year), yq.placeholders, [(report(ref), n) for ref, n in yq.placeholder_refs])
                    for yq in a.quantities]
    years = []
    for yq in newest_first(a.quantities):
        if not yq.quantities:
            continue
        total = len(yq.quantities)
        more = f"（共 {total} 处，列出前 {limit} 处）" if total > limit else f"（{total} 处）"
        rows = [(report(ref), q.text, q.unit, _marked(q.sentence, q.text)) for ref, q in yq.quantities[:limit]]
        years.append((year_label(yq.year), more, rows))
    return _render(render, "quantities", {"chart": chart, "placeholders": placeholders, "years": years})


# -- organisation timeline ------------------------------------------------------------


def org_timeline(a: Analytics, org: str, url_for: UrlFor, *, render: Render | None = None) -> str:
    """The organisation's problems year by year with their ledger status (for its page)."""
    report = _reports(a, url_for)
    years = []
    for year, entries in a.timeline(org):
        counts: dict[str, int] = {}
        for e in entries:
            counts[e.status_label] = counts.get(e.status_label, 0) + 1
        rows = [(e.status, e.status_label, Link(url_for(e.ref, e.problem_id), f"{e.problem_id} {e.problem}"),
                 [Link(url_for(r.ref, r.item_id), f"{r.ref} {r.item_id}") for r in e.rectified_by],
                 [Link(url_for(r.ref, r.item_id), f"{r.ref} {r.item_id}") for r in e.recurs_in],
                 [Link(url_for(r.ref, r.item_id), f"{r.ref} {r.item_id}") for r in e.recurrence_of]) for e in entries]
        years.append({
            "label": year_label(year),
            "reports": list(dict.fromkeys(report(e.ref) for e in entries)),
            "summary": f"问题 {len(entries)} 条（{'、'.join(f'{label} {n} 条' for label, n in counts.items())}）",
            "entries": rows,
        })
    return _render(render, "timeline", {"org": org, "years": years})


# -- all pages at once ----------------------------------------------------------------


def render_pages(a: Analytics, url_for: UrlFor, *, charts: bool = True, render: Render | None = None) -> list[Page]:
    """The five 统计分析 pages, overview first."""
    bodies = {
        "overview": overview(a, url_for, charts=charts, render=render),
        "categories": categories(a, url_for, charts=charts, render=render),
        "recurring": recurring(a, url_for, render=render),
        "keywords": keywords(a, render=render),
        "quantities": quantities(a, url_for, charts=charts, render=render),
    }
    return [Page(name, TITLES[name], html) for name, html in bodies.items()]
