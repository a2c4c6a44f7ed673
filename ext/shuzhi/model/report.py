"""The model's types: a :class:`Report` with its sections, items (problems, measures,
rectifications) and ordinal runs; :func:`plain`, the text a reader sees of a Markdown line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from . import frontmatter
from .findings import Note
from .ordinals import ITEM_MARKER, Ordinal, lead_sentence
from .schema import SectionSchema
from .tokens import Block

ITEM_PREFIX = {"problem": "P", "measure": "M", "rectification": "R"}
PREFIX_KIND = {v: k for k, v in ITEM_PREFIX.items()}
FEEDBACK = "反馈"

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~%=:&$^\"])")


@dataclass
class Section:
    title: str
    level: int  # Markdown heading depth
    line: int
    end_line: int
    canonical: tuple[str, ...] = ()
    ordinal: Ordinal | None = None
    parent: int | None = None  # index in Report.sections
    blocks: list[Block] = field(default_factory=list)
    wildcard: bool = False  # counted as a canonical section by the kind's wildcard

    @property
    def top(self) -> bool:
        return self.parent is None


@dataclass
class Item:
    """A problem, a measure or a rectification, addressable by its id."""

    id: str
    kind: str  # problem | measure | rectification
    text: str
    line: int
    section: int
    explicit: bool = False
    targets: list[str] = field(default_factory=list)  # ids this item refers to
    ordinal: Ordinal | None = None

    @property
    def lead(self) -> str:
        """The lead sentence, which states the problem or the measure."""
        return lead_sentence(self.text)


@dataclass
class OrdinalRun:
    """A sequence of ordinals at one level under one parent, for the numbering rule."""

    where: str  # heading | paragraph | runin
    entries: list[tuple[int, Ordinal]]


@dataclass
class Report:
    path: str
    text: str
    front: frontmatter.FrontMatter
    title: str = ""
    title_line: int = 0
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    runs: list[OrdinalRun] = field(default_factory=list)
    reason_lines: list[int] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    # -- front matter accessors -------------------------------------------------
    @property
    def year(self) -> int | None:
        return self.front.year

    @property
    def org(self) -> str:
        return self.front.get_str("org")

    @property
    def kind(self) -> str:
        return self.front.get_str("kind")

    @property
    def status(self) -> str:
        return self.front.get_str("status") or "draft"

    @property
    def display_title(self) -> str:
        return self.front.get_str("title") or self.title or self.path

    # -- structure ----------------------------------------------------------------
    @property
    def top_sections(self) -> list[Section]:
        return [s for s in self.sections if s.top]

    def canonical_sections(self, canonical: str) -> list[Section]:
        return [s for s in self.top_sections if canonical in s.canonical]

    def has_section(self, canonical: str) -> bool:
        if canonical == "原因分析" and self.reason_lines:
            return True
        return any(canonical in s.canonical for s in self.sections)

    def items_of(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    @property
    def problems(self) -> list[Item]:
        return self.items_of("problem")

    @property
    def measures(self) -> list[Item]:
        return self.items_of("measure")

    @property
    def rectifications(self) -> list[Item]:
        return self.items_of("rectification")

    def item(self, item_id: str) -> Item | None:
        for it in self.items:
            if it.id == item_id:
                return it
        return None

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + 1

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def text_lines(self) -> list[tuple[int, str]]:
        """(line number, raw line) of every non-blank line outside fenced blocks, front matter included.

        What the hygiene rules read: everything a reader may see, as written. Fences
        (``` and :::) hold code or directives the model does not read.
        """
        out: list[tuple[int, str]] = []
        fenced = iter([(b.line, b.end_line) for b in self.blocks if b.fenced])
        skip = next(fenced, None)
        for number, raw in enumerate(self.lines, start=1):
            while skip is not None and number > skip[1]:
                skip = next(fenced, None)
            if (skip is None or number < skip[0]) and raw.strip():
                out.append((number, raw))
        return out


@lru_cache(maxsize=4)
def default_schema() -> SectionSchema:
    return SectionSchema.load()


def plain(text: str) -> str:
    """Markdown source → the text a reader sees (escapes and item markers removed)."""
    if "\\" not in text and "【" not in text:
        return text  # nearly every line: nothing to remove
    return _plain(text)


@lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    # the rules ask for the same line several times (placeholder, watermark, truncated, pii)
    return _ESCAPE.sub(_unescaped, ITEM_MARKER.sub("", text))


def _unescaped(m: re.Match[str]) -> str:
    # a function, not the template r"\1": Python expands templates per match in Python code
    return m.group(1)
