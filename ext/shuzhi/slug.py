"""ASCII names for Chinese text: the pinyin of 区发改委 as ``qu-fa-gai-wei``.

One transliteration for every file name and address the archive makes: the
importer's ``reports/<year>/<slug>.md`` and the organisation pages'
``archive/orgs/<slug>.html``. A slug holds only ``[a-z0-9]`` and the separator.
"""

from __future__ import annotations

import re

_JUNK = re.compile(r"[^a-z0-9]+")


def syllables(text: str) -> list[str]:
    """The lower-case ASCII pieces of ``text``: the pinyin of each Han character, runs of Latin
    letters and digits as they are; everything else (punctuation, other scripts) is dropped."""
    from pypinyin import Style, lazy_pinyin  # loading pypinyin takes most of a second: only when needed

    out: list[str] = []
    for piece in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        out.extend(p for p in _JUNK.split(piece.lower()) if p)
    return out


def slugify(text: str, sep: str = "-", limit: int | None = None) -> str:
    """``text`` as a slug of whole syllables joined by ``sep``, at most ``limit`` characters;
    empty when ``text`` has nothing to transliterate."""
    out = ""
    for syllable in syllables(text):
        candidate = f"{out}{sep}{syllable}" if out else syllable
        if limit is not None and len(candidate) > limit:
            break
        out = candidate
    return out
