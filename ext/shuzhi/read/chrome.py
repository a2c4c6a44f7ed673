"""Site chrome and omission notes, found by their shape.

A page copied from a 范文 site or a document site wraps the report in lines no
report contains: a breadcrumb, a time/source/views line, a 小编 lead-in, the
page's own title with the site's name, related links, a copyright footer, a
document site's "upload date | size | pages" header. The patterns
(``data/adverts.yaml``, ``edge``/``related``) describe those shapes, not any
site's name, and apply only before the report's first paragraph or after its
last one, so the same words inside the report (微信学习群, 来源于群众) stay.

Paywall and omission notes (``……此处省略1600字……``, ``（未完，全文请下载）``)
are cut out wherever they are; the importer leaves a comment in the output so
the ``truncated`` rule reports the incomplete source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.ordinals import lead_ordinal, runins
from .adverts import AdvertPatterns
from .infer import DATE_LINE

CHROME = "网页杂项"
RELATED = "相关链接"
OMISSION = "付费或省略提示"
PAGE = "页码页眉"
DUPLICATE_TITLE = "重复标题"
#: the comment the importer writes where the source is incomplete; the truncated rule reads it
GAP_COMMENT = "% 原文不完整："

_TERMINAL = ("。", "！", "？", "；", "：")
_SPACES = re.compile(r"\s+")
#: the tail of a chrome line wrapped onto the next line (":05", "次"): short, no Chinese text
_FRAGMENT = re.compile(r"^[^\u4e00-\u9fff]{1,8}$")
#: words of a volume's name in a running header: 党建述职材料汇编, 内部资料
_VOLUME = re.compile(r"汇编|选编|资料|材料|文件|内部|秘密|机密")
_CHARS = re.compile(r"([0-9]+)\s*字")


@dataclass(frozen=True)
class Removed:
    """A piece of source text dropped as advert, watermark, chrome or omission note."""

    line: int  # 1-based source line
    text: str
    whole_line: bool
    reason: str


@dataclass(frozen=True)
class Gap:
    """A paywall or omission note cut from the source."""

    line: int  # 1-based source line
    text: str
    chars: int | None  # characters the note says are missing


def _content_like(line: str) -> bool:
    return len(line) > 40 or line.endswith(_TERMINAL)


def _link_like(line: str) -> bool:
    return len(line) <= 50 and not line.endswith(("。", "！", "？")) and not DATE_LINE.match(line)


def find_chrome(raw: list[str], removed: dict[int, Removed], patterns: AdvertPatterns) -> None:
    """Mark the chrome lines above the report's first paragraph and below its last one."""
    lines = [i for i, line in enumerate(raw) if line.strip()]

    def chrome(i: int) -> bool:
        text = raw[i].strip()
        return not numbered(text) and bool(patterns.edge_match(text) or patterns.is_related(text))

    # the report runs from its first sentence or numbered line to its last one
    body = [
        i for i in lines
        if i not in removed and (numbered(raw[i].strip()) or (not chrome(i) and _content_like(raw[i].strip())))
    ]
    if not body:
        return
    first, last = body[0], body[-1]
    edges = [i for i in lines if (i < first or i > last) and i not in removed]
    for i in edges:
        if i in removed or numbered(raw[i].strip()):
            continue
        text = raw[i].strip()
        if patterns.is_related(text):
            removed[i] = Removed(i + 1, text, True, RELATED)
            j = i + 1
            while j < len(raw) and raw[j].strip() and j not in removed and _link_like(raw[j].strip()):
                removed[j] = Removed(j + 1, raw[j].strip(), True, RELATED)
                j += 1
        elif patterns.edge_match(text) or (_FRAGMENT.match(text) and _after_removed(raw, removed, i)):
            removed[i] = Removed(i + 1, text, True, CHROME)


def numbered(text: str) -> bool:
    """（五）办好微信公众号……: a line opening with an ordinal or a run-in is the report's."""
    return lead_ordinal(text) is not None or any(offset == 0 for offset, _ in runins(text))


def _after_removed(raw: list[str], removed: dict[int, Removed], i: int) -> bool:
    """Whether the nearest non-blank line above is removed (a chrome line wrapped onto this one)."""
    j = i - 1
    while j >= 0 and not raw[j].strip():
        j -= 1
    return j >= 0 and j in removed


def find_page_furniture(raw: list[str], removed: dict[int, Removed], patterns: AdvertPatterns) -> None:
    """Page numbers (— 3 —) anywhere, and the running header repeated next to them."""
    pages = [i for i, line in enumerate(raw) if line.strip() and i not in removed and patterns.is_page_number(line)]
    for i in pages:
        removed[i] = Removed(i + 1, raw[i].strip(), True, PAGE)
    counts: dict[str, list[int]] = {}
    for i, line in enumerate(raw):
        key = _SPACES.sub("", line)
        if key and i not in removed and len(key) <= 40 and not key.endswith(_TERMINAL) and not key[0].isdigit():
            counts.setdefault(key, []).append(i)
    near = {j for i in pages for j in _neighbours(raw, i)}
    for key, where in counts.items():
        repeated = len(where) >= 2 and (len(where) >= 3 and pages or any(i in near for i in where))
        # a volume's name next to a page number is its header even when the text has one page break
        volume = len(where) == 1 and where[0] in near and _VOLUME.search(key) and lead_ordinal(key) is None
        if repeated or volume:
            for i in where:
                removed[i] = Removed(i + 1, raw[i].strip(), True, PAGE)


def _neighbours(raw: list[str], i: int) -> list[int]:
    """The nearest non-blank lines above and below line i."""
    out = []
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(raw) and not raw[j].strip():
            j += step
        if 0 <= j < len(raw):
            out.append(j)
    return out


def duplicate_title(raw: list[str], removed: dict[int, Removed], looks_like_title: object) -> None:
    """A title line repeated just below (the page's title, then the document's own) counts once."""
    kept = [i for i, line in enumerate(raw) if line.strip() and i not in removed][:4]
    if not kept:
        return
    title = _SPACES.sub("", raw[kept[0]])
    if not callable(looks_like_title) or not looks_like_title(raw[kept[0]].strip()):
        return
    for i in kept[1:]:
        if _SPACES.sub("", raw[i]) == title:
            removed[i] = Removed(i + 1, raw[i].strip(), True, DUPLICATE_TITLE)


def cut_gaps(line: str, number: int, patterns: AdvertPatterns) -> tuple[str, list[Removed], list[Gap]]:
    """The line without its paywall/omission notes, what was cut, and the gaps it leaves."""
    cut: list[Removed] = []
    gaps: list[Gap] = []
    for m in reversed(patterns.truncations(line)):
        stated = _CHARS.search(m.group(0))
        chars = stated.group(1) if stated else None
        cut.append(Removed(number, m.group(0), False, OMISSION))
        gaps.append(Gap(number, m.group(0).strip(), int(chars) if chars else None))
        line = line[: m.start()] + line[m.end() :]
    return line, cut[::-1], gaps[::-1]


def gap_comment(gap: Gap) -> str:
    """The MyST comment marking a gap: ``% 原文不完整：……（缺约 1600 字）``."""
    missing = f"，缺约 {gap.chars} 字" if gap.chars else ""
    return f"{GAP_COMMENT}原文第 {gap.line} 行有付费或省略提示「{gap.text}」{missing}，请补全原文。"
