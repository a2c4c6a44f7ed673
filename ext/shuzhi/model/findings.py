"""Findings: what a check found in a report, located at a file line.

A :class:`Finding` is plain data shared by the model, the rules, the lint CLI and
the Sphinx extension; it knows nothing of Sphinx.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum

SEVERITIES = ("error", "warning", "info")


class Code(StrEnum):
    """Every code a finding carries: the Sphinx warning subtype (``shuzhi.<code>``), the key of
    ``severities`` in shuzhi.yaml, and the anchor in the rules reference. Each has one
    :class:`~shuzhi.check.registry.Rule` (a test checks it)."""

    FRONT_MATTER = "front-matter"
    UNREADABLE = "unreadable"
    SECTION_MISSING = "section-missing"
    SECTION_ORDER = "section-order"
    SECTION_EMPTY = "section-empty"
    NUMBERING = "numbering"
    PLACEHOLDER = "placeholder"
    WATERMARK = "watermark"
    UNSAFE_HTML = "unsafe-html"
    UNSAFE_FILE = "unsafe-file"
    TRUNCATED = "truncated"
    PII = "pii"
    DUPLICATE_REPORT = "duplicate-report"
    DUPLICATE_ID = "duplicate-id"
    PROBLEM_UNFIXED = "problem-unfixed"
    LINK_UNKNOWN = "link-unknown"
    LINK_SELF = "link-self"
    MEASURE_ORPHAN = "measure-orphan"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in one report, at one line (1-based, inside the file)."""

    path: str
    line: int
    code: str
    severity: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def as_text(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} {self.code}: {self.message}"


def findings_json(findings: Sequence[Finding]) -> str:
    """``json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)``, the same text
    written directly: the indenting encoder is pure Python (about a second for 40,000 findings)."""
    if not findings:
        return "[]"
    quote = json.encoder.encode_basestring  # the encoder's own string quoting (ensure_ascii=False)
    return (
        "[\n"
        + ",\n".join(
            f'  {{\n    "path": {quote(f.path)},\n    "line": {int.__repr__(f.line)},\n    "code": {quote(f.code)},\n'
            f'    "severity": {quote(f.severity)},\n    "message": {quote(f.message)}\n  }}'
            for f in findings
        )
        + "\n]"
    )


@dataclass(frozen=True)
class Note:
    """A finding before the rule registry has given it a severity."""

    line: int
    code: str
    message: str
