"""The archive's listing pages, rendered from the domain at doctree-resolved.

Landing cards (one per year, with counts), a year (by kind, then organisation),
an organisation (its reports, newest first), the organisation index and the
kind/tag index. Each renderer returns plain docutils nodes (sphinx-design's
components for the cards) and links with the builder's relative URIs, except the
kind/tag index, which lists every report and comes from ``pages/kinds.html``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri
from sphinx_design.shared import PassthroughTextElement, create_component

from ..labels import INDEX_TITLES, UNDATED, kind_label, ordered_kinds, org_label, status_label, year_label, year_title
from ..model import ReportSummary
from ..model.findings import Finding
from .archive_pages import RENDERERS, get_scan
from .domain import archive_config, get_domain, lookup, year_key
from .theme_setup import render_fragment


def link(app: Sphinx, fromdocname: str, target: str, text: str, classes: Iterable[str] = ()) -> nodes.reference:
    uri = app.builder.get_relative_uri(fromdocname, target)
    return nodes.reference("", text, internal=True, refuri=uri, classes=list(classes))


def badge(count: int) -> nodes.inline:
    """完整 / N 项问题: the quality badge next to a report."""
    if count == 0:
        return nodes.inline("", "完整", classes=["sz-badge", "sz-badge-ok"])
    return nodes.inline("", f"{count} 项问题", classes=["sz-badge", "sz-badge-warn"])


def counted(findings: Iterable[Finding]) -> int:
    """What the badge counts: errors and warnings (info findings are listed, not counted)."""
    return sum(1 for f in findings if f.severity in ("error", "warning"))


def report_line(app: Sphinx, fromdocname: str, docname: str, summary: ReportSummary,
                prefix: str = "", suffix: str = "") -> nodes.list_item:
    para = nodes.paragraph(classes=["sz-report-line"])
    if prefix:
        para += nodes.inline("", prefix, classes=["sz-muted"])
    para += link(app, fromdocname, docname, summary.title)
    if suffix:
        para += nodes.inline("", suffix, classes=["sz-muted"])
    if summary.status == "draft":
        para += nodes.inline("", status_label("draft"), classes=["sz-tag"])
    para += badge(counted(get_domain(app.env).findings(docname)))
    return nodes.list_item("", para)


def _bullets(items: list[nodes.list_item]) -> nodes.bullet_list:
    lst = nodes.bullet_list(classes=["sz-reports"])
    lst.extend(items)
    return lst


def _kinds(app: Sphinx, entries: Iterable[tuple[str, ReportSummary]]) -> list[str]:
    return ordered_kinds((s.kind for _, s in entries), archive_config(app).kinds)


def _empty(text: str) -> list[nodes.Node]:
    return [nodes.paragraph("", text, classes=["sz-empty"])]


def _card(app: Sphinx, fromdocname: str, target: str, title: str, lines: list[str]) -> nodes.Node:
    card = create_component("card", ["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm",
                                     "sd-card-hover", "sz-card"])
    body = create_component("card-body", ["sd-card-body"])
    head = create_component("card-title", ["sd-card-title", "sd-font-weight-bold"])
    head += nodes.Text(title)
    body += head
    for i, line in enumerate(lines):
        body += nodes.paragraph("", line, classes=["sd-card-text", "sz-card-count" if i == 0 else "sz-card-note"])
    card += body
    ref = link(app, fromdocname, target, "", ["sd-stretched-link", "sd-hide-link-text"])
    ref += nodes.inline("", title)
    card += PassthroughTextElement("", "", ref)
    col = create_component("grid-item", ["sd-col", "sd-d-flex-row"])
    col += card
    return col


def _grid(cols: list[nodes.Node], classes: list[str]) -> nodes.Node:
    container = create_component("grid-container", ["sd-container-fluid", "sd-sm-my-4", "sd-mb-4", *classes])
    row = create_component("grid-row", ["sd-row", "sd-row-cols-1", "sd-row-cols-xs-2", "sd-row-cols-sm-2",
                                        "sd-row-cols-md-3", "sd-row-cols-lg-4", "sd-g-3"])
    row.extend(cols)
    container += row
    return container


def render_landing(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    domain = get_domain(app.env)
    scan = get_scan(app)
    years = domain.by_year(archive_config(app).kinds)
    if not years:
        return _empty("档案中暂无报告。用 shuzhi import 导入原始报告，或用 make new 新建报告后重新构建。")
    order = sorted((y for y in years if y != UNDATED), reverse=True) + ([UNDATED] if UNDATED in years else [])
    cards = []
    for year in order:
        entries = years[year]
        kinds = "、".join(f"{kind_label(k)} {sum(1 for _, s in entries if s.kind == k)}" for k in _kinds(app, entries))
        cards.append(_card(app, fromdocname, scan.year_doc(year), year_title(year), [f"{len(entries)} 篇报告", kinds]))
    summaries = domain.reports
    total = sum(counted(domain.findings(d)) for d in summaries)
    orgs = {s.org for s in summaries.values()}
    index_cards = [
        _card(app, fromdocname, scan.page("orgs/index"), INDEX_TITLES["orgs/index"], [f"{len(orgs)} 个单位", "按单位查看历年报告"]),
        _card(app, fromdocname, scan.page("kinds"), INDEX_TITLES["kinds"],
              [f"{len(_kinds(app, summaries.items()))} 种类型", "按报告类型和标签查看"]),
        _card(app, fromdocname, scan.page("quality"), INDEX_TITLES["quality"],
              [f"{total} 项问题" if total else "全部完整", "缺章节、序号、占位符等"]),
        _card(app, fromdocname, scan.page("ledger"), INDEX_TITLES["ledger"],
              [f"{sum(len(s.problems) for s in summaries.values())} 条问题", "每条问题的措施与整改跟进"]),
        _card(app, fromdocname, scan.page("analytics/overview"), INDEX_TITLES["analytics/overview"],
              ["分类、反复出现的问题、关键词", "数量与占位符"]),
    ]
    return [_grid(cards, ["sz-years"]), nodes.rubric("", "索引"), _grid(index_cards, ["sz-indexes"])]


def render_year(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    scan = get_scan(app)
    entries = get_domain(app.env).by_year(archive_config(app).kinds).get(key, [])
    if not entries:
        return _empty("本年度暂无报告。")
    out: list[nodes.Node] = [nodes.paragraph("", f"共 {len(entries)} 篇报告，按报告类型和单位排列。", classes=["sz-lead"])]
    if key != UNDATED:
        out.append(_volume_link(app, fromdocname, key))
    for kind in _kinds(app, entries):
        of_kind = [(d, s) for d, s in entries if s.kind == kind]
        out.append(nodes.rubric("", f"{kind_label(kind)}（{len(of_kind)}）"))
        orgs: dict[str, list[tuple[str, ReportSummary]]] = {}
        for docname, summary in of_kind:
            orgs.setdefault(summary.org, []).append((docname, summary))
        for org, items in orgs.items():
            head = nodes.paragraph(classes=["sz-org"])
            head += link(app, fromdocname, scan.org_doc(org), org_label(org))
            out.append(head)
            out.append(_bullets([report_line(app, fromdocname, d, s) for d, s in items]))
    return out


def _volume_link(app: Sphinx, fromdocname: str, year: str) -> nodes.paragraph:
    """The year's printed volume (made by ``make pdf``, copied next to the HTML)."""
    from ..publish.pdf import HTML_SUBDIR, volume_filename

    uri = relative_uri(app.builder.get_target_uri(fromdocname), f"{HTML_SUBDIR}/{quote(volume_filename(year))}")
    para = nodes.paragraph(classes=["sz-volume"])
    para += nodes.reference("", f"下载 {year} 年度述职报告汇编（PDF）", refuri=uri, classes=["sz-volume-link"])
    para += nodes.inline("", "　由 make pdf 生成", classes=["sz-muted"])
    return para


