"""Building the model: :func:`parse_report` reads a report once with MyST's own parser
(:mod:`.tokens`) and builds its sections, items and ordinal runs from the blocks."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from . import frontmatter
from .findings import Code, Note
from .ordinals import BAD_MARKER, ITEM_MARKER, TARGET, TARGET_SPLIT, Ordinal, lead_ordinal, outer_runins, runins
from .report import _ESCAPE, ITEM_PREFIX, PREFIX_KIND, Item, OrdinalRun, Report, Section, default_schema, plain
from .schema import SectionSchema
from .summary import report_ref
from .tokens import read_blocks, tokenise


def parse_report(
    text: str,
    path: str = "<report>",
    schema: SectionSchema | None = None,
    kinds: tuple[str, ...] = frontmatter.DEFAULT_KINDS,
    myst: Mapping[str, Any] | None = None,
) -> Report:
    """Parse a MyST report into its structural model. Never raises on content.

    ``myst``: the archive's MyST settings (``Config.myst``); the report is read by
    MyST's own parser with them, once (:mod:`shuzhi.model.tokens`).
    """
    schema = schema or default_schema()
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    front = frontmatter.parse(text, kinds)
    report = Report(path=path, text=text, front=front, notes=list(front.notes))
    tokens, source = tokenise(text, myst)
    report.blocks = read_blocks(tokens, report.lines, source)
    _sections(report, schema)
    _items(report, schema)
    _runs(report)
    return report


# -- sections -----------------------------------------------------------------------


def _sections(report: Report, schema: SectionSchema) -> None:
    headings = [b for b in report.blocks if b.kind == "heading"]
    if headings and headings[0].level == 1:
        report.title = plain(headings[0].text)
        report.title_line = headings[0].line
        headings = headings[1:]
    top_level = min((h.level for h in headings), default=2)
    stack: list[int] = []
    current: Section | None = None
    for block in report.blocks:
        if block.kind == "heading":
            if block.line == report.title_line:
                continue
            while stack and report.sections[stack[-1]].level >= block.level:
                stack.pop()
            parent = stack[-1] if stack else None
            if block.level <= top_level:
                parent = None
                stack = []
            title = plain(block.text)
            section = Section(
                title=title,
                level=block.level,
                line=block.line,
                end_line=block.line,
                ordinal=lead_ordinal(title),
                parent=parent,
                canonical=schema.classify(title) if parent is None else _sub_canonical(schema, title),
            )
            report.sections.append(section)
            stack.append(len(report.sections) - 1)
            current = section
        elif current is not None:
            current.blocks.append(block)
            current.end_line = block.end_line
    # a section's end covers its subsections
    for idx in range(len(report.sections) - 1, -1, -1):
        sec = report.sections[idx]
        if sec.parent is not None:
            parent_sec = report.sections[sec.parent]
            parent_sec.end_line = max(parent_sec.end_line, sec.end_line)
    rule = schema.kinds.get(report.kind)
    if rule and rule.wildcard:
        for sec in report.top_sections:
            if "存在问题" in sec.canonical:
                break
            if not sec.canonical:
                sec.canonical = (rule.wildcard,)
                sec.wildcard = True


def _sub_canonical(schema: SectionSchema, title: str) -> tuple[str, ...]:
    # Only a reasons subsection matters below the top level (（二）原因分析).
    return ("原因分析",) if "原因分析" in schema.classify(title) else ()


def _top_of(report: Report, index: int) -> Section:
    sec = report.sections[index]
    while sec.parent is not None:
        sec = report.sections[sec.parent]
    return sec


# -- items --------------------------------------------------------------------------


#: kind, text, line, section index, explicit id, targets, ordinal
_Pending = tuple[str, str, int, int, str | None, list[str], Ordinal | None]


def _items(report: Report, schema: SectionSchema) -> None:
    pending: list[_Pending] = []
    seen_ids: dict[str, int] = {}
    for index, section in enumerate(report.sections):
        top = _top_of(report, index)
        if "原因分析" in section.canonical and not section.top:
            report.reason_lines.append(section.line)
            continue
        kinds = [schema.items[c] for c in top.canonical if c in schema.items]
        if not kinds:
            continue
        kind = kinds[0]
        if not section.top and _is_item_heading(section) and not schema.classify(section.title):
            # hand-written items as subheadings: （一）党建创新意识不够突出
            first = next((b.text for b in section.blocks if b.kind == "paragraph"), "")
            pending.append((kind, section.title + first, section.line, index, None, [], section.ordinal))
            continue
        for block in section.blocks:
            if block.kind != "paragraph":
                continue
            text = block.text
            if schema.is_reason_paragraph(text):
                report.reason_lines.append(block.line)
                continue
            if len(kinds) > 1 and kind == kinds[0] and schema.is_measure_intro(text):
                kind = kinds[1]
            marker = ITEM_MARKER.match(text)
            if marker:
                item_id = marker.group("id")
                targets = _own_targets(report, _targets(marker.group("targets")), item_id, block.line)
                body = plain(text[marker.end() :])
                explicit_kind = PREFIX_KIND[item_id[0]]
                if item_id in seen_ids:
                    report.notes.append(
                        Note(block.line, Code.DUPLICATE_ID, f"条目编号 {item_id} 与第 {seen_ids[item_id]} 行重复，请改为未用过的编号。")
                    )
                else:
                    seen_ids[item_id] = block.line
                pending.append((explicit_kind, body, block.line, index, item_id, targets, lead_ordinal(body)))
                _bad_targets(report, marker.group("targets"), block.line)
                continue
            bad = BAD_MARKER.match(text)
            if bad is not None:
                report.notes.append(
                    Note(block.line, Code.LINK_UNKNOWN, f"条目标记 {bad.group(0)} 写法有误，应为【P1】或【M1→P1、P2】。")
                )
            ordinal = lead_ordinal(plain(text))
            outer, _nested = outer_runins(plain(text))
            if ordinal is not None:
                pending.append((kind, plain(text), block.line, index, None, [], ordinal))
            elif outer:
                body = plain(text)
                for k, (offset, run) in enumerate(outer):
                    end = outer[k + 1][0] if k + 1 < len(outer) else len(body)
                    line = block.line + text[: raw_offset(text, offset)].count("\n")
                    pending.append((kind, body[offset:end].strip(), line, index, None, [], run))
    _number(report, pending, set(seen_ids))


def _number(report: Report, pending: list[_Pending], used: set[str]) -> None:
    """Items in order of appearance; those without an explicit id get the next free P/M/R number."""
    counters = {"P": 0, "M": 0, "R": 0}
    for kind, body, line, index, given, targets, ordinal in pending:
        if given is not None:
            item_id = given
        else:
            prefix = ITEM_PREFIX[kind]
            counters[prefix] += 1
            while f"{prefix}{counters[prefix]}" in used:
                counters[prefix] += 1
            item_id = f"{prefix}{counters[prefix]}"
            used.add(item_id)
        report.items.append(Item(item_id, kind, body, line, index, given is not None, targets, ordinal))


def _is_item_heading(section: Section) -> bool:
    return section.ordinal is not None and section.ordinal.rank <= 3


def _targets(raw: str | None) -> list[str]:
    if not raw:
        return []
    return [t for t in TARGET_SPLIT.split(raw.strip()) if t]


def _own_targets(report: Report, targets: list[str], item_id: str, line: int) -> list[str]:
    """A target written with this report's own path (2023/slug#P1) is the local P1."""
    own = report_ref(report.path)
    out = []
    for target in targets:
        ref, sep, local = target.rpartition("#")
        if sep and ref.removesuffix(".md") == own:
            report.notes.append(
                Note(line, Code.LINK_SELF, f"{item_id} 链接的「{target}」是本报告自己，已按本报告的 {local} 处理；请直接写成 {local}"
                     "（整改条目应指向上一年度的报告）。")
            )
            target = local
        out.append(target)
    return out


