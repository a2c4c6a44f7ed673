"""The rule registry: every check shuzhi makes, used by `shuzhi lint` and the Sphinx build.

Stable API (the lint CLI and the Sphinx extension rely on it):

- ``check_report(report, config) -> list[Finding]`` — checks that need one report only;
- ``check_archive(summaries, config) -> list[Finding]`` — checks across reports
  (duplicate-report, conditional 整改落实, links to other reports);
- ``REGISTRY`` — code → :class:`Rule` (title, description, example, fix, severities),
  from which docs/ renders the rules reference.
"""

from __future__ import annotations

from .apply import check_archive, check_report
from .registry import REGISTRY, Rule, severity

__all__ = ["REGISTRY", "Rule", "check_archive", "check_report", "severity"]
