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
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model.ordinals import lead_ordinal, outer_runins, runins
from ..model.schema import SectionSchema
from .clean import Line
from .infer import is_byline

HEADING_MAX = 60  # a heading line (or a lead sentence taken as heading) is at most this long
SECTION_TITLE = 16  # a canonical section title is short: 存在的主要问题及原因, 下步工作思路和主要措施
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
    role: str = ""  # problem | measure | rectification: an item the importer marks itself (【P1】)
    item_kind: str = ""  # the kind an item here would have (from the section)
    linked: bool = False  # a labelled measure: it answers the labelled problem just before it


@dataclass
class Document:
    title: str
    title_line: int
    intro: list[str]
    nodes: list[Node]
    #: lines above the title that are not chrome (kept, written above the heading, in order)
    preface: list[Line] = field(default_factory=list)


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
    """问题一：……。整改措施：……  →  (the problem, the measure); the measure is "" when not stated."""
    if not _PROBLEM_LABEL.match(text) or outer_runins(text)[0]:
        return None  # 存在问题：一是……；二是…… is a list of run-in items
    m = _MEASURE_LABEL.search(text)
    if m is None:
        return text, ""  # a labelled problem without its measure
    return text[: m.start()].strip(), text[m.start() :].strip()


def _section_like(text: str, ordinal: str) -> bool:
    """（二）原因分析 / 三、存在问题及整改措施: a short title, not an item's sentence that names 履职."""
    rest = text[len(ordinal) :]
    return len(rest) <= HEADING_MAX and not _INNER_PUNCT.search(rest.rstrip("。")) and (
        len(rest) <= SECTION_TITLE or "，" not in rest
    )


def _short_unnumbered(text: str) -> bool:
    return len(text) <= SHORT_LINE and not text.endswith(_FINAL) and not _INNER_PUNCT.search(text)


def build(
    lines: list[Line], schema: SectionSchema, title_at: tuple[int, int], headings: Mapping[int, int] | None = None
) -> Document:
    """``title_at``: (index, number of lines) of the title among the text lines (see infer.title_rows);
    ``headings``: source line → heading level (1 = top) the file itself states (Word heading styles)."""
    rows = [ln for ln in lines if ln.text]
    title, title_line = "", 0
    start, count = title_at
    preface: list[Line] = []
    if count and rows:
        title, title_line = "".join(r.text for r in rows[start : start + count]), rows[start].no
        preface, rows = rows[:start], rows[start + count :]
    builder = _Builder(schema, headings or {})
    builder.run(rows)
    _mark_unnumbered_items(builder.nodes)
    return Document(title, title_line, builder.intro, builder.nodes, preface)


