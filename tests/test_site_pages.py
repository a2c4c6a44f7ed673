"""Generated pages rendered from the theme's templates: the breadcrumb, the 质量检查 page, escaping.

The sample archive of ``roots/test-archive`` is copied and one report retitled
with the characters HTML escapes (``"``, ``&``, ``<``) and an ``@``: every page
must show the title as written, escaped exactly once.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from sphinxbuild import build

ROOTS = Path(__file__).parent / "roots"
TITLE = '区教育局"清廉学校"建设 & 党建 <i>工作总结</i> @2023'


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("pages")
    src = tmp / "src"
    shutil.copytree(ROOTS / "test-archive", src)
    report = src / "reports/2023/fagaiwei.md"
    text = report.read_text(encoding="utf-8").replace("2023年局党组书记抓基层党建工作述职报告", "TITLE_HERE")
    front_title = TITLE.replace('"', '\\"')
    body_title = TITLE.replace("<", "\\<")
    text = text.replace("title: TITLE_HERE", f'title: "{front_title}"', 1).replace("# TITLE_HERE", f"# {body_title}", 1)
    report.write_text(text, encoding="utf-8")
    app = build(src, tmp / "out")
    return Path(app.outdir)


def test_breadcrumb_shows_a_title_with_quotes_ampersand_and_at_as_written(site: Path) -> None:
    page = (site / "reports/2023/fagaiwei.html").read_text(encoding="utf-8")
    crumbs = re.search(r'<nav class="sz-crumbs".*?</nav>', page, re.S)
    assert crumbs is not None
    here = re.search(r'<span class="sz-crumb-here">(.*?)</span>', crumbs.group(0))
    assert here is not None
    assert html.unescape(here.group(1)) == TITLE  # escaped once: no &quot; or &amp;amp; on screen
    assert "&amp;quot;" not in page and "&amp;amp;" not in page and "<i>" not in page


def test_previous_next_links_escape_the_title_once(site: Path) -> None:
    page = (site / "reports/2023/jiaoyuju.html").read_text(encoding="utf-8")
    pager = page.split('class="sz-pager"')[1].split("</nav>")[0]
    assert TITLE in _text(pager)
    assert "<i>" not in pager


def test_quality_page_lists_findings_by_rule_and_by_report(site: Path) -> None:
    page = (site / "archive/quality.html").read_text(encoding="utf-8")
    body = page.split('role="main"')[1]
    assert re.search(r"共检查 4 篇报告：\d+ 篇完整，发现 \d+ 项问题。", _text(body))
    assert [_text(r) for r in re.findall(r'<p class="rubric">(.*?)</p>', body)] == ["按规则", "按报告"]
    by_rule = body.split('<ul class="sz-codes">')[1].split("</ul>")[0]
    codes = re.findall(r'<li><p class="sz-report-line"><code class="literal">([a-z-]+)</code> ([^<]+)<span', by_rule)
    assert codes and all(title.strip() for _, title in codes)
    reports = [_text(r) for r in re.findall(r'<p class="sz-org"><a [^>]*>(.*?)</a>', body)]
    assert TITLE in reports  # the retitled report has findings (it is a draft)
    report = next(b for b in body.split('<p class="sz-org">')[1:] if TITLE in _text(b.split("</p>")[0]))
    assert re.search(r'<span class="sz-sev">(错误|警告|提示)</span><span class="sz-muted">第 \d+ 行</span>', report)
    assert "<i>" not in body


def test_an_undated_report_is_labelled_alike_on_every_page(site: Path) -> None:
    for page in ("archive/analytics/overview.html", "archive/analytics/keywords.html", "index.html", "archive/orgs/index.html"):
        text = _text((site / page).read_text(encoding="utf-8").split('role="main"')[1])
        assert "年份待定" in text and "未注明" not in text, page


#: 按报告 as the page's template wrote it with its macros before it was made in Python (kept to compare)
_TEMPLATE_REPORTS = """{%- from "pages/macros.html" import findings -%}{%- autoescape true -%}
{%- for r in reports %}
<p class="sz-org"><a class="reference internal" href="{{ r.href }}">{{ r.title }}</a><span class="sz-muted"> · {{ r.path }}</span>
{%- if r.count == 0 %}<span class="sz-badge sz-badge-ok">完整</span>
{%- else %}<span class="sz-badge sz-badge-warn">{{ r.count }} 项问题</span>{% endif -%}
</p>
{{ findings(r.findings) }}
{%- endfor %}{%- endautoescape %}"""


def test_report_list_is_the_templates_list_escaped_once() -> None:
    from shuzhi.labels import severity_label
    from shuzhi.model.findings import Finding
    from shuzhi.site.quality import report_list
    from shuzhi.site.templates import _environment

    found = (Finding("a.md", 3, "placeholder", "error", '未填写的"占位符" <XX> & 某某'),
             Finding("a.md", 9, "style", "info", "提示'x'"))
    reports = [("../r/a.html?x=1&y=2", TITLE, "reports/a&b.md", 1, found), ("b.html", "乙", "b.md", 0, found[1:])]
    expected = _environment().from_string(_TEMPLATE_REPORTS).render(reports=[
        {"href": h, "title": t, "path": p, "count": n,
         "findings": [(f.severity, severity_label(f.severity), "", f.line, f.code, f.message) for f in fs]}
        for h, t, p, n, fs in reports])
    made = report_list(reports)
    assert made == expected
    assert "&lt;XX&gt; &amp; 某某" in made and "<i>" not in made and "1 项问题" in made and "完整" in made
