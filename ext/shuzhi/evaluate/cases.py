"""The evaluation corpus: one raw source and one judged answer (YAML) per case.

The answer format is described in docs/accuracy.md. :func:`load_cases` reads
every ``*.yaml`` of a folder; a malformed answer is a located Chinese message
(:class:`CaseError`), never a traceback, and the other cases are still read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KINDS = ("述职报告", "述责述廉报告", "工作总结", "其他")
#: a source named ``*.spec.md`` is a readable spec of a .docx/.pdf/.html/.doc, built at load time
SPEC_SUFFIX = ".spec.md"


class CaseError(ValueError):
    """An answer file that cannot be used (missing source, bad YAML, wrong types)."""


@dataclass(frozen=True)
class Section:
    heading: str
    canonical: tuple[str, ...]


@dataclass
class Case:
    name: str  # the answer file's stem
    answer: Path
    source: Path
    forms: list[str]
    title: str | None
    year: int | None
    org: str | None
    kind: str | None
    sections: list[Section]
    problems: list[str]
    measures: list[str]
    pairs: list[tuple[int, int]]
    removed: list[str]
    findings: list[str]
    extra: dict[str, Any] = field(default_factory=dict)


def _strings(data: dict[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise CaseError(f"{where}：{key} 应为字符串列表。")
    return [str(v) for v in value]


def _optional_str(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, (str, int)):
        raise CaseError(f"{where}：{key} 应为一行文字或 null。")
    return str(value).strip()


def _sections(data: dict[str, Any], where: str) -> list[Section]:
    out = []
    for k, raw in enumerate(data.get("sections") or [], 1):
        if not isinstance(raw, dict) or "heading" not in raw:
            raise CaseError(f"{where}：sections 第 {k} 项应为 {{heading: …, canonical: …}}。")
        canon = raw.get("canonical")
        names = () if canon is None else (str(canon),) if isinstance(canon, str) else tuple(str(c) for c in canon)
        out.append(Section(str(raw["heading"]).strip(), names))
    return out


def _pairs(data: dict[str, Any], where: str, n_problems: int, n_measures: int) -> list[tuple[int, int]]:
    out = []
    for raw in data.get("pairs") or []:
        if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, int) for v in raw)):
            raise CaseError(f"{where}：pairs 的每一项应为 [问题序号, 措施序号]，而不是 {raw!r}。")
        p, m = raw
        if not (1 <= p <= n_problems and 1 <= m <= n_measures):
            raise CaseError(f"{where}：pairs 中的 [{p}, {m}] 超出了 problems（{n_problems} 条）或 measures（{n_measures} 条）的范围。")
        out.append((p, m))
    return out


def load_case(answer: Path) -> Case:
    where = answer.as_posix()
    try:
        data = yaml.safe_load(answer.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CaseError(f"{where}：无法读取答案文件（{type(exc).__name__}），请检查 YAML 写法和 UTF-8 编码。") from None
    if not isinstance(data, dict):
        raise CaseError(f"{where}：答案文件应为 YAML 映射（source、title、year……）。")
    name = str(data.get("source") or "")
    source = answer.parent / name if name else _sibling(answer)
    if source is None or not source.is_file():
        raise CaseError(f"{where}：找不到原始文件「{name or answer.stem + '.*'}」，请在 source 中写明与答案同目录的文件名。")
    if source.name.endswith(SPEC_SUFFIX):
        source = _built(source, where)
    year = data.get("year")
    if year is not None and not isinstance(year, int):
        raise CaseError(f"{where}：year 应为四位数字或 null，而不是「{year}」。")
    kind = _optional_str(data, "kind", where)
    if kind is not None and kind not in KINDS:
        raise CaseError(f"{where}：kind「{kind}」应为 {'、'.join(KINDS)} 之一。")
    problems = _strings(data, "problems", where)
    measures = _strings(data, "measures", where)
    return Case(
        name=answer.stem,
        answer=answer,
        source=source,
        forms=_strings(data, "forms", where),
        title=_optional_str(data, "title", where),
        year=year,
        org=_optional_str(data, "org", where),
        kind=kind,
        sections=_sections(data, where),
        problems=problems,
        measures=measures,
        pairs=_pairs(data, where, len(problems), len(measures)),
        removed=_strings(data, "removed", where),
        findings=_strings(data, "findings", where),
        extra={k: v for k, v in data.items() if k == "encoding"},
    )


def _built(spec: Path, where: str) -> Path:
    """The Word/PDF/web file a spec describes, built once into the cache (shuzhi.bench.specfiles)."""
    from ..bench.specfiles import SpecError, build

    try:
        return build(spec)
    except (SpecError, OSError, RuntimeError) as exc:
        raise CaseError(f"{where}：无法由 {spec.name} 生成原始文件：{exc}") from None


def _sibling(answer: Path) -> Path | None:
    for candidate in sorted(answer.parent.glob(answer.stem + ".*")):
        if candidate.suffix.lower() not in (".yaml", ".yml"):
            return candidate
    return None


def load_cases(folder: Path) -> tuple[list[Case], list[str]]:
    """Every case of a folder (sorted by name) and the messages for answers that cannot be used."""
    cases: list[Case] = []
    errors: list[str] = []
    for answer in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            cases.append(load_case(answer))
        except CaseError as exc:
            errors.append(str(exc))
    return cases, errors
