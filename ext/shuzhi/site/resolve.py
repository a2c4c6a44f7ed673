"""Whole-archive resolution: one :class:`~.state.ArchiveView` per build, and the pages to rewrite.

Runs once, in the main process, at ``env-get-updated`` — the one hook that comes after
every read phase (parallel readers included), before the environment is pickled, and
that may name pages to write again. From the reports' records it resolves the archive
checks (duplicates, conditional 整改落实, cross-report links), the ledger and what each
report page shows of it, the previous/next neighbours, breadcrumbs and listing rows;
comparing them with the last build's view names exactly the pages a change shows on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..check import check_archive
from ..config import Config
from ..match.ledger import LedgerEntry
from ..match.ledger_memo import Edit, LedgerMemo, resolve_ledger
from ..model import ReportSummary
from ..model.findings import Finding
from .archive_pages import get_scan, whole_archive_pages
from .domain import ShuzhiDomain, archive_config, emit, get_domain, year_key
from .state import ArchiveView, BuildState, DocRecord, PageView, build_state


def resolve_archive(app: Sphinx, env: BuildEnvironment) -> Iterator[str]:
    domain = get_domain(env)
    state = build_state(app)
    config = archive_config(app)
    old, records = domain.view, domain.records
    archive = _archive_findings(records, config)
    ledger, pages, memo = _ledger(records, config, old.ledger_memo, _edit(state, records))
    view = ArchiveView(archive=archive, ledger=ledger, pages=pages, neighbours=_neighbours(domain, config.kinds),
                       relations=_relations(env), listing=_listing(records, archive), ledger_memo=memo)
    domain.set_view(view)
    state.analytics = None  # computed again, from this view, the first time a page needs it
    state.lookup = None
    changed = {d for d in set(old.archive) | set(archive) if old.archive.get(d) != archive.get(d)}
    for docname in sorted(changed | state.reread):
        if docname in archive:
            emit(app, docname, archive[docname])
    touched = _touched(state, records, old.listing, view.listing) | changed
    state.touched = frozenset(touched)
    rewrite = sorted(_rewrite(app, records, old, view, changed, touched) & env.found_docs)
    # Sphinx runs this generator only after every env-get-updated handler has returned: the
    # handlers of what is resolved (background.py) hang on this event, not on env-get-updated
    app.emit("shuzhi-archive-resolved", env)
    yield from rewrite


def _archive_findings(records: Mapping[str, DocRecord], config: Config) -> dict[str, tuple[Finding, ...]]:
    docnames = sorted(records)
    by_path = {records[d].summary.path: d for d in docnames}
    resolved: dict[str, list[Finding]] = {}
    for finding in check_archive([records[d].summary for d in docnames], config):
        docname = by_path.get(finding.path)
        if docname is not None:
            resolved.setdefault(docname, []).append(finding)
    return {d: tuple(sorted(v)) for d, v in resolved.items()}


def _touched(state: BuildState, records: Mapping[str, DocRecord], old: Mapping[str, Any],
             new: Mapping[str, Any]) -> set[str]:
    """Reports whose data the summary pages show differently now.

    A report read again whose record did not change (a sentence outside its items reworded,
    say) is rewritten itself, but no summary page shows the change.
    """
    unchanged = {d for d in state.reread if d in state.before and records.get(d) == state.before[d]}
    touched = set(state.reread - unchanged)
    touched |= {d for d in set(old) | set(new) if old.get(d) != new.get(d)}
    return touched


def _rewrite(app: Sphinx, records: Mapping[str, DocRecord], old: ArchiveView, new: ArchiveView,
             changed: set[str], touched: set[str]) -> set[str]:
    """Pages to write again, beyond those Sphinx read again."""
    rewrite = set(changed)
    # Every page's breadcrumb and previous/next links. Sphinx rewrites a page whose own toctree
    # changed, not its siblings: a new organisation page changes the "next" link of the one before
    # it, a new year page that of the last report of the year before.
    for before, after in ((old.neighbours, new.neighbours), (old.relations, new.relations)):
        rewrite.update(d for d in after if before.get(d) != after[d])
    scan = get_scan(app)
    # a page whose ledger view changed, and its organisation's problem timeline (under its current name too)
    aliases = archive_config(app).org_aliases
    for docname in (d for d in new.pages if old.pages.get(d) != new.pages[d]):
        rewrite.add(docname)
        org = records[docname].summary.org
        rewrite.update(scan.org_doc(name) for name in (org, aliases.get(org, "")) if name)
    if touched:  # the year and organisation pages of the reports that changed, and the whole-archive pages
        for docname in touched:
            for entry in (old.listing.get(docname), new.listing.get(docname)):
                if entry is not None:
                    rewrite.update((scan.year_doc(entry[0]), scan.org_doc(entry[1])))
        rewrite.update(whole_archive_pages(scan))
        rewrite.add(app.config.root_doc)
    return rewrite


def _listing(records: Mapping[str, DocRecord], archive: Mapping[str, tuple[Finding, ...]]) -> dict[str, tuple[Any, ...]]:
    """What the listing pages show of each report."""
    listing = {}
    for docname, record in records.items():
        s = record.summary
        severities = tuple(f.severity for f in sorted(record.findings + archive.get(docname, ())))
        listing[docname] = (year_key(s.year), s.org, s.kind, s.title, s.status, s.tags, severities)
    return listing


def _neighbours(domain: ShuzhiDomain, kinds: Sequence[str]) -> dict[str, tuple[Any, Any]]:
    neighbours: dict[str, tuple[Any, Any]] = {}
    for entries in domain.by_year(kinds).values():
        line = [(d, s.title) for d, s in entries]
        for i, (d, _) in enumerate(line):
            neighbours[d] = (line[i - 1] if i else None, line[i + 1] if i + 1 < len(line) else None)
    return neighbours


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


# -- the ledger and what each report page shows of it ---------------------------------------


def _edit(state: BuildState, records: Mapping[str, DocRecord]) -> Edit:
    """The reports read again in this build, as they were and as they are, for the ledger memo."""
    now = [records[d] for d in sorted(state.reread) if d in records]
    was = [state.before[d] for d in sorted(state.before)]
    return Edit(removed=[f for r in was for f in r.features.values()],
                added=[f for r in now for f in r.features.values()],
                orgs=frozenset(r.summary.org for r in (*was, *now)))


def _ledger(records: Mapping[str, DocRecord], config: Config, memo: LedgerMemo | None,
            edit: Edit) -> tuple[tuple[LedgerEntry, ...], dict[str, PageView], LedgerMemo]:
    summaries = [records[d].summary for d in sorted(records)]
    measures_of = {r.summary.ref: {pid: [m.id for m in ms] for pid, ms in r.links.items()} for r in records.values()}
    features = {(r.summary.ref, iid): f for r in records.values() for iid, f in r.features.items()}
    ledger, memo = resolve_ledger(summaries, measures_of, features, config.org_aliases, memo, edit)
    by_ref: dict[str, list[LedgerEntry]] = {}
    for entry in ledger.entries:
        by_ref.setdefault(entry.ref, []).append(entry)
    docs = {s.ref: d for d, s in ((d, r.summary) for d, r in records.items())}
    titles = {s.ref: s.title for s in summaries}
    leads = {(s.ref, i.id): i.lead for s in summaries for i in s.items}
    statuses = {(e.ref, e.problem_id): e.status for e in ledger.entries}
    pages = {d: _page_view(r.summary, by_ref.get(r.summary.ref, []), docs, titles, leads, statuses)
             for d, r in records.items()}
    return tuple(ledger.entries), pages, memo


def _page_view(summary: ReportSummary, entries: Sequence[LedgerEntry], docs: dict[str, str],
               titles: dict[str, str], leads: dict[tuple[str, str], str],
               statuses: dict[tuple[str, str], str]) -> PageView:
    def refs(items: Sequence[Any]) -> tuple[tuple[Any, ...], ...]:
        # the last field: the referred problem is one reported rectified that came back (整改后复现)
        return tuple((docs.get(r.ref), r.ref, r.item_id, statuses.get((r.ref, r.item_id)) == "reappeared")
                     for r in items)

    problems = {
        e.problem_id: (e.status, refs(e.rectified_by), refs(e.recurs_in), refs(e.recurrence_of), e.sentence)
        for e in entries
    }
    answers: dict[str, tuple[Any, ...]] = {}
    for item in summary.items:
        targets = []
        for target in item.targets:
            if "#" in target:
                ref, pid = target.split("#", 1)
                targets.append((target, docs.get(ref), pid, titles.get(ref, ""), leads.get((ref, pid), "")))
        if targets:
            answers[item.id] = tuple(targets)
    return {"problems": problems, "answers": answers}


def setup_resolve(app: Sphinx) -> None:
    app.add_event("shuzhi-archive-resolved")  # (app, env): the archive view of this build is set
    app.connect("env-get-updated", resolve_archive)
