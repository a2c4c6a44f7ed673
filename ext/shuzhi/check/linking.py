"""Problem ↔ measure rules, on top of :func:`shuzhi.match.links.resolve_links`.

``problem-unfixed`` (a problem no measure answers), ``measure-orphan`` (info) and
``link-unknown`` for local targets. Targets in other reports (``2022/slug#P2``)
are checked across the archive in :mod:`shuzhi.check.archive`.

The matcher needs jieba only for reports without explicit links; :mod:`shuzhi.match.links`
is imported on first use so rules that do not need it stay fast.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model.findings import Code, Note
from ..model.ordinals import LOCAL_TARGET
from .context import ReportContext


def check_unknown_targets(ctx: ReportContext) -> Iterator[Note]:
    """Local targets (【M2→P9】) naming no problem of the report, or naming a measure."""
    report = ctx.report
    if not report.items:
        return
    by_id = {item.id: item for item in report.items}
    for line, item_id, target in ctx.links.unknown:
        if not LOCAL_TARGET.match(target):
            continue  # malformed targets are already a note of the model
        target_item = by_id.get(target)
        if target_item is not None:
            what = {"measure": "一条措施", "rectification": "一条整改"}.get(target_item.kind, "一个条目")
            message = f"{item_id} 链接的「{target}」是{what}，不是问题；措施应链接到“存在问题”中的问题编号（如 P1）。"
        else:
            message = f"{item_id} 链接的问题「{target}」在本报告中不存在，请改正编号，或写成 年份/报告名#{target} 指向别的报告。"
        yield Note(line, Code.LINK_UNKNOWN, message)


def check_unfixed(ctx: ReportContext) -> Iterator[Note]:
    """Problems no measure answers, by an explicit link or by the matcher."""
    if not ctx.report.problems:
        return
    for problem in ctx.report.problems:
        if not ctx.links.by_problem.get(problem.id):
            yield Note(
                problem.line,
                Code.PROBLEM_UNFIXED,
                f"问题 {problem.id}「{_short(problem.lead)}」没有对应的整改措施，"
                f"请在“下一步打算”中补写措施，并标上【M…→{problem.id}】。",
            )


def check_orphans(ctx: ReportContext) -> Iterator[Note]:
    """Measures that answer no problem (info: not necessarily wrong)."""
    measures = {m.id: m for m in ctx.report.measures}
    if not measures:
        return
    for measure_id in ctx.links.orphans:
        measure = measures.get(measure_id)
        if measure is None:
            continue
        yield Note(
            measure.line,
            Code.MEASURE_ORPHAN,
            f"措施 {measure_id}「{_short(measure.lead)}」没有对应任何问题；如它针对某个问题，请写成【{measure_id}→P…】。",
        )


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[:width] + "…"
