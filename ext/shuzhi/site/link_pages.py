"""Problem ↔ measure links on report pages, and the 整改台账 page.

A report's own links are in its record (resolved while reading it); what its page
shows of other reports — follow-up status, rectifications and recurrences next year,
the problems its own rectifications answer — is its page view in the archive view
(:mod:`.resolve`, once per build). Pages are decorated at ``doctree-resolved`` from
those two, read-only; the 整改台账 page and its Excel file are :mod:`.ledgerpage`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..match.ledger import STATUSES
from ..match.links import LinkedMeasure
from ..publish.ledger_export import item_label
from .domain import get_domain, is_report
from .ledgerpage import setup_ledger_page
from .state import EMPTY_PAGE

LOW = "（自动匹配，置信度低，请核对）"
AUTO = "（自动匹配）"


# -- report pages -----------------------------------------------------------------------


def _item_links(app: Sphinx, docname: str, pid: str, measures: Sequence[LinkedMeasure],
                view: tuple[Any, ...] | None) -> nodes.paragraph:
    para = nodes.paragraph(classes=["sz-item-links"])
    para += nodes.inline("", "对应措施：", classes=["sz-muted"])
    if not measures:
        para += nodes.inline("", "尚无", classes=["sz-warn"])
    for k, m in enumerate(measures):
        if k:
            para += nodes.Text("；")
        para += nodes.reference("", f"{m.id} {m.text}", internal=True, refid=m.id)
        if m.source == "auto":
            para += nodes.inline("", AUTO if m.confident else LOW, classes=["sz-low" if not m.confident else "sz-muted"])
    if view is not None:
        status, follow, later, earlier, _sentence = view
        para += nodes.inline("", "　整改跟进：", classes=["sz-muted"])
        para += nodes.inline("", STATUSES[status], classes=["sz-status", f"sz-status-{status}"])
        for prefix, refs in (("", follow), ("再现于 ", later), ("复述 ", earlier)):
            for target, ref, item_id, came_back in refs:
                if target:
                    para += nodes.Text(" ")
                    para += _anchor_link(app, docname, target, item_id, prefix + item_label(ref, item_id))
                    if came_back and prefix == "复述 ":
                        para += nodes.inline("", "（该问题曾报已整改）", classes=["sz-warn"])
    return para


def _anchor_link(app: Sphinx, fromdocname: str, target: str, anchor: str, text: str) -> nodes.reference:
    uri = app.builder.get_relative_uri(fromdocname, target) + "#" + anchor
    return nodes.reference("", text, internal=True, refuri=uri)


def _answers(app: Sphinx, docname: str, targets: tuple[Any, ...]) -> nodes.paragraph:
    para = nodes.paragraph(classes=["sz-item-links"])
    para += nodes.inline("", "整改的是：", classes=["sz-muted"])
    for k, (target, doc, pid, title, lead) in enumerate(targets):
        if k:
            para += nodes.Text("；")
        if doc:
            para += _anchor_link(app, docname, doc, pid, f"{title} {pid}")
            if lead:
                para += nodes.inline("", f"「{lead}」", classes=["sz-muted"])
        else:
            para += nodes.inline("", f"{target}（档案中没有这份报告）", classes=["sz-warn"])
    return para


def _table(rows: list[list[nodes.Node]], header: list[str], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    row = nodes.row()
    for text in header:
        row += nodes.entry("", nodes.paragraph("", text))
    head += row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell if isinstance(cell, nodes.paragraph) else nodes.paragraph("", "", cell)
            row += entry
        body += row
    group += body
    return table


def _decorate(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = get_domain(app.env)
    record = domain.records.get(docname)
    if record is None:
        return
    summary, links = record.summary, record.links
    view = domain.view.pages.get(docname, EMPTY_PAGE)
    by_id = {i.id: i for i in summary.items}
    back: dict[str, list[str]] = {}
    for pid, ms in links.items():
        for m in ms:
            back.setdefault(m.id, []).append(pid)
    for para in list(doctree.findall(nodes.paragraph)):
        ids = [i for i in para["ids"] if i in by_id]
        if not ids:
            continue
        item = by_id[ids[0]]
        extra: nodes.paragraph | None = None
        if item.kind == "problem":
            extra = _item_links(app, docname, item.id, links.get(item.id, ()), view["problems"].get(item.id))
        elif item.kind == "measure":
            extra = nodes.paragraph(classes=["sz-item-links"])
            extra += nodes.inline("", "针对问题：", classes=["sz-muted"])
            pids = back.get(item.id, [])
            if not pids:
                extra += nodes.inline("", "未对应具体问题", classes=["sz-muted"])
            for k, pid in enumerate(pids):
                if k:
                    extra += nodes.Text("；")
                lead = by_id[pid].lead if pid in by_id else pid
                extra += nodes.reference("", f"{pid} {lead}", internal=True, refid=pid)
        elif item.id in view["answers"]:
            extra = _answers(app, docname, view["answers"][item.id])
        if extra is not None:
            para.parent.insert(para.parent.index(para) + 1, extra)
    problems = [i for i in summary.items if i.kind == "problem"]
    section = next(iter(doctree.findall(nodes.section)), None)
    if not problems or section is None:
        return
    rows: list[list[nodes.Node]] = []
    for p in problems:
        cell_p = nodes.paragraph()
        cell_p += nodes.reference("", f"{p.id} {p.lead}", internal=True, refid=p.id)
        cell_m = nodes.paragraph()
        for k, m in enumerate(links.get(p.id, ())):
            if k:
                cell_m += nodes.Text("；")
            cell_m += nodes.reference("", f"{m.id} {m.text}", internal=True, refid=m.id)
            if m.source == "auto":
                cell_m += nodes.inline("", AUTO if m.confident else LOW, classes=["sz-low" if not m.confident else "sz-muted"])
        if not links.get(p.id):
            cell_m += nodes.inline("", "尚无对应措施", classes=["sz-warn"])
        status = view["problems"].get(p.id, ("awaiting",))[0]
        cell_s = nodes.paragraph()
        cell_s += nodes.inline("", STATUSES[status], classes=["sz-status", f"sz-status-{status}"])
        rows.append([cell_p, cell_m, cell_s])
    box = nodes.container(ids=["sz-pairs"], classes=["sz-pairs"])
    box += nodes.rubric("", "问题—措施对照")
    box += _table(rows, ["存在问题", "对应措施", "整改跟进"], ["sz-pairs-table"])
    section.append(box)


def _preload_jieba(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    # Reading in parallel: load the dictionary once in the main process, which the
    # readers are forked from; each would otherwise load it again (about a second each).
    if app.parallel > 1 and any(is_report(app, d) for d in docnames):
        from ..match.segment import preload

        preload()


def setup_linking(app: Sphinx) -> None:
    setup_ledger_page(app)
    app.connect("env-before-read-docs", _preload_jieba)
    app.connect("doctree-resolved", _decorate)
