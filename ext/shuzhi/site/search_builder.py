"""Chinese search: an index of character bigrams, written by Sphinx's HTML builder.

Sphinx's Chinese search segments pages with jieba and looks a query up as one
word, so 党建品牌 or 三会一课 are found only if jieba happens to make them one
word; it also loads jieba's 350,000-word dictionary and segments every page
(about a quarter of a build). Here:

* :class:`BigramChinese`, registered for ``zh``, keeps Sphinx from running jieba
  at all: its ``split`` returns nothing, because Sphinx splits each text node on
  its own, which cuts phrases at inline markup;
* at ``doctree-resolved`` (the write phase, in the main process even with
  ``-j``) the bigrams of each page written are collected block by block
  (:func:`shuzhi.search.index.page_terms`);
* the HTML builder writes ``searchindex.js`` through
  :class:`shuzhi.search.index.IndexFormat`: Sphinx's titles and section
  titles, the terms of every page (an incremental build re-encodes only the
  terms the rewritten pages gained or lost), and each report's year,
  organisation and kind for the facets;
* the theme's ``search.html`` and ``shuzhi-search.js`` split the query into the
  same bigrams, intersect, rank title and heading hits first, and show a
  highlighted snippet (docs/search.md).
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.search import SearchLanguage

from ..search.index import Facet, IndexFormat, is_index, page_heads, page_terms
from .domain import get_domain


class BigramChinese(SearchLanguage):
    """Chinese for Sphinx's index builder: no jieba, no terms of its own (shuzhi collects them)."""

    lang = "zh"
    language_name = "Chinese (shuzhi bigrams)"
    stopwords: set[str] = set()

    def init(self, options: dict[str, str]) -> None:
        pass

    def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's signature
        return []

    def word_filter(self, word: str) -> bool:
        return True

    def stem(self, word: str) -> str:
        return word


def _format(app: Sphinx) -> IndexFormat | None:
    builder = app.builder
    fmt = getattr(builder, "indexer_format", None)
    if isinstance(fmt, IndexFormat) and getattr(builder, "indexer", None) is not None:
        return fmt
    return None


def _facets(env: BuildEnvironment) -> dict[str, Facet]:
    return {name: Facet(r.year, r.org, r.kind) for name, r in get_domain(env).reports.items()}


def _install_format(app: Sphinx) -> None:
    builder = app.builder
    if isinstance(builder, StandaloneHTMLBuilder) and builder.search and builder.indexer_dumps_unicode:
        builder.indexer_format = IndexFormat(lambda: _facets(app.env), Path(app.doctreedir) / "shuzhi-postings.sqlite")
        (Path(app.doctreedir) / "shuzhi-postings.pickle").unlink(missing_ok=True)  # the older form of that cache


def _start(app: Sphinx, builder: Builder) -> None:
    fmt = getattr(builder, "indexer_format", None)
    if isinstance(fmt, IndexFormat):
        fmt.start()


def _collect(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    fmt = _format(app)
    if fmt is None:
        return
    metadata = app.env.metadata.get(docname, {})
    if "nosearch" in metadata or "no-search" in metadata:
        fmt.add(docname, ())  # rewritten, with no terms: it drops out of the index
        return
    fmt.add(docname, page_terms(doctree), page_heads(doctree))


def _outdated_index(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str],
                    removed: Set[str]) -> list[str]:
    """Every page, when the output holds a search index of another format (Sphinx's, or an older one of ours)."""
    if not isinstance(getattr(app, "builder", None), StandaloneHTMLBuilder):
        return []
    path = Path(app.outdir) / StandaloneHTMLBuilder.searchindex_filename
    try:
        with open(path, encoding="utf-8") as f:
            head = f.read(100)
    except OSError:
        return []
    return [] if is_index(head) else sorted(env.found_docs)


def setup_search(app: Sphinx) -> None:
    app.add_search_language(BigramChinese)
    app.connect("builder-inited", _install_format)
    app.connect("write-started", _start)
    app.connect("doctree-resolved", _collect)
    app.connect("env-get-outdated", _outdated_index)
