"""What a rule's check is given: the report (or the archive's summaries) and the archive's settings.

Each :class:`~shuzhi.check.registry.Rule` owns its checks; every check takes one
context and yields :class:`~shuzhi.model.findings.Note`\\ s (archive checks yield
:data:`ArchiveNote`\\ s). What several checks need — the section schema, the
compiled rule settings, the report's resolved links — is computed once per
report, on first use. The rules that match the settings' patterns line by line use
:attr:`ReportContext.line_settings`: the same settings without the patterns that
cannot match anywhere in the report's lines, found with one scan of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..config import Config
from ..model import Report, ReportSummary, default_schema, plain
from ..model.findings import Note
from ..model.schema import SectionSchema
from .rule_settings import Settings, settings

#: (summary, line, code, message)
ArchiveNote = tuple[ReportSummary, int, str, str]


def _schema(config: Config | None) -> SectionSchema:
    return config.schema if config is not None else default_schema()


@dataclass
class ReportContext:
    report: Report
    config: Config | None = None
    #: archive-wide term weights for the matcher (None: weighed over the report itself)
    idf: Mapping[str, float] | None = None
    #: the report's resolved links, when the caller has them already (the Sphinx build)
    given_links: Any = None

    @cached_property
    def schema(self) -> SectionSchema:
        return _schema(self.config)

    @cached_property
    def settings(self) -> Settings:
        return settings(self.config)

    @cached_property
    def line_settings(self) -> Settings:
        """:attr:`settings` narrowed to the report's text lines: for patterns matched on a text
        line (as written or as read, see :func:`~shuzhi.model.plain`) or a part of one."""
        raw = [line for _n, line in self.report.text_lines]
        read = [text for line in raw if (text := plain(line)) != line]
        return self.settings.within("\n".join(raw + read))

    @cached_property
    def links(self) -> Any:
        """The report's :class:`~shuzhi.match.links.ReportLinks` (the matcher is imported on first use)."""
        if self.given_links is not None:
            return self.given_links
        from ..match.links import resolve_links  # lazy: pulls in the matcher (and jieba when needed)

        return resolve_links(self.report, self.idf) if self.idf is not None else resolve_links(self.report)


@dataclass
class ArchiveContext:
    summaries: Sequence[ReportSummary]
    config: Config | None = None

    @cached_property
    def schema(self) -> SectionSchema:
        return _schema(self.config)


ReportCheck = Callable[[ReportContext], Iterable[Note]]
ArchiveCheck = Callable[[ArchiveContext], Iterable[ArchiveNote]]


def model_notes(code: str) -> ReportCheck:
    """The check of a rule the model itself applies while reading (front matter, item markers)."""

    def check(ctx: ReportContext) -> Iterable[Note]:
        return [note for note in ctx.report.notes if note.code == code]

    check.__name__ = f"model_notes[{code}]"
    return check
