"""The ``shuzhi`` domain: per-report summaries and findings, keyed by docname.

Shaped like ``sphinx.ext.todo``: reading a report stores its small, picklable
:class:`~shuzhi.model.ReportSummary` and its findings under its docname;
``clear_doc`` drops them and ``merge_domaindata`` replaces a parallel worker's
documents wholesale, so ``-j N`` and incremental builds are correct by construction.

Whole-archive resolution (``check_archive``: duplicates, conditional 整改落实,
cross-report links) runs once per build, in the main process, at
``env-get-updated``: it is the one hook that runs after every read phase, before
the environment is pickled, and that may name pages to rewrite — the pages whose
archive findings, prev/next neighbours or listings changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Set
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
from ..config import Config, load_config
from ..model import Report, ReportSummary, parse_report, summarise
from ..model.findings import Finding
from ..model.frontmatter import DEFAULT_KINDS
from .settings import settings

logger = logging.getLogger(__name__)

UNDATED = labels.UNDATED


class ShuzhiDomain(Domain):
    """Reports and their findings, one entry per docname."""

    name = "shuzhi"
    label = "述职档案"
    data_version = 5
    initial_data = {  # typed by the base class (a ClassVar on Sphinx 9)
        "reports": {},  # docname -> ReportSummary
        "findings": {},  # docname -> tuple[Finding, ...] (one report's own checks)
        "archive": {},  # docname -> tuple[Finding, ...] (whole-archive checks, resolved once)
        "neighbours": {},  # docname -> (previous, next) report of its year, as last resolved
        "listing": {},  # docname -> what the listing pages show of it, as last resolved
        "links": {},  # docname -> {problem id: tuple[LinkedMeasure, ...]} (the report's own links)
        "terms": {},  # docname -> {item id: Counter} (problems, rectifications: for the clusters)
        "features": {},  # docname -> {item id: {feature: weight}} (problems, measures, rectifications: for the ledger)
        "stats": {},  # docname -> analytics.ReportStats
        "views": {},  # docname -> what its page shows of other reports (resolved once)
        "ledger": (),  # tuple[LedgerEntry, ...] of the whole archive (resolved once)
        "relations": {},  # docname -> its breadcrumb and previous/next pages with their titles, as last resolved
    }

    @property
    def reports(self) -> dict[str, ReportSummary]:
        return cast(dict[str, ReportSummary], self.data["reports"])

    def findings(self, docname: str) -> tuple[Finding, ...]:
        own: tuple[Finding, ...] = self.data["findings"].get(docname, ())
        return tuple(sorted(own + self.data["archive"].get(docname, ())))

    #: what reading one document stores (dropped by clear_doc, replaced on merge)
    PER_DOC = ("reports", "findings", "links", "terms", "features", "stats")

    def clear_doc(self, docname: str) -> None:
        for key in self.PER_DOC:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for key in self.PER_DOC:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
                else:
                    self.data[key].pop(docname, None)

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
        for docname, summary in self.reports.items():
            years.setdefault(year_key(summary.year), []).append((docname, summary))
        for entries in years.values():
            entries.sort(key=lambda e: sort_key(e[1].kind, e[1].org, e[1].title, e[0], kinds))
        return years

    def neighbours(self, docname: str, kinds: Sequence[str]) -> tuple[str | None, str | None]:
        """The previous and next report of the same year, in the year page's order."""
        resolved = self.data["neighbours"].get(docname)
        if resolved is not None:  # resolved once per build at env-get-updated (sorting per page was quadratic)
            prev, nxt = resolved
            return (prev[0] if prev else None), (nxt[0] if nxt else None)
        summary = self.reports.get(docname)
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


def is_report(app: Sphinx, docname: str) -> bool:
    folder = settings(app).reports_dir
    return bool(folder) and docname.startswith(folder + "/")


def archive_config(app: Sphinx) -> Config:
    config = getattr(app, "shuzhi_config", None)
    if config is None:
        try:
            config = load_config(Path(app.srcdir))
        except ValueError as exc:  # a bad shuzhi.yaml: Sphinx's "Configuration error", no traceback
            raise ConfigError(str(exc)) from None
        app.shuzhi_config = config  # type: ignore[attr-defined]
    return config


# -- rules (another module's API; guarded so the site builds before it lands) -------


def _rules() -> Any:
    try:
        from .. import check as rules
    except ImportError:
        return None
    return rules


def check_report(report: Report, config: Config, links: Any = None) -> list[Finding]:
    rules = _rules()
    if rules is not None:
        return list(rules.check_report(report, config, links=links))
    # Fallback until the rule registry lands: the parser's own notes, as warnings.
    return [Finding(report.path, n.line, n.code, "warning", n.message) for n in report.notes]


def check_archive(summaries: list[ReportSummary], config: Config) -> list[Finding]:
    rules = _rules()
    return list(rules.check_archive(summaries, config)) if rules is not None else []


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


def _read_report(app: Sphinx, docname: str, source: list[str]) -> None:
    if not is_report(app, docname):
        return
    env = app.env
    config = archive_config(app)
    path = PurePosixPath(env.doc2path(docname, False)).as_posix()
    report = parse_report(source[0], path, schema=config.schema, kinds=config.kinds, myst=config.myst)
    from ..match.links import resolve_links

    # resolved once here, for the rules and for the page's links (linking, analytics)
    links = resolve_links(report) if report.items else None
    env.temp_data["shuzhi_links"] = links
    findings = tuple(sorted(check_report(report, config, links)))
    if settings(app).trusted_html:  # raw HTML is published as written: nothing to report
        findings = tuple(f for f in findings if f.code != "unsafe-html")
    domain = get_domain(env)
    domain.data["reports"][docname] = summarise(report)
    domain.data["findings"][docname] = findings
    env.temp_data["shuzhi_report"] = report  # for the items transform, this document only
    emit(app, docname, findings)


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    reread = {d for d in added | changed | removed if is_report(app, d)}
    app.shuzhi_reread = reread  # type: ignore[attr-defined]
    # what the archive pages are made of, before the documents are purged and read again
    domain = get_domain(env)
    app.shuzhi_before = {d: _snapshot(domain, d) for d in reread if d in domain.reports}  # type: ignore[attr-defined]
    return []


