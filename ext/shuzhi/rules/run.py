"""Run the rules: one report at a time (:func:`check_report`), then across reports
(:func:`check_archive`). Both return located :class:`~shuzhi.findings.Finding`\\ s
with the severity the registry and the archive's configuration give for the
report's status; findings whose severity is ``off`` are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..config import Config
from ..findings import Finding, Note
from ..model import Report, ReportSummary
from . import archive, hygiene, linking, markup, numbering, sections, truncated
from .registry import severity
from .settings import settings


def _notes(report: Report, config: Config | None, idf: Mapping[str, float] | None, links: Any = None) -> Iterable[Note]:
    schema = config.schema if config is not None else None
    if schema is None:
        from ..model import default_schema

        schema = default_schema()
    rules = settings(config)
    yield from report.notes  # front-matter, duplicate-id, malformed link markers
    yield from sections.check_missing(report, schema)
    yield from sections.check_order(report, schema)
    yield from sections.check_empty(report)
    yield from numbering.check_runs(report)
    yield from hygiene.check_placeholder(report, rules)
    yield from hygiene.check_watermark(report, rules)
    yield from hygiene.check_pii(report, rules)
    yield from truncated.check_truncated(report, rules)
    yield from markup.check_markup(report.text)
    yield from linking.check_links(report, idf, links)


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
    found: set[Finding] = set()
    for note in _notes(report, config, idf, links):
        level = severity(note.code, status, config)
        if level == "off":
            continue
        line = min(max(1, note.line), last)
        found.add(Finding(report.path, line, note.code, level, note.message))
    return sorted(found, key=_order)


def check_archive(summaries: Sequence[ReportSummary], config: Config | None = None) -> list[Finding]:
    """Findings that need more than one report: duplicate-report, conditional 整改落实,
    links to other reports. Linear in the number of reports."""
    schema = config.schema if config is not None else None
    if schema is None:
        from ..model import default_schema

        schema = default_schema()
    notes = [
        *archive.check_duplicates(summaries),
        *archive.check_rectification(summaries, schema),
        *archive.check_cross_links(summaries),
    ]
    found: set[Finding] = set()
    for summary, line, code, message in notes:
        level = severity(code, summary.status, config)
        if level == "off":
            continue
        found.add(Finding(summary.path, max(1, line), code, level, message))
    return sorted(found, key=_order)


def _order(f: Finding) -> tuple[str, int, str, str]:
    return (f.path, f.line, f.code, f.message)
