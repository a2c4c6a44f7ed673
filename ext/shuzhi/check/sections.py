"""Section rules: required canonical sections, their order, empty sections.

What a kind requires and in which order comes from the section schema
(``data/sections.yaml``, overridable in ``shuzhi.yaml``); the model has already
classified every heading, so these rules only compare lists.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Report
from ..model.findings import Code, Note
from ..model.schema import SectionSchema
from .context import ReportContext


def _hint(schema: SectionSchema, canonical: str) -> str:
    hint = f"可用标题：{schema.alias_hint(canonical)}"
    if canonical == "原因分析":
        hint += "；也可在“存在问题”中写一段以“原因分析：”或“究其原因”开头的文字"
    return hint


def _insert_line(report: Report, order: tuple[str, ...], canonical: str) -> int:
    """Where a missing section belongs: the heading of the next present section in order."""
    later = order[order.index(canonical) + 1 :] if canonical in order else ()
    for name in later:
        for sec in report.top_sections:
            if name in sec.canonical:
                return sec.line
    earlier = order[: order.index(canonical)] if canonical in order else ()
    for name in reversed(earlier):
        found = [s for s in report.top_sections if name in s.canonical]
        if found:
            return found[-1].line
    if report.top_sections:
        return report.top_sections[-1].line
    return report.title_line or report.front.length or 1


def check_missing(ctx: ReportContext) -> Iterator[Note]:
    report, schema = ctx.report, ctx.schema
    rule = schema.kinds.get(report.kind)
    if rule is None:
        return  # unknown or missing kind: the front-matter rule says so
    for canonical in rule.required:
        if not report.has_section(canonical):
            label = schema.labels.get(canonical, canonical)
            yield Note(
                _insert_line(report, rule.order, canonical),
                Code.SECTION_MISSING,
                f"缺少必备章节「{label}」，{_hint(schema, canonical)}。",
            )


#: sections that may stand either side of another one: reports put the rectification of
#: last year's problems before or after this year's duties (seeds 000 and 001)
INTERCHANGEABLE = {"整改落实": "履职情况"}


def check_order(ctx: ReportContext) -> Iterator[Note]:
    report, schema = ctx.report, ctx.schema
    rule = schema.kinds.get(report.kind)
    if rule is None:
        return
    rank = {name: k for k, name in enumerate(rule.order)}
    for name, peer in INTERCHANGEABLE.items():
        if name in rank and peer in rank:
            rank[name] = rank[peer]
    latest = -1
    latest_title = ""
    for sec in report.top_sections:
        ranks = [rank[c] for c in sec.canonical if c in rank]
        if not ranks:
            continue
        first = min(ranks)
        if first < latest:
            yield Note(
                sec.line,
                Code.SECTION_ORDER,
                f"章节「{sec.title}」应在「{latest_title}」之前，规范顺序为：{'、'.join(rule.order)}。",
            )
            continue
        if first > latest:
            latest, latest_title = first, sec.title


def check_empty(ctx: ReportContext) -> Iterator[Note]:
    report = ctx.report
    has_children = {s.parent for s in report.sections if s.parent is not None}
    for index, sec in enumerate(report.sections):
        if index in has_children or sec.blocks:
            continue
        yield Note(sec.line, Code.SECTION_EMPTY, f"章节「{sec.title}」下没有正文，请补写内容或删除该标题。")