def _newest_first(entries: Iterable[tuple[str, ReportSummary]]) -> list[tuple[str, ReportSummary]]:
    return sorted(entries, key=lambda e: (-(e[1].year or 0) if e[1].year else 1, e[1].title, e[0]))


def render_org(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    entries = _newest_first(lookup(app).by_org.get(key, []))
    if not entries:
        return _empty("该单位暂无报告。")
    items = []
    for docname, summary in entries:
        prefix = f"{year_title(year_key(summary.year))} · "
        items.append(report_line(app, fromdocname, docname, summary, prefix, f" · {kind_label(summary.kind)}"))
    lead = nodes.paragraph("", f"共 {len(entries)} 篇报告，由新到旧排列。", classes=["sz-lead"])
    from .analytics_pages import timeline

    return [lead, _bullets(items), nodes.rubric("", "问题与整改时间线"), *timeline(app, fromdocname, key)]


def render_orgs(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    scan = get_scan(app)
    orgs: dict[str, list[ReportSummary]] = {}
    for summary in get_domain(app.env).reports.values():
        orgs.setdefault(summary.org, []).append(summary)
    if not orgs:
        return _empty("暂无单位。")
    items = []
    for org in sorted(orgs, key=lambda o: (o == "", o)):
        years = sorted(s.year for s in orgs[org] if s.year is not None)
        span = (year_label(years[0]) if years[0] == years[-1] else f"{years[0]}—{year_label(years[-1])}") if years else year_label(None)
        para = nodes.paragraph(classes=["sz-report-line"])
        para += link(app, fromdocname, scan.org_doc(org), org_label(org))
        para += nodes.inline("", f" · {len(orgs[org])} 篇 · {span}", classes=["sz-muted"])
        items.append(nodes.list_item("", para))
    return [_bullets(items)]


def render_kinds(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    """The kind and tag index from ``pages/kinds.html`` (every report twice or more: a template, not nodes)."""
    domain = get_domain(app.env)
    reports = domain.reports
    if not reports:
        return _empty("档案中暂无报告。")
    rows: dict[str, dict[str, Any]] = {}

    def row(docname: str, s: ReportSummary) -> dict[str, Any]:
        if docname not in rows:
            rows[docname] = {"prefix": f"{year_title(year_key(s.year))} · ", "suffix": f" · {org_label(s.org)}",
                             "href": app.builder.get_relative_uri(fromdocname, docname), "title": s.title,
                             "draft": s.status == "draft", "count": counted(domain.findings(docname))}
        return rows[docname]

    def group(title: str, entries: list[tuple[str, ReportSummary]]) -> tuple[str, list[dict[str, Any]]]:
        return f"{title}（{len(entries)}）", [row(d, s) for d, s in entries]

    kinds = [group(kind_label(kind), _newest_first((d, s) for d, s in reports.items() if s.kind == kind))
             for kind in _kinds(app, reports.items())]
    tags = [group(tag, _newest_first((d, s) for d, s in reports.items() if tag in s.tags))
            for tag in sorted({t for s in reports.values() for t in s.tags})]
    return render_fragment(app, "pages/kinds.html", {"kinds": kinds, "tags": tags, "draft": status_label("draft")})


def _publish_volumes(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        from ..publish.pdf import publish_volumes

        publish_volumes(Path(app.srcdir) / "_build" / "pdf", app.outdir)


def setup_listings(app: Sphinx) -> None:
    app.connect("build-finished", _publish_volumes)
    RENDERERS.update(landing=render_landing, year=render_year, org=render_org, orgs=render_orgs, kinds=render_kinds)
