"""Findings on the site: the 质量检查 page and each report page's header.

The page lists every finding by report and by rule code; each report page gets
a line under its title (year, organisation, kind, status) and a badge: 完整 or
N 项问题. Both read the domain, where findings were stored at read time and the
whole-archive ones resolved once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from docutils import nodes
from markupsafe import Markup, escape
from sphinx.application import Sphinx

from ..labels import kind_label, org_label, severity_label, status_label, year_title
from ..model.findings import Finding
from .archive_pages import RENDERERS, get_scan
from .domain import get_domain, year_key
from .listings import badge, counted, link
from .rulesdoc import rule_title
from .safety import unreadable_files
from .theme_setup import render_fragment


def _finding_item(f: Finding) -> nodes.list_item:
    para = nodes.paragraph(classes=["sz-finding", f"sz-sev-{f.severity}"])
    para += nodes.inline("", severity_label(f.severity), classes=["sz-sev"])
    para += nodes.inline("", f"第 {f.line} 行", classes=["sz-muted"])
    para += nodes.literal("", f.code)
    para += nodes.Text(f.message)
    return nodes.list_item("", para)


def _row(f: Finding, path: str = "") -> tuple[str, str, str, int, str, str]:
    """A finding as the template's ``findings`` macro takes it (tuples: the page lists thousands)."""
    return (f.severity, severity_label(f.severity), path, f.line, f.code, f.message)


_REPORT = ('\n<p class="sz-org"><a class="reference internal" href="{0}">{1}</a><span class="sz-muted"> · {2}</span>'
           '{3}</p>\n<ul class="sz-findings">{4}\n</ul>')
_FINDING = ('<li><p class="sz-finding sz-sev-{0}"><span class="sz-sev">{1}</span><span class="sz-muted">第 {2} 行</span>'
            '<code class="literal">{3}</code>{4}</p></li>')
_OK = '<span class="sz-badge sz-badge-ok">完整</span>'
_WARN = '<span class="sz-badge sz-badge-warn">{0} 项问题</span>'


def report_list(reports: Iterable[tuple[str, str, str, int, Sequence[Finding]]]) -> Markup:
    """按报告: each report (href, title, path, badge count, findings) with its findings, as the
    ``findings`` and ``badge`` macros of ``pages/macros.html`` write them, each value escaped once
    (a macro call per report was most of the page's time at 5,000 reports)."""
    out = []
    for href, title, path, count, findings in reports:
        items = "".join(_FINDING.format(escape(f.severity), escape(severity_label(f.severity)), f.line,
                                        escape(f.code), escape(f.message)) for f in findings)
        out.append(_REPORT.format(escape(href), escape(title), escape(path),
                                  _WARN.format(count) if count else _OK, items))
    return Markup("".join(out))  # noqa: S704 - every value above is escaped


def _rule_links(app: Sphinx, fromdocname: str, found: dict[str, tuple[Finding, ...]]) -> list[dict[str, Any]]:
    """Rule codes by how often they were found, each with its anchor on the 检查规则 page."""
    by_code: dict[str, list[str]] = {}
    for docname, findings in found.items():
        for f in findings:
            by_code.setdefault(f.code, []).append(docname)
    rules = app.builder.get_relative_uri(fromdocname, "docs/rules") if "docs/rules" in app.env.found_docs else ""
    return [{"code": code, "href": f"{rules}#{code}" if rules else "", "title": rule_title(code),
             "count": len(by_code[code]), "reports": len(set(by_code[code]))}
            for code in sorted(by_code, key=lambda c: (-len(by_code[c]), c))]


def render_quality(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    """The 质量检查 page from ``pages/quality.html`` (thousands of findings: a template, not nodes)."""
    domain = get_domain(app.env)
    summaries = domain.reports
    docnames = sorted(summaries, key=lambda d: (-(summaries[d].year or 0), d))
    found = {d: domain.findings(d) for d in docnames}
    reports = [(app.builder.get_relative_uri(fromdocname, d), summaries[d].title, summaries[d].path,
                counted(found[d]), found[d]) for d in docnames if found[d]]
    return render_fragment(app, "pages/quality.html", {
        "checked": len(docnames),
        "clean": sum(1 for v in found.values() if not counted(v)),
        "total": sum(counted(v) for v in found.values()),
        "unreadable": [_row(Finding(u.path, u.line, "unreadable", u.severity, u.message), u.path)
                       for u in unreadable_files(app)],
        "codes": _rule_links(app, fromdocname, found) if reports else [],
        "reports": report_list(reports),
    })


def _report_header(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = get_domain(app.env)
    summary = domain.summary(docname)
    if summary is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    scan = get_scan(app)
    meta = nodes.paragraph(classes=["sz-report-meta"])
    meta += link(app, docname, scan.year_doc(year_key(summary.year)), year_title(year_key(summary.year)))
    meta += nodes.inline("", " · ", classes=["sz-sep"])
    meta += link(app, docname, scan.org_doc(summary.org), org_label(summary.org))
    meta += nodes.inline("", f" · {kind_label(summary.kind)} · {status_label(summary.status)}",
                         classes=["sz-muted"])
    findings = domain.findings(docname)
    mark = badge(counted(findings))
    if findings:
        mark = nodes.reference("", "", mark, internal=True, refuri="#sz-findings")
    meta += mark
    section.insert(1, meta)
    if findings:
        box = nodes.container(ids=["sz-findings"], classes=["sz-findings-box", "no-search"])
        box += nodes.paragraph("", "质量检查发现的问题", classes=["sz-findings-title"])
        items = nodes.bullet_list(classes=["sz-findings"])
        items.extend(_finding_item(f) for f in findings)
        box += items
        section.append(box)


def _resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    _report_header(app, doctree, docname)


def setup_quality(app: Sphinx) -> None:
    RENDERERS["quality"] = render_quality
    app.connect("doctree-resolved", _resolved)
