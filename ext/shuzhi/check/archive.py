"""Checks across reports: duplicates, the conditional 整改落实 section, links between reports.

Works on :class:`~shuzhi.model.ReportSummary` only (small, picklable), with
dictionaries keyed by organisation and by ref, so the cost grows linearly with
the archive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..model import FEEDBACK, ReportSummary
from ..model.findings import Code
from .context import ArchiveContext, ArchiveNote


def check_duplicates(ctx: ArchiveContext) -> Iterator[ArchiveNote]:
    summaries = ctx.summaries
    groups: dict[tuple[str, int, str], list[ReportSummary]] = defaultdict(list)
    for s in summaries:
        if s.org and s.year is not None and s.kind:
            groups[(s.org, s.year, s.kind)].append(s)
    for (org, year, kind), group in groups.items():
        if len(group) < 2:
            continue
        for s in group:
            others = "、".join(o.path for o in group if o is not s)
            yield (
                s,
                s.key_line("org"),
                Code.DUPLICATE_REPORT,
                f"与 {others} 重复：单位「{org}」{year} 年的{kind}有 {len(group)} 份，请合并或删除其中一份，或改正元数据。",
            )


def check_rectification(ctx: ArchiveContext) -> Iterator[ArchiveNote]:
    """整改落实 is required when the same organisation's previous-year report lists problems."""
    summaries, schema = ctx.summaries, ctx.schema
    with_problems: dict[tuple[str, int], ReportSummary] = {}
    for s in summaries:
        if s.org and s.year is not None and s.problems:
            with_problems.setdefault((s.org, s.year), s)
    label = schema.labels.get("整改落实", "整改落实")
    for s in summaries:
        if not s.org or s.year is None or s.has_rectification or s.kind not in schema.kinds:
            continue
        previous = with_problems.get((s.org, s.year - 1))
        if previous is None:
            continue
        yield (
            s,
            s.line,
            Code.SECTION_MISSING,
            f"缺少章节「{label}」：上一年度报告 {previous.ref} 列有 {len(previous.problems)} 条问题，本年度报告应写明整改落实情况，"
            f"可用标题：{schema.alias_hint('整改落实')}。",
        )


def check_cross_links(ctx: ArchiveContext) -> Iterator[ArchiveNote]:
    summaries = ctx.summaries
    by_ref = {s.ref: s for s in summaries}
    ids = {s.ref: {i.id for i in s.items} for s in summaries}
    for s in summaries:
        for item in s.items:
            for target in item.targets:
                if target == FEEDBACK or "#" not in target:
                    continue
                ref, _, item_id = target.rpartition("#")
                ref = ref.removesuffix(".md")
                if ref not in by_ref:
                    yield (
                        s,
                        item.line,
                        Code.LINK_UNKNOWN,
                        f"{item.id} 链接的报告「{ref}」不在档案中，请写成 年份/报告名（如 2022/{ref.rsplit('/', 1)[-1]}）#编号。",
                    )
                elif item_id not in ids[ref]:
                    yield (
                        s,
                        item.line,
                        Code.LINK_UNKNOWN,
                        f"{item.id} 链接的「{target}」不存在：报告 {ref} 中没有编号 {item_id}，请改正编号。",
                    )
