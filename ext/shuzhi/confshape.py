"""The shape of ``shuzhi.yaml``: every key, its type, every pattern compiled, checked once.

:func:`check_shape` runs when the configuration is loaded (``shuzhi lint``, and the
Sphinx build at ``config-inited``), so a wrong type or a bad regex is one located
Chinese error before any report is read — ``shuzhi.yaml:7: placeholder.patterns[1]
的正则「x(」有误…`` — never an ``AttributeError`` at the first report. Adding a
key: one entry in :data:`SHAPE` (and its use elsewhere).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

At = tuple[str | int, ...]
Check = Callable[[Any, At], None]


class ShapeError(ValueError):
    """A value of shuzhi.yaml that has the wrong type or does not compile, with where it is."""

    def __init__(self, at: At, message: str) -> None:
        super().__init__(message)
        self.at = at
        self.message = message


def _name(at: At) -> str:
    out = ""
    for part in at:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def text(value: Any, at: At) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ShapeError(at, f"应为文字，现为 {value!r}")


def flag(value: Any, at: At) -> None:
    if not isinstance(value, bool):
        raise ShapeError(at, f"应为 true 或 false，现为 {value!r}")


def regex(value: Any, at: At) -> None:
    text(value, at)
    try:
        re.compile(value)
    except re.error as exc:
        raise ShapeError(at, f"的正则「{value}」有误（{exc}），请改正；要匹配括号等符号本身，请在前面加 \\") from None


def named_regex(group: str) -> Check:
    def check(value: Any, at: At) -> None:
        regex(value, at)
        if group not in re.compile(value).groupindex:
            raise ShapeError(at, f"的正则「{value}」应含有名为 {group} 的分组，如 (?P<{group}>…)")

    return check


def one_of(*choices: str) -> Check:
    def check(value: Any, at: At) -> None:
        if value not in choices:
            raise ShapeError(at, f"应为 {'、'.join(choices)} 之一，现为 {value!r}")

    return check


def seq(item: Check) -> Check:
    def check(value: Any, at: At) -> None:
        if not isinstance(value, list):
            raise ShapeError(at, f"应为列表（[…] 或每行一个“- …”），现为 {value!r}")
        for index, element in enumerate(value):
            item(element, (*at, index))

    return check


def pair(first: Check, second: Check) -> Check:
    def check(value: Any, at: At) -> None:
        if not isinstance(value, list) or len(value) != 2:
            raise ShapeError(at, f"应为两项的列表 [规范章节, 正则]，现为 {value!r}")
        first(value[0], (*at, 0))
        second(value[1], (*at, 1))

    return check


def optional(inner: Check) -> Check:
    def check(value: Any, at: At) -> None:
        if value is not None:
            inner(value, at)

    return check


def by_type(options: Mapping[type, Check], hint: str) -> Check:
    """A value of one of several types, each with its own shape."""

    def check(value: Any, at: At) -> None:
        for kind, option in options.items():
            if isinstance(value, kind):
                option(value, at)
                return
        raise ShapeError(at, f"应为{hint}，现为 {value!r}")

    return check


def mapping(fields: Mapping[str, Check] | None = None, values: Check | None = None, required: tuple[str, ...] = ()) -> Check:
    """A mapping with known keys (``fields``) or any keys whose values all have one shape (``values``)."""

    def check(value: Any, at: At) -> None:
        if not isinstance(value, dict):
            raise ShapeError(at, f"应为“键: 值”的映射，现为 {value!r}")
        for key in required:
            if key not in value:
                raise ShapeError(at, f"缺少「{key}」")
        for key, element in value.items():
            where = (*at, str(key))
            if fields is not None:
                if str(key) not in fields:
                    close = difflib.get_close_matches(str(key), list(fields), n=1)
                    hint = f"是否应为「{close[0]}」？" if close else f"可用的键：{'、'.join(fields)}。"
                    raise ShapeError(where, f"是未知的键，{hint}")
                fields[str(key)](element, where)
            elif values is not None:
                values(element, where)

    return check


def anything(value: Any, at: At) -> None:
    del value, at


_SECTION = mapping({"label": text, "aliases": seq(text), "paragraph_labels": seq(regex)})
_PLACEHOLDER = by_type(
    {str: regex, dict: mapping({"name": text, "regex": regex, "context": regex}, required=("regex",))},
    hint="正则，或 {name: 名称, regex: 正则, context: 正则}",
)

#: every top-level key of shuzhi.yaml and the shape of its value
SHAPE: dict[str, Check] = {
    "kinds": seq(text),
    "severities": anything,  # checked against the rule registry by load_config, with suggestions
    "sections": mapping(values=_SECTION),
    "match": seq(pair(text, regex)),
    "kinds_sections": mapping(values=mapping({"required": seq(text), "order": seq(text), "wildcard": text})),
    "items": mapping(values=one_of("problem", "measure", "rectification")),
    "measure_intro": seq(regex),
    "placeholder": mapping({"patterns": seq(_PLACEHOLDER), "exceptions": seq(regex)}),
    "pii": mapping({"mobile": flag, "id_card": flag, "qq": flag, "email": flag, "allow": seq(regex)}),
    "adverts": mapping(
        {"line": seq(regex), "inline": seq(regex), "distributor": seq(named_regex("name")), "names": seq(text)}
    ),
    "taxonomy": mapping(values=optional(seq(text))),
    "orgs": anything,  # {aliases: {现名: [曾用名…]}}, checked with located messages by load_config
}


def check_shape(data: dict[str, Any], path: Path) -> None:
    """Raise ValueError (``path:line: key 问题``, in Chinese) at the first value of the wrong shape."""
    try:
        mapping(SHAPE)(data, ())
    except ShapeError as exc:
        raise ValueError(located(path, exc.at, exc.message)) from None


def located(path: Path, at: At, message: str) -> str:
    """``shuzhi.yaml:7: placeholder.patterns[1] 问题``: the line of the key (or list item) in the file."""
    line = line_of(path, at) if path.is_file() else 0
    where = f"{path.name}:{line}" if line else path.name
    return f"{where}: {_name(at)} {message}。".replace("。。", "。").replace("？。", "？")


def line_of(path: Path, at: At) -> int:
    """The 1-based line of a key path in a YAML file (0 if not found)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return 0
    line = 0
    for part in at:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
