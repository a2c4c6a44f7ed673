"""Problem ↔ measure links on report pages, and the 问题整改台账 (ledger) page.

Reading a report stores its own links (:func:`shuzhi.links.resolve_links`) and
the terms of its problems and rectifications under its docname. Whole-archive
resolution happens once, at ``env-get-updated``: the ledger is built from the
stored summaries, links and terms, and each report's *view* — what its page
shows of other reports (follow-up status, rectifications and recurrences next
year, the problems its own rectifications answer) — is compared with the last
build's, so exactly the pages whose view changed are rewritten. Pages are
decorated at ``doctree-resolved`` from that resolved, read-only data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html import escape
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..ledger import STATUSES, LedgerEntry, build_ledger, ledger_terms
from ..links import LinkedMeasure, ReportLinks, resolve_links
from ..model import Report, ReportSummary
from .archive import RENDERERS, get_scan, org_title
from .domain import get_domain, is_report

LOW = "（自动匹配，置信度低，请核对）"
AUTO = "（自动匹配）"


# -- reading --------------------------------------------------------------------


def _read(app: Sphinx, docname: str, source: list[str]) -> None:
    report = app.env.temp_data.get("shuzhi_report")
    if not is_report(app, docname) or not isinstance(report, Report):
        return
    domain = get_domain(app.env)
    links = app.env.temp_data.get("shuzhi_links")  # resolved by the domain while checking the report
    if not isinstance(links, ReportLinks):
        links = resolve_links(report)
        app.env.temp_data["shuzhi_links"] = links
    domain.data["links"][docname] = {pid: tuple(ms) for pid, ms in links.by_problem.items()}
    domain.data["terms"][docname] = {
        i.id: ledger_terms(i) for i in report.items if i.kind in ("problem", "rectification")
    }


# -- whole-archive resolution -----------------------------------------------------------


def _view(docname: str, summary: ReportSummary, entries: Sequence[LedgerEntry], docs: dict[str, str],
          titles: dict[str, str], leads: dict[tuple[str, str], str]) -> dict[str, Any]:
    problems = {
        e.problem_id: (e.status, tuple((docs.get(r.ref), r.item_id, r.text, r.explicit) for r in e.rectified_by),
                       tuple((docs.get(r.ref), r.item_id, r.text) for r in e.recurs_in))
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


def _resolve(app: Sphinx, env: BuildEnvironment) -> Iterator[str]:
    domain = get_domain(env)
    reports: dict[str, ReportSummary] = domain.reports
    docs = {s.ref: d for d, s in reports.items()}
    measures_of = {
        s.ref: {pid: [m.id for m in ms] for pid, ms in domain.data["links"].get(d, {}).items()}
        for d, s in reports.items()
    }
    terms = {(s.ref, iid): c for d, s in reports.items() for iid, c in domain.data["terms"].get(d, {}).items()}
    summaries = [reports[d] for d in sorted(reports)]
    ledger = build_ledger(summaries, measures_of, terms)
    domain.data["ledger"] = tuple(ledger.entries)
    by_ref: dict[str, list[LedgerEntry]] = {}
    for entry in ledger.entries:
        by_ref.setdefault(entry.ref, []).append(entry)
    titles = {s.ref: s.title for s in summaries}
    leads = {(s.ref, i.id): i.lead for s in summaries for i in s.items}
    old: dict[str, Any] = domain.data["views"]
    new = {d: _view(d, s, by_ref.get(s.ref, []), docs, titles, leads) for d, s in reports.items()}
    domain.data["views"] = new
    changed = {d for d in new if old.get(d) != new[d]}
    scan = get_scan(app)
    # the organisation page's problem timeline shows the same statuses
    pages = changed | {scan.org_doc(reports[d].org) for d in changed}
    yield from sorted(pages & env.found_docs)


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
        status, rectified, recurring = view
        para += nodes.inline("", "　整改跟进：", classes=["sz-muted"])
        para += nodes.inline("", STATUSES[status], classes=["sz-status", f"sz-status-{status}"])
        for target, item_id, _text, _explicit in rectified:
            if target:
                para += nodes.Text(" ")
                para += _anchor_link(app, docname, target, item_id, f"次年 {item_id}")
        for target, item_id, _text in recurring:
            if target:
                para += nodes.Text(" ")
                para += _anchor_link(app, docname, target, item_id, f"次年再现 {item_id}")
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
    summary: ReportSummary | None = domain.reports.get(docname)
    if summary is None:
        return
    links: dict[str, tuple[LinkedMeasure, ...]] = domain.data["links"].get(docname, {})
    view = domain.data["views"].get(docname, {"problems": {}, "answers": {}})
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
        status = view["problems"].get(p.id, ("planned",))[0]
        cell_s = nodes.paragraph()
        cell_s += nodes.inline("", STATUSES[status], classes=["sz-status", f"sz-status-{status}"])
        rows.append([cell_p, cell_m, cell_s])
    box = nodes.container(ids=["sz-pairs"], classes=["sz-pairs"])
    box += nodes.rubric("", "问题—措施对照")
    box += _table(rows, ["存在问题", "对应措施", "整改跟进"], ["sz-pairs-table"])
    section.append(box)


# -- the ledger page ------------------------------------------------------------------------


FILTER_JS = r"""
<script>
(function () {
  function apply() {
    var y = document.getElementById('sz-ledger-year').value;
    var o = document.getElementById('sz-ledger-org').value;
    var s = document.getElementById('sz-ledger-status').value;
    var shown = 0;
    document.querySelectorAll('table.sz-ledger-table tbody tr').forEach(function (tr) {
      var c = tr.classList;
      var ok = (!y || c.contains('sz-y-' + y)) && (!o || c.contains('sz-o-' + o.replace(/\s/g, '_'))) &&
               (!s || c.contains('sz-s-' + s));
      tr.hidden = !ok; if (ok) shown++;
    });
    document.getElementById('sz-ledger-count').textContent = '显示 ' + shown + ' 条';
  }
  document.addEventListener('DOMContentLoaded', function () {
    ['sz-ledger-year', 'sz-ledger-org', 'sz-ledger-status'].forEach(function (id) {
      document.getElementById(id).addEventListener('change', apply);
    });
    var q = new URLSearchParams(location.search);
    if (q.get('year')) document.getElementById('sz-ledger-year').value = q.get('year');
    if (q.get('org')) document.getElementById('sz-ledger-org').value = q.get('org');
    apply();
  });
})();
</script>
"""


def _options(name: str, label: str, values: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in values)
    return f'<label>{label} <select id="sz-ledger-{name}"><option value="">全部</option>{opts}</select></label>'


def render_ledger(app: Sphinx, fromdocname: str, key: str) -> list[nodes.Node]:
    domain = get_domain(app.env)
    entries: tuple[LedgerEntry, ...] = domain.data["ledger"]
    if not entries:
        return [nodes.paragraph("", "档案中还没有列出问题的报告。", classes=["sz-muted"])]
    docs = {s.ref: d for d, s in domain.reports.items()}
    counts = {status: sum(1 for e in entries if e.status == status) for status in STATUSES}
    lead = "、".join(f"{label} {counts[s]} 条" for s, label in STATUSES.items() if counts[s])
    out: list[nodes.Node] = [
        nodes.paragraph("", f"共 {len(entries)} 条问题：{lead}。“已报整改”指次年报告的整改落实部分回应了该问题；"
                            "“反复出现”指同一单位次年报告又查摆了相似的问题。", classes=["sz-lead"])
    ]
    years = sorted({str(e.year) for e in entries if e.year is not None}, reverse=True)
    orgs = sorted({e.org for e in entries})
    controls = (
        '<form class="sz-ledger-filter" onsubmit="return false">'
        + _options("year", "年度", [(y, f"{y}年") for y in years])
        + _options("org", "单位", [(o, org_title(o)) for o in orgs])
        + _options("status", "状态", list(STATUSES.items()))
        + '<span id="sz-ledger-count" class="sz-muted"></span></form>'
    )
    out.append(nodes.raw("", controls + FILTER_JS, format="html"))
    # One row per problem of the whole archive: written as HTML directly, since
    # building and translating thousands of docutils nodes costs seconds.
    uris = {d: app.builder.get_relative_uri(fromdocname, d) for d in docs.values()}

    def a(ref: str, anchor: str, text: str) -> str:
        doc = docs.get(ref)
        return f'<a class="reference internal" href="{escape(uris[doc])}#{escape(anchor)}">{escape(text)}</a>' if doc else ""

    rows = []
    for e in sorted(entries, key=lambda e: (-(e.year or 0), e.org, e.ref, _num(e.problem_id))):
        keys = f"sz-y-{e.year or ''} sz-o-{'_'.join(e.org.split())} sz-s-{e.status}"
        follow = "".join(" " + a(r.ref, r.item_id, f"→{r.ref.split('/')[0]} {r.item_id}") for r in e.rectified_by[:2])
        follow += "".join(" " + a(r.ref, r.item_id, f"再现于 {r.ref.split('/')[0]} {r.item_id}") for r in e.recurs_in[:2])
        rows.append(
            f'<tr class="{escape(keys)}"><td>{escape(str(e.year or "年份待定"))} · {escape(org_title(e.org))}</td>'
            f"<td>{a(e.ref, e.problem_id, f'{e.problem_id} {e.problem}')}</td>"
            f"<td>{escape('、'.join(e.measures) if e.measures else '—')}</td>"
            f'<td><span class="sz-status sz-status-{e.status}">{escape(e.status_label)}</span>{follow}</td></tr>'
        )
    head = "".join(f"<th>{h}</th>" for h in ("年度 · 单位", "问题", "措施", "整改状态"))
    table = f'<table class="sz-ledger-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    out.append(nodes.raw("", table, format="html"))
    return out


def _num(item_id: str) -> int:
    return int(item_id[1:]) if item_id[1:].isdigit() else 0


def _preload_jieba(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    # Reading in parallel: load the dictionary once in the main process, which the
    # readers are forked from; each would otherwise load it again (about a second each).
    if app.parallel > 1 and any(is_report(app, d) for d in docnames):
        from ..segment import preload

        preload()


def setup_linking(app: Sphinx) -> None:
    RENDERERS["ledger"] = render_ledger
    app.connect("env-before-read-docs", _preload_jieba)
    app.connect("source-read", _read, priority=600)
    app.connect("env-get-updated", _resolve)
    app.connect("doctree-resolved", _decorate)
