"""The importer: raw reports (.txt, Word, PDF, web pages) in, clean MyST reports out, nothing lost.

:func:`import_text` runs the whole pipeline on a text, :func:`import_file` reads
a file first (:mod:`.decode` and the format readers). Steps: clean (adverts out, wrapped lines re-joined, spaces between
Chinese characters removed) → structure (title, headings by ordinal level, item
paragraphs) → infer metadata → render Markdown → parse it with the structural
model to get the items → pair problems and measures with the matcher → render
again with the item markers. The result carries the Markdown and everything the
summary shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import FEEDBACK, ITEM_PREFIX, Report, default_schema, parse_report, plain
from . import adverts as _adverts
from .adverts import AdvertPatterns

if TYPE_CHECKING:
    from ..match.links import Pair
from ..model.schema import SectionSchema
from .chrome import gap_comment
from .clean import INVISIBLE, Cleaned, Line, Removed, clean
from .decode import ImportFailure, Source, read_source
from .infer import Metadata, infer, title_rows
from .structure import Document, Node, build
from .write import make_slug, render

__all__ = ["ImportFailure", "ImportResult", "Removed", "import_file", "import_text", "significant"]

ITEM_WORDS = {"problem": "问题", "measure": "措施", "rectification": "整改"}
#: what the summary calls each file format a reader reports (Source.encoding)
FORMATS = {
    "docx": "Word（.docx）",
    "pdf": "PDF（文字层）",
    "html": "网页",
    **{f"{kind}→docx": f".{kind}，经 LibreOffice 转为 .docx" for kind in ("doc", "wps", "rtf", "odt")},
}


@dataclass
class ImportResult:
    source: str
    markdown: str
    meta: Metadata
    report: Report
    document: Document
    cleaned: Cleaned
    slug: str
    notes: list[str]
    encoding: str = "utf-8"
    pairs: list[tuple[str, str, float, bool]] = field(default_factory=list)
    #: (line in the output, kind, masked value) of personal data found in the text
    pii: list[tuple[int, str, str]] = field(default_factory=list)
    #: what the file's reader left out (page headers, page numbers, comments, tracked deletions)
    dropped: list[str] = field(default_factory=list)

    @property
    def removed(self) -> list[Removed]:
        return self.cleaned.removed

    def summary(self) -> list[str]:
        """Indented summary lines for the command's output (Chinese)."""
        m = self.meta
        lines = [
            f"标题：{m.title.shown()}",
            f"年度：{m.year.shown()}",
            f"单位：{m.org.shown()}",
            f"述职人：{m.author.shown()}",
            f"类型：{m.kind.shown()}",
        ]
        if self.encoding in FORMATS:
            lines.append(f"格式：{FORMATS[self.encoding]}")
        elif self.encoding not in ("utf-8", "text"):
            lines.append(f"编码：{self.encoding}")
        if self.cleaned.joined:
            lines.append(f"重新接上被硬换行断开的行：{self.cleaned.joined} 处")
        if self.cleaned.spaces:
            lines.append(f"去掉汉字之间多余空格的行：{self.cleaned.spaces} 行")
        if self.removed:
            lines.append(f"删除的广告、网页杂项和提示（{len(self.removed)} 处，均不是报告正文）：")
            for r in self.removed:
                what = "整行" if r.whole_line else "行内"
                lines.append(f"  第 {r.line} 行（{what}，{r.reason}）：{r.text}")
        if self.dropped:
            lines.append(f"未导入的内容（{len(self.dropped)} 处）：")
            lines.extend("  " + line for line in self.dropped)
        lines.append("章节：")
        report = self.report
        for sec in report.top_sections:
            index = report.sections.index(sec)
            counts: dict[str, int] = {}
            for item in report.items:
                top = item.section
                while report.sections[top].parent is not None:
                    top = report.sections[top].parent  # type: ignore[assignment]
                if top == index:
                    counts[item.kind] = counts.get(item.kind, 0) + 1
            canon = "、".join(sec.canonical) if sec.canonical else "（未归类）"
            items = "，".join(f"{n} 条{ITEM_WORDS[k]}" for k, n in counts.items())
            lines.append(f"  {sec.title} → {canon}" + (f"（{items}）" if items else ""))
        if report.reason_lines and not any("原因分析" in s.canonical for s in report.top_sections):
            lines.append(f"  原因分析：正文第 {'、'.join(map(str, report.reason_lines))} 行的段落")
        for line, kind, value in self.pii:
            lines.append(f"个人信息：输出第 {line} 行有疑似{kind}「{value}」，公开发布前请删除或打码。")
        for note in self.notes:
            lines.append(f"提示：{note}")
        return lines


