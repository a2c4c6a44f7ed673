"""The shuzhi HTML theme: each page carries only its own branch of the archive.

The usual theme renders the whole toctree into every page's sidebar, which makes
a build quadratic in the number of reports. This theme (``html_theme =
"shuzhi"``, inheriting ``basic``) never calls ``toctree()``: a page shows the
header (site name, a few index links, search), its breadcrumbs (Sphinx's
``parents``), its own local TOC, and — on a report — the previous and next
report of the same year, taken from the domain.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .domain import get_domain, is_report
from .settings import settings

THEME_DIR = Path(__file__).resolve().parent.parent / "theme" / "shuzhi"
_TAG = re.compile(r"<[^>]+>")

SPECIAL = {"search": "搜索", "genindex": "索引"}
TOPNAV = (("orgs/index", "单位索引"), ("kinds", "类型与标签"), ("quality", "质量检查"))


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: object) -> None:
    env = app.env
    folder = settings(app).archive_dir
    nav = [(f"{folder}/{name}", label) for name, label in TOPNAV]
    nav.append(("docs/index", "使用手册"))
    context["sz_topnav"] = [(d, label) for d, label in nav if d in env.found_docs]
    context["sz_crumb"] = _TAG.sub("", str(context.get("title") or "")) or SPECIAL.get(pagename, "")
    context["sz_prev"] = context["sz_next"] = None
    if is_report(app, pagename):
        domain = get_domain(env)
        prev, nxt = domain.neighbours(pagename)
        pathto = context["pathto"]
        for key, docname in (("sz_prev", prev), ("sz_next", nxt)):
            if docname is not None:
                title = html.escape(domain.reports[docname].title)
                context[key] = {"link": pathto(docname), "title": title}


def setup_theme(app: Sphinx) -> None:
    app.add_html_theme("shuzhi", str(THEME_DIR))
    app.connect("html-page-context", _page_context)
