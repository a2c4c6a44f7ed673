"""The terms of a page, block by block, and the ``searchindex.js`` they are written to.

Sphinx's word collector splits each text node on its own, so a phrase that
crosses inline markup (``加强**党建品牌**建设``, a link, an item badge) is cut in
two. :func:`page_terms` instead joins the text of each block — a paragraph, a
heading, a list item's paragraph, a table cell — across its inline children, and
takes the bigrams of the whole block.

:class:`IndexFormat` is the serialiser the HTML builder uses for
``searchindex.js`` (``builder.indexer_format``). Sphinx keeps its own index
data (page titles, section titles with their anchors, and the terms of pages not
rewritten in an incremental build, read back from the previous
``searchindex.js`` through :meth:`IndexFormat.load`); the format adds the terms
collected from the pages written in this build, the report facets (year,
organisation, kind), and writes the posting lists compactly (see
:mod:`shuzhi.search.postings`) in UTF-8 rather than ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import json
import pickle
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from docutils import nodes

from .grams import grams
from .postings import decode, encode

PREFIX = "ShuzhiSearch.setIndex("
SUFFIX = ");\n"
#: written into the index; bump when its shape changes (an older index is then rebuilt in full)
FORMAT = "shuzhi-bigram-1"

_STYLE_SCRIPT = re.compile(r"<(style|script)\b.*?</\1>", re.I | re.S)
_TAG = re.compile(r"<[^<]+?>")


class Facet(NamedTuple):
    """What the search page can restrict results by."""

    year: int | None
    org: str
    kind: str


def page_terms(doctree: nodes.Node) -> set[str]:
    """The bigrams of a page, each block's text joined across its inline markup."""
    terms: set[str] = set()
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            terms.update(grams("".join(buffer)))
            buffer.clear()

    def visit(node: nodes.Node) -> None:
        if isinstance(node, nodes.Text):
            buffer.append(node.astext())
            return
        if isinstance(node, nodes.comment) or (isinstance(node, nodes.Element) and "no-search" in node["classes"]):
            return
        if isinstance(node, nodes.raw):
            if "html" in node.get("format", "").split():
                flush()
                buffer.append(_TAG.sub(" ", _STYLE_SCRIPT.sub(" ", node.astext())))
                flush()
            return
        inline = isinstance(node, nodes.Inline)
        if not inline:
            flush()
        for child in node.children:
            visit(child)
        if not inline:
            flush()

    visit(doctree)
    flush()
    return terms


class IndexFormat:
    """``searchindex.js`` as ``ShuzhiSearch.setIndex({...});``: Sphinx's index data, our terms and facets."""

    def __init__(self, facets: Callable[[], Mapping[str, Facet]] | None = None, cache: Path | None = None) -> None:
        self._facets = facets or dict
        # code -> pages of the last index written, kept beside the doctrees (like Sphinx's own
        # environment pickle): an incremental build then reads the previous index back without
        # decoding every posting list
        self._cache = cache
        self._fresh: dict[str, list[str]] = {}  # term -> pages collected in this build
        # what the previous index held, term -> (pages, their code): in an incremental
        # build most posting lists come back unchanged and need not be encoded again
        self._previous: dict[str, tuple[list[int], str]] = {}

    def start(self) -> None:
        """Forget the pages collected by a previous build of the same application."""
        self._fresh = {}

    def add(self, docname: str, terms: Iterable[str]) -> None:
        for term in terms:
            self._fresh.setdefault(term, []).append(docname)

    # the serialiser interface of Sphinx's IndexBuilder.dump/load

    def dump(self, data: dict[str, Any], f: Any) -> None:
        f.write(self.dumps(data))

    def load(self, f: Any) -> dict[str, Any]:
        return self.loads(f.read())

    def dumps(self, data: dict[str, Any]) -> str:
        docnames: list[str] = list(data["docnames"])
        page = {name: i for i, name in enumerate(docnames)}
        # Sphinx's terms (pages kept from the previous index) come sorted; merge in what is new
        extra: dict[str, list[int]] = {}
        for term, names in self._fresh.items():
            ids = [page[n] for n in names if n in page]
            if ids:
                extra[term] = ids
        for term, pages in data.get("titleterms", {}).items():
            extra.setdefault(term, []).extend([pages] if isinstance(pages, int) else pages)
        postings: dict[str, list[int]] = {}
        for term, pages in data["terms"].items():
            postings[term] = [pages] if isinstance(pages, int) else pages
        for term, ids in extra.items():
            postings[term] = sorted(set(postings.get(term, ())).union(ids))
        facets = self._facets()
        orgs = sorted({f.org for f in facets.values()})
        kinds = sorted({f.kind for f in facets.values()})
        org_id = {o: i for i, o in enumerate(orgs)}
        kind_id = {k: i for i, k in enumerate(kinds)}
        reports = [
            [page[name], facet.year, org_id[facet.org], kind_id[facet.kind]]
            for name, facet in sorted(facets.items()) if name in page
        ]
        index = {
            "format": FORMAT,
            "envversion": data["envversion"],
            "docnames": docnames,
            "filenames": list(data["filenames"]),
            "titles": list(data["titles"]),
            "alltitles": data["alltitles"],
            "terms": {term: self._encode(term, postings[term]) for term in sorted(postings)},
            "reports": reports,
            "orgs": orgs,
            "kinds": kinds,
        }
        if self._cache is not None:
            decoded = {code: postings[term] for term, code in index["terms"].items()}
            try:
                self._cache.parent.mkdir(parents=True, exist_ok=True)
                self._cache.write_bytes(pickle.dumps(decoded, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError:
                pass  # only a cache
        return PREFIX + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + SUFFIX

    def _encode(self, term: str, pages: list[int]) -> str:
        previous = self._previous.get(term)
        if previous is not None and previous[0] == pages:
            return previous[1]
        return encode(pages)

    def loads(self, text: str) -> dict[str, Any]:
        if not (text.startswith(PREFIX) and text.endswith(SUFFIX)):
            raise ValueError("not a shuzhi search index")
        index = json.loads(text[len(PREFIX):-len(SUFFIX)])
        if not isinstance(index, dict) or index.get("format") != FORMAT:
            raise ValueError("old format")
        known: dict[str, list[int]] = {}
        if self._cache is not None:
            try:
                known = pickle.loads(self._cache.read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                known = {}
        terms: dict[str, int | list[int]] = {}
        previous: dict[str, tuple[list[int], str]] = {}
        for term, code in index["terms"].items():
            pages = known.get(code) or decode(code)
            previous[term] = (pages, code)
            terms[term] = pages[0] if len(pages) == 1 else pages
        self._previous = previous
        return {
            "docnames": index["docnames"],
            "filenames": index["filenames"],
            "titles": index["titles"],
            "alltitles": index["alltitles"],
            "terms": terms,
            "titleterms": {},
            "envversion": index["envversion"],
        }


def is_index(text_head: str) -> bool:
    """Whether a file starting with ``text_head`` is an index in the current format."""
    return text_head.startswith(PREFIX + '{"format":"' + FORMAT + '"')