def significant(text: str) -> str:
    """The characters the nothing-lost invariant is about (no whitespace, no invisibles)."""
    return "".join(c for c in text if not c.isspace() and c not in INVISIBLE)


def import_text(
    text: str,
    source: str = "<text>",
    *,
    year: int | None = None,
    org: str | None = None,
    kind: str | None = None,
    patterns: AdvertPatterns | None = None,
    schema: SectionSchema | None = None,
    encoding: str = "text",
    origin: Source | None = None,
) -> ImportResult:
    """Import one raw report given as text. Raises :class:`ImportFailure` on empty input.

    ``origin`` is what a file reader found besides the text: heading levels the file
    states, tables and footnotes to fill in, notes and what it left out.
    """
    patterns = patterns or _adverts.default()
    schema = schema or default_schema()
    if not significant(text):
        raise ImportFailure("文件为空（没有任何文字）。")
    cleaned = clean(text, patterns, schema)
    rows = [ln for ln in cleaned.lines if ln.text]
    if not rows:
        raise ImportFailure("除广告水印外没有任何正文，未导入。")
    headings = origin.headings if origin else {}
    doc = build(cleaned.lines, schema, _title_at(rows, headings, schema), headings)
    body = "\n".join(ln.text for ln in rows)
    meta = infer(doc.title, doc.intro, body, year=year, org=org, kind=kind)
    notes = list(meta.notes) + (origin.notes if origin else [])
    _mark_gaps(doc, cleaned, notes)
    first, where = render(doc, meta, source, notes, _labelled_markers(doc))
    report = parse_report(first, source, schema)
    markers, pairs, extra = _markers(report, where, doc)
    notes.extend(extra)
    markdown, _ = render(doc, meta, source, notes, markers)
    if origin is not None:
        markdown = origin.fill(markdown)
    final = parse_report(markdown, source, schema)
    slug = make_slug(str(meta.org.value or ""), str(meta.title.value or ""), str(meta.kind.value or ""))
    dropped = list(origin.dropped) if origin else []
    return ImportResult(source, markdown, meta, final, doc, cleaned, slug, notes, encoding, pairs, _pii(final), dropped)


def import_file(path: Path, source: str | None = None, **overrides: object) -> ImportResult:
    """Read a report file (any format :data:`.decode.SUPPORTED`) and import it; ``source`` is the path as given."""
    read = read_source(path)
    return import_text(read.text, source or path.as_posix(), encoding=read.encoding, origin=read, **overrides)  # type: ignore[arg-type]


def _title_at(rows: list[Line], headings: Mapping[int, int], schema: SectionSchema) -> tuple[int, int]:
    """Where the title is among the first text lines: a line the file styles as its title
    (Word's Title style, level 0), else the first that reads like a report title."""
    styled = [k for k, row in enumerate(rows[:4]) if headings.get(row.no) == 0]
    if styled:
        return styled[0], 1
    return title_rows([r.text for r in rows[:4]], schema)


def _labelled_markers(doc: Document) -> dict[int, str]:
    """Markers for the items the structure marks itself (labelled pieces, unnumbered lists,
    items under （二）整改措施); a labelled measure answers the labelled problem before it."""
    markers: dict[int, str] = {}
    problem = ""
    count = {"P": 0, "M": 0, "R": 0}
    for index, node in enumerate(doc.nodes):
        prefix = ITEM_PREFIX.get(node.role)
        if prefix is None:
            continue
        count[prefix] += 1
        ident = f"{prefix}{count[prefix]}"
        if prefix == "P":
            problem = ident
        markers[index] = f"【{ident}→{problem}】" if node.linked and problem else f"【{ident}】"
    return markers


