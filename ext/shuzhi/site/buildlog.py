"""What a build says on the terminal: report warnings to a log file, and one closing summary.

A large archive has thousands of findings. Printed one per line they bury Sphinx's
own progress lines and the few warnings about the site itself. With
``shuzhi_warning_log`` set (``make html`` sets it, ``make html V=1`` does not), a
filter on Sphinx's warning handler writes every warning to that file and lets
through to the terminal only those not about a report's content: a finding
(``shuzhi.<rule code>``) or any warning located in the reports folder stays in the
file. Sphinx still counts every warning ("build succeeded, N warnings"), and
``-W`` still fails on the first one: the filter runs after Sphinx's own.

Whatever the setting, a build ends (``build-finished``) with a summary read from
the domain: reports, findings by severity and by rule code, and for HTML the
paths of the site and of the 质量检查 page.
"""

from __future__ import annotations

import logging as std_logging
import os
from collections import Counter
from functools import cache
from pathlib import Path
from typing import IO

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.logging import NAMESPACE, WarningStreamHandler

from .archive_pages import get_scan
from .domain import get_domain
from .rulesdoc import rule_title
from .settings import settings
from .state import build_state

logger = logging.getLogger(__name__)

SEVERITY = (("error", "错误"), ("warning", "警告"), ("info", "提示"))
TOP_CODES = 5


class WarningLog(std_logging.Filter):
    """Writes every warning to a file; keeps report warnings off the terminal."""

    def __init__(self, stream: IO[str], reports: tuple[str, ...]) -> None:
        super().__init__()
        self.stream = stream
        self.reports = reports  # the reports folder as absolute paths, each with a trailing separator
        self.written = 0
        self.held = 0  # of these, kept off the terminal

    def filter(self, record: std_logging.LogRecord) -> bool:
        # Sphinx's filters ran first: suppressed warnings never get here, the location is a path
        self.stream.write(record.getMessage() + "\n")
        self.written += 1
        if self._about_a_report(record):
            self.held += 1
            return False
        return True

    def _about_a_report(self, record: std_logging.LogRecord) -> bool:
        if getattr(record, "type", "") == "shuzhi" and getattr(record, "subtype", "") in _rule_codes():
            return True
        location = str(getattr(record, "location", "") or "")
        return bool(self.reports) and location.startswith(self.reports)


@cache
def _rule_codes() -> frozenset[str]:
    from ..check.registry import REGISTRY

    return frozenset(REGISTRY)


def _warning_handler() -> WarningStreamHandler | None:
    for handler in std_logging.getLogger(NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler):
            return handler
    return None


def log_path(app: Sphinx) -> Path | None:
    """The warning log this build writes, or None (warnings go to the terminal as usual)."""
    name = settings(app).warning_log
    return (Path(app.srcdir) / name).resolve() if name else None


def _open_log(app: Sphinx) -> None:
    path = log_path(app)
    handler = _warning_handler()
    if path is None or handler is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # line-buffered: nothing is pending when Sphinx forks its parallel workers
    stream = path.open("w", encoding="utf-8", buffering=1)
    folder = settings(app).reports_dir
    # Sphinx locates warnings by absolute paths under its (resolved) source folder
    where = Path(app.srcdir) / folder
    reports = tuple({os.path.abspath(where) + os.sep, str(where.resolve()) + os.sep}) if folder else ()
    log = WarningLog(stream, reports)
    handler.addFilter(log)
    build_state(app).warning_log = log


def _close_log(app: Sphinx) -> WarningLog | None:
    state = build_state(app)
    log = state.warning_log
    if log is None:
        return None
    handler = _warning_handler()
    if handler is not None:
        handler.removeFilter(log)
    log.stream.close()
    state.warning_log = None
    return log


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def summary_lines(app: Sphinx, log: WarningLog | None = None) -> list[str]:
    """The closing summary of a build (Chinese, one fact per line)."""
    domain = get_domain(app.env)
    per_doc = [domain.findings(docname) for docname in domain.records]
    findings = [f for found in per_doc for f in found]
    by_severity = Counter(f.severity for f in findings)
    by_code = Counter(f.code for f in findings)
    clean = sum(1 for found in per_doc if not any(f.severity in ("error", "warning") for f in found))
    counts = "、".join(f"{label} {by_severity[key]} 项" for key, label in SEVERITY if by_severity[key])
    lines = [f"述职档案：共 {len(domain.records)} 篇报告，{clean} 篇完整；"
             + (f"检查发现 {len(findings)} 项（{counts}）。" if findings else "未发现问题。")]
    if by_code:
        top = sorted(by_code.items(), key=lambda item: (-item[1], item[0]))[:TOP_CODES]
        shown = " · ".join(f"{code}（{rule_title(code) or code}）{n} 项" for code, n in top)
        more = f" · 另有 {len(by_code) - TOP_CODES} 种" if len(by_code) > TOP_CODES else ""
        lines.append(f"  最多的规则：{shown}{more}")
    builder = app.builder
    if builder.format == "html":
        out = Path(app.outdir)
        lines.append(f"  站点：{_shown(out / builder.get_target_uri(app.config.root_doc))}")
        quality = get_scan(app).page("quality")
        if quality in app.env.found_docs:
            lines.append(f"  质量检查：{_shown(out / builder.get_target_uri(quality))}")
    path = log_path(app)
    if log is not None and path is not None:
        held = f"，其中 {log.held} 条关于报告内容、未在终端逐条显示" if log.held else ""
        lines.append(f"  全部警告：{_shown(path)}（本次构建 {log.written} 条{held}）")
    return lines


def _finished(app: Sphinx, exception: Exception | None) -> None:
    log = _close_log(app)
    if exception is not None or not get_domain(app.env).records:
        return
    for line in summary_lines(app, log):
        logger.info(line)


def setup_buildlog(app: Sphinx) -> None:
    app.connect("builder-inited", _open_log)
    app.connect("build-finished", _finished, priority=900)
