"""Cleaning raw text: adverts and watermarks out, wrapped lines re-joined, stray spaces gone.

Text pasted from web pages and PDFs carries distributor banners, paid-content
markers and spam, lines hard-wrapped mid-sentence, and spaces between Chinese
characters. :func:`clean` removes all of that and returns the remaining logical
lines with the number of the source line each starts at, plus a list of every
piece of text it removed (the summary shows it, and the nothing-lost test allows
exactly those pieces to be missing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.ordinals import NUMERALS, SENTENCE_END_RE, lead_ordinal, runins
from ..model.schema import SectionSchema
from .adverts import AdvertPatterns
from .chrome import (
    DUPLICATE_TITLE,
    Gap,
    Removed,
    cut_gaps,
    duplicate_title,
    find_chrome,
    find_page_furniture,
)
from .chrome import (
    numbered as _numbered,
)

__all__ = ["DUPLICATE_TITLE", "INVISIBLE", "Cleaned", "Gap", "Line", "Removed", "clean", "normalise"]

#: invisible characters that web pages leave in text; dropped, never meaningful here
INVISIBLE = "\ufeff\u200b\u2060"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2014\u2018-\u201d\u2026\u00b7"
_SPACE = "[ \t\u3000\u00a0\u2002-\u200a\u202f\u205f]+"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]){_SPACE}(?=[{_CJK}0-9])|(?<=[{_CJK}0-9]){_SPACE}(?=[{_CJK}])")
# "1. 加强学习" → "1.加强学习": the space is an artefact, and would make a Markdown list
_ORDINAL_SPACE = re.compile(
    rf"^((?:[0-9０-９]{{1,3}}[.．、)）]|[（(][0-9０-９{NUMERALS}]{{1,3}}[）)]|[{NUMERALS}]{{1,3}}、))"
    rf"{_SPACE}(?=[^\x00-\x7f])"
)
_TERMINAL = tuple("。！？；：…”’」』）)!?;:")
_TITLE_WORDS = re.compile(r"报告|总结|述职|述廉|讲话|讲稿|党课|发言|汇报|体会|心得|材料|方案|计划|要点")


@dataclass
class Line:
    no: int  # 1-based source line of the line's first character
    text: str


@dataclass
class Cleaned:
    lines: list[Line]  # logical lines; a blank line is Line(no, "")
    removed: list[Removed] = field(default_factory=list)
    distributors: list[str] = field(default_factory=list)
    joined: int = 0  # hard-wrapped lines re-joined
    spaces: int = 0  # lines where spaces between Chinese characters were removed
    gaps: list[Gap] = field(default_factory=list)  # paywall/omission notes cut out


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _INVISIBLE.sub("", text)


def remove_cjk_spaces(text: str) -> str:
    return _CJK_SPACE.sub("", text)


def clean(text: str, patterns: AdvertPatterns, schema: SectionSchema) -> Cleaned:
    raw = normalise(text).split("\n")
    removed: dict[int, Removed] = {}
    names = sorted(patterns.distributors("\n".join(raw)), key=lambda n: (-len(n), n))
    for i, line in enumerate(raw):
        stripped = line.strip()
        if not stripped:
            continue
        if patterns.line_match(stripped):
            removed[i] = Removed(i + 1, stripped, True, "广告")
        elif names and _only_names(stripped, names):
            removed[i] = Removed(i + 1, stripped, True, "分销者署名")
    find_page_furniture(raw, removed, patterns)
    find_chrome(raw, removed, patterns)
    _advert_blocks(raw, removed, schema, patterns)
    duplicate_title(raw, removed, lambda s: _title_like(s, schema) and not s.endswith(_TERMINAL))
    out: list[Line] = []
    inline: list[Removed] = []
    gaps: list[Gap] = []
    spaces = 0
    for i, line in enumerate(raw):
        if i in removed:
            continue
        kept, cut, found = cut_gaps(line, i + 1, patterns)
        inline.extend(cut)
        gaps.extend(found)
        for m in reversed(_disjoint(patterns.inline_matches(kept))):
            if m.group(0).strip():
                inline.append(Removed(i + 1, m.group(0), False, "行内广告"))
            kept = kept[: m.start()] + kept[m.end() :]
        kept = kept.strip()
        if _CJK_SPACE.search(kept) or _ORDINAL_SPACE.match(kept):
            spaces += 1
            kept = _ORDINAL_SPACE.sub(r"\1", remove_cjk_spaces(kept))
        out.append(Line(i + 1, kept))
    lines, joined = _join_wrapped(out)
    all_removed = sorted([*removed.values(), *inline], key=lambda r: (r.line, not r.whole_line))
    return Cleaned(_squeeze(lines), all_removed, names, joined, spaces, gaps)


def _disjoint(matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """Matches in order, without those overlapping an earlier (or longer) one: each piece is cut once."""
    out: list[re.Match[str]] = []
    for m in sorted(matches, key=lambda m: (m.start(), -m.end())):
        if not out or m.start() >= out[-1].end():
            out.append(m)
    return out


def _only_names(line: str, names: list[str]) -> bool:
    rest = line
    for name in names:
        rest = rest.replace(name, "")
    return rest != line and not re.sub(r"[\s\W_]", "", rest)


def _content_like(line: str) -> bool:
    return len(line) > 40 or line.endswith(_TERMINAL[:5])


def _title_like(line: str, schema: SectionSchema) -> bool:
    return bool(_TITLE_WORDS.search(line) or lead_ordinal(line) or schema.classify(line))


def _advert_blocks(raw: list[str], removed: dict[int, Removed], schema: SectionSchema, patterns: AdvertPatterns) -> None:
    """Drop slogan lines caught between advert lines at the head or tail of the text.

    Distributors pad their banners with slogans no pattern can know (自建平台、实时分享);
    a run of short, non-sentence lines with advert lines on both sides (or the end
    of the file below) is part of the banner — unless it looks like a title.
    """
    text_lines = [i for i, line in enumerate(raw) if line.strip()]
    content = [i for i in text_lines if i not in removed and (_content_like(raw[i].strip()) or _numbered(raw[i].strip()))]
    if not content or not removed:
        return
    head = [i for i in text_lines if i < content[0]]
    tail = [i for i in text_lines if i > content[-1]]
    for zone, open_end in ((head, False), (tail, True)):
        k = 0
        while k < len(zone):
            if zone[k] in removed:
                k += 1
                continue
            start = k
            while k < len(zone) and zone[k] not in removed:
                k += 1
            run = zone[start:k]
            before = start > 0  # zone[start - 1] is removed
            after = k < len(zone) or open_end  # zone[k] is removed, or the file ends
            stripped = [raw[j].strip() for j in run]
            if before and after and all(
                len(s) <= 30 and not SENTENCE_END_RE.search(s) and not _title_like(s, schema) and not _numbered(s)
                and not patterns.truncations(s)
                for s in stripped
            ):
                for j, s in zip(run, stripped, strict=True):
                    removed[j] = Removed(j + 1, s, True, "广告区块")


def _join_wrapped(lines: list[Line]) -> tuple[list[Line], int]:
    """Re-join lines hard-wrapped mid-sentence (text copied from PDFs and web pages)."""
    nonblank = [ln.text for ln in lines if ln.text]
    long_lines = [t for t in nonblank if len(t) >= 15]
    open_ended = [t for t in long_lines if not t.endswith(_TERMINAL)]
    if len(open_ended) < 3 or len(open_ended) < 0.3 * len(long_lines):
        return lines, 0
    lengths = sorted(len(t) for t in open_ended)
    width = lengths[len(lengths) // 2]
    everything = sorted(len(t) for t in nonblank)
    if everything[int(0.9 * (len(everything) - 1))] > 1.5 * width:
        return lines, 0  # most lines run far past the supposed width: not hard-wrapped
    out: list[Line] = []
    joined = 0
    for ln in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.text
            and ln.text
            and not prev.text.endswith(_TERMINAL)
            and len(prev.text) >= 0.75 * width
            and len(prev.text) >= 12
            and lead_ordinal(ln.text) is None
            and not any(off == 0 for off, _ in runins(ln.text))
        ):
            sep = " " if prev.text[-1].isascii() and prev.text[-1].isalnum() and ln.text[0].isascii() and ln.text[0].isalnum() else ""
            prev.text = prev.text + sep + ln.text
            joined += 1
            continue
        out.append(Line(ln.no, ln.text))
    return out, joined


def _squeeze(lines: list[Line]) -> list[Line]:
    """Drop leading/trailing blank lines and collapse runs of blanks."""
    out: list[Line] = []
    for ln in lines:
        if not ln.text and (not out or not out[-1].text):
            continue
        out.append(ln)
    while out and not out[-1].text:
        out.pop()
    return out
