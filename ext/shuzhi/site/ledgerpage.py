"""The 问题整改台账 page and ``_static/ledger.xlsx``: one row per problem, the same rows in both.

The rows come from the ledger resolved once per build (:mod:`.linking`) through
:func:`shuzhi.publish.ledger_export.ledger_rows`. The page is the theme's
``sz-ledger.html`` template, rendered by the builder's template engine with
autoescaping; its table rows (17,000 at 5,000 reports) are made here by
:func:`table_rows` from fixed format strings, each value escaped once (the template's
per-cell loops took nine tenths of the page's time). Its filters are ``sz-ledger.js``,
added to this page only. The
Excel file is written when the build finishes, only when its rows change (the
same rows give the same bytes, so an incremental build writes what a full one does).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from markupsafe import Markup, escape
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.jinja2glue import SphinxFileSystemLoader
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..match.ledger import STATUSES, LedgerEntry
from ..publish.ledger_export import (
    HEADERS,
    XLSX_FORMAT,
    Part,
    Row,
    cell_texts,
    ledger_rows,
    link_limit_note,
    row_parts,
    to_xlsx,
)
from .archive_pages import RENDERERS, get_scan
from .background import Export, register
from .bulk import html_fragment
from .domain import get_domain, lookup
from .state import build_state
from .templates import THEME_DIR

logger = logging.getLogger(__name__)

TEMPLATE = "sz-ledger.html"
SCRIPT = "sz-ledger.js"
XLSX = "_static/ledger.xlsx"
#: what each status means, for the legend above the table (the handbook says more)
MEANINGS = {
    "reappeared": "后续报告称已整改，但同一单位此后又查摆了同一问题",
    "not-rectified": "整改落实原文说未完成、尚未启动",
    "unclear": "整改落实原文只讲做了什么，没说整改到什么程度，请核实",
    "in-progress": "整改落实原文说正在推进、初见成效、尚未完全到位",
    "no-follow-up": "该单位此后的报告没有回应这条问题",
    "rectified": "整改落实原文说已整改到位、已完成、已销号",
    "awaiting": "该单位还没有更晚年度的报告",
}


def _entries(app: Sphinx) -> tuple[LedgerEntry, ...]:
    return get_domain(app.env).view.ledger


#: the last ledger laid out: its entries (the view's tuple itself), rows and their cells' pieces
_LAID_OUT: dict[str, Any] = {}


def _layout(entries: tuple[LedgerEntry, ...]) -> tuple[list[Row], list[list[list[Part]]]]:
    """The rows and their :func:`row_parts`, made once per build for the page and the Excel file
    alike (the view's ledger is one tuple per build: held here, its identity is the key)."""
    if _LAID_OUT.get("entries") is not entries:
        rows = ledger_rows(entries)
        _LAID_OUT.update(entries=entries, rows=rows, parts=[row_parts(r) for r in rows])
    return _LAID_OUT["rows"], _LAID_OUT["parts"]


def render_ledger(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    entries = _entries(app)
    if not entries:
        return [nodes.paragraph("", "档案中还没有列出问题的报告。", classes=["sz-muted"])]
    templates = getattr(app.builder, "templates", None)
    if app.builder.format != "html" or templates is None:  # LaTeX, text …: the counts only
        counts = "、".join(f"{label} {n} 条" for label, n in _counts(entries))
        return [nodes.paragraph("", f"共 {len(entries)} 条问题：{counts}。")]
    html = templates.render(TEMPLATE, _context(app, fromdocname, entries))
    return [html_fragment(html)]


def _counts(entries: tuple[LedgerEntry, ...]) -> list[tuple[str, int]]:
    counts = {code: 0 for code in STATUSES}
    for e in entries:
        counts[e.status] += 1
    return [(STATUSES[code], n) for code, n in counts.items() if n]


def _context(app: Sphinx, fromdocname: str, entries: tuple[LedgerEntry, ...]) -> dict[str, Any]:
    docs = lookup(app).docs
    uris: dict[str, str] = {}

    def href(ref: str) -> str:
        if ref not in uris:
            uris[ref] = str(escape(app.builder.get_relative_uri(fromdocname, docs[ref]))) if ref in docs else ""
        return uris[ref]

    rows = table_rows(((str(r.year or ""), r.unit, r.status, parts) for r, parts in zip(*_layout(entries), strict=True)),
                      href)
    present = {e.status for e in entries}
    return {
        "total": len(entries),
        "counts": _counts(entries),
        "legend": [(STATUSES[c], MEANINGS[c], c) for c in STATUSES if c in present],
        "headers": HEADERS,
        "rows": rows,
        "years": sorted({str(e.year) for e in entries if e.year is not None}, reverse=True),
        "orgs": sorted({e.unit or e.org for e in entries}),
        "statuses": [(c, STATUSES[c]) for c in STATUSES if c in present],
        "xlsx": relative_uri(app.builder.get_target_uri(fromdocname), XLSX),
    }


#: a row of the table and the pieces of its cells (the values are escaped before they go in)
_ROW = '\n<tr class="sz-ledger-row sz-s-{0}" data-year="{1}" data-org="{2}" data-status="{0}">{3}</tr>'
_LINK = '<a class="reference internal" href="{0}">{1}</a>'
_SPAN = '<span class="{0}">{1}</span>'


def table_rows(rows: Iterable[tuple[str, str, str, Sequence[Sequence[Part]]]], href: Callable[[str], str]) -> Markup:
    """The table's rows: (year, organisation, status, cells as :func:`row_parts` make them), each value
    escaped once; ``href(ref)``: the report page's address, escaped, as text ("" for a report not on the site).
    The same HTML the template's loops made."""
    out = []
    for year, org, status, cells in rows:
        tds = []
        for cell in cells:
            parts = []
            for text, target, cls in cell:
                base = href(target[0]) if target is not None else ""
                if base:
                    anchor = str(escape(f"#{target[1]}")) if target[1] else ""  # type: ignore[index]
                    parts.append(_LINK.format(str(base) + anchor, escape(text)))
                else:
                    parts.append(_SPAN.format(escape(cls), escape(text)) if cls else escape(text))
            tds.append(f"<td>{''.join(parts)}</td>")
        out.append(_ROW.format(escape(status), escape(year), escape(org), "".join(tds)))
    return Markup("".join(out))  # noqa: S704 - every value above is escaped


def _page_script(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if pagename == get_scan(app).page("ledger"):
        app.add_js_file(SCRIPT, loading_method="defer")


def _template_path(app: Sphinx) -> None:
    """The ledger template is found under any theme (the shuzhi theme has it already)."""
    templates = getattr(app.builder, "templates", None)
    loaders = getattr(templates, "loaders", None)
    if isinstance(loaders, list) and not any(str(THEME_DIR) in getattr(x, "searchpath", []) for x in loaders):
        loaders.append(SphinxFileSystemLoader(str(THEME_DIR)))


def _write_xlsx(app: Sphinx) -> None:
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder):
        return
    target = Path(builder.outdir) / XLSX
    touched = build_state(app).touched
    if target.is_file() and touched is not None and not touched:
        return  # no report's data changed in this build: the file on disk is current
    docs = lookup(app).docs
    rows, parts = _layout(_entries(app))
    # relative_uri drops a #fragment: the problem's anchor goes after the page's address
    pages = {ref: relative_uri(XLSX, builder.get_target_uri(d)) for ref, d in docs.items()}
    links = [f"{pages[r.ref]}#{r.problem_id}" if r.ref in pages else None for r in rows]
    # the same rows and links give the same bytes: skip writing (0.2 s at 1,000 reports) when
    # the digest of what goes in (and of the file format) matches the one of the file on disk
    cells = [cell_texts(row) for row in parts]  # the rows' row_cells
    digest = hashlib.sha256(repr((XLSX_FORMAT, cells, links)).encode("utf-8")).hexdigest()
    stamp = Path(app.doctreedir) / "shuzhi-ledger-xlsx.sha256"
    try:
        if target.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        note = link_limit_note(len(rows), XLSX)
        if note:
            logger.info(note)
        target.write_bytes(to_xlsx(rows, links, cells))
        stamp.write_text(digest, encoding="utf-8")
    except OSError as exc:
        logger.warning(f"无法写入整改台账 Excel 文件 {target}（{exc.strerror}），请检查输出目录的权限。",
                       type="shuzhi", subtype="output")


def setup_ledger_page(app: Sphinx) -> None:
    RENDERERS["ledger"] = render_ledger
    app.connect("builder-inited", _template_path)
    app.connect("html-page-context", _page_script)
    register(app, Export("ledger.xlsx", _write_xlsx))
