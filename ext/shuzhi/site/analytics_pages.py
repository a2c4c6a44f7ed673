"""统计分析 pages, organisation timelines and ``_static/archive.json``.

Reading a report stores its :class:`~shuzhi.analytics.ReportStats` under its
docname (from the links the linking module already resolved, so nothing is
computed twice). The whole-archive analysis runs once per build, lazily, the
first time a page or the export needs it, from the domain's stored data and the
ledger resolved at ``env-get-updated``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..analytics import Analytics, analyse, pages, stats
from ..analytics.charts import NoCJKFont
from ..analytics.pages import TITLES, org_timeline
from ..match.links import ReportLinks
from ..model import Report
from ..publish.archive_export import dumps, export_archive
from .archive_pages import RENDERERS
from .domain import archive_config, get_domain, is_report
from .theme_setup import template_renderer

logger = logging.getLogger(__name__)

PAGES = tuple(TITLES)  # overview, categories, recurring, keywords, quantities


def _read(app: Sphinx, docname: str, source: list[str]) -> None:
    report = app.env.temp_data.get("shuzhi_report")
    if not is_report(app, docname) or not isinstance(report, Report):
        return
    links = app.env.temp_data.get("shuzhi_links")
    get_domain(app.env).data["stats"][docname] = stats(
        report, archive_config(app), links if isinstance(links, ReportLinks) else None
    )


def analytics(app: Sphinx) -> Analytics:
    """The archive's analysis, computed once per build (per process) and kept on the app."""
    cached = getattr(app, "shuzhi_analytics", None)
    if cached is not None:
        return cached
    domain = get_domain(app.env)
    docnames = sorted(domain.reports)
    summaries = [domain.reports[d] for d in docnames]
    findings = [f for d in docnames for f in domain.findings(d)]
    report_stats = [domain.data["stats"][d] for d in docnames if d in domain.data["stats"]]
    from ..match.ledger import Ledger

    ledger = Ledger(entries=list(domain.data["ledger"])) if domain.data["ledger"] else None
    terms = {(s.ref, iid): c for d, s in domain.reports.items() for iid, c in domain.data["terms"].get(d, {}).items()}
    result = analyse(summaries, report_stats, findings, archive_config(app), ledger=ledger, terms=terms)
    app.shuzhi_analytics = result  # type: ignore[attr-defined]
    return result


def _url_for(app: Sphinx, fromdocname: str) -> Any:
    docs = {s.ref: d for d, s in get_domain(app.env).reports.items()}
    uris: dict[str, str] = {}

    def url_for(ref: str, item_id: str | None = None) -> str:
        if ref not in uris:
            doc = docs.get(ref)
            uris[ref] = app.builder.get_relative_uri(fromdocname, doc) if doc is not None else ""
        uri = uris[ref]
        if not uri:
            return "#"
        return uri + (f"#{item_id}" if item_id else "")

    return url_for


def render_analytics(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    if key not in PAGES:
        return []
    render = template_renderer(app)
    if render is None:
        return []
    a = analytics(app)
    url_for = _url_for(app, fromdocname)
    page = {
        "overview": lambda charts: pages.overview(a, url_for, charts=charts, render=render),
        "categories": lambda charts: pages.categories(a, url_for, charts=charts, render=render),
        "recurring": lambda charts: pages.recurring(a, url_for, render=render),
        "keywords": lambda charts: pages.keywords(a, render=render),
        "quantities": lambda charts: pages.quantities(a, url_for, charts=charts, render=render),
    }[key]
    try:
        html = page(True)
    except NoCJKFont as exc:  # no CJK font on this machine: tables only
        logger.warning(str(exc), type="shuzhi", subtype="analytics", once=True)
        html = page(False)
    return [nodes.raw("", html, format="html")]


def timeline(app: Sphinx, fromdocname: str, org: str) -> list[nodes.Node]:
    render = template_renderer(app)
    if render is None:
        return []
    html = org_timeline(analytics(app), org, _url_for(app, fromdocname), render=render)
    return [nodes.raw("", html, format="html")]


def _export(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "archive.json"
    if target.is_file() and not getattr(app, "shuzhi_archive_changed", True) and getattr(app, "shuzhi_analytics", None) is None:
        return  # no report's data changed in this build: the export on disk is current
    domain = get_domain(app.env)
    docnames = sorted(domain.reports)
    doc = export_archive(
        analytics(app),
        [domain.data["stats"][d] for d in docnames if d in domain.data["stats"]],
        [f for d in docnames for f in domain.findings(d)],
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(doc), encoding="utf-8")


def _chart_cache(app: Sphinx) -> None:
    from ..analytics import charts

    charts.CACHE_DIR = Path(app.doctreedir) / "shuzhi-charts"


def setup_analytics(app: Sphinx) -> None:
    app.connect("builder-inited", _chart_cache)
    RENDERERS["analytics"] = render_analytics
    app.connect("source-read", _read, priority=650)
    app.connect("build-finished", _export)
