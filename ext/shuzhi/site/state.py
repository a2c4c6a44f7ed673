"""What a build knows, in three typed places, each with one writer.

- :class:`DocRecord` (frozen): everything reading one report leaves for the rest of the build —
  its summary, findings, problem→measure links, cluster terms, ledger features and figures.
  Written once per report by the ``source-read`` handler (:mod:`.domain`), stored in the domain
  by docname, so it is pickled with the environment, dropped by ``clear_doc`` and merged from
  parallel readers like ``sphinx.ext.todo``'s entries.
- :class:`ArchiveView` (frozen): the whole-archive resolution — archive findings, the ledger,
  what each report page shows of other reports, previous/next neighbours, breadcrumbs and
  listing rows. Written once per build at ``env-get-updated`` (:mod:`.resolve`), stored in the
  domain, so the next build can compare and rewrite only the pages whose view changed.
- :class:`BuildState`: this process's bookkeeping for the current build — the validated
  settings and ``shuzhi.yaml``, the scan of the reports folder, which reports are read again
  and what they were, which changed, unreadable files, the warning log and the analytics
  (computed the first time a page needs them). One per application, kept here rather than as
  attributes on the Sphinx application.

Handlers read these; none reads another handler's side effects.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from ..model import ReportSummary
from ..model.findings import Finding

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..analytics import Analytics, ReportStats
    from ..config import Config
    from ..match.ledger import LedgerEntry
    from ..match.ledger_memo import LedgerMemo
    from ..match.links import LinkedMeasure
    from .archive_pages import Scan
    from .background import Export, Job
    from .buildlog import WarningLog
    from .readahead import Ahead
    from .safety import Unreadable
    from .settings import Settings


@dataclass(frozen=True)
class DocRecord:
    """What reading one report stored (compared whole to tell whether an edit shows elsewhere)."""

    summary: ReportSummary
    findings: tuple[Finding, ...]  # the report's own checks (archive checks are in the view)
    links: Mapping[str, tuple[LinkedMeasure, ...]]  # problem id -> its measures
    terms: Mapping[str, Counter[str]]  # problem/rectification id -> terms, for the clusters
    features: Mapping[str, Mapping[str, float]]  # item id -> matcher features, for the ledger
    stats: ReportStats


#: what a report page shows of the ledger: {"problems": {id: (...)}, "answers": {id: (...)}}
PageView = dict[str, dict[str, tuple[Any, ...]]]
EMPTY_PAGE: PageView = {"problems": {}, "answers": {}}


@dataclass(frozen=True)
class ArchiveView:
    """The archive as resolved at ``env-get-updated`` of one build."""

    archive: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)  # docname -> archive findings
    ledger: tuple[LedgerEntry, ...] = ()
    pages: Mapping[str, PageView] = field(default_factory=dict)  # docname -> ledger view of its page
    neighbours: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)  # docname -> (prev, next) with titles
    relations: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # docname -> breadcrumb, prev, next
    listing: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # docname -> its row on listing pages
    ledger_memo: LedgerMemo | None = None  # what the next build's ledger can reuse


EMPTY_VIEW = ArchiveView()


@dataclass
class Lookup:
    """Indexes of the resolved archive for the pages being written. Each organisation page used to go
    through every record three times (the report dict, its own reports, the address of each report it
    links): about 3.3 s for the 300 organisation pages of 5,000 reports (sampling profile), growing with
    reports times organisations."""

    docs: dict[str, str]  # report ref -> docname
    by_org: dict[str, list[tuple[str, ReportSummary]]]  # organisation -> its reports, in record order


@dataclass
class BuildState:
    """One application's bookkeeping for the build under way (not pickled)."""

    settings: Settings | None = None
    archive_config: Config | None = None  # shuzhi.yaml, loaded at config-inited
    scan: Scan | None = None
    unreadable: tuple[Unreadable, ...] = ()
    report_files: list[tuple[str, os.stat_result]] | None = None  # the reports folder as config-inited found it
    reread: frozenset[str] = frozenset()  # reports added, changed or removed in this build
    before: dict[str, DocRecord] = field(default_factory=dict)  # their records before this build
    #: reports whose data changed in this build (None: nothing resolved yet, assume all)
    touched: frozenset[str] | None = None
    analytics: Analytics | None = None
    warning_log: WarningLog | None = None
    exports: list[Export] = field(default_factory=list)  # whole-archive files, registered at setup
    job: Job | None = None  # the child writing them in this build
    ahead: Ahead | None = None  # the worker computing the records of the reports being read
    lookup: Lookup | None = None  # made on first use once the archive is resolved (see domain.lookup)


_STATES: WeakKeyDictionary[Sphinx, BuildState] = WeakKeyDictionary()


def build_state(app: Sphinx) -> BuildState:
    """The build state of ``app`` (created empty the first time)."""
    state = _STATES.get(app)
    if state is None:
        state = _STATES[app] = BuildState()
    return state
