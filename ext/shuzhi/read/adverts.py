"""Advert and watermark patterns, shared by the importer (drops) and the watermark rule (flags)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any, ClassVar

import yaml

from .. import DATA_DIR
from .literals import Gate, may_match

DATA = DATA_DIR / "adverts.yaml"


@dataclass(frozen=True)
class AdvertPatterns:
    line: tuple[re.Pattern[str], ...]
    inline: tuple[re.Pattern[str], ...]
    distributor: tuple[re.Pattern[str], ...]
    extra_names: tuple[str, ...] = field(default=())
    #: site chrome, removed only before the report's first or after its last paragraph
    edge: tuple[re.Pattern[str], ...] = field(default=())
    #: page numbers of text copied from a PDF (— 3 —, 第3页)
    page: tuple[re.Pattern[str], ...] = field(default=())
    #: headers of related-link lists (相关推荐：)
    related: tuple[re.Pattern[str], ...] = field(default=())
    #: paywall and omission notes (group ``n``: the missing characters, where stated)
    truncated: tuple[re.Pattern[str], ...] = field(default=())

    def line_match(self, line: str) -> re.Match[str] | None:
        """The pattern a whole line matches as advert text (None for ordinary lines)."""
        text = line.strip()
        if not text:
            return None
        for pattern in self.line:
            m = pattern.search(text) if may_match(pattern, text) else None
            if m:
                return m
        return None

    def inline_matches(self, text: str) -> list[re.Match[str]]:
        return [m for p in self.inline if may_match(p, text) for m in p.finditer(text)]

    def edge_match(self, line: str) -> re.Match[str] | None:
        """The chrome pattern a line at the head or tail of a page matches."""
        return next((m for p in self.edge if (m := p.search(line.strip()))), None)

    def is_page_number(self, line: str) -> bool:
        return any(p.search(line.strip()) for p in self.page)

    def is_related(self, line: str) -> bool:
        return any(p.search(line.strip()) for p in self.related)

    def truncations(self, text: str) -> list[re.Match[str]]:
        """Paywall and omission notes in a text, non-overlapping, in order."""
        found: list[re.Match[str]] = []
        matches = (m for p in self.truncated if may_match(p, text) for m in p.finditer(text))
        for m in sorted(matches, key=lambda m: (m.start(), -m.end())):
            if m.group(0).strip() and (not found or m.start() >= found[-1].end()):
                found.append(m)
        return found

    #: the groups :meth:`within` narrows (the ones the lint rules match line by line)
    NARROWED: ClassVar[tuple[str, ...]] = ("line", "inline", "distributor", "truncated")

    @cached_property
    def _gate(self) -> Gate:
        return Gate(p for group in self.NARROWED for p in getattr(self, group))

    def within(self, text: str) -> AdvertPatterns:
        """These patterns without the :attr:`NARROWED` ones that cannot match ``text`` anywhere (they
        lack a string every match holds): on ``text`` and any part of it the result finds exactly
        what ``self`` finds, in the same order, faster."""
        return self.keeping(self._gate.possible(text))

    def keeping(self, keep: Collection[int]) -> AdvertPatterns:
        """These patterns with the :attr:`NARROWED` groups reduced to the patterns whose ``id()`` is in ``keep``."""
        return replace(self, **{g: tuple(p for p in getattr(self, g) if id(p) in keep) for g in self.NARROWED})

    def distributors(self, text: str) -> set[str]:
        """Names of distributors signing a text (酷乐文行整理，咨询QQ… → 酷乐文行)."""
        names: set[str] = set(self.extra_names)
        for raw in text.splitlines():
            for pattern in self.distributor:
                m = pattern.search(raw.strip()) if may_match(pattern, raw) else None
                if m:
                    names.add(m.group("name"))
        return names


def _compile(items: Any) -> tuple[re.Pattern[str], ...]:
    if not isinstance(items, list):
        return ()
    return tuple(re.compile(str(p)) for p in items)


def load(extra: dict[str, Any] | None = None) -> AdvertPatterns:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}
    extra = extra or {}
    return AdvertPatterns(
        line=_compile(data.get("line", []) + list(extra.get("line", []))),
        inline=_compile(data.get("inline", []) + list(extra.get("inline", []))),
        distributor=_compile(data.get("distributor", []) + list(extra.get("distributor", []))),
        extra_names=tuple(str(n) for n in extra.get("names", [])),
        edge=_compile(data.get("edge", []) + list(extra.get("edge", []))),
        page=_compile(data.get("page", []) + list(extra.get("page", []))),
        related=_compile(data.get("related", []) + list(extra.get("related", []))),
        truncated=_compile(data.get("truncated", []) + list(extra.get("truncated", []))),
    )


@lru_cache(maxsize=1)
def default() -> AdvertPatterns:
    return load()
