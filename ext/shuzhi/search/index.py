"""The terms of a page, block by block, and the ``searchindex.js`` they are written to.

Sphinx's word collector splits each text node on its own, so a phrase that
crosses inline markup (``加强**党建品牌**建设``, a link, an item badge) is cut in
two. :func:`page_terms` instead joins the text of each block — a paragraph, a
heading, a list item's paragraph, a table cell — across its inline children, and
takes the bigrams of the whole block.

:class:`IndexFormat` is the serialiser the HTML builder uses for
``searchindex.js`` (``builder.indexer_format``). Sphinx supplies the page titles;
the format supplies the posting lists and each page's section titles with their
anchors in document order (collected from the pages written in this build, kept
from the previous index for the others), the report facets (year,
organisation, kind), and writes
the posting lists compactly (see :mod:`shuzhi.search.postings`) in UTF-8 rather
than ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from json.encoder import encode_basestring as _string
from pathlib import Path
from typing import Any, NamedTuple

from docutils import nodes

from .forward import ForwardStore
from .grams import grams
from .postings import decode, encode

PREFIX = "ShuzhiSearch.setIndex("
SUFFIX = ");\n"
#: written into the index; bump when its shape changes (an older index is then rebuilt in full)
FORMAT = "shuzhi-bigram-3"

_STYLE_SCRIPT = re.compile(r"<(style|script)\b.*?</\1>", re.I | re.S)
_TAG = re.compile(r"<[^<]+?>")


class Facet(NamedTuple):
    """What the search page can restrict results by."""

    year: int | None
    org: str
    kind: str


Head = tuple[str, str]  # (section title, its anchor)


def page_heads(doctree: nodes.Node) -> list[Head]:
    """The page's titled sections with their anchors, in document order (what a search hit can jump to)."""
    heads: list[Head] = []

    def visit(node: nodes.Node) -> None:
        if isinstance(node, nodes.comment) or (isinstance(node, nodes.Element) and "no-search" in node["classes"]):
            return
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.Element) and node.parent["ids"]:
            heads.append((node.astext(), node.parent["ids"][0]))
        for child in node.children:
            visit(child)

    visit(doctree)
    return heads


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
    """``searchindex.js`` as ``ShuzhiSearch.setIndex({...});``: Sphinx's index data, our terms and facets.

    Sphinx reads the previous index back through :meth:`loads` and writes the new
    one through :meth:`dumps`. The posting lists are ours alone: :meth:`loads`
    hands Sphinx the titles but no terms, so Sphinx does not convert a large index
    into sets of page names and back. Instead a *forward index* (each page's
    terms, one string a page) is kept beside the doctrees
    (:class:`~.forward.ForwardStore`). When an incremental build rewrites a few pages and the
    set of pages is the same, only the terms that those pages gained or lost are
    decoded and encoded again; every other posting list is copied as it was. When
    pages are added or removed (page numbers shift), the postings are rebuilt
    from the forward index; without a forward index that matches the previous
    ``searchindex.js``, from the previous index itself.
    """

    def __init__(self, facets: Callable[[], Mapping[str, Facet]] | None = None, cache: Path | None = None) -> None:
        self._facets = facets or dict
        self._cache = ForwardStore(cache) if cache is not None else None
        self.start()

    def start(self) -> None:
        """Forget what a previous build of the same application collected or read."""
        # page -> its terms joined by "\n", for the pages written in this build (a string, not a set:
        # a full build holds every page's terms until the index is written)
        self._fresh: dict[str, str] = {}
        self._fresh_heads: dict[str, list[Head]] = {}  # page -> its sections, for the pages written in this build
        self._heads: list[list[Head]] = []  # page number -> its sections, of the previous index
        self._codes: dict[str, str] = {}  # term -> posting list code, of the previous index
        self._docnames: list[str] = []  # page numbering of the previous index
        self._cached = False  # the forward store holds the terms of every page of the previous index

    def add(self, docname: str, terms: Iterable[str], heads: Iterable[Head] = ()) -> None:
        """The terms and sections of a page written in this build (none for a page kept out of search)."""
        known = self._fresh.get(docname)
        self._fresh[docname] = _join(set(terms).union(_split(known)) if known else terms)
        self._fresh_heads.setdefault(docname, []).extend(heads)

    # the serialiser interface of Sphinx's IndexBuilder.dump/load

    def dump(self, data: dict[str, Any], f: Any) -> None:
        """Write the index to the text file ``f`` a slice at a time, the posting lists one by one: at
        5,000 reports its text is 8.6 million characters, and the text made whole (twice, by the JSON
        encoder and with the prefix), then encoded whole for the file and for its digest, had added
        70 MB to the peak memory of the build. The text is that of :func:`serialise`."""
        index, forward, complete = self._index(data)
        digest = hashlib.blake2b(digest_size=16)
        buffer: list[str] = []
        size = 0
        for piece in _pieces(index):
            buffer.append(piece)
            size += len(piece)
            if size >= _SLICE:
                _flush(buffer, f, digest)
                size = 0
        _flush(buffer, f, digest)
        if self._cache is not None:
            self._cache.write(digest.hexdigest(), forward, complete=complete)

    def load(self, f: Any) -> dict[str, Any]:
        return self.loads(f.read())

    def loads(self, text: str) -> dict[str, Any]:
        index = parse(text)
        self._codes = index["terms"]
        self._docnames = list(index["docnames"])
        self._cached = self._cache is not None and self._cache.digest() == _digest(text)
        titles = index["headtitles"]
        self._heads = [[(titles[t], anchor) for t, anchor in heads] for heads in index["heads"]]
        return {
            "docnames": index["docnames"],
            "filenames": index["filenames"],
            "titles": index["titles"],
            "alltitles": {},  # the sections of each page stay here too, in document order
            "terms": {},  # the postings stay here (see the class docstring)
            "titleterms": {},
            "envversion": index["envversion"],
        }

    def dumps(self, data: dict[str, Any]) -> str:
        out = io.StringIO()
        self.dump(data, out)
        return out.getvalue()

    def _index(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str], bool]:
        """The index object, the forward index to keep and whether it covers every page."""
        docnames: list[str] = list(data["docnames"])
        page = {name: i for i, name in enumerate(docnames)}
        fresh = {name: terms for name, terms in self._fresh.items() if name in page}
        # terms Sphinx collected itself (a language other than Chinese), all from pages written now
        theirs: dict[str, set[str]] = {}
        for key in ("terms", "titleterms"):
            for term, ids in data.get(key, {}).items():
                for i in [ids] if isinstance(ids, int) else ids:
                    theirs.setdefault(docnames[i], set()).add(term)
        for name, terms in theirs.items():
            fresh[name] = _join(terms.union(_split(fresh.get(name, ""))))
        previous = self._cache.get(fresh) if self._cached and self._cache and docnames == self._docnames else None
        if previous is not None:
            codes = self._update(fresh, page, previous)
            forward, complete = fresh, False
        else:
            codes, forward = self._rebuild(fresh, docnames)
            complete = True
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
            **self._page_heads(docnames),
            "terms": codes if complete else {term: codes[term] for term in sorted(codes)},
            "reports": reports,
            "orgs": orgs,
            "kinds": kinds,
        }
        return index, forward, complete

    def _page_heads(self, docnames: list[str]) -> dict[str, list[Any]]:
        """Each page's sections (collected now for the pages written, kept from the last index for the
        others) as ``heads``: per page, [title number, anchor] pairs, and ``headtitles``: the titles,
        each once (一、履职情况 heads hundreds of reports)."""
        previous = dict(zip(self._docnames, self._heads, strict=False))
        pages = [self._fresh_heads.get(name, []) if name in self._fresh else previous.get(name, []) for name in docnames]
        titles = sorted({title for heads in pages for title, _ in heads})
        number = {title: i for i, title in enumerate(titles)}
        return {"heads": [[[number[title], anchor] for title, anchor in heads] for heads in pages], "headtitles": titles}

    def _update(self, fresh: dict[str, str], page: dict[str, int], previous: dict[str, str]) -> dict[str, str]:
        """Same pages as before: re-encode only the terms the rewritten pages gained or lost
        (``previous``: the rewritten pages' terms in the previous index)."""
        codes = dict(self._codes)
        changes: dict[str, list[tuple[int, bool]]] = {}
        for name, joined in fresh.items():
            old = set(_split(previous.get(name, "")))
            terms = set(_split(joined))
            i = page[name]
            for term in terms - old:
                changes.setdefault(term, []).append((i, True))
            for term in old - terms:
                changes.setdefault(term, []).append((i, False))
        for term, steps in changes.items():
            ids = set(decode(codes[term])) if term in codes else set()
            for i, added in steps:
                if added:
                    ids.add(i)
                else:
                    ids.discard(i)
            if ids:
                codes[term] = encode(sorted(ids))
            else:
                codes.pop(term, None)
        return codes

    def _rebuild(self, fresh: dict[str, str], docnames: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        """Pages added or removed: every posting list again, kept pages' terms from the forward index."""
        stored = self._cache.all() if self._cached and self._cache is not None else None
        previous = stored if stored is not None else self._invert()
        forward: dict[str, str] = {}
        # page numbers as C ints: a list of Python ints held 7.5 million objects at 5,000 reports (270 MB)
        postings: dict[str, array[int]] = {}
        for i, name in enumerate(docnames):
            forward[name] = fresh[name] if name in fresh else previous.get(name, "")
            for term in _split(forward[name]):
                ids = postings.get(term)
                if ids is None:
                    ids = postings[term] = array("i")
                ids.append(i)
        codes = {term: encode(postings.pop(term)) for term in sorted(postings)}  # in the index's order
        return codes, forward

    def _invert(self) -> dict[str, str]:
        """The forward index of the previous index, from its posting lists (no usable cache)."""
        terms: list[list[str]] = [[] for _ in self._docnames]
        for term, code in self._codes.items():
            for i in decode(code):
                terms[i].append(term)
        return {name: _join(t) for name, t in zip(self._docnames, terms, strict=True)}


_SLICE = 1 << 20  # characters written at a time


def _pieces(index: Mapping[str, Any]) -> Iterator[str]:
    """The text of ``searchindex.js`` for ``index`` in pieces, each posting list on its own."""
    separator = "{"
    yield PREFIX
    for key, value in index.items():
        yield f"{separator}{_string(key)}:"
        separator = ","
        if key != "terms":
            yield json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            continue
        inner = "{"
        for term, code in value.items():
            yield f"{inner}{_string(term)}:{_string(code)}"
            inner = ","
        yield "{}" if inner == "{" else "}"
    yield "}" + SUFFIX


def _flush(buffer: list[str], f: Any, digest: Any) -> None:
    part = "".join(buffer)
    buffer.clear()
    f.write(part)
    digest.update(part.encode("utf-8"))


def _join(terms: Iterable[str]) -> str:
    return "\n".join(sorted(terms))


def _split(joined: str) -> list[str]:
    return joined.split("\n") if joined else []


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def serialise(index: Mapping[str, Any]) -> str:
    """The text of ``searchindex.js`` for an index object (as :meth:`IndexFormat.dumps` and ``shuzhi join`` write it)."""
    return "".join(_pieces(index))


def parse(text: str) -> dict[str, Any]:
    """The index object of a ``searchindex.js`` written in the current format (posting lists still encoded)."""
    if not (text.startswith(PREFIX) and text.endswith(SUFFIX)):
        raise ValueError("not a shuzhi search index")
    index = json.loads(text[len(PREFIX):-len(SUFFIX)])
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise ValueError("old format")
    return index


def postings(text: str) -> dict[str, list[int]]:
    """Term → page numbers of a ``searchindex.js``."""
    return {term: decode(code) for term, code in parse(text)["terms"].items()}


def is_index(text_head: str) -> bool:
    """Whether a file starting with ``text_head`` is an index in the current format."""
    return text_head.startswith(PREFIX + '{"format":"' + FORMAT + '"')
