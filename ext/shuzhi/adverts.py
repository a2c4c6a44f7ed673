"""Advert and watermark patterns, shared by the importer (drops) and the watermark rule (flags)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data" / "adverts.yaml"


@dataclass(frozen=True)
class AdvertPatterns:
    line: tuple[re.Pattern[str], ...]
    inline: tuple[re.Pattern[str], ...]
    distributor: tuple[re.Pattern[str], ...]
    extra_names: tuple[str, ...] = field(default=())

    def line_match(self, line: str) -> re.Match[str] | None:
        """The pattern a whole line matches as advert text (None for ordinary lines)."""
        text = line.strip()
        if not text:
            return None
        for pattern in self.line:
            m = pattern.search(text)
            if m:
                return m
        return None

    def inline_matches(self, text: str) -> list[re.Match[str]]:
        return [m for p in self.inline for m in p.finditer(text)]

    def distributors(self, text: str) -> set[str]:
        """Names of distributors signing a text (酷乐文行整理，咨询QQ… → 酷乐文行)."""
        names: set[str] = set(self.extra_names)
        for raw in text.splitlines():
            for pattern in self.distributor:
                m = pattern.search(raw.strip())
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
    )


@lru_cache(maxsize=1)
def default() -> AdvertPatterns:
    return load()
