"""Problem ↔ measure links on report pages and the 问题整改台账 page, across two years.

The root's reports are the ledger fixture (市局 2023 and 2024): P1 rectified by
an explicit reference, P2 recurring, P3 without follow-up.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinxbuild import build as _build

ROOTS = Path(__file__).parent / "roots"
FIXTURE = Path(__file__).parent / "fixtures" / "ledger" / "reports"


def _root(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-ledger", src)
    shutil.copytree(FIXTURE, src / "reports")
    return src




def _rows(html: str) -> list[str]:
    body = html[html.index("sz-ledger-table"):]
    return [re.sub(r"<[^>]+>", " ", r) for r in re.findall(r"<tr class=\"[^\"]*sz-s-[^\"]*\">(.*?)</tr>", body, re.S)]


def test_report_pages_link_problems_and_measures(tmp_path: Path) -> None:
    src = _root(tmp_path)
    _build(src, tmp_path / "out")
    page = (tmp_path / "out/html/reports/2023/shiju-shuzhi.html").read_text(encoding="utf-8")
    # each problem links to its measure, each measure back to its problem
    assert re.search(r'id="P1".*?对应措施.*?href="#M1"', page, re.S)
    assert re.search(r'id="M2".*?针对问题.*?href="#P2"', page, re.S)
    # the compact 问题—措施 table
    table = page[page.index('id="sz-pairs"'):]
    assert "问题—措施对照" in table
    assert [s for s in re.findall(r'sz-status-([a-z-]+)', table)] == ["rectified", "recurring", "no-follow-up"]
    # the follow-up status links to next year's rectification and recurrence
    assert 'href="../2024/shiju-shuzhi.html#R1"' in page
    assert 'href="../2024/shiju-shuzhi.html#P1"' in page
    # next year's rectification item shows which problem it answers, with a link
    nxt = (tmp_path / "out/html/reports/2024/shiju-shuzhi.html").read_text(encoding="utf-8")
    assert re.search(r'整改的是：.*?href="../2023/shiju-shuzhi.html#P1".*?「一是党建品牌特色不突出」', nxt, re.S)


def test_ledger_page_lists_every_problem_with_status(tmp_path: Path) -> None:
    src = _root(tmp_path)
    _build(src, tmp_path / "out")
    html = (tmp_path / "out/html/archive/ledger.html").read_text(encoding="utf-8")
    rows = _rows(html)
    assert len(rows) == 5
    assert "共 5 条问题" in html
    statuses = re.findall(r'<tr class="[^"]*sz-s-([a-z-]+)[^"]*">', html)
    assert sorted(statuses) == sorted(["planned", "planned", "rectified", "recurring", "no-follow-up"])
    # filterable by year and organisation: controls, and rows carrying their keys
    assert 'id="sz-ledger-year"' in html and 'id="sz-ledger-org"' in html
    assert html.count("sz-y-2023") == 3 and html.count("sz-o-市局") == 5
    landing = (tmp_path / "out/html/index.html").read_text(encoding="utf-8")
    assert "archive/ledger.html" in landing and "问题整改台账" in landing


def test_incremental_edit_updates_ledger_and_next_year(tmp_path: Path) -> None:
    src = _root(tmp_path)
    out = tmp_path / "out"
    _build(src, out)
    path = src / "reports/2023/shiju-shuzhi.md"
    path.write_text(path.read_text(encoding="utf-8").replace("一是党建品牌特色不突出", "一是党建品牌影响力不大"), encoding="utf-8")
    app = _build(src, out)
    assert "0 added, 1 changed, 0 removed" in app.status.getvalue()
    ledger = (out / "html/archive/ledger.html").read_text(encoding="utf-8")
    assert "一是党建品牌影响力不大" in ledger and "一是党建品牌特色不突出" not in ledger
    # the other year's page that quotes the problem was rewritten too
    nxt = (out / "html/reports/2024/shiju-shuzhi.html").read_text(encoding="utf-8")
    assert "「一是党建品牌影响力不大」" in nxt
    # without the explicit reference, a rectification about the same thing is still suggested …
    path = src / "reports/2024/shiju-shuzhi.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("【R1→2023/shiju-shuzhi#P1】", "【R1→反馈】"), encoding="utf-8")
    _build(src, out)
    page = (out / "html/reports/2023/shiju-shuzhi.html").read_text(encoding="utf-8")
    assert re.findall(r'sz-status-([a-z-]+)', page[page.index('id="sz-pairs"'):])[0] == "rectified"
    # … but one about something else leaves the problem without follow-up, on the other year's page
    old = "【R1→2023/shiju-shuzhi#P1】一是打造党建品牌。开展“一支部一品牌”创建，形成“先锋政务”品牌。"
    assert old in text
    path.write_text(text.replace(old, "【R1→反馈】一是规范会议记录。"), encoding="utf-8")
    _build(src, out)
    page = (out / "html/reports/2023/shiju-shuzhi.html").read_text(encoding="utf-8")
    assert re.findall(r'sz-status-([a-z-]+)', page[page.index('id="sz-pairs"'):])[0] == "no-follow-up"


def test_parallel_ledger_equals_serial(tmp_path: Path) -> None:
    src = _root(tmp_path)
    _build(src, tmp_path / "serial")
    _build(src, tmp_path / "parallel", parallel=2)
    for rel in ("archive/ledger.html", "reports/2023/shiju-shuzhi.html", "reports/2024/shiju-shuzhi.html"):
        a = (tmp_path / "serial/html" / rel).read_text(encoding="utf-8")
        b = (tmp_path / "parallel/html" / rel).read_text(encoding="utf-8")
        assert re.sub(r"\?v=[0-9a-f]+", "", a) == re.sub(r"\?v=[0-9a-f]+", "", b), rel
