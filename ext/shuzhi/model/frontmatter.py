"""Report front matter: split it from the body, load it safely, check its keys.

Never raises on bad input: every defect becomes a :class:`~shuzhi.model.findings.Note`
located at the line of the offending key (or of the opening ``---``).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .findings import Code, Note

REQUIRED_KEYS = ("title", "year", "org", "author", "kind", "status")
OPTIONAL_KEYS = ("date", "tags", "source", "notes")
STATUSES = ("draft", "final")
DEFAULT_KINDS = ("述职报告", "述责述廉报告", "工作总结")

_FENCE = re.compile(r"^---[ \t]*$")
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_TAG = re.compile(r"tag '([^']+)'")


@dataclass
class FrontMatter:
    """The parsed front matter of one report."""

    data: dict[str, Any] = field(default_factory=dict)
    #: 1-based line of each top-level key inside the file
    key_lines: dict[str, int] = field(default_factory=dict)
    #: number of lines the front matter block takes (0 if there is none)
    length: int = 0
    present: bool = False
    notes: list[Note] = field(default_factory=list)

    def get_str(self, key: str) -> str:
        value = self.data.get(key)
        # one line: an org or title is a page heading and a lookup key, never Markdown blocks
        return " ".join(value.strip().splitlines()) if isinstance(value, str) else ""

    @property
    def year(self) -> int | None:
        value = self.data.get("year")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def tags(self) -> list[str]:
        value = self.data.get("tags")
        if isinstance(value, list):
            return [str(t) for t in value if isinstance(t, str | int)]
        return []

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def split(text: str) -> tuple[str | None, int]:
    """Return (front matter source or None, number of lines it takes incl. fences)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].lstrip("\ufeff")):
        return None, 0
    for i in range(1, len(lines)):
        if _FENCE.match(lines[i]):
            return "\n".join(lines[1:i]), i + 1
    return None, 0


def parse(text: str, kinds: tuple[str, ...] = DEFAULT_KINDS) -> FrontMatter:
    """Parse and check the front matter at the top of a report's text."""
    fm = FrontMatter()
    source, length = split(text)
    if source is None:
        if text.lstrip("\ufeff").startswith("---"):
            fm.notes.append(Note(1, Code.FRONT_MATTER, "文首元数据块没有结束行 ---，请在元数据后补一行 ---。"))
        else:
            fm.notes.append(
                Note(1, Code.FRONT_MATTER, "缺少文首元数据（--- 包围的 YAML），请补写 title、year、org、author、kind、status。")
            )
        return fm
    fm.present = True
    fm.length = length
    for offset, line in enumerate(source.split("\n")):
        m = _KEY_LINE.match(line)
        if m and m.group(1) not in fm.key_lines:
            fm.key_lines[m.group(1)] = offset + 2
    try:
        # safe_load only: tags such as !!python/object are refused, never executed
        data = safe_yaml(source) if source.strip() else {}
    except yaml.YAMLError as exc:
        at = 1
        # the construct left open ("while parsing a flow sequence" at its "[") says
        # where to look better than where the parser gave up
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        if mark is not None:
            at = min(mark.line + 2, length)
        problem = getattr(exc, "problem", None) or "格式错误"
        tag = _TAG.search(problem) if isinstance(exc, yaml.constructor.ConstructorError) else None
        if tag is not None:
            # !!python/object/apply:os.system and friends: refused by safe_load, never run
            shown = tag.group(1).replace("tag:yaml.org,2002:", "!!")
            fm.notes.append(Note(at, Code.FRONT_MATTER, f"文首元数据含有不允许的 YAML 标签「{shown}」（未执行）：只接受文字、数字、日期和列表，请删除该标签。"))
            return fm
        fm.notes.append(
            Note(at, Code.FRONT_MATTER, f"文首元数据不是合法的 YAML（{problem}），请检查冒号、引号和缩进。")
        )
        return fm
    if data is None:
        data = {}
    if not isinstance(data, dict):
        fm.notes.append(Note(1, Code.FRONT_MATTER, "文首元数据应为“键: 值”的映射，例如 title: …、year: 2023。"))
        return fm
    fm.data = {str(k): v for k, v in data.items()}
    _check(fm, kinds)
    return fm


#: libyaml's parser with PyYAML's *safe* constructor (what yaml.safe_load uses, in C):
#: reading a thousand reports' front matter is several times faster, and no tag is ever
#: turned into a Python object
_SAFE_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_yaml(source: str) -> Any:
    """``yaml.safe_load`` of a string, with libyaml when PyYAML has it."""
    loader = _SAFE_YAML(source)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _check(fm: FrontMatter, kinds: tuple[str, ...]) -> None:
    data = fm.data
    for key in REQUIRED_KEYS:
        if key not in data or data[key] is None or data[key] == "":
            fm.notes.append(Note(fm.line_of(key), Code.FRONT_MATTER, f"文首元数据缺少「{key}」，请补写（{_HINTS[key]}）。"))
    for key in ("title", "org", "author"):
        value = data.get(key)
        if value is not None and value != "" and not isinstance(value, str):
            fm.notes.append(Note(fm.line_of(key), Code.FRONT_MATTER, f"「{key}」应为文字，现为 {value!r}。"))
    year = data.get("year")
    if year not in (None, "") and (isinstance(year, bool) or not isinstance(year, int) or not 1921 <= year <= 2100):
        fm.notes.append(
            Note(fm.line_of("year"), Code.FRONT_MATTER, f"「year」应为四位阿拉伯数字年份（如 2023），现为 {year!r}。")
        )
    kind = data.get("kind")
    if kind not in (None, "") and kind not in kinds:
        fm.notes.append(
            Note(fm.line_of("kind"), Code.FRONT_MATTER, f"「kind」为 {kind!r}，不在允许的报告类型中：{'、'.join(kinds)}。")
        )
    status = data.get("status")
    if status not in (None, "") and status not in STATUSES:
        fm.notes.append(Note(fm.line_of("status"), Code.FRONT_MATTER, f"「status」应为 draft 或 final，现为 {status!r}。"))
    date = data.get("date")
    if date is not None and not isinstance(date, _dt.date | str):
        fm.notes.append(Note(fm.line_of("date"), Code.FRONT_MATTER, f"「date」应为日期（如 2024-01-15），现为 {date!r}。"))
    tags = data.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        fm.notes.append(Note(fm.line_of("tags"), Code.FRONT_MATTER, "「tags」应为文字列表，如 [党建品牌, 主题教育]。"))
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        fm.notes.append(Note(fm.line_of("source"), Code.FRONT_MATTER, "「source」应为原始文件的路径。"))
    for key in data:
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            fm.notes.append(
                Note(fm.line_of(key), Code.FRONT_MATTER, f"未知的元数据键「{key}」，可用的键：{'、'.join(REQUIRED_KEYS + OPTIONAL_KEYS)}。")
            )


_HINTS = {
    "title": "报告标题",
    "year": "报告所述年度，如 2023",
    "org": "单位或党组织名称",
    "author": "述职人职务，如 党组书记",
    "kind": "述职报告、述责述廉报告或工作总结",
    "status": "draft 或 final",
}
