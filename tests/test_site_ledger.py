"""Problem ↔ measure links on report pages, the 问题整改台账 page and its Excel file.

The root's reports are tests/fixtures/ledger-years (one unit over 2023–2025, renamed
in 2025, with its shuzhi.yaml): see tests/test_ledger.py for what each problem's status is.
"""

from __future__ import annotations

import html as htmllib
import re
import shutil
from pathlib import Path

from openpyxl import load_workbook
from sphinxbuild import build as _build

from shuzhi.publish.ledger_export import HEADERS

ROOTS = Path(__file__).parent / "roots"
YEARS = Path(__file__).parent / "fixtures" / "ledger-years"


def _root(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-ledger", src)
    shutil.copytree(YEARS / "reports", src / "reports")
    shutil.copy(YEARS / "shuzhi.yaml", src / "shuzhi.yaml")
    return src


def _page_rows(page: str) -> list[list[str]]:
    """The ledger table's cells as text, row by row."""
    body = page[page.index('<table class="sz-ledger-table">'):]
    rows = re.findall(r'<tr class="sz-ledger-row[^"]*"[^>]*>(.*?)</tr>', body, re.S)
    return [[htmllib.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", r, re.S)] for r in rows]


def _sheet_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    ws = load_workbook(path)["整改台账"]
    table = [[str(c.value) for c in row] for row in ws.iter_rows()]
    return table[0], table[1:]


def test_report_pages_flag_follow_ups_and_recurrences(tmp_path: Path) -> None:
    src = _root(tmp_path)
    _build(src, tmp_path / "out")
    page = (tmp_path / "out/html/reports/2023/shiju.html").read_text(encoding="utf-8")
    assert re.search(r'id="P1".*?对应措施.*?href="#M1"', page, re.S)
    table = page[page.index('id="sz-pairs"'):]
    assert re.findall(r"sz-status-([a-z-]+)", table) == ["reappeared", "in-progress", "reappeared", "rectified"]
    # the earlier report links to the follow-up and to the later problem restating it …
    assert 'href="../2024/shiju.html#R1">2024 R1</a>' in page
    assert 'href="../2024/shiju.html#P2">再现于 2024 P2</a>' in page
    # … and the later report back to the problem it restates, two years on
    later = (tmp_path / "out/html/reports/2025/shiju.html").read_text(encoding="utf-8")
    assert 'href="../2023/shiju.html#P3">复述 2023 P3</a><span class="sz-warn">（该问题曾报已整改）</span>' in later
    # the unit's timeline, on the page of its current name, flags both problems of a recurrence
    timeline = (tmp_path / "out/html/archive/orgs/shi-xing-zheng-guan-li-ju.html").read_text(encoding="utf-8")
    assert re.search(r"P1 一是党建品牌特色不突出.*?整改后复现.*?再次出现：.*?2024/shiju P2", timeline, re.S)
    assert re.search(r"P1 一是青年党员理论学习仍不够系统深入.*?复述：.*?2023/shiju P3", timeline, re.S)
    nxt = (tmp_path / "out/html/reports/2024/shiju.html").read_text(encoding="utf-8")
    assert re.search(r'整改的是：.*?href="../2023/shiju.html#P1".*?「一是党建品牌特色不突出」', nxt, re.S)


def test_ledger_page_rows_equal_the_excel_file(tmp_path: Path) -> None:
    src = _root(tmp_path)
    _build(src, tmp_path / "out")
    html = tmp_path / "out/html"
    page = (html / "archive/ledger.html").read_text(encoding="utf-8")
    rows = _page_rows(page)
    assert len(rows) == 10 and "共 10 条问题：整改后复现 2 条" in page
    assert [r[5] for r in rows][:2] == ["整改后复现", "整改后复现"]  # shown first
    headers, sheet = _sheet_rows(html / "_static/ledger.xlsx")
    assert headers == list(HEADERS) and sheet == rows
    # each problem cell links to the problem's anchor on its report page, relative to _static/
    ws = load_workbook(html / "_static/ledger.xlsx")["整改台账"]
    for cell in ws["C"][1:]:
        report, anchor = cell.hyperlink.target.split("#")
        assert cell.value.startswith(anchor + " ")
        assert f'id="{anchor}"' in (html / "_static" / report).read_text(encoding="utf-8")
    # the page links the file, loads its filter script (a static file, not inline) and links every problem
    assert 'href="../_static/ledger.xlsx"' in page
    assert re.search(r'<script defer="defer" src="../_static/sz-ledger.js', page)
    assert "<script>" not in page  # no inline script
    assert (html / "_static/sz-ledger.js").is_file()
    assert page.count('data-status="reappeared"') == 2 and page.count('data-org="市行政管理局"') == 10
    assert '<a class="reference internal" href="../reports/2023/shiju.html#P1">P1 一是党建品牌特色不突出</a>' in page
    # the script is for this page only
    assert "sz-ledger.js" not in (html / "reports/2023/shiju.html").read_text(encoding="utf-8")
    landing = (html / "index.html").read_text(encoding="utf-8")
    assert "archive/ledger.html" in landing and "问题整改台账" in landing


def test_ledger_escapes_what_reports_say(tmp_path: Path) -> None:
    src = _root(tmp_path)
    path = src / "reports/2024/shiju.md"
    path.write_text(path.read_text(encoding="utf-8").replace("个别干部服务群众态度生硬", "个别干部<b>态度</b>生硬&粗暴"),
                    encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("四是机关作风建设有短板。", "四是机关作风<i>建设</i>有短板。"),
                    encoding="utf-8")
    _build(src, tmp_path / "out")
    page = (tmp_path / "out/html/archive/ledger.html").read_text(encoding="utf-8")
    assert "<i>建设</i>" not in page and "&lt;i&gt;建设&lt;/i&gt;" in page


def test_incremental_edit_updates_ledger_and_excel(tmp_path: Path) -> None:
    src = _root(tmp_path)
    out = tmp_path / "out"
    _build(src, out)
    path = src / "reports/2025/shiju.md"
    # the 2025 report now says the 2024 宣传 work is done: 整改中 becomes 已整改
    path.write_text(path.read_text(encoding="utf-8").replace("但宣传任务并非全部完成", "宣传任务已全部完成"), encoding="utf-8")
    app = _build(src, out)
    assert "0 added, 1 changed, 0 removed" in app.status.getvalue()
    fresh = _build(src, tmp_path / "fresh", freshenv=True)
    for rel in ("archive/ledger.html", "reports/2024/shiju.html", "reports/2023/shiju.html"):
        a = (out / "html" / rel).read_text(encoding="utf-8")
        b = (Path(fresh.outdir) / rel).read_text(encoding="utf-8")
        assert re.sub(r"\?v=[0-9a-f]+", "", a) == re.sub(r"\?v=[0-9a-f]+", "", b), rel
    assert (out / "html/_static/ledger.xlsx").read_bytes() == (Path(fresh.outdir) / "_static/ledger.xlsx").read_bytes()
    _headers, sheet = _sheet_rows(out / "html/_static/ledger.xlsx")
    assert [r[5] for r in sheet if r[2].startswith("P1 一是党建宣传")] == ["已整改"]


def test_parallel_ledger_equals_serial(tmp_path: Path) -> None:
    src = _root(tmp_path)
    _build(src, tmp_path / "serial")
    _build(src, tmp_path / "parallel", parallel=2)
    for rel in ("archive/ledger.html", "reports/2023/shiju.html", "reports/2024/shiju.html"):
        a = (tmp_path / "serial/html" / rel).read_text(encoding="utf-8")
        b = (tmp_path / "parallel/html" / rel).read_text(encoding="utf-8")
        assert re.sub(r"\?v=[0-9a-f]+", "", a) == re.sub(r"\?v=[0-9a-f]+", "", b), rel
    assert (tmp_path / "serial/html/_static/ledger.xlsx").read_bytes() == \
        (tmp_path / "parallel/html/_static/ledger.xlsx").read_bytes()


def test_filters_in_the_browser(tmp_path: Path) -> None:
    """sz-ledger.js: the selects hide rows, the count follows, ?status=… preselects."""
    from browser import chromium, serve
    from selenium.webdriver.support.ui import Select

    src = _root(tmp_path)
    app = _build(src, tmp_path / "out")

    def visible(driver: object) -> list[str]:
        return driver.execute_script(  # type: ignore[attr-defined, no-any-return]
            "return [...document.querySelectorAll('table.sz-ledger-table tbody tr')]"
            ".filter((tr) => !tr.hidden).map((tr) => tr.dataset.status);")

    with serve(Path(app.outdir)) as base, chromium() as driver:
        driver.get(f"{base}/archive/ledger.html")
        assert len(visible(driver)) == 10
        Select(driver.find_element("css selector", "select[name=status]")).select_by_visible_text("整改后复现")
        assert visible(driver) == ["reappeared", "reappeared"]
        assert driver.find_element("css selector", ".sz-ledger-count").text == "显示 2 条"
        Select(driver.find_element("css selector", "select[name=year]")).select_by_value("2024")
        assert visible(driver) == []
        driver.get(f"{base}/archive/ledger.html?year=2024")
        assert sorted(visible(driver)) == ["in-progress", "no-follow-up", "not-rectified", "unclear"]
        assert driver.find_element("css selector", "select[name=year]").get_attribute("value") == "2024"


def test_bad_aliases_stop_the_build_with_a_located_message(tmp_path: Path) -> None:
    import pytest
    from sphinx.errors import ConfigError

    src = _root(tmp_path)
    (src / "shuzhi.yaml").write_text("orgs:\n  aliases:\n    市行政管理局: [市局]\n    市局: [老市局]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"shuzhi.yaml:4: orgs.aliases：「市局」本身又是"):
        _build(src, tmp_path / "out")


#: the table rows as the page's template wrote them before they were made in Python (kept to compare)
_TEMPLATE_ROWS = """{%- autoescape true -%}{%- for row in rows %}
<tr class="sz-ledger-row sz-s-{{ row.status }}" data-year="{{ row.year }}" data-org="{{ row.org }}" data-status="{{ row.status }}">
{%- for cell in row.cells -%}
<td>{% for text, href, cls in cell %}{% if href %}<a class="reference internal" href="{{ href }}">{{ text }}</a>{% elif cls %}<span class="{{ cls }}">{{ text }}</span>{% else %}{{ text }}{% endif %}{% endfor %}</td>
{%- endfor -%}
</tr>
{%- endfor %}{%- endautoescape %}"""


def test_table_rows_are_the_templates_rows_escaped_once() -> None:
    from jinja2 import Environment
    from markupsafe import escape

    from shuzhi.publish.ledger_export import Part
    from shuzhi.site.ledgerpage import table_rows

    parts = [[("P1 <b>粗暴</b>", ("2024/a", "P1"), "")], [("—", None, "")],
             [("整改后复现", None, "sz-status sz-status-reappeared")],
             [("再现于 ", None, ""), ("2025 P2", ("2025/b&c", "P2"), ""), (" 'a'", None, ""), ("x", ("gone", ""), "")],
             [("2024/a", ("2024/a", ""), "")]]
    rows = [("2024", 'A&B"局', "reappeared", parts), ("", "", "awaiting", [[("x", None, "")]])]
    pages = {"2024/a": "../r.html", "2025/b&c": "x.html?a=1&b=2"}  # "gone": not on the site, not linked

    def href(ref: str) -> str:
        return str(escape(pages.get(ref, "")))

    def resolved(cell: list[Part]) -> list[tuple[str, str, str]]:
        return [(text, pages[t[0]] + (f"#{t[1]}" if t[1] else "") if t and t[0] in pages else "", cls)
                for text, t, cls in cell]

    expected = Environment().from_string(_TEMPLATE_ROWS).render(
        rows=[{"year": y, "org": o, "status": s, "cells": [resolved(c) for c in cs]} for y, o, s, cs in rows])
    made = table_rows(rows, href)
    assert made == expected
    assert "&lt;b&gt;粗暴&lt;/b&gt;" in made and "A&amp;B&#34;局" in made and "a=1&amp;b=2#P2" in made
    assert 'href="../r.html"' in made and "gone" not in made
