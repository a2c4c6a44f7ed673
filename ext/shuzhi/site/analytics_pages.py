"""统计分析 pages, organisation timelines and ``_static/archive.json``.

Each report's :class:`~shuzhi.analytics.ReportStats` and cluster terms are in its
record (computed while reading it). The whole-archive analysis runs once per build,
lazily, the first time a page or the export needs it, from the records and the
ledger of the archive view. Each problem's category is remembered beside the doctrees
(:data:`CATEGORY_MEMO`, keyed by a digest of the text the taxonomy matches), so an edit
classifies only the problems whose text is new.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..analytics import Analytics, Taxonomy, analyse, load_taxonomy, pages
from ..analytics.charts import NoCJKFont
from ..analytics.pages import TITLES, org_timeline
from ..publish.archive_export import write_export
from ..publish.collector import paused
from .archive_pages import RENDERERS
from .background import Export, register
from .bulk import html_fragment
from .domain import archive_config, get_domain, lookup
from .state import build_state
from .theme_setup import template_renderer

logger = logging.getLogger(__name__)

EXPORT = "_static/archive.json"
PAGES = tuple(TITLES)  # overview, categories, recurring, keywords, quantities
#: each problem's category as the last builds found it (beside the doctrees; not in the environment)
CATEGORY_MEMO = "shuzhi-categories.pickle"
#: bump when what the memo's keys are made of changes
MEMO_VERSION = 1


def analytics(app: Sphinx) -> Analytics:
    """The archive's analysis, computed once per build (per process) and kept on the app."""
    state = build_state(app)
    if state.analytics is not None:
        return state.analytics
    domain = get_domain(app.env)
    records = [domain.records[d] for d in sorted(domain.records)]
    findings = [f for d in sorted(domain.records) for f in domain.findings(d)]
    from ..match.ledger import Ledger

    entries = domain.view.ledger
    ledger = Ledger(entries=list(entries)) if entries else None
    terms = {(r.summary.ref, iid): c for r in records for iid, c in r.terms.items()}
    config = archive_config(app)
    taxonomy = load_taxonomy(config)
    memo = Path(app.doctreedir) / CATEGORY_MEMO
    categorised = _Recall(_read_memo(memo, taxonomy))
    state.analytics = analyse([r.summary for r in records], [r.stats for r in records], findings,
                              config, taxonomy=taxonomy, ledger=ledger, terms=dict(terms), categorised=categorised)
    if categorised != categorised.known:
        _write_memo(memo, taxonomy, dict(categorised))
    return state.analytics


class _Recall(dict[bytes, str]):
    """The problems this build classified, each taken from ``known`` (an earlier build's) if there."""

    def __init__(self, known: dict[bytes, str]) -> None:
        super().__init__()
        self.known = known

    def get(self, key: bytes, default: str | None = None) -> str | None:  # type: ignore[override]
        found = self.known.get(key, default)
        if found is not None:
            self[key] = found
        return found


def _read_memo(path: Path, taxonomy: Taxonomy) -> dict[bytes, str]:
    try:
        version, categories, memo = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    if version != MEMO_VERSION or categories != taxonomy.categories or not isinstance(memo, dict):
        return {}
    return memo


def _write_memo(path: Path, taxonomy: Taxonomy, memo: dict[bytes, str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps((MEMO_VERSION, taxonomy.categories, memo), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # only a cache


def _url_for(app: Sphinx, fromdocname: str) -> Any:
    docs = lookup(app).docs
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
    return [html_fragment(html)]


def timeline(app: Sphinx, fromdocname: str, org: str) -> list[nodes.Node]:
    render = template_renderer(app)
    if render is None:
        return []
    html = org_timeline(analytics(app), org, _url_for(app, fromdocname), render=render)
    return [html_fragment(html)]


def _export_needed(app: Sphinx) -> bool:
    if app.builder.format != "html":
        return False
    state = build_state(app)
    # no report's data changed in this build (and nothing computed since): the export on disk is current
    current = (Path(app.outdir) / EXPORT).is_file() and state.touched is not None and not state.touched
    return not (current and state.analytics is None)


def _prepare_export(app: Sphinx) -> None:
    """Before the export is forked off: the analysis, which the analytics pages need as well."""
    if _export_needed(app):
        analytics(app)


@paused()  # the analysis (if no page needed it) and the JSON text too, not only the document: see publish.collector
def _export(app: Sphinx) -> None:
    if not _export_needed(app):
        return
    target = Path(app.outdir) / EXPORT
    domain = get_domain(app.env)
    docnames = sorted(domain.records)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_export(target, analytics(app), [domain.records[d].stats for d in docnames],
                 [f for d in docnames for f in domain.findings(d)])


def _chart_cache(app: Sphinx) -> None:
    from ..analytics import charts

    charts.CACHE_DIR = Path(app.doctreedir) / "shuzhi-charts"


def setup_analytics(app: Sphinx) -> None:
    app.connect("builder-inited", _chart_cache)
    RENDERERS["analytics"] = render_analytics
    register(app, Export("archive.json", _export, prepare=_prepare_export))