def _bad_targets(report: Report, raw: str | None, line: int) -> None:
    for target in _targets(raw):
        if not TARGET.match(target):
            report.notes.append(
                Note(line, Code.LINK_UNKNOWN, f"无法识别的链接目标「{target}」，应为 P1、2022/某报告#P1 或 反馈。")
            )


def raw_offset(raw: str, plain_offset: int) -> int:
    """Map an offset in plain(raw) back to raw (escapes and the marker make raw longer).

    Linear in the paragraph once, then a bisection per call: a paragraph with
    thousands of run-ins must not cost a plain() of every prefix.
    """
    if "\\" not in raw and "【" not in raw:
        return plain_offset
    start, escaped = _removed(raw)
    return start + plain_offset + bisect_right(escaped, plain_offset)


@lru_cache(maxsize=16)
def _removed(raw: str) -> tuple[int, tuple[int, ...]]:
    """What plain() drops: the marker's length, and the plain index of each escaped character."""
    marker = ITEM_MARKER.match(raw)
    start = marker.end() if marker else 0
    # the k-th escape's backslash at s (after the marker) leaves its character at plain index s - k
    return start, tuple(m.start() - start - k for k, m in enumerate(_ESCAPE.finditer(raw, start)))


# -- ordinal runs (for the numbering rule) ------------------------------------------


def _runs(report: Report) -> None:
    # headings: siblings under the same parent
    by_parent: dict[int | None, list[tuple[int, Ordinal]]] = {}
    for sec in report.sections:
        if sec.ordinal is not None:
            by_parent.setdefault(sec.parent, []).append((sec.line, sec.ordinal))
    for entries in by_parent.values():
        report.runs.append(OrdinalRun("heading", entries))
    # paragraphs: consecutive paragraphs of one section that start with an ordinal;
    # run-ins: the outer sequence continues across paragraphs, nested ones stand alone
    for index, sec in enumerate(report.sections):
        paragraph_run: list[tuple[int, Ordinal]] = []
        runin_run: list[tuple[int, Ordinal]] = []
        for block in sec.blocks:
            if block.kind != "paragraph":
                continue
            body = plain(block.text)
            ordinal = lead_ordinal(body)
            if ordinal is not None:
                paragraph_run.append((block.line, ordinal))
                body = body[len(ordinal.text) :]
            expected = runin_run[-1][1].value + 1 if runin_run else 1
            outer, nested = outer_runins(body, expected)
            for offset, run in outer:
                line = block.line + block.text[: raw_offset(block.text, offset)].count("\n")
                if runin_run and (run.style != runin_run[-1][1].style or (offset > 0 and run.value == 1)):
                    report.runs.append(OrdinalRun("runin", runin_run))
                    runin_run = []
                runin_run.append((line, run))
            for seq in nested:
                report.runs.append(OrdinalRun("runin", [(block.line, o) for o in seq]))
            if not outer and not runins(body) and ordinal is None and runin_run and len(body) > 60:
                # an unnumbered paragraph ends a run-in sequence
                report.runs.append(OrdinalRun("runin", runin_run))
                runin_run = []
        if paragraph_run:
            report.runs.append(OrdinalRun("paragraph", paragraph_run))
        if runin_run:
            report.runs.append(OrdinalRun("runin", runin_run))
        del index