def _mark_gaps(doc: Document, cleaned: Cleaned, notes: list[str]) -> None:
    """A comment after the paragraph where a paywall/omission note was cut (the truncated rule reads it)."""
    for gap in reversed(cleaned.gaps):
        index = max((k for k, node in enumerate(doc.nodes) if node.line <= gap.line), default=-1)
        doc.nodes.insert(index + 1, Node("comment", gap_comment(gap), gap.line))
    for gap in cleaned.gaps:
        missing = f"（缺约 {gap.chars} 字）" if gap.chars else ""
        notes.append(f"原文第 {gap.line} 行是付费或省略提示「{gap.text}」，原文不完整{missing}，请找到完整原文补全。")


def _pii(report: Report) -> list[tuple[int, str, str]]:
    """Personal data in the report's body, found by the lint ``pii`` rule's patterns."""
    try:
        from ..check.hygiene import PII_LABELS, mask, pii_matches
        from ..check.rule_settings import settings
    except ImportError:  # the rule ships with the validation issue
        return []
    found: list[tuple[int, str, str]] = []
    rules = settings(None)
    start = report.front.length
    for number, raw in enumerate(report.text.split("\n")[start:], start + 1):
        if any(c.isdigit() or c == "@" for c in raw):
            for kind, value in pii_matches(plain(raw), rules):
                found.append((number, PII_LABELS.get(kind, kind), mask(value)))
    return found


def _unlabelled_pairs(report: Report, found: list[Pair]) -> list[tuple[str, str, float, bool]]:
    """The matcher's pairs, except for items the text already links (问题一：… 整改措施：…)."""
    explicit = {m.id for m in report.measures if m.targets} | {t for m in report.measures for t in m.targets}
    return [
        (p.problem_id, p.measure_id, p.score, p.confident)
        for p in found
        if p.problem_id not in explicit and p.measure_id not in explicit
    ]


def _markers(
    report: Report, where: dict[int, int], doc: Document
) -> tuple[dict[int, str], list[tuple[str, str, float, bool]], list[str]]:
    """Item markers per node index, the matcher's pairs, and notes for the reviewer."""
    notes: list[str] = []
    try:
        from ..match.links import match_report
    except ImportError:  # TODO: the matcher ships with the linking issue
        pairs: list[tuple[str, str, float, bool]] = []
    else:
        try:
            pairs = _unlabelled_pairs(report, match_report(report))
        except Exception as exc:  # noqa: BLE001 - a matcher failure must not lose the import
            pairs = []
            notes.append(f"自动配对问题与措施时出错（{type(exc).__name__}），未写入对应关系，请手工标注【M…→P…】。")
    targets: dict[str, list[str]] = {}
    for pid, mid, _score, _confident in pairs:
        targets.setdefault(mid, []).append(pid)
    markers: dict[int, str] = {}
    unplaced = []
    for item in report.items:
        index = where.get(item.line)
        if index is None or index in markers:
            unplaced.append(item.id)
            continue
        links = item.targets or targets.get(item.id, [])
        if item.kind == "rectification" and doc.nodes[index].feedback:
            links = [FEEDBACK]
        markers[index] = f"【{item.id}→{'、'.join(links)}】" if links else f"【{item.id}】"
    if unplaced:
        notes.append(f"条目 {'、'.join(unplaced)} 不在段落开头，未加编号标记，请检查结构。")
    paired = {pid for pid, *_ in pairs} | {t for item in report.measures for t in item.targets}
    for item in report.problems:
        if item.id not in paired and report.measures:
            notes.append(f"问题 {item.id} 没有找到对应的措施，请核对。")
    for pid, mid, score, confident in pairs:
        if not confident:
            notes.append(f"措施 {mid} 与问题 {pid} 的对应把握不大（相似度 {score}），请核对。")
    return markers, pairs, notes
