"""The ``shuzhi`` domain: one frozen record per report, and the archive view, keyed by docname.

Shaped like ``sphinx.ext.todo``: reading a report stores its :class:`~.state.DocRecord`
(summary, findings, links, terms, features, figures) under its docname; ``clear_doc``
drops it and ``merge_domaindata`` takes a parallel reader's records wholesale, so
``-j N`` and incremental builds are correct by construction.

Whole-archive resolution (:mod:`.resolve`: duplicates, conditional 整改落实, the ledger,
neighbours, listings) runs once per build, in the main process, at ``env-get-updated``
and stores one :class:`~.state.ArchiveView` here; pages read it, never recompute it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any, cast

from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging

from .. import labels
from ..check import check_report
from ..config import Config, load_config
from ..model import Report, ReportSummary, parse_report, summarise
from ..model.findings import Finding
from ..model.frontmatter import DEFAULT_KINDS
from .background import Export, register
from .readahead import setup_readahead, take
from .recordfile import RecordStore, prepare, setup_recordfile, write
from .settings import settings
from .state import EMPTY_VIEW, ArchiveView, DocRecord, Lookup, build_state

logger = logging.getLogger(__name__)

UNDATED = labels.UNDATED


class ShuzhiDomain(Domain):
    """Reports' records and the archive view, one record per docname."""

    name = "shuzhi"
    label = "述职档案"
    data_version = 6
    initial_data = {  # typed by the base class (a ClassVar on Sphinx 9)
        "records": {},  # docname -> DocRecord (what reading the report stored)
        "view": EMPTY_VIEW,  # ArchiveView (resolved once per build)
    }

    @property
    def records(self) -> RecordStore:
        records = self.data["records"]
        if not isinstance(records, RecordStore):  # a fresh environment's initial data
            records = self.data["records"] = RecordStore(records)
        return records

    @property
    def view(self) -> ArchiveView:
        return cast(ArchiveView, self.data["view"])

    def set_view(self, view: ArchiveView) -> None:
        self.data["view"] = view

    @property
    def reports(self) -> dict[str, ReportSummary]:
        """docname -> summary (a new dict: bind it once, not per lookup)."""
        return {d: r.summary for d, r in self.records.items()}

    def summary(self, docname: str) -> ReportSummary | None:
        record = self.records.get(docname)
        return record.summary if record is not None else None

    def findings(self, docname: str) -> tuple[Finding, ...]:
        record = self.records.get(docname)
        own = record.findings if record is not None else ()
        return tuple(sorted(own + self.view.archive.get(docname, ())))

    def add_finding(self, docname: str, finding: Finding) -> None:
        """A finding made after the source was checked (the doctree's unsafe markup)."""
        record = self.records.get(docname)
        if record is not None:
            self.records[docname] = replace(record, findings=tuple(sorted((*record.findings, finding))))

    def clear_doc(self, docname: str) -> None:
        self.records.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["records"]:
                self.records[docname] = otherdata["records"][docname]
            else:
                self.records.pop(docname, None)

    def resolve_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str,
        target: str, node: pending_xref, contnode: Element,
    ) -> Element | None:
        return None

    def resolve_any_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str,
        node: pending_xref, contnode: Element,
    ) -> list[tuple[str, Element]]:
        return []

    # -- views the pages use -------------------------------------------------------
    def by_year(self, kinds: Sequence[str]) -> dict[str, list[tuple[str, ReportSummary]]]:
        """Year key ("2023" or "undated") -> [(docname, summary)] in page order (``kinds``: the archive's)."""
        years: dict[str, list[tuple[str, ReportSummary]]] = {}
        for docname, record in self.records.items():
            years.setdefault(year_key(record.summary.year), []).append((docname, record.summary))
        for entries in years.values():
            entries.sort(key=lambda e: sort_key(e[1].kind, e[1].org, e[1].title, e[0], kinds))
        return years

    def neighbours(self, docname: str, kinds: Sequence[str]) -> tuple[str | None, str | None]:
        """The previous and next report of the same year, in the year page's order."""
        resolved = self.view.neighbours.get(docname)
        if resolved is not None:  # resolved once per build at env-get-updated (sorting per page was quadratic)
            prev, nxt = resolved
            return (prev[0] if prev else None), (nxt[0] if nxt else None)
        summary = self.summary(docname)
        if summary is None:
            return None, None
        entries = [d for d, _ in self.by_year(kinds).get(year_key(summary.year), [])]
        i = entries.index(docname)
        return (entries[i - 1] if i > 0 else None), (entries[i + 1] if i + 1 < len(entries) else None)