def _snapshot(domain: ShuzhiDomain, docname: str) -> tuple[Any, ...]:
    """Everything the summary pages (listings, ledger, quality, analytics, export) take from one report."""
    return tuple(domain.data[key].get(docname) for key in ShuzhiDomain.PER_DOC)


def _unchanged(app: Sphinx, domain: ShuzhiDomain, reread: set[str]) -> set[str]:
    """Reports read again whose data is what it was (an edit the summary pages do not show)."""
    before: dict[str, tuple[Any, ...]] = getattr(app, "shuzhi_before", {})
    return {d for d in reread if d in before and d in domain.reports and before[d] == _snapshot(domain, d)}


def _resolve(app: Sphinx, env: BuildEnvironment) -> Iterator[str]:
    domain = get_domain(env)
    reread: set[str] = getattr(app, "shuzhi_reread", set())
    docnames = sorted(domain.reports)
    by_path = {domain.reports[d].path: d for d in docnames}
    resolved: dict[str, list[Finding]] = {}
    for finding in check_archive([domain.reports[d] for d in docnames], archive_config(app)):
        docname = by_path.get(finding.path)
        if docname is not None:
            resolved.setdefault(docname, []).append(finding)
    new = {d: tuple(sorted(v)) for d, v in resolved.items()}
    old: dict[str, tuple[Finding, ...]] = domain.data["archive"]
    changed = {d for d in set(old) | set(new) if old.get(d) != new.get(d)}
    domain.data["archive"] = new
    for docname in sorted(changed | reread):
        if docname in new:
            emit(app, docname, new[docname])

    # Pages to rewrite: reports whose prev/next neighbour changed, and of the
    # generated pages only those a change shows on — the year and organisation
    # pages of the reports that changed, and the few whole-archive pages.
    neighbours: dict[str, tuple[Any, Any]] = {}
    for entries in domain.by_year(archive_config(app).kinds).values():
        line = [(d, s.title) for d, s in entries]
        for i, (d, _) in enumerate(line):
            neighbours[d] = (line[i - 1] if i else None, line[i + 1] if i + 1 < len(line) else None)
    old_neighbours: dict[str, tuple[Any, Any]] = domain.data["neighbours"]
    domain.data["neighbours"] = neighbours
    rewrite = set(changed) | {d for d in neighbours if old_neighbours.get(d) != neighbours[d]}
    # Every page's breadcrumb and previous/next links come from the toctrees. Sphinx rewrites a
    # page whose own toctree changed, not its siblings: a new organisation page changes the
    # "next" link of the one before it, a new year page that of the last report of the year before.
    relations = _relations(env)
    old_relations: dict[str, tuple[Any, ...]] = domain.data["relations"]
    domain.data["relations"] = relations
    rewrite.update(d for d in relations if old_relations.get(d) != relations[d])
    listing = {
        d: (year_key(s.year), s.org, s.kind, s.title, s.status, s.tags, tuple(f.severity for f in domain.findings(d)))
        for d, s in domain.reports.items()
    }
    old_listing: dict[str, tuple[Any, ...]] = domain.data["listing"]
    domain.data["listing"] = listing
    # a report read again whose data did not change (a sentence outside its items reworded, say) is
    # rewritten itself, but no summary page shows the change
    touched = (reread - _unchanged(app, domain, reread)) | changed
    touched |= {d for d in set(listing) | set(old_listing) if listing.get(d) != old_listing.get(d)}
    app.shuzhi_archive_changed = bool(touched)  # type: ignore[attr-defined]
    if touched:
        from .archive_pages import get_scan, whole_archive_pages

        scan = get_scan(app)
        for docname in touched:
            for entry in (old_listing.get(docname), listing.get(docname)):
                if entry is not None:
                    rewrite.update((scan.year_doc(entry[0]), scan.org_doc(entry[1])))
        rewrite.update(whole_archive_pages(scan))
        rewrite.add(app.config.root_doc)
    yield from sorted(rewrite & env.found_docs)


def _relations(env: BuildEnvironment) -> dict[str, tuple[Any, ...]]:
    """docname -> (its ancestors, previous and next page, each with its title), as the theme shows them."""
    related = env.collect_relations()

    def titled(docname: str | None) -> tuple[str, str] | None:
        if docname is None:
            return None
        title = env.titles.get(docname)
        return docname, title.astext() if title is not None else ""

    out: dict[str, tuple[Any, ...]] = {}
    for docname, (parent, prev, nxt) in related.items():
        ancestors = []
        seen = {docname}
        while parent is not None and parent not in seen:
            seen.add(parent)
            ancestors.append(titled(parent))
            parent = related.get(parent, [None])[0]
        out[docname] = (tuple(ancestors), titled(prev), titled(nxt))
    return out


def setup_domain(app: Sphinx) -> None:
    app.add_domain(ShuzhiDomain)
    app.connect("source-read", _read_report)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-get-updated", _resolve)
