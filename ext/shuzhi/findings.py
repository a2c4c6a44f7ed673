"""Findings: what a check found in a report, located at a file line.

A :class:`Finding` is plain data shared by the model, the rules, the lint CLI and
the Sphinx extension; it knows nothing of Sphinx.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


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


@dataclass(frozen=True)
class Note:
    """A finding before the rule registry has given it a severity."""

    line: int
    code: str
    message: str
