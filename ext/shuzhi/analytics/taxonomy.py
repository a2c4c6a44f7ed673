"""The problem taxonomy: configurable keyword categories (``data/taxonomy.yaml``).

Classification is literal substring matching, not segmentation, so an archive
manager can predict it from the YAML alone: the lead sentence weighs three times
the explanation, the best-scoring category wins, ties go to the earlier category.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from .. import DATA_DIR
from ..config import Config
from ..model import ItemSummary

DATA = DATA_DIR / "taxonomy.yaml"
OTHER = "其他"
#: how much of an item's explanation (after the lead) is searched
BODY_CHARS = 300


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Category names in display order, 其他 last."""
        return (*(name for name, _ in self.categories), OTHER)

    def scores(self, lead: str, text: str) -> dict[str, int]:
        body = _body(lead, text)
        out: dict[str, int] = {}
        for name, keywords in self.categories:
            score = sum(3 if k in lead else 1 if k in body else 0 for k in keywords)
            if score:
                out[name] = score
        return out

    def classify(self, item: ItemSummary, memo: MutableMapping[bytes, str] | None = None) -> str:
        """The item's category. ``memo`` (digest of what is matched -> category, for this
        taxonomy only) answers for an item classified before and learns the others."""
        if memo is None:
            return self._classify(item)
        key = hashlib.blake2b(f"{item.lead}\0{_body(item.lead, item.text)}".encode(), digest_size=16).digest()
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._classify(item)
        return found

    def _classify(self, item: ItemSummary) -> str:
        scores = self.scores(item.lead, item.text)
        if not scores:
            return OTHER
        best = max(scores.values())
        return next(name for name, _ in self.categories if scores.get(name) == best)


def _body(lead: str, text: str) -> str:
    """What of an item's text is searched besides its lead."""
    return text[len(lead) : len(lead) + BODY_CHARS] if text.startswith(lead) else text[:BODY_CHARS]


def load_taxonomy(config: Config | None = None) -> Taxonomy:
    """The package taxonomy overlaid by ``taxonomy:`` in the archive's shuzhi.yaml.

    Raises ValueError (in Chinese) when either is malformed.
    """
    override = config.raw.get("taxonomy") if config is not None else None
    if override is not None and not isinstance(override, Mapping):
        raise ValueError("shuzhi.yaml: taxonomy 应为“分类名: [关键词, …]”的映射。")
    return _load(tuple((str(k), _keywords(k, v)) for k, v in (override or {}).items()))


@lru_cache(maxsize=8)
def _load(override: tuple[tuple[str, tuple[str, ...] | None], ...]) -> Taxonomy:
    base = yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}
    categories: dict[str, tuple[str, ...] | None] = {
        str(k): _keywords(k, v) for k, v in (base.get("categories") or {}).items()
    }
    for name, keywords in override:
        categories[name] = keywords
    return Taxonomy(tuple((k, v) for k, v in categories.items() if v))


def _keywords(name: Any, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"taxonomy: 分类「{name}」的关键词应为文字列表，如 [宣传, 品牌]。")
    if str(name) == OTHER:
        raise ValueError(f"taxonomy: 「{OTHER}」是未命中任何关键词的问题所归的类，不能配置关键词。")
    return tuple(value)
