"""Compact posting lists: the sorted page numbers of a term as a short ASCII string.

Sphinx writes each term's pages as a JSON list (``[3,17,18,19,20]``, about four
bytes a page). A bigram index has two to three times the postings of a word
index, so we write them as gaps and runs in a 64-letter alphabet instead: each
step is one variable-length number ``2·gap + has_run`` (``gap`` = pages skipped
since the last one), followed by ``run length − 1`` when the step starts a run of
consecutive pages. A number is written five bits a letter, low bits first; the
letters ``A``–``f`` end a number, ``g``–``_`` continue it. Common bigrams, found
on most pages, cost a few letters for hundreds of pages; a rare one costs one or
two letters a page. ``shuzhi-search.js`` decodes the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


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
    numbers: list[int] = []
    value = shift = 0
    for char in code:
        digit = _VALUE[char]
        if digit >= 32:
            value |= (digit - 32) << shift
            shift += 5
        else:
            numbers.append(value | (digit << shift))
            value = shift = 0
    pages: list[int] = []
    prev = -1
    k = 0
    while k < len(numbers):
        step = numbers[k]
        start = prev + 1 + (step >> 1)
        if step & 1:
            length = numbers[k + 1] + 2
            pages.extend(range(start, start + length))
            k += 2
        else:
            pages.append(start)
            k += 1
        prev = pages[-1]
    return pages
