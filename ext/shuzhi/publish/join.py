"""Join year-slices of one archive built as separate Sphinx projects (``shuzhi join``).

Each slice is one Sphinx project of the same ``conf.py`` and ``shuzhi.yaml`` whose ``reports/``
holds some years only; its ``_static/archive.json`` carries every report's summary, its
resolved problem→measure links and its findings. The join reads them back as the summaries
and stats the site keeps, and computes what spans the slices with the site's own code: the
archive checks (:func:`~shuzhi.check.check_archive`), the ledger
(:func:`~shuzhi.match.ledger_memo.resolve_ledger` → :func:`~shuzhi.match.ledger.build_ledger`),
the analysis and the export. The result is the ``archive.json`` and ``ledger.xlsx`` one build
of the whole archive writes.

What archive.json does not carry is derived from what it does: the ledger's matcher features
and the clusters' terms from the items' text (as the build computes them while reading);
whether a report has a top-level 整改落实 section from its sections. A report's title line and
front-matter key lines are not exported: a finding only the joined archive shows (a
整改落实 section missing after a year of another slice) is located from the report's source
under the project root when it is there, else at line 1.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..analytics.analyse import analyse
from ..analytics.stats import LinkStat, Quantity, ReportStats, SectionStat
from ..check import check_archive
from ..config import Config
from ..match.ledger import LedgerEntry, report_features, report_terms
from ..match.ledger_memo import resolve_ledger
from ..model import ItemSummary, ReportSummary, parse_report, summarise
from ..model.findings import Finding
from .archive_export import FORMAT, VERSION, export_archive

ARCHIVE = Path("_static") / "archive.json"

FindingKey = tuple[str, str, str, str]  # path, code, severity, message: a finding less its line


@dataclass
class Slice:
    """One slice's export, read back as the build keeps it."""

    source: Path  # its archive.json
    html: Path | None  # its HTML output folder, when the export sits in one
    summaries: list[ReportSummary] = field(default_factory=list)
    stats: list[ReportStats] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Joined:
    doc: dict[str, Any]  # the archive.json document
    entries: tuple[LedgerEntry, ...]  # the ledger
    pages: dict[str, Path]  # report ref -> its page in a slice's HTML output


def locate(arg: Path) -> tuple[Path, Path | None]:
    """(archive.json, HTML folder) of a slice given as its HTML output folder or its archive.json."""
    if arg.is_dir():
        source = arg / ARCHIVE
        if not source.is_file():
            raise ValueError(f"{arg}：找不到 {ARCHIVE.as_posix()}，请给出已构建的 HTML 输出目录"
                             f"（如 _build/html）或其中 archive.json 的路径。")
        return source, arg
    if not arg.is_file():
        raise ValueError(f"{arg}：没有这个文件或目录，请给出已构建的 HTML 输出目录或 archive.json 的路径。")
    html = arg.parent.parent if arg.parent.name == ARCHIVE.parent.name else None
    return arg, html


