"""Archive configuration: package defaults overlaid by the archive's ``shuzhi.yaml``.

Both the lint CLI and the Sphinx extension load it through :func:`load_config`, so
a rule behaves the same in ``shuzhi lint`` and in ``make html``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .confshape import check_shape
from .model.frontmatter import DEFAULT_KINDS
from .model.schema import SectionSchema
from .model.tokens import DEFAULT_MYST, myst_from_conf

CONFIG_NAME = "shuzhi.yaml"


@dataclass(frozen=True)
class Config:
    """Validated, read-only configuration of one archive."""

    root: Path | None = None
    kinds: tuple[str, ...] = DEFAULT_KINDS
    #: per-code severity overrides: {"placeholder": {"draft": "warning", "final": "error"}}
    severities: dict[str, dict[str, str]] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    #: the archive's MyST settings (``myst_<name>`` in conf.py → name): reports are read with them
    myst: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_MYST))
    #: an organisation's former name -> its current name (``orgs.aliases``), for the ledger
    org_aliases: dict[str, str] = field(default_factory=dict)

    @cached_property
    def schema(self) -> SectionSchema:
        return SectionSchema.load(self.sections or None)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding shuzhi.yaml or conf.py."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else list(start.parents):
        if (folder / CONFIG_NAME).is_file() or (folder / "conf.py").is_file():
            return folder
    return None


def load_config(root: Path | None = None, myst: dict[str, Any] | None = None) -> Config:
    """Load ``root/shuzhi.yaml`` if present; errors there raise ValueError in Chinese.

    ``myst``: the MyST settings the build uses (the Sphinx extension passes its own);
    without it they are read from ``root/conf.py`` as Sphinx reads it.
    """
    data: dict[str, Any] = {}
    if root is not None and (root / CONFIG_NAME).is_file():
        path = root / CONFIG_NAME
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: 配置文件不是合法的 YAML：{exc}") from None
        if not isinstance(loaded, dict):
            raise ValueError(f"{path}: 配置文件应为“键: 值”的映射。")
        data = loaded
        check_shape(data, path)
    kinds = data.get("kinds", DEFAULT_KINDS)
    if not isinstance(kinds, list | tuple) or not all(isinstance(k, str) for k in kinds):
        raise ValueError(f"{CONFIG_NAME}: kinds 应为报告类型名称的列表。")
    severities = data.get("severities", {})
    if not isinstance(severities, dict):
        raise ValueError(f"{CONFIG_NAME}: severities 应为“规则代码: 级别”的映射。")
    norm: dict[str, dict[str, str]] = {}
    from .check.registry import REGISTRY  # here: the registry itself imports this module

    for code, value in severities.items():
        if str(code) not in REGISTRY:
            close = difflib.get_close_matches(str(code), REGISTRY, n=1)
            hint = f"是否应为「{close[0]}」？" if close else f"可用的代码见规则参考：{'、'.join(REGISTRY)}。"
            raise ValueError(f"{CONFIG_NAME}: severities 中的规则代码「{code}」不存在，{hint}")
        # YAML 1.1 reads a bare `off` as False
        if value is False:
            value = "off"
        if isinstance(value, dict):
            value = {k: ("off" if v is False else v) for k, v in value.items()}
        if isinstance(value, str):
            norm[str(code)] = {"draft": value, "final": value}
        elif isinstance(value, dict):
            norm[str(code)] = {str(k): str(v) for k, v in value.items()}
        else:
            raise ValueError(f"{CONFIG_NAME}: severities.{code} 应为 error/warning/info 或 {{draft: …, final: …}}。")
        for level in norm[str(code)].values():
            if level not in ("error", "warning", "info", "off"):
                raise ValueError(f"{CONFIG_NAME}: severities.{code} 的级别 {level!r} 无效，可用 error、warning、info、off。")
    aliases = _org_aliases(data.get("orgs"), root / CONFIG_NAME if root is not None else None)
    sections: dict[str, Any] = {k: data[k] for k in ("sections", "match", "kinds_sections", "items", "measure_intro") if k in data}
    if "kinds_sections" in sections:
        sections["kinds"] = sections.pop("kinds_sections")
    if myst is None:
        myst = myst_from_conf(root) if root is not None else dict(DEFAULT_MYST)
    config = Config(root=root, kinds=tuple(kinds), severities=norm, sections=sections, raw=data, myst=myst, org_aliases=aliases)
    _build(config)
    return config


def _build(config: Config) -> None:
    """Build now what the rules build from the configuration, so any remaining error shows here, once."""
    from .check.rule_settings import settings
    from .model.tokens import markdown

    try:
        config.schema.classify("存在问题")
    except (AttributeError, KeyError, TypeError, ValueError, re.error) as exc:
        raise ValueError(f"{CONFIG_NAME}: 章节规则（sections、match、kinds_sections、items）有误：{exc}") from None
    settings(config)
    markdown(config.myst)


def _org_aliases(orgs: Any, path: Path | None) -> dict[str, str]:
    """``orgs: {aliases: {现名: [曾用名, …]}}`` as {曾用名: 现名}, checked (located at the line of the name)."""
    if orgs is None:
        return {}
    where = str(path or CONFIG_NAME)

    def fail(what: str, name: str | None = None) -> ValueError:
        return ValueError(f"{where}{_line_of(path, name)}: {what}")

    unknown = [str(k) for k in orgs] if isinstance(orgs, dict) else []
    unknown = [k for k in unknown if k != "aliases"]
    if unknown:
        raise fail(f"orgs 下只能写 aliases（单位曾用名），不认识「{unknown[0]}」。", unknown[0])
    if not isinstance(orgs, dict) or not isinstance(orgs.get("aliases", {}), dict):
        raise fail("orgs.aliases 应为“现名: [曾用名, …]”的映射，例如 orgs: {aliases: {东湖街道党委: [东湖街道党工委]}}。", "orgs")
    out: dict[str, str] = {}
    for current, former in (orgs.get("aliases") or {}).items():
        names = [former] if isinstance(former, str) else former
        if not isinstance(current, str) or not current.strip() or not isinstance(names, list) \
                or not all(isinstance(n, str) and n.strip() for n in names):
            raise fail(f"orgs.aliases 中「{current}」应对应曾用名的列表（非空文字）。", str(current))
        for name in names:
            if name == current:
                raise fail(f"orgs.aliases：「{name}」的曾用名不能是它自己，请删去。", name)
            if name in out and out[name] != current:
                raise fail(f"orgs.aliases：曾用名「{name}」同时归到「{out[name]}」和「{current}」，请只保留一处。", name)
            out[name] = current
    for name, current in out.items():
        if current in out:
            raise fail(f"orgs.aliases：「{current}」本身又是「{out[current]}」的曾用名，请把「{name}」直接归到现名下。", current)
    return out


def _line_of(path: Path | None, needle: str | None) -> str:
    """``:N`` for the first line of the file naming ``needle`` (empty when not found)."""
    if path is None or not needle or not path.is_file():
        return ""
    lines = path.read_text(encoding="utf-8").splitlines()
    # the line where it is a key first (市局: [...]), else the first that names it
    for test in (lambda s: s.strip().startswith(f"{needle}:"), lambda s: needle in s):
        for number, line in enumerate(lines, 1):
            if test(line):
                return f":{number}"
    return ""
