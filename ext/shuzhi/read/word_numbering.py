"""Word's automatic list numbering, rendered as Word shows it.

A numbered paragraph stores no number, only ``numId`` and ``ilvl`` (directly or
through its paragraph style); the number comes from the numbering part: the
``w:num`` instance points at an ``w:abstractNum`` whose ``w:lvl`` gives the
start value, the number format and the ``lvlText`` template (``%1、``,
``（%2）``). Word keeps one counter per abstract definition, so two instances of
one definition continue each other unless an instance overrides a level's start
(``lvlOverride/startOverride``, what Word's 重新开始编号 writes). A level
restarts whenever a higher level is used, unless ``lvlRestart`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree  # type: ignore[import-untyped]

from ..model.ordinals import int_to_cn

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def val(element: etree._Element | None, attr: str = "val") -> str | None:
    if element is None:
        return None
    value = element.get(w(attr))
    return None if value is None else str(value)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


# -- number formats -------------------------------------------------------------------

_CN = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_IDEOGRAPH = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = [chr(0x2460 + k) for k in range(20)] + [chr(0x3251 + k) for k in range(15)] + [chr(0x32B1 + k) for k in range(15)]


def chinese(n: int) -> str:
    """一 … 九十九, 一百二十三, 一千零五 (Word's chineseCounting/chineseCountingThousand)."""
    if n < 100:
        return int_to_cn(n)
    if n >= 10000:
        return str(n)
    out = ""
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit:
            if zero:
                out += "零"
            out += _CN[digit] + name
            zero = False
        elif out:
            zero = True
    return out


def _legal(n: int) -> str:
    return "".join(_LEGAL[int(d)] for d in str(n)) if n < 10 else chinese(n).translate(str.maketrans(_CN + "十百千", _LEGAL + "拾佰仟"))


def _letters(n: int, upper: bool) -> str:
    base = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if upper else "abcdefghijklmnopqrstuvwxyz"
    if n < 1:
        return str(n)
    return base[(n - 1) % 26] * ((n - 1) // 26 + 1)  # Word: A … Z, AA … ZZ


def _roman(n: int, upper: bool) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, numeral in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out if upper else out.lower()


def _cycle(symbols: str) -> Callable[[int], str]:
    return lambda n: symbols[(n - 1) % len(symbols)] if n > 0 else str(n)


FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalFullWidth2": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": lambda n: _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n),
    "decimalEnclosedCircleChinese": lambda n: _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n),
    "decimalEnclosedParen": lambda n: chr(0x2474 + n - 1) if 0 < n <= 20 else f"({n})",
    "decimalEnclosedFullstop": lambda n: chr(0x2488 + n - 1) if 0 < n <= 20 else f"{n}.",
    "chineseCounting": chinese,
    "chineseCountingThousand": chinese,
    "japaneseCounting": chinese,
    "taiwaneseCounting": chinese,
    "taiwaneseCountingThousand": chinese,
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "chineseLegalSimplified": _legal,
    "ideographLegalTraditional": _legal,
    "ideographTraditional": _cycle(_IDEOGRAPH),
    "ideographZodiac": _cycle(_ZODIAC),
    "upperLetter": lambda n: _letters(n, True),
    "lowerLetter": lambda n: _letters(n, False),
    "upperRoman": lambda n: _roman(n, True),
    "lowerRoman": lambda n: _roman(n, False),
    "ordinal": lambda n: f"{n}th",
}


def format_number(n: int, fmt: str) -> str:
    """One number in a Word number format; unknown formats fall back to decimal."""
    if fmt == "none":
        return ""
    return FORMATS.get(fmt, str)(n)


# -- definitions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # isLgl: every number shown in decimal
    suffix: str = "tab"  # tab | space | nothing


@dataclass
class _Instance:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # startOverride per level
    levels: dict[int, Level] = field(default_factory=dict)  # whole-level overrides


