"""Run the rules: one report at a time (:func:`check_report`), then across reports
(:func:`check_archive`). Both call the checks each :class:`~shuzhi.check.registry.Rule`
owns, and return located :class:`~shuzhi.model.findings.Finding`\\ s with the severity the
registry and the archive's configuration give for the report's status; findings
whose severity is ``off`` are dropped (their checks are not even run).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..config import Config
from ..model import Report, ReportSummary
from ..model.findings import Finding
from .context import ArchiveContext, ReportContext
from .registry import REGISTRY, severity


def check_report(
    report: Report, config: Config | None = None, *, idf: Mapping[str, float] | None = None, links: Any = None
) -> list[Finding]:
    """Every finding of the single-report rules, sorted by line.

    ``idf`` (optional) gives the matcher archive-wide term weights; without it the
    matcher weighs terms over the report itself. ``links``: the report's resolved
    links, when the caller has them (the Sphinx build resolves them once per report).
    """
    status = report.status
    last = max(1, report.line_count)
    ctx = ReportContext(report, config, idf, links)
    found: set[Finding] = set()
    for rule in REGISTRY.values():
        level = severity(rule.code, status, config)
        if level == "off" or not rule.checks:
            continue
        for check in rule.checks:
            for note in check(ctx):
                found.add(Finding(report.path, min(max(1, note.line), last), rule.code, level, note.message))
    return sorted(found, key=_order)


def check_archive(summaries: Sequence[ReportSummary], config: Config | None = None) -> list[Finding]:
    """Findings that need more than one report: duplicate-report, conditional 整改落实,
    links to other reports. Linear in the number of reports."""
    ctx = ArchiveContext(summaries, config)
    found: set[Finding] = set()
    for rule in REGISTRY.values():
        for check in rule.archive_checks:
            for summary, line, _code, message in check(ctx):
                level = severity(rule.code, summary.status, config)
                if level != "off":
                    found.add(Finding(summary.path, max(1, line), rule.code, level, message))
    return sorted(found, key=_order)


def _order(f: Finding) -> tuple[str, int, str, str]:
    return (f.path, f.line, f.code, f.message)
