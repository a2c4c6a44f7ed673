"""The shuzhi HTML theme: each page carries only its own branch of the archive.

The usual theme renders the whole toctree into every page's sidebar, which makes
a build quadratic in the number of reports. This theme (``html_theme =
"shuzhi"``, inheriting ``basic``) never calls ``toctree()``: a page shows the
header (site name, a few index links, search), its breadcrumbs (Sphinx's
``parents``), its own local TOC, and — on a report — the previous and next
report of the same year, taken from the domain.

The generated pages (质量检查, 统计分析, …) are rendered from the templates under
``pages/`` in the theme through the builder's own template engine; those
templates, and only those, are autoescaped (:func:`render_fragment`).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..labels import HANDBOOK, INDEX_TITLES, SPECIAL_TITLES, search_labels
from .bulk import html_fragment
from .domain import archive_config, get_domain, is_report
from .settings import settings
from .templates import PAGES, THEME_DIR, Render, autoescape_pages

__all__ = ["THEME_DIR", "render_fragment", "setup_theme", "template_renderer"]

TOPNAV = ("orgs/index", "kinds", "quality")


def template_renderer(app: Sphinx) -> Render | None:
    """The builder's template engine, with the ``pages/`` templates autoescaped; None for a
    builder without templates (the generated pages are not printed)."""
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if templates is None or environment is None or app.builder.format != "html":
        return None
    if not getattr(environment, "shuzhi_pages", False):
        environment.autoescape = autoescape_pages(environment.autoescape)
        environment.shuzhi_pages = True

    def render(template: str, context: dict[str, Any]) -> str:
        if not template.startswith(PAGES):
            raise ValueError(f"{template} is not a page template")
        return str(templates.render(template, context))

    return render


def render_fragment(app: Sphinx, template: str, context: dict[str, Any]) -> list[nodes.Node]:
    """``pages/<template>`` rendered by :func:`template_renderer`, as raw HTML in the doctree."""
    render = template_renderer(app)
    return [] if render is None else [html_fragment(render(template, context))]


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: object) -> None:
    env = app.env
    folder = settings(app).archive_dir
    nav = [(f"{folder}/{name}", INDEX_TITLES[name]) for name in TOPNAV]
    nav.append(("docs/index", HANDBOOK))
    context["sz_topnav"] = [(d, label) for d, label in nav if d in env.found_docs]
    # the title as text (Sphinx's `title` is HTML: escaping it again showed &quot; for a ")
    title = env.titles.get(pagename)
    context["sz_crumb"] = (title.astext() if title is not None else "") or SPECIAL_TITLES.get(pagename, "")
    context["sz_prev"] = context["sz_next"] = None
    if pagename == "search":
        context["sz_search_labels"] = search_labels()
    if is_report(app, pagename):
        domain = get_domain(env)
        prev, nxt = domain.neighbours(pagename, archive_config(app).kinds)
        pathto = context["pathto"]
        for key, docname in (("sz_prev", prev), ("sz_next", nxt)):
            if docname is not None:
                summary = domain.summary(docname)
                context[key] = {"link": pathto(docname), "title": summary.title if summary else ""}


def setup_theme(app: Sphinx) -> None:
    app.add_html_theme("shuzhi", str(THEME_DIR))
    app.connect("html-page-context", _page_context)
