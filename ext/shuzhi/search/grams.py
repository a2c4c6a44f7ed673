"""The terms of the search index: every two adjacent characters of a text.

A reader's phrase (党建品牌, 谈心谈话, 二十大, 5+2) is found if and only if every
bigram of it is in the report, whatever jieba would make of it; so the index
holds the text's character bigrams and the browser splits the query into the
same bigrams and intersects. ``shuzhi-search.js`` implements the same three
steps; keep the two in step (``tests/test_search.py`` checks them on the same
strings).

1. :func:`normalise`: NFKC (full-width ＡＢ１２ → AB12, ，→ ,), lower case, and
   whitespace next to a Han character dropped — a line break inside a Chinese
   sentence is no word break.
2. :func:`runs`: split at whitespace, punctuation and control characters
   (Unicode categories P*, Z*, C* of the BMP); symbols such as + % ℃ stay inside a run.
3. :func:`grams`: the bigrams of each run; a one-character run is its own term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Han ideographs: CJK unified (+ extension A and B–F), compatibility ideographs
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_SPACE_BY_HAN = re.compile(rf"(?<=[{HAN}])\s+|\s+(?=[{HAN}])")
_SPACE = re.compile(r"\s")


def normalise(text: str) -> str:
    """NFKC, lower case, no whitespace next to a Han character."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _SPACE_BY_HAN.sub("", text) if _SPACE.search(text) else text


def _separator_class() -> str:
    """A regex class of the BMP's punctuation, separators and controls (astral characters never separate)."""
    ranges: list[str] = []
    start = None
    for code in range(0x10001):
        sep = code < 0x10000 and unicodedata.category(chr(code))[0] in "PZC"
        if sep and start is None:
            start = code
        elif not sep and start is not None:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(code - 1)) if code - 1 > start else ""))
            start = None
    return "".join(ranges)


_RUN = re.compile(f"[^{_separator_class()}\\s]+")


def runs(text: str) -> list[str]:
    """The runs of a normalised text between separators (whitespace, punctuation, controls)."""
    return _RUN.findall(text)


def run_grams(run: str) -> Iterable[str]:
    if len(run) == 1:
        return (run,)
    return map(str.__add__, run, run[1:])  # each character with the next


def grams(text: str) -> set[str]:
    """The index terms of a text: the bigrams of its runs (a one-character run stands for itself)."""
    out: set[str] = set()
    for run in runs(normalise(text)):
        out.update(run_grams(run))
    return out
