"""The Sphinx extension of the PDF build (never loaded by the HTML site).

* Item markers (``【P1】``, ``【M2→P1】``) at the start of a paragraph or heading
  become :class:`pdf_marker` nodes, printed as a small grey label; the HTML site
  renders the same markers as anchors and badges.
* Under each report's title a :class:`pdf_byline` names the organisation and the
  author, from the report's front matter.
* The LaTeX translator sets each volume's cover from ``shuzhi_pdf_volumes``
  (volume root docname → year, count, counts by kind), which the command passes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxTranslator
from sphinx.writers.latex import LaTeXTranslator

from ...model import frontmatter
from ...model.ordinals import ITEM_MARKER as MARKER
from .latex import cover


class pdf_marker(nodes.Inline, nodes.TextElement):  # noqa: N801 - docutils node naming
    """An item marker's id and targets, e.g. ``M2→P1``."""


class pdf_byline(nodes.Element):  # noqa: N801
    """Organisation and author under a report's title."""


def convert_markers(doctree: nodes.document) -> None:
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.paragraph | nodes.title))):
        first = node
        while first.children and isinstance(first[0], nodes.Element):
            first = first[0]  # e.g. a marker inside **bold**
        if not first.children or not isinstance(first[0], nodes.Text):
            continue
        text = str(first[0])
        m = MARKER.match(text)
        if not m:
            continue
        label = m.group("id") + (f"→{m.group('targets').strip()}" if m.group("targets") else "")
        rest = text[m.end():]
        first.replace(first[0], nodes.Text(rest))
        first.insert(0, pdf_marker(label, label))


def ensure_title(doctree: nodes.document, fm: frontmatter.FrontMatter, docname: str) -> None:
    """A report without a ``# 标题`` line still starts its own chapter, titled from front matter."""
    if any(isinstance(child, nodes.section) for child in doctree.children):
        return
    title = fm.get_str("title") or docname
    section = nodes.section("", nodes.title(title, title), ids=[nodes.make_id(docname) or "report"],
                            names=[nodes.fully_normalize_name(title)])
    children = list(doctree.children)
    doctree.clear()
    for child in children:
        (doctree if isinstance(child, nodes.Invisible | nodes.docinfo) else section).append(child)
    doctree.append(section)


def add_byline(doctree: nodes.document, fm: frontmatter.FrontMatter) -> None:
    parts = [p for p in (fm.get_str("org"), fm.get_str("author")) if p]
    if not fm.present or not parts:
        return
    # the same person often appears in both (org 某局, author 某局党组书记): keep the longer
    if len(parts) == 2 and (parts[0] in parts[1] or parts[1] in parts[0]):
        parts = [max(parts, key=len)]
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    text = "\u3000".join(" ".join(p.split()).replace(" ", "\u3000") for p in parts)
    section.insert(1, pdf_byline(text, nodes.Text(text)))


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    convert_markers(doctree)
    env = app.env
    if not env.docname.startswith(tuple(app.config.shuzhi_pdf_report_dirs)):
        return
    try:
        text = Path(env.doc2path(env.docname)).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return
    fm = frontmatter.parse(text.replace("\r\n", "\n"))
    ensure_title(doctree, fm, env.docname)
    add_byline(doctree, fm)


class VolumeTranslator(LaTeXTranslator):
    """Sphinx's LaTeX translator with the volume's own cover."""

    def __init__(self, document: nodes.document, builder: Any, theme: Any) -> None:
        super().__init__(document, builder, theme)
        docname = document.get("docname") or getattr(document.settings, "_docname", "")
        volume = self.config.shuzhi_pdf_volumes.get(docname)
        if volume:
            kinds = [(self.encode(k), int(n)) for k, n in volume["kinds"]]
            self.elements["maketitle"] = cover(
                int(volume["year"]), int(volume["count"]), kinds, self.encode(volume["editor"])
            )

    def visit_pdf_marker(self, node: pdf_marker) -> None:
        self.body.append(r"\shuzhimarker{" + self.encode(node.astext()) + "}")
        raise nodes.SkipNode

    def visit_pdf_byline(self, node: pdf_byline) -> None:
        self.body.append("\n" + r"\shuzhibyline{" + self.encode(node.astext()) + "}\n")
        raise nodes.SkipNode


def _visit_text_marker(self: SphinxTranslator, node: nodes.Element) -> None:
    """Other builders (html, text): the label in brackets, as in the source."""
    self.body.append(f"【{node.astext()}】")
    raise nodes.SkipNode


def _skip(self: SphinxTranslator, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    from ... import __version__

    app.add_config_value("shuzhi_pdf_volumes", {}, "", types=[dict])
    app.add_config_value("shuzhi_pdf_report_dirs", ["reports/"], "env", types=[list])
    app.add_node(pdf_marker, html=(_visit_text_marker, None), text=(_skip, None))
    app.add_node(pdf_byline, html=(_skip, None), text=(_skip, None))
    app.set_translator("latex", VolumeTranslator, override=True)
    # before Sphinx's title collector (500), so a title added here is the toctree entry's
    app.connect("doctree-read", on_doctree_read, priority=400)
    return {"version": __version__, "env_version": 1,
            "parallel_read_safe": True, "parallel_write_safe": True}
