"""The machine-readable export of the whole archive: one JSON document.

The Sphinx extension writes it to ``_build/html/_static/archive.json``; its
schema is ``data/archive.schema.json`` and docs/export.md describes every field.
Reports, front matter, sections, problems (with their category, measures and
ledger status), measures, rectifications, quantities, placeholders, findings,
plus the archive-wide recurring-problem clusters.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import DATA_DIR
from ..analytics.analyse import Analytics, analyse
from ..analytics.stats import ReportStats, stats
from ..config import Config
from ..match.ledger import STATUSES, LedgerEntry, Reference
from ..model import ItemSummary, Report, ReportSummary, summarise
from ..model.findings import Finding
from .collector import paused

FORMAT = "shuzhi-archive"
VERSION = 2  # 2: ledger statuses read from the follow-up's words, recurrences both ways
SCHEMA_PATH = DATA_DIR / "archive.schema.json"


@paused()  # millions of new dicts and lists, no cycle among them: see .collector
def export_archive(
    a: Analytics,
    report_stats: Iterable[ReportStats],
    findings: Iterable[Finding] = (),
    *,
    generated: str | None = None,
) -> dict[str, Any]:
    """The export document (plain JSON data) of an analysed archive.

    ``generated`` (an ISO timestamp) is included only when given, so the default
    output is reproducible byte for byte.
    """
    return {key: list(value) if isinstance(value, Iterator) else value
            for key, value in _sections(a, report_stats, findings, generated)}


def _sections(a: Analytics, report_stats: Iterable[ReportStats], findings: Iterable[Finding],
              generated: str | None) -> Iterator[tuple[str, Any]]:
    """The document's keys in order, each with its value; the reports as an iterator, one at a time."""
    by_ref = {st.ref: st for st in report_stats}
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    ledger = {(e.ref, e.problem_id): e for e in a.ledger.entries}
    category = dict(a.category_of)
    yield "format", FORMAT
    yield "version", VERSION
    if generated is not None:
        yield "generated", generated
    yield "reports", (_report(s, by_ref.get(s.ref), sorted(by_path.get(s.path, [])), ledger, category) for s in a.reports)
    yield "categories", list(a.categories)
    counts = a.ledger.counts()
    yield "ledger_statuses", [{"code": code, "label": label, "count": counts.get(code, 0)} for code, label in STATUSES.items()]
    yield "recurring", [
        {
            "label": c.label,
            "terms": list(c.terms),
            "members": [{"ref": m.ref, "problem_id": m.problem_id} for m in c.members],
        }
        for c in a.clusters
    ]


def _report(
    s: ReportSummary,
    st: ReportStats | None,
    findings: Sequence[Finding],
    ledger: dict[tuple[str, str], LedgerEntry],
    category: dict[tuple[str, str], str],
) -> dict[str, Any]:
    links = st.measures_of() if st else {}
    sources = {(lk.problem_id, lk.measure_id): lk for lk in st.links} if st else {}
    answered: dict[str, list[str]] = {}
    for pid, mids in links.items():
        for mid in mids:
            answered.setdefault(mid, []).append(pid)
    return {
        "ref": s.ref,
        "path": s.path,
        "title": s.title,
        "org": s.org or None,
        "year": s.year,
        "kind": s.kind or None,
        "status": s.status,
        "tags": list(s.tags),
        "front_matter": st.front if st else {},
        "sections": [
            {"title": x.title, "canonical": list(x.canonical), "level": x.level, "line": x.line, "parent": x.parent}
            for x in (st.sections if st else ())
        ],
        "problems": [
            {
                **_item(p),
                "category": category.get((s.ref, p.id)),
                "measures": [
                    {"id": mid, "source": sources[(p.id, mid)].source, "score": sources[(p.id, mid)].score}
                    for mid in links.get(p.id, [])
                ],
                "ledger": _ledger(ledger.get((s.ref, p.id))),
            }
            for p in s.items
            if p.kind == "problem"
        ],
        "measures": [{**_item(m), "problems": answered.get(m.id, [])} for m in s.items if m.kind == "measure"],
        "rectifications": [_item(r) for r in s.items if r.kind == "rectification"],
        "quantities": [
            {"text": q.text, "number": q.number, "unit": q.unit, "sentence": q.sentence, "line": q.line}
            for q in (st.quantities if st else ())
        ],
        "placeholders": [{"line": line, "token": token} for line, token in (st.placeholders if st else ())],
        "findings": [{"line": f.line, "code": f.code, "severity": f.severity, "message": f.message} for f in findings],
    }


