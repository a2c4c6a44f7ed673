"""From cleaned lines to a document: title, headings by ordinal level, paragraphs, items.

Heading levels follow the ordinal styles in the order they appear (一、 → ``##``,
the next new style → ``###`` …), so a report whose second level is ``1.`` gets it
at ``###``. In the sections whose items the archive tracks (存在问题, 下一步打算,
整改落实) numbered lines are not headings but item paragraphs, and a paragraph's
outer run-ins (一是…二是…) are split into one paragraph each; which paragraphs are
items, and their ids, is then decided by :func:`shuzhi.model.parse_report` on the
rendered Markdown, so there is one parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ordinals import lead_ordinal, outer_runins
from ..schema import SectionSchema
from .clean import Line

HEADING_MAX = 60  # a heading line (or a lead sentence taken as heading) is at most this long
SHORT_LINE = 30  # an unnumbered line this short, without final punctuation, may be a heading
_SENTENCE_END = re.compile(r"[。！？!?]")
_INNER_PUNCT = re.compile(r"[。！？!?；;]")
_FINAL = tuple("。！？!?；;，,、：:…")


@dataclass
class Node:
    """A block of the output document."""

    kind: str  # heading | paragraph | comment
    text: str
    line: int  # 1-based source line
    level: int = 0  # Markdown heading depth
    item_zone: bool = False  # a paragraph in a section whose items are tracked
    feedback: bool = False  # that section speaks of review feedback (整改 → 反馈)
    role: str = ""  # problem | measure: a labelled piece (问题一：… 整改措施：…), linked explicitly


@dataclass
class Document:
    title: str
    title_line: int
    intro: list[str]
    nodes: list[Node]


def _heading_like(text: str) -> bool:
    body = text[:-1] if text.endswith(("。", "！", "？")) else text
    return len(text) <= HEADING_MAX and not _INNER_PUNCT.search(body)


def _lead_split(text: str) -> tuple[str, str] | None:
    """（一）强化政治担当，从严从实扛牢主体责任。一年来…  →  (lead sentence, rest)."""
    m = _SENTENCE_END.search(text)
    if not m:
        return None
    head, rest = text[: m.end()], text[m.end() :].strip()
    if rest and len(head) <= HEADING_MAX and not _INNER_PUNCT.search(head[:-1]):
        return head, rest
    return None


#: 问题一：…  and, later in the same paragraph, 整改措施：…
_PROBLEM_LABEL = re.compile(r"^(?:问题[一二三四五六七八九十0-9０-９]{1,3}|存在(?:的)?问题)[：:]")
_MEASURE_LABEL = re.compile(r"(?<=[。；;！？!?\s])(?:整改|改进|落实)?(?:措施|方向|举措)[：:]")


def split_labelled(text: str) -> tuple[str, str] | None:
    """问题一：……。整改措施：……  →  (the problem, the measure)."""
    if not _PROBLEM_LABEL.match(text):
        return None
    m = _MEASURE_LABEL.search(text)
    if m is None:
        return None
    return text[: m.start()].strip(), text[m.start() :].strip()


def _short_unnumbered(text: str) -> bool:
    return len(text) <= SHORT_LINE and not text.endswith(_FINAL) and not _INNER_PUNCT.search(text)


def build(lines: list[Line], schema: SectionSchema, title_at: tuple[int, int]) -> Document:
    """``title_at``: (index, number of lines) of the title among the text lines (see infer.title_rows)."""
    rows = [ln for ln in lines if ln.text]
    title, title_line = "", 0
    start, count = title_at
    if count and rows:
        title, title_line = "".join(r.text for r in rows[start : start + count]), rows[start].no
        rows = rows[:start] + rows[start + count :]
    nodes: list[Node] = []
    intro: list[str] = []
    stack: list[str] = []  # ordinal styles by level, in order of appearance
    last_level = 1
    seen_heading = False
    numbered_top = False  # a numbered line became a top section
    unnumbered_top = False  # the top sections are unnumbered lines: ordinals start one level down
    item_zone = reason = feedback = False

    def start_section(text: str) -> None:
        nonlocal item_zone, reason, feedback
        canon = schema.classify(text)
        item_zone = any(c in schema.items for c in canon)
        reason = False
        feedback = item_zone and "反馈" in text

    def heading(text: str, no: int, level: int) -> None:
        nonlocal last_level, seen_heading
        nodes.append(Node("heading", text, no, level))
        last_level, seen_heading = level, True

    def paragraph(text: str, no: int) -> None:
        nonlocal feedback
        if not seen_heading:
            intro.append(text)
        zone = item_zone and not reason
        if zone and "反馈" in text:
            feedback = True  # 针对2022年述职反馈的……问题: the rectifications answer feedback
        nodes.append(Node("paragraph", text, no, 0, zone, feedback))

    def heading_or_lead(text: str, no: int, level: int) -> None:
        if _heading_like(text):
            heading(text, no, level)
            return
        split = _lead_split(text)
        if split is not None:
            heading(split[0], no, level)
            paragraph(split[1], no)
        else:
            paragraph(text, no)

    k = 0
    while k < len(rows):
        row = rows[k]
        text, no = row.text, row.no
        nxt = rows[k + 1].text if k + 1 < len(rows) else ""
        k += 1
        ordinal = lead_ordinal(text)
        if ordinal is not None:
            if ordinal.style in stack:
                del stack[stack.index(ordinal.style) + 1 :]
            else:
                stack.append(ordinal.style)
            level = min(1 + len(stack) + int(unnumbered_top), 6)
            numbered_top = numbered_top or level == 2
            canon = schema.classify(text) if _heading_like(text) else ()
            if level == 2 or (item_zone and canon and "原因分析" not in canon):
                # a top section (or a canonical section written one level down
                # inside an item section: （一）存在问题 — it is a section, not an item)
                level = 2
                start_section(text)
                heading_or_lead(text, no, level)
            elif item_zone and canon:
                heading(text, no, level)  # （二）原因分析: reasons, not items
                reason = True
            elif item_zone and not reason:
                # an item: a short item title with its explanation on the next line
                # stays one paragraph (two lines), so the item carries both
                if _heading_like(text) and nxt and lead_ordinal(nxt) is None and not _short_unnumbered(nxt):
                    text = text + "\n" + nxt
                    k += 1
                paragraph(text, no)
            else:
                heading_or_lead(text, no, level)
            continue
        if _short_unnumbered(text) and schema.classify(text):
            stack.clear()
            unnumbered_top = unnumbered_top or not numbered_top
            start_section(text)
            heading(text, no, 2)
            continue
        if _short_unnumbered(text) and nxt and not _short_unnumbered(nxt) and not item_zone:
            if not numbered_top and (unnumbered_top or not seen_heading):
                stack.clear()
                unnumbered_top = True
                start_section(text)
                heading(text, no, 2)
            else:
                heading(text, no, min(last_level + 1, 6))
            continue
        labelled = split_labelled(text) if item_zone and not reason else None
        if labelled is not None:
            paragraph(labelled[0], no)
            nodes[-1].role = "problem"
            paragraph(labelled[1], no)
            nodes[-1].role = "measure"
            continue
        if item_zone and not reason and not schema.is_reason_paragraph(text):
            for piece in split_runins(text):
                paragraph(piece, no)
            continue
        paragraph(text, no)
    return Document(title, title_line, intro, nodes)


def split_runins(text: str) -> list[str]:
    """A paragraph's outer run-in items as separate pieces; nested ones stay inside.

    Uses :func:`shuzhi.ordinals.outer_runins` exactly as the model does, so each
    piece is one item for :func:`shuzhi.model.parse_report`. The text before the
    first run-in (an introduction) is a piece of its own.
    """
    if lead_ordinal(text) is not None:
        return [text]
    outer, _nested = outer_runins(text)
    if not outer:
        return [text]
    offsets = [offset for offset, _ in outer]
    pieces = []
    if offsets[0] > 0 and text[: offsets[0]].strip():
        pieces.append(text[: offsets[0]].strip())
    for a, b in zip(offsets, [*offsets[1:], len(text)], strict=True):
        piece = text[a:b].strip()
        if piece:
            pieces.append(piece)
    return pieces
