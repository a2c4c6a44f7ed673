"""The archive site, built with sphinx.testing from tests/roots/test-archive.

The generated pages are checked on their resolved doctrees (what the placeholders
were filled with), not by grepping HTML.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes

ROOT = "archive"


def resolved(app: Any, docname: str) -> nodes.document:
    return app.env.get_and_resolve_doctree(docname, app.builder)


def cards(app: Any, docname: str = "index", group: str = "sz-years") -> list[tuple[str, str, str]]:
    """(title, first line, link) of each card in the landing grid ``group``."""
    tree = resolved(app, docname)
    grid = next(n for n in tree.findall(nodes.container) if group in n["classes"])
    out = []
    for card in grid.findall(lambda n: isinstance(n, nodes.container) and n.get("design_component") == "card"):
        title = next(n for n in card.findall(nodes.container) if "sd-card-title" in n["classes"]).astext()
        count = next(n for n in card.findall(nodes.paragraph) if "sz-card-count" in n["classes"]).astext()
        link = next(card.findall(nodes.reference))["refuri"]
        out.append((title, count, link))
    return out


def listing(app: Any, docname: str) -> list[tuple[str, str]]:
    """The page's rubrics, organisation heads and report lines, in order, as (kind, text)."""
    out = []
    for node in resolved(app, docname).findall(lambda n: isinstance(n, nodes.rubric | nodes.paragraph)):
        if isinstance(node, nodes.rubric):
            out.append(("rubric", node.astext()))
        elif "sz-org" in node["classes"]:
            out.append(("org", node.astext()))
        elif "sz-report-line" in node["classes"]:
            out.append(("report", node.astext()))
    return out