def _level(element: etree._Element) -> Level:
    restart = val(element.find(w("lvlRestart")))
    return Level(
        start=_int(val(element.find(w("start"))), 1),
        fmt=val(element.find(w("numFmt"))) or "decimal",
        text=val(element.find(w("lvlText"))) or "",
        restart=None if restart is None else _int(restart, 0),
        legal=element.find(w("isLgl")) is not None and val(element.find(w("isLgl"))) not in ("0", "false"),
        suffix=val(element.find(w("suff"))) or "tab",
    )


class Numbering:
    """The numbering part of one document, with the counters of one reading pass."""

    def __init__(self, root: etree._Element | None) -> None:
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNum styleLink/numStyleLink name → abstractNum id
        self.links: dict[str, str] = {}  # abstractNum id → numStyleLink style id
        self.level_styles: dict[tuple[str, str], int] = {}  # (abstract id, pStyle) → ilvl
        self.instances: dict[str, _Instance] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.used: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(w("abstractNum")):
            aid = val(abstract, "abstractNumId") or ""
            levels: dict[int, Level] = {}
            for lvl in abstract.iter(w("lvl")):
                ilvl = _int(val(lvl, "ilvl"), 0)
                levels[ilvl] = _level(lvl)
                pstyle = val(lvl.find(w("pStyle")))
                if pstyle:
                    self.level_styles[(aid, pstyle)] = ilvl
            self.abstracts[aid] = levels
            link = val(abstract.find(w("styleLink")))
            if link:
                self.style_links[link] = aid
            numlink = val(abstract.find(w("numStyleLink")))
            if numlink:
                self.links[aid] = numlink
        for num in root.iter(w("num")):
            instance = _Instance(val(num.find(w("abstractNumId"))) or "")
            for override in num.iter(w("lvlOverride")):
                ilvl = _int(val(override, "ilvl"), 0)
                start = val(override.find(w("startOverride")))
                if start is not None:
                    instance.starts[ilvl] = _int(start, 1)
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    instance.levels[ilvl] = _level(lvl)
            self.instances[val(num, "numId") or ""] = instance

    def _abstract(self, instance: _Instance) -> str:
        """The abstract definition, following a numStyleLink to the list style's own definition."""
        aid = instance.abstract
        link = self.links.get(aid)
        if link and link in self.style_links:
            return self.style_links[link]
        return aid

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        instance = self.instances.get(num_id)
        if instance is None:
            return None
        return self.level_styles.get((self._abstract(instance), style_id))

    def render(self, num_id: str, ilvl: int) -> str:
        """The ordinal Word shows for the next paragraph of list ``num_id`` at level ``ilvl``."""
        instance = self.instances.get(num_id)
        if instance is None or num_id == "0":
            return ""
        aid = self._abstract(instance)
        levels = {**self.abstracts.get(aid, {}), **instance.levels}
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for level in instance.starts:  # 重新开始编号: this instance restarts the level
                counters.pop(level, None)
        current = counters.get(ilvl)
        counters[ilvl] = self._start(instance, levels, ilvl) if current is None else current + 1
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart != 0 and (restart is None or ilvl < restart):
                del counters[deeper]
        return self._text(instance, levels, counters, ilvl)

    def _start(self, instance: _Instance, levels: dict[int, Level], ilvl: int) -> int:
        if ilvl in instance.starts:
            return instance.starts[ilvl]
        return levels[ilvl].start

    def _text(self, instance: _Instance, levels: dict[int, Level], counters: dict[int, int], ilvl: int) -> str:
        level = levels[ilvl]
        if level.fmt == "bullet":
            return ""  # a bullet is not an ordinal and not part of the text
        out = level.text
        for k in range(9):
            marker = f"%{k + 1}"
            if marker not in out:
                continue
            shown = levels.get(k, Level())
            n = counters.get(k, self._start(instance, levels, k) if k in levels else 1)
            fmt = "decimal" if level.legal else shown.fmt  # isLgl: every level in Arabic numerals
            out = out.replace(marker, format_number(n, fmt))
        if out and level.suffix != "nothing" and (out[-1].isalnum() or out[-1] in "".join(_CIRCLED)):
            out += " "  # Word shows a tab or space after a bare number; keep it apart from the text
        return out