class _Builder:
    """Reads the lines once, top to bottom, keeping the state of the section it is in."""

    def __init__(self, schema: SectionSchema, headings: Mapping[int, int]) -> None:
        self.schema = schema
        self.headings = headings
        self.nodes: list[Node] = []
        self.intro: list[str] = []
        self.stack: list[str] = []  # ordinal styles by level, in order of appearance
        self.last_level = 1
        self.seen_heading = False
        self.numbered_top = False  # a numbered line became a top section
        self.unnumbered_top = False  # the top sections are unnumbered lines: ordinals start one level down
        self.item_zone = self.reason = self.feedback = False
        self.kinds: list[str] = []  # item kinds of the current top section (two for 存在问题及整改措施)
        self.kind = ""  # the kind its items have at this point
        self.forced = False  # inside （二）整改措施: the importer marks the items' kind itself

    def start_section(self, text: str) -> None:
        canon = self.schema.classify(text)
        self.kinds = [self.schema.items[c] for c in canon if c in self.schema.items]
        self.kind = self.kinds[0] if self.kinds else ""
        self.item_zone = bool(self.kinds)
        self.reason = self.forced = False
        self.feedback = self.item_zone and "反馈" in text

    def heading(self, text: str, no: int, level: int) -> None:
        self.nodes.append(Node("heading", text, no, level))
        self.last_level, self.seen_heading = level, True

    def paragraph(self, text: str, no: int, role: str = "") -> None:
        if not self.seen_heading:
            self.intro.append(text)
        zone = self.item_zone and not self.reason
        if zone and "反馈" in text:
            self.feedback = True  # 针对2022年述职反馈的……问题: the rectifications answer feedback
        if zone and len(self.kinds) > 1 and self.kind == self.kinds[0] and self.schema.is_measure_intro(text):
            self.kind = self.kinds[1]
        if zone and self.forced and not role and _item_like(text):
            role = self.kind
        node = Node("paragraph", text, no, 0, zone, self.feedback, role)
        node.item_kind = self.kind if zone else ""
        self.nodes.append(node)

    def heading_or_lead(self, text: str, no: int, level: int) -> None:
        if _heading_like(text):
            self.heading(text, no, level)
            return
        split = _lead_split(text)
        if split is not None:
            self.heading(split[0], no, level)
            self.paragraph(split[1], no)
        else:
            self.paragraph(text, no)

    def run(self, rows: list[Line]) -> None:
        k = 0
        while k < len(rows):
            text, no = rows[k].text, rows[k].no
            nxt = rows[k + 1].text if k + 1 < len(rows) else ""
            k += 1
            if lead_ordinal(text) is not None:
                k += self.numbered(text, no, nxt)
            elif self.headings.get(no, 0) > 0:
                self.stated(text, no, self.headings[no])
            elif _short_unnumbered(text) and self.schema.classify(text):
                # 存在的问题 / 2022年工作打算 on a line of its own: a top section
                del self.stack[0 if self.unnumbered_top or not self.numbered_top else 1 :]
                self.unnumbered_top = self.unnumbered_top or not self.numbered_top
                self.start_section(text)
                self.heading(text, no, 2)
            elif _short_unnumbered(text) and nxt and not _short_unnumbered(nxt) and not self.item_zone:
                if self.seen_heading or not is_byline(text):
                    self.unnumbered(text, no)
                else:  # the unit or the date under the title (a cover page, a byline): not a heading
                    self.paragraph(text, no)
            else:
                self.body(text, no)

    def stated(self, text: str, no: int, level: int) -> None:
        """An unnumbered heading the file marks as such (a Word heading style): its level, not a guess."""
        if level == 1:
            self.stack.clear()
            self.start_section(text)
        self.heading(text, no, min(level + 1, 6))

    def numbered(self, text: str, no: int, nxt: str) -> int:
        """A line starting with an ordinal; returns 1 when it took the next line too."""
        ordinal = lead_ordinal(text)
        assert ordinal is not None
        if ordinal.style in self.stack:
            del self.stack[self.stack.index(ordinal.style) + 1 :]
        else:
            self.stack.append(ordinal.style)
        level = min(1 + len(self.stack) + int(self.unnumbered_top), 6)
        self.numbered_top = self.numbered_top or level == 2
        canon = self.schema.classify(text) if _section_like(text, ordinal.text) else ()
        if level == 2:
            self.start_section(text)
            self.heading_or_lead(text, no, level)
        elif self.item_zone and canon and "原因分析" not in canon and len(self.kinds) > 1:
            # （一）存在问题 （二）整改措施 inside 存在问题及整改措施: a subsection whose items have its kind
            self.heading(text, no, level)
            sub = [self.schema.items[c] for c in canon if c in self.schema.items]
            self.kind = sub[0] if sub else self.kind
            self.reason, self.forced = False, True
        elif self.item_zone and canon and "原因分析" not in canon:
            level = 2  # a canonical section written one level down: a section, not an item
            self.start_section(text)
            self.heading_or_lead(text, no, level)
        elif self.item_zone and canon:
            self.heading(text, no, level)  # （二）原因分析: reasons, not items
            self.reason = True
        elif self.item_zone and not self.reason:
            # an item: a short item title with its explanation on the next line
            # stays one paragraph (two lines), so the item carries both
            if _heading_like(text) and nxt and lead_ordinal(nxt) is None and not _short_unnumbered(nxt):
                self.paragraph(text + "\n" + nxt, no)
                return 1
            self.paragraph(text, no)
        elif text.strip() == ordinal.text.strip() and nxt and lead_ordinal(nxt) is None:
            # （一） alone on its line (Word list numbering, a PDF line break): its text is the next line
            self.heading_or_lead(text.strip() + nxt.strip(), no, level)
            return 1
        else:
            self.heading_or_lead(text, no, level)
        return 0

    def unnumbered(self, text: str, no: int) -> None:
        """A short line without final punctuation followed by body text: a heading."""
        if not self.numbered_top and (self.unnumbered_top or not self.seen_heading):
            self.stack.clear()
            self.unnumbered_top = True
            self.start_section(text)
            self.heading(text, no, 2)
        else:
            self.heading(text, no, min(self.last_level + 1, 6))

    def body(self, text: str, no: int) -> None:
        zone = self.item_zone and not self.reason
        labelled = split_labelled(text) if zone else None
        if labelled is not None:
            self.paragraph(labelled[0], no, "problem")
            if labelled[1]:
                self.paragraph(labelled[1], no, "measure")
                self.nodes[-1].linked = True
        elif zone and not self.schema.is_reason_paragraph(text):
            for piece in split_runins(text):
                self.paragraph(piece, no)
        else:
            self.paragraph(text, no)


def _mark_unnumbered_items(nodes: list[Node]) -> None:
    """Unnumbered items: in an item section, two or more paragraphs in a row that each open
    with a short lead sentence (党建工作发展还不够平衡。集团本部……) are one item each."""
    group: list[Node] = []
    for node in [*nodes, Node("heading", "", 0)]:
        if node.kind == "paragraph" and node.item_zone and not node.role and _unnumbered_item(node.text):
            group.append(node)
            continue
        if node.kind == "heading" or not node.item_zone or node.role or lead_ordinal(node.text) or runins(node.text):
            if len(group) >= 2:
                for member in group:
                    member.role = member.item_kind
            group = []


def _item_like(text: str) -> bool:
    """A paragraph the model reads as an item: it opens with an ordinal or a run-in."""
    found = runins(text)
    return lead_ordinal(text) is not None or bool(found and found[0][0] == 0)


def _unnumbered_item(text: str) -> bool:
    if lead_ordinal(text) is not None or runins(text):
        return False
    split = _lead_split(text)
    return split is not None and len(split[0]) <= SHORT_LINE + 1


def split_runins(text: str) -> list[str]:
    """A paragraph's outer run-in items as separate pieces; nested ones stay inside.

    Uses :func:`shuzhi.model.ordinals.outer_runins` exactly as the model does, so each
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