def read_slice(arg: Path) -> Slice:
    """A slice's export, checked: JSON, the archive format, the version this shuzhi writes."""
    source, html = locate(arg)
    try:
        doc = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source}:{exc.lineno}:{exc.colno}: 不是合法的 JSON（{exc.msg}），"
                         f"文件可能不完整，请重新构建该年度的项目。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{source}: 无法读取（{getattr(exc, 'strerror', None) or exc}），请检查路径和权限。") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"{source}: 不是 shuzhi 导出的 archive.json（format 应为 {FORMAT}），请检查路径。")
    if doc.get("version") != VERSION:
        raise ValueError(f"{source}: archive.json 的版本为 {doc.get('version')}，本工具读写的是版本 {VERSION}："
                         f"请用同一版本的 shuzhi 重新构建该年度的项目。")
    reports = doc.get("reports")
    if not isinstance(reports, list):
        raise ValueError(f"{source}: 缺少 reports 列表，文件不完整，请重新构建该年度的项目。")
    out = Slice(source, html)
    for k, data in enumerate(reports, 1):
        try:
            summary, stat, findings = _report(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            ref = data.get("ref", "?") if isinstance(data, dict) else "?"
            raise ValueError(f"{source}: 第 {k} 篇报告（{ref}）的数据不完整或格式不对（{type(exc).__name__}: {exc}），"
                             f"请用同一版本的 shuzhi 重新构建该年度的项目。") from None
        out.summaries.append(summary)
        out.stats.append(stat)
        out.findings.extend(findings)
    return out


def _items(data: dict[str, Any], key: str, kind: str) -> list[ItemSummary]:
    return [ItemSummary(i["id"], kind, i["lead"], i["text"], int(i["line"]), tuple(i["targets"]), bool(i["explicit"]))
            for i in data[key]]


def _report(data: dict[str, Any]) -> tuple[ReportSummary, ReportStats, list[Finding]]:
    """A report of archive.json as the build's summary, stats and findings."""
    items = [*_items(data, "problems", "problem"), *_items(data, "measures", "measure"),
             *_items(data, "rectifications", "rectification")]
    items.sort(key=lambda i: i.line)  # the report's order (items are exported by kind)
    sections = tuple(SectionStat(s["title"], tuple(s["canonical"]), int(s["level"]), int(s["line"]), s["parent"])
                     for s in data["sections"])
    summary = ReportSummary(
        path=data["path"], ref=data["ref"], title=data["title"], org=data["org"] or "", year=data["year"],
        kind=data["kind"] or "", status=data["status"], tags=tuple(data["tags"]), items=tuple(items),
        has_rectification=any(s.parent is None and "整改落实" in s.canonical for s in sections), line=1,
    )
    stat = ReportStats(
        ref=data["ref"],
        front_json=json.dumps(data["front_matter"], ensure_ascii=False, sort_keys=True),
        sections=sections,
        links=tuple(LinkStat(p["id"], m["id"], m["source"], m["score"]) for p in data["problems"] for m in p["measures"]),
        quantities=tuple(Quantity(q["text"], q["number"], q["unit"], q["sentence"], int(q["line"])) for q in data["quantities"]),
        placeholders=tuple((int(p["line"]), p["token"]) for p in data["placeholders"]),
        terms=(), missing_sections=(),  # the keyword and completeness pages only: not exported, not needed
    )
    findings = [Finding(data["path"], int(f["line"]), f["code"], f["severity"], f["message"]) for f in data["findings"]]
    return summary, stat, findings


def _key(f: Finding) -> FindingKey:
    return (f.path, f.code, f.severity, f.message)


def check_disjoint(slices: Sequence[Slice]) -> None:
    """No report in two slices (nor twice in one)."""
    seen: dict[str, Path] = {}
    for sl in slices:
        for s in sl.summaries:
            if s.ref in seen:
                where = "同一文件中出现两次" if seen[s.ref] == sl.source else f"已在 {seen[s.ref]} 中"
                raise ValueError(f"{sl.source}: 报告 {s.ref}（{s.path}）{where}：每篇报告只能属于一个年度项目，"
                                 f"请检查各项目 reports/ 下的年度划分后重新构建。")
            seen[s.ref] = sl.source


def archive_findings(slices: Sequence[Slice], config: Config, root: Path | None) -> list[Finding]:
    """Every finding of the joined archive: each slice's own findings less those of the archive checks
    (a slice sees only its years), then the archive checks over all slices.

    A finding the slices already had keeps its line; a new one is located from the report's source.
    """
    kept: list[Finding] = []
    lines: dict[FindingKey, int] = {}
    for sl in slices:
        partial = {_key(f) for f in check_archive(sl.summaries, config)}
        for f in sl.findings:
            if _key(f) in partial:
                lines.setdefault(_key(f), f.line)
            else:
                kept.append(f)
    summaries = [s for sl in slices for s in sl.summaries]
    found = check_archive(summaries, config)
    new = {f.path for f in found if _key(f) not in lines}
    if new:  # title and front-matter lines are not exported: read them from the sources
        summaries = [_located(s, config, root) if s.path in new else s for s in summaries]
        found = check_archive(summaries, config)
    return kept + [replace(f, line=lines.get(_key(f), f.line)) for f in found]


def _located(s: ReportSummary, config: Config, root: Path | None) -> ReportSummary:
    source = (root or Path.cwd()) / s.path
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return s  # at line 1 of the report
    parsed = summarise(parse_report(text, s.path, config.schema, config.kinds))
    return replace(s, line=parsed.line, key_lines=parsed.key_lines)


def join(slices: Sequence[Slice], config: Config, root: Path | None = None) -> Joined:
    """The archive.json document and the ledger of all slices together, as one build computes them."""
    check_disjoint(slices)
    summaries = [s for sl in slices for s in sl.summaries]
    stats = [st for sl in slices for st in sl.stats]
    findings = archive_findings(slices, config, root)
    # what the build stores while reading each report (site/domain.py): the matcher's features, the clusters' terms
    features = {(s.ref, iid): f for s in summaries for iid, f in report_features(s.items).items()}
    terms = {(s.ref, iid): t for s in summaries for iid, t in report_terms(s.items).items()}
    measures_of = {st.ref: st.measures_of() for st in stats}
    ledger, _memo = resolve_ledger(sorted(summaries, key=_docname), measures_of, features, config.org_aliases)
    a = analyse(summaries, stats, findings, config, ledger=ledger, terms=terms)
    doc = export_archive(a, stats, findings)
    return Joined(doc, tuple(ledger.entries), _pages(slices))


def _docname(s: ReportSummary) -> str:
    """The report's Sphinx document name: the build resolves the ledger in their order."""
    return os.path.splitext(s.path)[0]


def _pages(slices: Iterable[Slice]) -> dict[str, Path]:
    """Each report's page in its slice's HTML output, where it is there."""
    pages = {}
    for sl in slices:
        if sl.html is None:
            continue
        for s in sl.summaries:
            page = sl.html / (_docname(s) + ".html")
            if page.is_file():
                pages[s.ref] = page
    return pages
