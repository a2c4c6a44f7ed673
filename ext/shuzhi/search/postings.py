"""Compact posting lists: the sorted page numbers of a term as a short ASCII string.

Sphinx writes each term's pages as a JSON list (``[3,17,18,19,20]``, about four
bytes a page). A bigram index has two to three times the postings of a word
index, so we write them as gaps and runs in a 64-letter alphabet instead: each
step is one variable-length number ``2·gap + has_run`` (``gap`` = pages skipped
since the last one), followed by ``run length − 2`` when the step starts a run of
consecutive pages (two or more). A number is written five bits a letter, low bits first; the
letters ``A``–``f`` end a number, ``g``–``_`` continue it. Common bigrams, found
on most pages, cost a few letters for hundreds of pages; a rare one costs one or
two letters a page. ``shuzhi-search.js`` decodes the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = bytes.maketrans(ALPHABET.encode("ascii"), bytes(range(64)))
# for the common case of one-letter steps without runs: letter -> gap + 1, and a test for "run or long number"
_STEP = bytes.maketrans(ALPHABET.encode("ascii"), bytes((v >> 1) + 1 if v < 32 else 0 for v in range(64)))
_SLOW = bytes.maketrans(ALPHABET.encode("ascii"), bytes(1 if (v & 1 or v >= 32) else 0 for v in range(64)))


def _number(value: int, out: list[str]) -> None:
    while value >= 32:
        out.append(ALPHABET[32 + (value & 31)])
        value >>= 5
    out.append(ALPHABET[value])


def encode(pages: Iterable[int]) -> str:
    """Sorted, distinct page numbers → the compact string."""
    ids = list(pages)
    out: list[str] = []
    prev = -1
    i, n = 0, len(ids)
    while i < n:
        j = i
        while j + 1 < n and ids[j + 1] == ids[j] + 1:
            j += 1
        gap = ids[i] - prev - 1
        if gap < 0:
            raise ValueError(f"posting list not sorted and distinct: {ids!r}")
        if j > i:
            _number(2 * gap + 1, out)
            _number(j - i - 1, out)
        else:
            _number(2 * gap, out)
        prev = ids[j]
        i = j + 1
    return "".join(out)


def decode(code: str) -> list[int]:
    """The compact string → sorted page numbers."""
    raw = code.encode("ascii")
    if 1 not in raw.translate(_SLOW):
        # every step one letter, no run: the pages are the running sum of the gaps
        return list(accumulate(raw.translate(_STEP), initial=-1))[1:]
    digits = raw.translate(_VALUE)
    numbers: Iterable[int]
    if max(digits) < 32:
        numbers = digits  # every number one letter
    else:
        numbers = []
        value = shift = 0
        for digit in digits:
            if digit >= 32:
                value |= (digit - 32) << shift
                shift += 5
            else:
                numbers.append(value | (digit << shift))
                value = shift = 0
    pages: list[int] = []
    append, extend = pages.append, pages.extend
    prev = -1
    it = iter(numbers)
    for step in it:
        start = prev + 1 + (step >> 1)
        if step & 1:
            prev = start + next(it) + 1
            extend(range(start, prev + 1))
        else:
            append(start)
            prev = start
    return pages
