"""The 统计分析 pages as HTML fragments, for the Sphinx extension to place.

Every function takes the :class:`~shuzhi.analytics.Analytics` of the archive and
a ``url_for(ref, item_id=None) -> str`` callback (the extension decides URLs) and
returns a self-contained HTML fragment: semantic, escaped, classed
``shuzhi-analytics-*``, Chinese. Charts are inline SVG with a table beside them
carrying the same figures. ``charts=False`` leaves the charts out (e.g. when
:class:`~shuzhi.analytics.charts.NoCJKFont` was raised).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TypeVar

from ..ledger import STATUSES, LedgerEntry
from . import charts as _charts
from .analyse import Analytics

T = TypeVar("T")
UrlFor = Callable[..., str]  # (ref: str, item_id: str | None = None) -> str
#: quantities listed per year on the 数量与占位符 page
MAX_QUANTITIES = 200


@dataclass(frozen=True)
class Page:
    name: str  # overview | categories | recurring | keywords | quantities
    title: str
    html: str


TITLES = {
    "overview": "统计分析",
    "categories": "问题分类",
    "recurring": "反复出现的问题",
    "keywords": "关键词",
    "quantities": "数量与占位符",
}


def year_label(year: int | None) -> str:
    return f"{year}年" if year is not None else "未注明年度"


def newest_first(rows: Sequence[T]) -> list[T]:
    """Rows ordered by year ascending (undated last) → newest year first, undated still last."""
    dated = [r for r in rows if _year(r) is not None]
    return [*reversed(dated), *(r for r in rows if _year(r) is None)]


def _year(row: object) -> int | None:
    year = row[0] if isinstance(row, tuple) else getattr(row, "year", None)
    return year if isinstance(year, int) else None


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _a(href: str, text: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<a href="{_e(href)}"{klass}>{_e(text)}</a>'


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """A table; cells in ``rows`` are HTML already (escape before), header cells are text."""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    header = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    klass = f"shuzhi-analytics-table {cls}".strip()
    return f'<table class="{klass}"><caption>{_e(caption)}</caption><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def _figure(svg: str, caption: str, table: str) -> str:
    return (
        f'<figure class="shuzhi-analytics-figure">{svg}<figcaption>{_e(caption)}（数据见下表）</figcaption></figure>{table}'
    )


def _report_link(a: Analytics, url_for: UrlFor, ref: str) -> str:
    s = a.report(ref)
    return _a(url_for(ref), s.title if s else ref, "shuzhi-analytics-report")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


# -- 统计分析 overview ----------------------------------------------------------------


def overview(a: Analytics, url_for: UrlFor, *, charts: bool = True) -> str:
    kinds = [k for k, _ in a.by_kind]
    grid = {(y, k): n for y, k, n in a.by_year_kind}
    rows = [
        [_e(year_label(y)), *(str(grid.get((y, k), 0)) for k in kinds), f"<strong>{n}</strong>"]
        for y, n in a.by_year
    ]
    rows.append(["<strong>合计</strong>", *(f"<strong>{n}</strong>" for _, n in a.by_kind), f"<strong>{a.total}</strong>"])
    year_table = _table("各年度各类型报告数（份）", ["年度", *kinds, "合计"], rows, "shuzhi-analytics-counts")
    parts = [
        '<section class="shuzhi-analytics-overview">',
        f'<p class="shuzhi-analytics-lead">档案共收录报告 <strong>{a.total}</strong> 份，来自 '
        f"<strong>{len(a.orgs)}</strong> 个单位，列出存在问题 <strong>{a.problems}</strong> 条。</p>",
        "<h2>报告数量</h2>",
    ]
    if charts and a.by_year:
        years = [year_label(y) for y, _ in a.by_year]
        series = [(k, [grid.get((y, k), 0) for y, _ in a.by_year]) for k in kinds]
        desc = "；".join(f"{year_label(y)} {n} 份" for y, n in a.by_year)
        svg = _charts.bar_chart(years, series, title="各年度报告数（份）", description=desc, chart_id="shuzhi-chart-years", stacked=True)
        parts.append(_figure(svg, "各年度报告数，按报告类型分色", year_table))
    else:
        parts.append(year_table)
    parts.append(_table("各单位报告数（份）", ["单位", "报告数"], ([_e(o), str(n)] for o, n in a.by_org), "shuzhi-analytics-orgs"))
    parts.append("<h2>完整性</h2>")
    rows = []
    for share in a.completeness:
        failing = "、".join(_report_link(a, url_for, ref) for ref in share.failing) or "—"
        rows.append([_e(share.label), f"{share.passed} / {share.total}", _percent(share.percent), failing])
    parts.append(_table("报告完整性", ["指标", "符合 / 适用", "占比", "不符合的报告"], rows, "shuzhi-analytics-completeness"))
    parts.append(
        '<p class="shuzhi-analytics-note">“每条问题都有对应措施”只计列出问题的报告；'
        "“上年问题均已跟进”只计上一年度有报告且列出问题的单位的报告：此前每条问题都在本年整改落实中有回应（不论整改状态，见整改台账），才算跟进。</p>"
    )
    counts = a.ledger.counts()
    rows = [[_e(label), str(counts.get(code, 0))] for code, label in STATUSES.items()]
    parts.append("<h2>整改台账</h2>")
    parts.append(_table("问题整改状态（条）", ["状态", "问题数"], rows, "shuzhi-analytics-ledger"))
    parts.append("</section>")
    return "".join(parts)


# -- 问题分类 -------------------------------------------------------------------------


def _cell_id(k: int, year: int | None) -> str:
    return f"shuzhi-cat-{k}-{year if year is not None else 'undated'}"


def categories(a: Analytics, url_for: UrlFor, *, charts: bool = True) -> str:
    years = a.years
    lead = {(s.ref, p.id): p.lead for s in a.reports for p in s.problems}
    rows = []
    for k, name in enumerate(a.categories):
        cells = []
        total = 0
        for y in years:
            refs = a.cell(name, y)
            total += len(refs)
            cells.append(f'<a href="#{_cell_id(k, y)}">{len(refs)}</a>' if refs else "0")
        rows.append([_e(name), *cells, f"<strong>{total}</strong>"])
    table = _table("各类问题数（条），按年度；点击数字查看对应报告中的问题", ["分类", *(year_label(y) for y in years), "合计"], rows, "shuzhi-analytics-categories")
    parts = ['<section class="shuzhi-analytics-categories">']
    if charts and a.problems:
        shown = [(name, [len(a.cell(name, y)) for y in years]) for name in a.categories]
        shown = [s for s in shown if sum(s[1])]
        series = [(year_label(y), [vals[i] for _, vals in shown]) for i, y in enumerate(years)]
        desc = "；".join(f"{name} {sum(vals)} 条" for name, vals in shown)
        svg = _charts.bar_chart([n for n, _ in shown], series[-4:], title="各类问题数（条）", description=desc, chart_id="shuzhi-chart-categories", horizontal=True)
        parts.append(_figure(svg, "各类问题数，按年度分色（最多显示最近四个年度）", table))
    else:
        parts.append(table)
    parts.append('<h2>各类问题明细</h2><dl class="shuzhi-analytics-cells">')
    for k, name in enumerate(a.categories):
        for y in years:
            refs = a.cell(name, y)
            if not refs:
                continue
            items = "".join(
                f"<li>{_a(url_for(ref, pid), f'{pid} {lead.get((ref, pid), pid)}', 'shuzhi-analytics-problem')}"
                f"<span class=\"shuzhi-analytics-source\">（{_report_link(a, url_for, ref)}）</span></li>"
                for ref, pid in refs
            )
            parts.append(f'<dt id="{_cell_id(k, y)}">{_e(name)} · {_e(year_label(y))}（{len(refs)} 条）</dt><dd><ul>{items}</ul></dd>')
    parts.append("</dl></section>")
    return "".join(parts)


# -- 反复出现的问题 -------------------------------------------------------------------


def recurring(a: Analytics, url_for: UrlFor) -> str:
    if not a.clusters:
        return '<section class="shuzhi-analytics-recurring"><p>档案中尚未发现在两份以上报告中反复出现的问题。</p></section>'
    parts = [
        '<section class="shuzhi-analytics-recurring">',
        f"<p>以下 <strong>{len(a.clusters)}</strong> 组问题在不同报告中反复出现（按用词相似度归组），组内问题最多的排在前面。</p>",
    ]
    for n, c in enumerate(a.clusters, start=1):
        rows = [
            [
                _e(year_label(m.year)),
                _e(m.org or "—"),
                _a(url_for(m.ref, m.problem_id), f"{m.problem_id} {m.lead}", "shuzhi-analytics-problem"),
                _report_link(a, url_for, m.ref),
            ]
            for m in c.members
        ]
        meta = f"{len(c.members)} 条，涉及 {len(c.orgs)} 个单位、{len(c.years)} 个年度"
        terms = "、".join(c.terms)
        parts.append(
            f'<article class="shuzhi-analytics-cluster"><h3>{n}. {_e(c.label)}</h3>'
            f'<p class="shuzhi-analytics-meta">{_e(meta)}；共同用词：{_e(terms or "—")}</p>'
            + _table(f"第 {n} 组问题", ["年度", "单位", "问题", "报告"], rows)
            + "</article>"
        )
    parts.append("</section>")
    return "".join(parts)


# -- 关键词 ---------------------------------------------------------------------------


def keywords(a: Analytics) -> str:
    parts = [
        '<section class="shuzhi-analytics-keywords">',
        "<p>各年度报告正文中最有代表性的词（jieba 分词，TF-IDF 排序；“工作”“党建”“习近平”等通用词已按停用词表剔除）。</p>",
    ]
    for year, words in newest_first(a.keywords):
        rows = [[str(i), _e(k.term), str(k.count), f"{k.score:g}"] for i, k in enumerate(words, start=1)]
        parts.append(f"<h2>{_e(year_label(year))}</h2>")
        parts.append(_table(f"{year_label(year)}关键词", ["名次", "关键词", "出现次数", "权重"], rows))
    parts.append("</section>")
    return "".join(parts)


# -- 数量与占位符 ---------------------------------------------------------------------


def _marked(sentence: str, text: str) -> str:
    at = sentence.find(text)
    if at < 0:
        return _e(sentence)
    return _e(sentence[:at]) + f"<mark>{_e(text)}</mark>" + _e(sentence[at + len(text) :])


def quantities(a: Analytics, url_for: UrlFor, *, charts: bool = True, limit: int = MAX_QUANTITIES) -> str:
    parts = ['<section class="shuzhi-analytics-quantities">', "<h2>未填写的占位符</h2>"]
    rows = []
    for yq in a.quantities:
        refs = "、".join(f"{_report_link(a, url_for, ref)}（{n}）" for ref, n in yq.placeholder_refs) or "—"
        rows.append([_e(year_label(yq.year)), str(yq.placeholders), refs])
    table = _table("各年度未填写的模板占位符（处）", ["年度", "占位符", "报告（处数）"], rows, "shuzhi-analytics-placeholders")
    if charts and a.quantities and any(yq.placeholders for yq in a.quantities):
        desc = "；".join(f"{year_label(yq.year)} {yq.placeholders} 处" for yq in a.quantities)
        svg = _charts.bar_chart(
            [year_label(yq.year) for yq in a.quantities],
            [("占位符", [yq.placeholders for yq in a.quantities])],
            title="各年度未填写的占位符（处）",
            description=desc,
            chart_id="shuzhi-chart-placeholders",
        )
        parts.append(_figure(svg, "各年度未填写的模板占位符", table))
    else:
        parts.append(table)
    parts.append("<h2>报告中的数量</h2>")
    for yq in newest_first(a.quantities):
        if not yq.quantities:
            continue
        shown = yq.quantities[:limit]
        rows = [
            [_report_link(a, url_for, ref), _e(q.text), _e(q.unit), _marked(q.sentence, q.text)]
            for ref, q in shown
        ]
        more = f"（共 {len(yq.quantities)} 处，列出前 {limit} 处）" if len(yq.quantities) > limit else f"（{len(yq.quantities)} 处）"
        parts.append(f"<h3>{_e(year_label(yq.year))}{_e(more)}</h3>")
        parts.append(_table(f"{year_label(yq.year)}报告中的数量", ["报告", "数量", "单位", "原句"], rows, "shuzhi-analytics-quantity-list"))
    parts.append("</section>")
    return "".join(parts)


# -- organisation timeline ------------------------------------------------------------


def _entry(e: LedgerEntry, url_for: UrlFor) -> str:
    refs = ""
    if e.rectified_by:
        refs += "；整改：" + "、".join(_a(url_for(r.ref, r.item_id), f"{r.ref} {r.item_id}") for r in e.rectified_by)
    if e.recurs_in:
        refs += "；再次出现：" + "、".join(_a(url_for(r.ref, r.item_id), f"{r.ref} {r.item_id}") for r in e.recurs_in)
    if e.recurrence_of:
        refs += "；复述：" + "、".join(_a(url_for(r.ref, r.item_id), f"{r.ref} {r.item_id}") for r in e.recurrence_of)
    return (
        f'<li class="shuzhi-analytics-entry shuzhi-status-{_e(e.status)}">'
        f"{_a(url_for(e.ref, e.problem_id), f'{e.problem_id} {e.problem}', 'shuzhi-analytics-problem')} "
        f'<span class="shuzhi-analytics-status">{_e(e.status_label)}</span>{refs}</li>'
    )


def org_timeline(a: Analytics, org: str, url_for: UrlFor) -> str:
    """The organisation's problems year by year with their ledger status (for its page)."""
    timeline = a.timeline(org)
    if not timeline:
        return f'<section class="shuzhi-analytics-timeline"><p>{_e(org)}的报告中尚未列出存在问题。</p></section>'
    parts = [f'<section class="shuzhi-analytics-timeline" aria-label="{_e(org)}问题时间线"><ol>']
    for year, entries in timeline:
        counts: dict[str, int] = {}
        for e in entries:
            counts[e.status_label] = counts.get(e.status_label, 0) + 1
        summary = "、".join(f"{label} {n} 条" for label, n in counts.items())
        reports = "、".join(dict.fromkeys(_report_link(a, url_for, e.ref) for e in entries))
        parts.append(
            f'<li class="shuzhi-analytics-year"><h3>{_e(year_label(year))}</h3>'
            f'<p class="shuzhi-analytics-meta">{reports}：问题 {len(entries)} 条（{_e(summary)}）</p>'
            f"<ul>{''.join(_entry(e, url_for) for e in entries)}</ul></li>"
        )
    parts.append("</ol></section>")
    return "".join(parts)


# -- all pages at once ----------------------------------------------------------------


def render_pages(a: Analytics, url_for: UrlFor, *, charts: bool = True) -> list[Page]:
    """The five 统计分析 pages, overview first."""
    bodies = {
        "overview": overview(a, url_for, charts=charts),
        "categories": categories(a, url_for, charts=charts),
        "recurring": recurring(a, url_for),
        "keywords": keywords(a),
        "quantities": quantities(a, url_for, charts=charts),
    }
    return [Page(name, TITLES[name], html) for name, html in bodies.items()]
