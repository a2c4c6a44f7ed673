"""Findings on the site: the 质量检查 page and each report page's header.

The page lists every finding by report and by rule code; each report page gets
a line under its title (year, organisation, kind, status) and a badge: 完整 or
N 项问题. Both read the domain, where findings were stored at read time and the
whole-archive ones resolved once.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx

from ..findings import Finding
from .archive import RENDERERS, get_scan, org_title, year_title
from .domain import get_domain, year_key
from .listings import STATUS, badge, counted, link
from .rulesdoc import rule_title
from .safety import unreadable_files

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def _finding_item(f: Finding, lead: nodes.Node | None = None) -> nodes.list_item:
    para = nodes.paragraph(classes=["sz-finding", f"sz-sev-{f.severity}"])
    para += nodes.inline("", SEVERITY.get(f.severity, f.severity), classes=["sz-sev"])
    if lead is not None:
        para += lead
    para += nodes.inline("", f"第 {f.line} 行", classes=["sz-muted"])
    para += nodes.literal("", f.code)
    para += nodes.Text(f.message)
    return nodes.list_item("", para)


def render_quality(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    domain = get_domain(app.env)
    docnames = sorted(domain.reports, key=lambda d: (-(domain.reports[d].year or 0), d))
    found = {d: domain.findings(d) for d in docnames}
    total = sum(counted(v) for v in found.values())
    clean = sum(1 for v in found.values() if not counted(v))
    unreadable = unreadable_files(app)
    skipped = f"另有 {len(unreadable)} 个文件无法读取，未发布（见下）。" if unreadable else ""
    out: list[nodes.Node] = [nodes.paragraph(
        "", f"共检查 {len(docnames)} 篇报告：{clean} 篇完整，发现 {total} 项问题。{skipped}"
        "规则说明与消除方法见“检查规则”页。", classes=["sz-lead"])]
    if unreadable:
        out.append(nodes.rubric("", "未发布的文件"))
        files = nodes.bullet_list(classes=["sz-findings", "sz-unreadable"])
        for u in unreadable:
            files += _finding_item(Finding(u.path, u.line, "unreadable", u.severity, u.message),
                                   nodes.literal("", u.path))
        out.append(files)
    if not any(found.values()):
        return out
    by_code: dict[str, list[tuple[str, Finding]]] = {}
    for docname, findings in found.items():
        for f in findings:
            by_code.setdefault(f.code, []).append((docname, f))
    out.append(nodes.rubric("", "按规则"))
    table = nodes.bullet_list(classes=["sz-codes"])
    for code in sorted(by_code, key=lambda c: (-len(by_code[c]), c)):
        para = nodes.paragraph(classes=["sz-report-line"])
        if "docs/rules" in app.env.found_docs:
            uri = app.builder.get_relative_uri(fromdocname, "docs/rules") + f"#{code}"
            para += nodes.reference("", "", nodes.literal("", code), internal=True, refuri=uri)
        else:
            para += nodes.literal("", code)
        para += nodes.Text(f" {rule_title(code)}")
        para += nodes.inline("", f" · {len(by_code[code])} 项，涉及 {len({d for d, _ in by_code[code]})} 篇报告",
                             classes=["sz-muted"])
        table += nodes.list_item("", para)
    out.append(table)
    out.append(nodes.rubric("", "按报告"))
    # every finding of the archive: written as HTML directly (thousands of lines)
    parts = []
    for docname in docnames:
        if not found[docname]:
            continue
        summary = domain.reports[docname]
        uri = escape(app.builder.get_relative_uri(fromdocname, docname))
        count = counted(found[docname])
        mark = ('<span class="sz-badge sz-badge-ok">完整</span>' if count == 0
                else f'<span class="sz-badge sz-badge-warn">{count} 项问题</span>')
        parts.append(f'<p class="sz-org"><a class="reference internal" href="{uri}">{escape(summary.title)}</a>'
                     f'<span class="sz-muted"> · {escape(summary.path)}</span>{mark}</p><ul class="sz-findings">')
        for f in found[docname]:
            parts.append(
                f'<li><p class="sz-finding sz-sev-{escape(f.severity)}"><span class="sz-sev">'
                f'{escape(SEVERITY.get(f.severity, f.severity))}</span><span class="sz-muted">第 {f.line} 行</span>'
                f'<code class="literal">{escape(f.code)}</code>{escape(f.message)}</p></li>'
            )
        parts.append("</ul>")
    out.append(nodes.raw("", "".join(parts), format="html"))
    return out


def _report_header(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = get_domain(app.env)
    summary = domain.reports.get(docname)
    if summary is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    scan = get_scan(app)
    meta = nodes.paragraph(classes=["sz-report-meta"])
    meta += link(app, docname, scan.year_doc(year_key(summary.year)), year_title(year_key(summary.year)))
    meta += nodes.inline("", " · ", classes=["sz-sep"])
    meta += link(app, docname, scan.org_doc(summary.org), org_title(summary.org))
    meta += nodes.inline("", f" · {summary.kind or '类型待定'} · {STATUS.get(summary.status, summary.status)}",
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
