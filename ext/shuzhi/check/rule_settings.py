"""The rules' own settings: ``data/rules.yaml`` overlaid by the archive's ``shuzhi.yaml``.

Compiled once per configuration (keyed by the relevant part of ``Config.raw``), so
checking a thousand reports compiles each pattern once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

import yaml

from .. import DATA_DIR
from ..config import Config
from ..read import adverts
from ..read.literals import Gate

DATA = DATA_DIR / "rules.yaml"
PII_KINDS = ("mobile", "id_card", "qq", "email")


@dataclass(frozen=True)
class Placeholder:
    name: str
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Settings:
    placeholders: tuple[Placeholder, ...]
    exceptions: tuple[re.Pattern[str], ...]
    pii: frozenset[str]  # enabled kinds
    pii_allow: tuple[re.Pattern[str], ...]
    adverts: adverts.AdvertPatterns

    @cached_property
    def _gate(self) -> Gate:
        ads = self.adverts
        return Gate([p.pattern for p in self.placeholders] + [p for g in ads.NARROWED for p in getattr(ads, g)])

    def within(self, text: str) -> Settings:
        """These settings without the placeholder and advert patterns that cannot match ``text``
        anywhere (one scan of it for both): the rules find the same on ``text`` and its parts
        with either, faster with these."""
        keep = self._gate.possible(text)
        return replace(
            self,
            placeholders=tuple(p for p in self.placeholders if id(p.pattern) in keep),
            adverts=self.adverts.keeping(keep),
        )


def settings(config: Config | None) -> Settings:
    raw = config.raw if config is not None else {}
    extra = {k: raw[k] for k in ("placeholder", "pii", "adverts") if k in raw}
    return _settings(json.dumps(extra, sort_keys=True, ensure_ascii=False, default=str))


@lru_cache(maxsize=8)
def _settings(extra_json: str) -> Settings:
    base = yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}
    extra: dict[str, Any] = json.loads(extra_json)
    ph = dict(base.get("placeholder") or {})
    ph_extra = _mapping(extra.get("placeholder"), "placeholder")
    patterns = list(ph.get("patterns") or []) + list(ph_extra.get("patterns") or [])
    exceptions = list(ph.get("exceptions") or []) + list(ph_extra.get("exceptions") or [])
    pii = dict(base.get("pii") or {})
    pii.update({k: v for k, v in _mapping(extra.get("pii"), "pii").items() if k != "allow"})
    allow = list(pii.get("allow") or []) + list(_mapping(extra.get("pii"), "pii").get("allow") or [])
    advert_extra = _mapping(extra.get("adverts"), "adverts")
    return Settings(
        placeholders=tuple(_placeholder(p) for p in patterns),
        exceptions=tuple(_compile(p, "placeholder.exceptions") for p in exceptions),
        pii=frozenset(k for k in PII_KINDS if pii.get(k, True)),
        pii_allow=tuple(_compile(p, "pii.allow") for p in allow),
        adverts=adverts.load(advert_extra) if advert_extra else adverts.default(),
    )


def _mapping(value: Any, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"shuzhi.yaml: {key} 应为“键: 值”的映射。")
    return value


def _compile(pattern: Any, where: str) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        raise ValueError(f"shuzhi.yaml: {where} 中的正则 {pattern!r} 有误：{exc}") from None


def _placeholder(spec: Any) -> Placeholder:
    if isinstance(spec, str):
        return Placeholder(spec, _compile(spec, "placeholder.patterns"))
    if not isinstance(spec, dict) or "regex" not in spec:
        raise ValueError("shuzhi.yaml: placeholder.patterns 的每一项应为正则，或 {name: …, regex: …}。")
    context = spec.get("context")
    return Placeholder(
        str(spec.get("name") or spec["regex"]),
        _compile(spec["regex"], "placeholder.patterns"),
        _compile(context, "placeholder.patterns") if context else None,
    )
