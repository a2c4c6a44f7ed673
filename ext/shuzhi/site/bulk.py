"""Generated HTML carried past docutils' HTML writer as a placeholder.

The whole-archive pages are rendered from templates, each as one HTML fragment: at 5,000 reports
the ledger page's is 10.9 million characters (22 MB as a ``str``). In a ``raw`` node, that text
is copied again and again on its way to the file. docutils' HTML writer unescapes it, joins the
whole page and three of its parts (``body``, ``fragment``, ``html_body``). Then Sphinx renders
the page template and encodes the result. Writing that one page raised the peak memory of a
full build by 160 MB, the highest point of the build.

A fragment in a :class:`bulk_html` node (a ``raw`` node, so the search index and every other
reader of the doctree see it as one) is written by the HTML translator as a short placeholder.
At ``html-page-context``, before any other handler and before the page template is rendered,
the placeholder in the page's body is replaced by the fragment. The page is byte for byte what
a ``raw`` node gives (``tests/test_bulk.py``).
"""

from __future__ import annotations

import secrets
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: one per process: a report cannot contain the placeholder of a build it has not seen
_TOKEN = secrets.token_hex(8)
_PENDING = "_shuzhi_bulk"  # attribute of the doctree being written: [(placeholder, fragment)]


class bulk_html(nodes.raw):  # noqa: N801 - docutils names node classes in lower case
    """Raw HTML written into the page after docutils has assembled it."""


def html_fragment(html: str) -> bulk_html:
    """The node for a generated HTML fragment."""
    return bulk_html("", html, format="html")


def _visit_html(translator: Any, node: bulk_html) -> None:
    document = translator.document
    pending = document.__dict__.setdefault(_PENDING, [])
    placeholder = f"<!--shuzhi-bulk-{_TOKEN}-{len(pending)}-->"
    pending.append((placeholder, node.astext()))
    if node["classes"]:  # as docutils' visit_raw
        tag = "span" if isinstance(node.parent, nodes.TextElement) else "div"
        translator.body.extend((translator.starttag(node, tag, suffix=""), placeholder, f"</{tag}>"))
    else:
        translator.body.append(placeholder)
    raise nodes.SkipNode


def _skip(translator: Any, node: bulk_html) -> None:
    raise nodes.SkipNode  # HTML: not part of a LaTeX, text, man or Texinfo output, as for a raw node


def _place(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    pending = getattr(doctree, "__dict__", {}).pop(_PENDING, None)
    if not pending:
        return
    body = context.get("body", "")
    for placeholder, fragment in pending:
        if placeholder not in body:
            logger.warning(f"页面 {pagename} 的生成内容没有写入（占位标记不在正文中，可能被其他扩展改动了正文）。",
                           type="shuzhi", subtype="output", location=pagename)
            continue
        body = body.replace(placeholder, fragment, 1)
    context["body"] = body


def setup_bulk(app: Sphinx) -> None:
    skip = (_skip, None)
    app.add_node(bulk_html, html=(_visit_html, None), latex=skip, text=skip, man=skip, texinfo=skip)
    app.connect("html-page-context", _place, priority=1)