def year_key(year: int | None) -> str:
    return str(year) if year is not None else UNDATED


def sort_key(kind: str, org: str, title: str, docname: str,
             kinds: Sequence[str] = DEFAULT_KINDS) -> tuple[Any, ...]:
    """One order for reports within a year, shared by the stubs' toctrees, prev/next and the
    printed volumes: the archive's kinds in its order (``shuzhi.yaml``), organisation, title."""
    return (labels.kind_rank(kind, kinds), kind, org or "\uffff", title, docname)


def get_domain(env: BuildEnvironment) -> ShuzhiDomain:
    return cast(ShuzhiDomain, env.get_domain("shuzhi"))


def lookup(app: Sphinx) -> Lookup:
    """The resolved archive's indexes, made once per build on first use (by a page being written)."""
    state = build_state(app)
    if state.lookup is None:
        records = get_domain(app.env).records
        by_org: dict[str, list[tuple[str, ReportSummary]]] = {}
        for docname, record in records.items():
            by_org.setdefault(record.summary.org, []).append((docname, record.summary))
        state.lookup = Lookup(docs={r.summary.ref: d for d, r in records.items()}, by_org=by_org)
    return state.lookup


def is_report(app: Sphinx, docname: str) -> bool:
    folder = settings(app).reports_dir
    return bool(folder) and docname.startswith(folder + "/")


def archive_config(app: Sphinx) -> Config:
    state = build_state(app)
    config = state.archive_config
    if config is None:
        try:
            config = load_config(Path(app.srcdir))
        except ValueError as exc:  # a bad shuzhi.yaml: Sphinx's "Configuration error", no traceback
            raise ConfigError(str(exc)) from None
        state.archive_config = config
    return config


def emit(app: Sphinx, docname: str, findings: Iterable[Finding]) -> None:
    """Log findings located at docname:line; error/warning become Sphinx warnings."""
    as_warnings = settings(app).findings_as_warnings
    for f in findings:
        location = (docname, f.line)
        if f.severity in ("error", "warning") and as_warnings:
            prefix = "错误：" if f.severity == "error" else ""
            logger.warning(prefix + f.message, type="shuzhi", subtype=f.code, location=location)
        elif f.severity != "off":
            logger.verbose(f"提示：{f.message} [shuzhi.{f.code}]", location=location)  # -v, as documented


# -- reading ------------------------------------------------------------------------


def read_record(report: Report, config: Config, *, trusted_html: bool = False) -> DocRecord:
    """Everything the rest of the build needs of one parsed report, computed once."""
    from ..analytics import stats
    from ..match.ledger import report_features, report_terms
    from ..match.links import resolve_links

    links = resolve_links(report)
    findings = tuple(sorted(check_report(report, config, links=links if report.items else None)))
    if trusted_html:  # raw HTML is published as written: nothing to report
        findings = tuple(f for f in findings if f.code != "unsafe-html")
    return DocRecord(
        summary=summarise(report),
        findings=findings,
        links={pid: tuple(ms) for pid, ms in links.by_problem.items()},
        terms=report_terms(report.items),
        features=report_features(report.items),
        stats=stats(report, config, links),
    )


def _read_report(app: Sphinx, docname: str, source: list[str]) -> None:
    if not is_report(app, docname):
        return
    env = app.env
    record = take(app, docname, source[0])  # computed by the read-ahead worker from the same text
    if record is None:
        record = make_record(app, PurePosixPath(env.doc2path(docname, False)).as_posix(), source[0])
    get_domain(env).records[docname] = record
    emit(app, docname, record.findings)


def make_record(app: Sphinx, path: str, text: str) -> DocRecord:
    """The record of the report at ``path`` (relative to the project) whose text is ``text``."""
    config = archive_config(app)
    report = parse_report(text, path, schema=config.schema, kinds=config.kinds, myst=config.myst)
    return read_record(report, config, trusted_html=settings(app).trusted_html)


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    state = build_state(app)
    state.reread = frozenset(d for d in added | changed | removed if is_report(app, d))
    # what the archive pages are made of, before the documents are purged and read again
    records = get_domain(env).records
    state.before = {d: records[d] for d in state.reread if d in records}
    return []


def setup_domain(app: Sphinx) -> None:
    app.add_domain(ShuzhiDomain)
    setup_recordfile(app)
    # the records go first: the environment saved meanwhile refers to them
    register(app, Export("shuzhi-records", write, prepare=prepare))
    app.connect("source-read", _read_report)
    setup_readahead(app)
    app.connect("env-get-outdated", _outdated)
