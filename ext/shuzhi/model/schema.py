"""The section schema: canonical sections, their aliases, and what each kind requires.

Loaded from ``data/sections.yaml``; an archive's ``shuzhi.yaml`` may override any
top-level key. Shared by the importer, the model and the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from .. import DATA_DIR
from .ordinals import strip_ordinal

DATA = DATA_DIR
CANONICAL = ("整改落实", "履职情况", "存在问题", "原因分析", "下一步打算")

_SPLIT = re.compile(r"[及和与、暨]|以及")
_NOISE = re.compile(r"[\s，,。.:：；;“”\"'（）()《》\\*#]")


@dataclass(frozen=True)
class KindRule:
    required: tuple[str, ...]
    order: tuple[str, ...]
    wildcard: str | None = None


@dataclass
class SectionSchema:
    labels: dict[str, str]
    aliases: dict[str, tuple[str, ...]]
    match: list[tuple[str, re.Pattern[str]]]
    kinds: dict[str, KindRule]
    items: dict[str, str]
    reason_labels: list[re.Pattern[str]] = field(default_factory=list)
    measure_intro: list[re.Pattern[str]] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SectionSchema:
        sections = data.get("sections", {})
        labels = {name: str(spec.get("label", name)) for name, spec in sections.items()}
        aliases = {name: tuple(str(a) for a in spec.get("aliases", [])) for name, spec in sections.items()}
        reason = sections.get("原因分析", {}).get("paragraph_labels", [])
        kinds = {
            str(kind): KindRule(
                required=tuple(spec.get("required", [])),
                order=tuple(spec.get("order", spec.get("required", []))),
                wildcard=spec.get("wildcard"),
            )
            for kind, spec in data.get("kinds", {}).items()
        }
        return cls(
            labels=labels,
            aliases=aliases,
            match=[(str(c), re.compile(p)) for c, p in data.get("match", [])],
            kinds=kinds,
            items={str(k): str(v) for k, v in data.get("items", {}).items()},
            reason_labels=[re.compile(p) for p in reason],
            measure_intro=[re.compile(p) for p in data.get("measure_intro", [])],
        )

    @classmethod
    def load(cls, overrides: dict[str, Any] | None = None) -> SectionSchema:
        data = yaml.safe_load((DATA / "sections.yaml").read_text(encoding="utf-8"))
        if overrides:
            data.update(overrides)
        return cls.from_dict(data)

    @cached_property
    def _alias_index(self) -> dict[str, str]:
        return {_normalise(a): name for name, names in self.aliases.items() for a in names}

    @cached_property
    def _classified(self) -> dict[str, tuple[str, ...]]:
        return {}

    def classify(self, title: str) -> tuple[str, ...]:
        """The canonical section(s) a heading title stands for, in title order."""
        found = self._classified.get(title)
        if found is None:
            found = self._classified[title] = self._classify(title)
            if len(self._classified) > 4096:  # an archive's titles repeat; a stream of new ones must not grow it
                self._classified.clear()
        return found

    def _classify(self, title: str) -> tuple[str, ...]:
        text = _normalise(strip_ordinal(title))
        if not text:
            return ()
        exact = self._alias_index.get(text)
        found: list[str] = []
        parts = [p for p in _SPLIT.split(text) if p]
        for part in parts:
            for canonical, pattern in self.match:
                if pattern.search(part):
                    if canonical not in found:
                        found.append(canonical)
                    break
        if exact and exact not in found:
            found.insert(0, exact)
        return tuple(found)

    def is_reason_paragraph(self, text: str) -> bool:
        head = _normalise_head(text)
        return any(p.search(head) for p in self.reason_labels)

    def is_measure_intro(self, text: str) -> bool:
        head = _normalise_head(text)[:40]
        return any(p.search(head) for p in self.measure_intro)

    def alias_hint(self, canonical: str) -> str:
        return "、".join(self.aliases.get(canonical, (canonical,)))


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _normalise(text: str) -> str:
    # ２０２２年工作打算 is 2022年工作打算: full-width digits classify like ASCII ones
    return _NOISE.sub("", text.translate(_FULLWIDTH_DIGITS))


#: what may stand before a paragraph's first word: item markers, blanks, emphasis and escape marks
_HEAD = re.compile(r"(【[^】]*】|\s|[*_\\])+")


def _normalise_head(text: str) -> str:
    m = _HEAD.match(text)  # compiled once: this runs on every paragraph of every report
    return text[m.end() :] if m else text