def _item(i: ItemSummary) -> dict[str, Any]:
    return {"id": i.id, "lead": i.lead, "text": i.text, "line": i.line, "targets": list(i.targets), "explicit": i.explicit}


def _refs(refs: Iterable[Reference]) -> list[dict[str, Any]]:
    return [{"ref": r.ref, "item_id": r.item_id, "text": r.text, "score": r.score, "explicit": r.explicit} for r in refs]


def _ledger(e: LedgerEntry | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "status": e.status,
        "label": e.status_label,
        "follow_up": e.follow_up,
        "rectified_by": _refs(e.rectified_by),
        "recurs_in": _refs(e.recurs_in),
        "reported": e.reported or None,
        "sentence": e.sentence or None,
        "recurrence_of": _refs(e.recurrence_of),
        "unit": e.unit or e.org,
    }


def dumps(doc: dict[str, Any], indent: int | None = None) -> str:
    """The document as JSON text: Chinese unescaped, compact unless ``indent`` is given."""
    return _json(doc, indent) + "\n"


def _json(doc: Any, indent: int | None = None) -> str:
    separators = (",", ":") if indent is None else None
    # the document is a tree built by export_archive: no need to check for cycles on the way
    return json.dumps(doc, ensure_ascii=False, indent=indent, separators=separators, check_circular=False)


@paused()
def write_export(target: Path, a: Analytics, report_stats: Iterable[ReportStats], findings: Iterable[Finding] = ()) -> None:
    """Write :func:`dumps` of :func:`export_archive` to ``target``, one report at a time.

    At 5,000 reports the document is about 150 MB of objects and its text 30 million characters;
    the whole document, its text, a copy with the newline and the UTF-8 bytes had raised the
    peak memory of the process writing it by 220 MB. Each part of the document is made, encoded
    and written in turn; the bytes are those of ``dumps(export_archive(...))`` (the compact form:
    ``{"key":value,...}``, ``[item,...]``, keys in document order)."""
    partial = target.with_name(target.name + ".part")
    with open(partial, "wb") as f:
        separator = "{"
        for key, value in _sections(a, report_stats, findings, None):
            f.write(f"{separator}{_json(key)}:".encode())
            separator = ","
            if isinstance(value, Iterator):
                f.write(b"[")
                for i, item in enumerate(value):
                    f.write(("," if i else "").encode() + _json(item).encode("utf-8"))
                f.write(b"]")
            else:
                f.write(_json(value).encode("utf-8"))
        f.write(b"}\n")
    os.replace(partial, target)  # complete, or the previous file




def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


def validate(doc: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if the document does not match the schema."""
    import jsonschema

    jsonschema.validate(doc, schema())


def export_reports(reports: Sequence[Report], config: Config | None = None, *, generated: str | None = None) -> dict[str, Any]:
    """Parse-to-export in one call (the CLI and tests): rules, stats, analysis, export."""
    findings: list[Finding] = []
    summaries = [summarise(r) for r in reports]
    try:
        from ..check import check_archive, check_report
    except ImportError:  # the rules package is optional for analytics
        pass
    else:
        for r in reports:
            findings.extend(check_report(r, config))
        findings.extend(check_archive(summaries, config))
    report_stats = [stats(r, config) for r in reports]
    a = analyse(summaries, report_stats, findings, config)
    return export_archive(a, report_stats, findings, generated=generated)
