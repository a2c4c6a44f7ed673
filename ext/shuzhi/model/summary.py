"""The small, picklable view of a report that other reports and the archive pages need.

:func:`summarise` turns a :class:`~shuzhi.model.Report` into a :class:`ReportSummary`;
the whole-archive checks, the ledger, the archive pages and the Sphinx domain keep
these, never the model itself. Re-exported by :mod:`shuzhi.model`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report


@dataclass(frozen=True)
class ItemSummary:
    id: str
    kind: str
    lead: str
    text: str
    line: int
    targets: tuple[str, ...] = ()
    explicit: bool = False


@dataclass(frozen=True)
class ReportSummary:
    """What the whole-archive checks, the ledger and the archive pages need of a report."""

    path: str
    ref: str  # how other reports refer to it: "<year>/<slug>"
    title: str
    org: str
    year: int | None
    kind: str
    status: str
    tags: tuple[str, ...]
    items: tuple[ItemSummary, ...]
    has_rectification: bool
    line: int
    key_lines: tuple[tuple[str, int], ...] = ()

    def key_line(self, key: str) -> int:
        return dict(self.key_lines).get(key, 1)

    @property
    def problems(self) -> tuple[ItemSummary, ...]:
        return tuple(i for i in self.items if i.kind == "problem")


def report_ref(path: str) -> str:
    """reports/2023/jubangongshi.md → 2023/jubangongshi (the id used in cross-report links)."""
    norm = path.replace("\\", "/")
    if "reports/" in norm:
        norm = norm.rsplit("reports/", 1)[1]
    return norm[:-3] if norm.endswith(".md") else norm


def summarise(report: Report) -> ReportSummary:
    return ReportSummary(
        path=report.path,
        ref=report_ref(report.path),
        title=report.display_title,
        org=report.org,
        year=report.year,
        kind=report.kind,
        status=report.status,
        tags=tuple(report.front.tags),
        items=tuple(
            ItemSummary(i.id, i.kind, i.lead, i.text, i.line, tuple(i.targets), i.explicit) for i in report.items
        ),
        has_rectification=any("整改落实" in s.canonical for s in report.top_sections),
        line=report.title_line or 1,
        key_lines=tuple(sorted(report.front.key_lines.items())),
    )
