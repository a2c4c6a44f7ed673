"""The ordinal vocabulary: 一、 （一） 1. 1、 （1）, run-in items 一是… 一要… 第一，…, item markers.

The one place that says which numerals count, how a leading ordinal is stripped,
where a sentence ends, what an item marker (【P1】, 【M2→P1、P3】) and a target look
like. Shared by the importer (to build the heading hierarchy), the structural model
(to find items and check numbering), the rules, the matcher and the analytics, so
all of them read ordinals the same way. Import the exported names; none of the
private ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CN_VALUE = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零一 → 101; None if not a Chinese numeral."""
    if not text or any(c not in _CN_VALUE and c not in "十百" for c in text):
        return None
    total, current = 0, 0
    for c in text:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_VALUE[c]
    return total + current


def int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


@dataclass(frozen=True)
class Ordinal:
    """An ordinal as written: its style, its value and the exact text."""

    style: str  # see STYLES
    value: int
    text: str

    @property
    def rank(self) -> int:
        """Default GB/T 9704 level of the style (1–4); run-in styles are 5."""
        return STYLE_RANK[self.style]

    @property
    def runin(self) -> bool:
        return self.style.startswith("runin")


#: style → default level. Variants of one level share a family (see FAMILY).
STYLE_RANK = {
    "cn": 1,  # 一、
    "paren_cn": 2,  # （一） or (一)
    "arabic": 3,  # 1. 1、 １．
    "paren_arabic": 4,  # （1） (1)
    "runin_shi": 5,  # 一是
    "runin_yao": 5,  # 一要
    "runin_di": 5,  # 第一，
}

#: the numerals an ordinal is written with (一 … 十, 十一 … 九十九 as two or three of them)
NUMERALS = "一二三四五六七八九十"
NUM_CN = rf"[{NUMERALS}]{{1,3}}"
NUM_AR = r"[0-9０-９]{1,3}"

#: where a sentence (and so an item's lead) ends
SENTENCE_END = "。！？!?；;"
SENTENCE_END_RE = re.compile(f"[{SENTENCE_END}]")

#: an item marker at the start of a paragraph: 【P1】 【M2→P1、P3】 【R1→2022/slug#P2】 【R2→反馈】
ITEM_MARKER = re.compile(r"^【(?P<id>[PMR][0-9]{1,5})(?:\s*(?:→|->|：|:)\s*(?P<targets>[^】]*))?】\s*")
#: something that looks like a marker but is not one (【P一】, 【M1-P2】…)
BAD_MARKER = re.compile(r"^【[PMR][^】]{0,40}】")
#: how a marker's targets are separated
TARGET_SPLIT = re.compile(r"[、，,；;\s]+")
#: one target: P1, 2022/slug#P2, or 反馈 (review feedback)
TARGET = re.compile(r"^(?:(?P<report>[\w\-./]+)#)?(?P<id>[PMR][0-9]{1,5})$|^反馈$")
#: a target inside the same report
LOCAL_TARGET = re.compile(r"^[PMR][0-9]{1,5}$")

# Heading-style ordinals at the start of a line or paragraph.
_LEAD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(rf"^({NUM_CN})[、，,]")),
    ("paren_cn", re.compile(rf"^[（(]({NUM_CN})[）)]")),
    ("paren_arabic", re.compile(rf"^[（(]({NUM_AR})[）)]")),
    # 1. / 1、 / １． but not a decimal (1.5) nor a year (2023.)
    ("arabic", re.compile(rf"^({NUM_AR})(?:[.．](?![0-9０-９])|[、])")),
]

# Run-in items: 一是 / 一要 / 第一， — at a paragraph start or after punctuation
# (one negative look-behind: "not after anything else", twice as fast as two alternatives).
_RUNIN = re.compile(
    rf"(?<![^。；;！？!?：:，,、\s”\"）)])"
    rf"(?:(?P<shi>{NUM_CN})是(?![的否非])|(?P<yao>{NUM_CN})要(?=[^求素点件是])|第(?P<di>{NUM_CN})[，,、：:])"
)


def _value(raw: str) -> int | None:
    raw = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if raw.isdigit():
        return int(raw)
    return cn_to_int(raw)