def written_listing(app: Any, docname: str) -> list[tuple[str, str]]:
    """The same as :func:`listing`, read from the written page (for pages rendered from a template)."""
    page = (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
    kinds = {"rubric": "rubric", "sz-org": "org", "sz-report-line": "report"}
    return [(kinds[cls], html.unescape(re.sub(r"<[^>]+>", "", text)))
            for cls, text in re.findall(r'<p class="(rubric|sz-org|sz-report-line)">(.*?)</p>', page, re.S)]


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True)
def test_landing_has_one_card_per_year_with_counts(app: Any) -> None:
    app.build()
    assert cards(app) == [
        ("2023年", "2 篇报告", "archive/years/2023.html"),
        ("2022年", "1 篇报告", "archive/years/2022.html"),
        ("年份待定", "1 篇报告", "archive/years/undated.html"),
    ]
    for _, _, link in cards(app):
        assert (Path(app.outdir) / link).is_file()
    assert [c[:2] for c in cards(app, group="sz-indexes")] == [
        ("单位索引", "3 个单位"), ("类型与标签", "2 种类型"), ("质量检查", "3 项问题"), ("问题整改台账", "5 条问题"),
        ("统计分析", "分类、反复出现的问题、关键词")]


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True)
def test_year_page_groups_by_kind_then_org(app: Any) -> None:
    app.build()
    assert listing(app, "archive/years/2023") == [
        ("rubric", "述职报告（1）"),
        ("org", "区发改委"),
        ("report", "2023年局党组书记抓基层党建工作述职报告草稿1 项问题"),
        ("rubric", "工作总结（1）"),
        ("org", "区教育局"),
        ("report", "区教育局2023年度党建工作总结草稿完整"),
    ]
    # reports without a year or organisation still appear
    assert listing(app, "archive/years/undated") == [
        ("rubric", "述职报告（1）"), ("org", "单位待定"), ("report", "某支部书记述职报告草稿2 项问题")]


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True)
def test_org_page_lists_reports_newest_first(app: Any) -> None:
    app.build()
    assert listing(app, "archive/orgs/qu-fa-gai-wei") == [
        ("report", "2023年 · 2023年局党组书记抓基层党建工作述职报告 · 述职报告草稿1 项问题"),
        ("report", "2022年 · 2022年局党组书记抓基层党建工作述职报告 · 述职报告完整"),
        ("rubric", "问题与整改时间线"),
    ]
    assert listing(app, "archive/orgs/index") == [
        ("report", "区发改委 · 2 篇 · 2022—2023年"),
        ("report", "区教育局 · 1 篇 · 2023年"),
        ("report", "单位待定 · 1 篇 · 年份待定"),
    ]


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True)
def test_kind_and_tag_index(app: Any) -> None:
    app.build()
    entries = written_listing(app, "archive/kinds")
    assert [e for e in entries if e[0] != "report"] == [
        ("rubric", "报告类型"), ("org", "述职报告（3）"), ("org", "工作总结（1）"),
        ("rubric", "标签"), ("org", "党建品牌（1）")]
    assert entries[-1] == ("report", "2023年 · 2023年局党组书记抓基层党建工作述职报告 · 区发改委草稿1 项问题")


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True)
def test_breadcrumb_parents_follow_the_generated_toctrees(app: Any) -> None:
    app.build()
    html = (Path(app.outdir) / "reports/2023/fagaiwei.html").read_text(encoding="utf-8")
    crumbs = re.search(r'<nav class="sz-crumbs".*?</nav>', html, re.S)
    assert crumbs is not None
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs.group(0)) == [
        "首页", "›", "2023年", "›", "2023年局党组书记抓基层党建工作述职报告"]
    # prev/next stay inside the year
    assert "区教育局2023年度党建工作总结" in html.split('class="sz-pager"')[1]


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True)
def test_front_matter_findings_are_located_warnings(app: Any, warning: Any) -> None:
    app.build()
    text = re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())
    warnings = re.findall(r"reports/(\S+?):(\d+): WARNING: (.*) \[shuzhi\.([\w-]+)\]", text)
    # located at file:line with the rule code as subtype (message wording belongs to the rules)
    assert sorted((path, int(line), code) for path, line, _, code in warnings) == [
        ("2023/fagaiwei.md", 23, "placeholder"),
        ("undated/yuanjian.md", 1, "front-matter"),
        ("undated/yuanjian.md", 3, "front-matter"),
    ]
    messages = {(path, int(line)): message for path, line, message, _ in warnings}
    assert "x次" in messages["2023/fagaiwei.md", 23]
    assert "org" in messages["undated/yuanjian.md", 1]
    assert "year" in messages["undated/yuanjian.md", 3] and "二〇二三" in messages["undated/yuanjian.md", 3]
    # the ill-typed report is still published, with its badge
    assert (Path(app.outdir) / "reports/undated/yuanjian.html").is_file()


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True, confoverrides={"suppress_warnings": ["shuzhi.placeholder"]})
def test_suppress_warnings_silences_one_rule(app: Any, warning: Any) -> None:
    app.build()
    text = warning.getvalue()
    assert "[shuzhi.placeholder]" not in text
    assert "[shuzhi.front-matter]" in text
    # silenced in the log, still on the site
    assert "1 项问题" in listing(app, "archive/years/2023")[2][1]


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True)
def test_item_markers_become_anchors_with_badges(app: Any) -> None:
    app.build()
    tree = resolved(app, "reports/2023/fagaiwei")
    items = {p["ids"][0]: p for p in tree.findall(nodes.paragraph) if any(i[:1] in "PMR" for i in p["ids"])}
    assert sorted(items) == ["M1", "M2", "P1", "P2", "R1"]
    assert items["M1"].astext().startswith("措施 M1 → P1（一）强化责任落实")
    assert not any("【" in p.astext() for p in items.values())
    link = next(items["M1"].findall(nodes.reference))
    assert link["refid"] == "P1"


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True)
def test_report_page_has_meta_line_and_badge(app: Any) -> None:
    app.build()
    tree = resolved(app, "reports/2023/fagaiwei")
    meta = next(p for p in tree.findall(nodes.paragraph) if "sz-report-meta" in p["classes"])
    assert meta.astext() == "2023年 · 区发改委 · 述职报告 · 草稿1 项问题"
    clean = resolved(app, "reports/2023/jiaoyuju")
    meta = next(p for p in clean.findall(nodes.paragraph) if "sz-report-meta" in p["classes"])
    assert meta.astext().endswith("完整")


def test_metadata_is_parallel_safe() -> None:
    from sphinx.testing.util import SphinxTestApp  # noqa: F401 - fixtures import it too

    import shuzhi.site.extension as ext

    class _App:
        def __getattr__(self, name: str) -> Any:
            return lambda *a, **k: None

    meta = ext.setup(_App())  # type: ignore[arg-type]
    assert meta["parallel_read_safe"] and meta["parallel_write_safe"]
    assert meta["env_version"] >= 1 and meta["version"]


@pytest.mark.sphinx("html", testroot=ROOT, freshenv=True)
def test_year_page_links_its_pdf_volume(app: Any) -> None:
    from urllib.parse import quote

    app.build()
    html = (Path(app.outdir) / "archive/years/2023.html").read_text(encoding="utf-8")
    assert f'href="../../pdf/{quote("2023年度述职报告汇编.pdf")}"' in html
    undated = (Path(app.outdir) / "archive/years/undated.html").read_text(encoding="utf-8")
    assert "汇编.pdf" not in undated