#: the characters a heading-style ordinal starts with (most paragraphs start with none of them)
_LEAD_FIRST = frozenset(NUMERALS + "（(0123456789０１２３４５６７８９")


def lead_ordinal(text: str) -> Ordinal | None:
    """The heading-style ordinal a line or paragraph starts with, if any."""
    stripped = text.lstrip()
    if not stripped or stripped[0] not in _LEAD_FIRST:
        return None
    return _lead_ordinal(stripped[:12])  # an ordinal is at most （一百）: the head decides


@lru_cache(maxsize=1024)
def _lead_ordinal(stripped: str) -> Ordinal | None:
    for style, pattern in _LEAD_PATTERNS:
        m = pattern.match(stripped)
        if m:
            value = _value(m.group(1))
            if value is not None and 0 < value < 200:
                return Ordinal(style, value, m.group(0))
    return None


def runins(text: str) -> list[tuple[int, Ordinal]]:
    """All run-in ordinals in a paragraph with their character offsets."""
    return list(_runins(text))


@lru_cache(maxsize=512)
def _runins(text: str) -> tuple[tuple[int, Ordinal], ...]:
    # cached: the model asks about the same paragraph for its items and for its numbering runs
    found: list[tuple[int, Ordinal]] = []
    for m in _RUNIN.finditer(text):
        if m.group("shi"):
            style, raw = "runin_shi", m.group("shi")
        elif m.group("yao"):
            style, raw = "runin_yao", m.group("yao")
        else:
            style, raw = "runin_di", m.group("di")
        value = cn_to_int(raw)
        if value:
            found.append((m.start(), Ordinal(style, value, m.group(0))))
    return tuple(found)


def outer_runins(text: str, expected: int = 1) -> tuple[list[tuple[int, Ordinal]], list[list[Ordinal]]]:
    """Split a paragraph's run-in ordinals into the outer sequence and nested ones.

    The outer sequence is made of the paragraph's leading run-in (if any) and the
    later run-ins of the same style that continue it; a run-in sequence that
    restarts at 一 inside the paragraph is nested (一是…其中一要…二要…).
    ``expected`` is the value the outer sequence should continue from (so 四是 in
    a paragraph after 三是 continues it).
    Returns (outer items with offsets, nested sequences).
    """
    items = _runins(text)
    outer: list[tuple[int, Ordinal]] = []
    nested: list[list[Ordinal]] = []
    if not items:
        return outer, nested
    style: str | None = None
    current_nested: list[Ordinal] = []
    for offset, ordinal in items:
        if style is None:
            if offset == 0 or ordinal.value == expected or ordinal.value == 1:
                style = ordinal.style
                outer.append((offset, ordinal))
                continue
            current_nested.append(ordinal)
            continue
        last = outer[-1][1].value
        if ordinal.style == style and not current_nested and ordinal.value != 1:
            outer.append((offset, ordinal))
        elif ordinal.style == style and current_nested and ordinal.value == last + 1 and (
            current_nested[-1].style != style or current_nested[-1].value != ordinal.value - 1
        ):
            nested.append(current_nested)
            current_nested = []
            outer.append((offset, ordinal))
        else:
            if ordinal.value == 1 and current_nested:
                nested.append(current_nested)
                current_nested = []
            current_nested.append(ordinal)
    if current_nested:
        nested.append(current_nested)
    return outer, nested


def strip_ordinal(title: str, runin: bool = False) -> str:
    """A heading title (or an item's text) without its leading ordinal, stripped.

    ``runin``: also a leading run-in ordinal (一是、第一，), which says nothing of
    an item's subject.
    """
    text = title.strip()
    ordinal = lead_ordinal(text)
    if ordinal:
        return text[len(ordinal.text) :].lstrip()
    if runin:
        found = runins(text)
        if found and found[0][0] == 0:
            return text[len(found[0][1].text) :].lstrip()
    return text


def lead_sentence(text: str, width: int = 80) -> str:
    """The first sentence of a text (what states a problem or a measure), at most ``width`` characters."""
    m = SENTENCE_END_RE.search(text)
    return (text[: m.start()] if m else text)[:width].strip()
