"""Search in headless Chromium on 127.0.0.1: recall on the sample archive, ranking, snippets, facets.

Two sites are built once: the real ``reports/`` (for the recall of 200 phrases
sampled at random from their body text) and ``roots/test-search`` (small,
pinned cases). One browser session runs everything; most queries call
``ShuzhiSearch.query`` directly, a few go through the search form.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlparse

import pytest
from browser import chromium, hits, search, serve, status
from sphinxbuild import build

from shuzhi.search import grams
from shuzhi.search.measure import open_search, report_paragraphs, run_queries, sample_phrases
from shuzhi.search.postings import encode

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).parent / "roots"
RECALL_SAMPLE, RECALL_SEED = 200, 20231


def _build(src: Path, out: Path) -> Path:
    app = build(src, out)
    return Path(app.outdir)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str, str, Path]]:
    tmp = tmp_path_factory.mktemp("search-browser")
    real = tmp / "real"
    real.mkdir()
    for name in ("conf.py", "index.md"):
        shutil.copy(REPO / name, real / name)
    shutil.copytree(REPO / "reports", real / "reports")
    real_html = _build(real, tmp / "real-out")
    small = tmp / "small"
    shutil.copytree(ROOTS / "test-search", small)
    small_html = _build(small, tmp / "small-out")
    with serve(real_html) as real_base, serve(small_html) as small_base, chromium() as driver:
        yield driver, real_base, small_base, real_html


def _names(driver: Any, query: str, **facets: str) -> list[str]:
    return list(driver.execute_script(
        "return ShuzhiSearch.query(arguments[0], arguments[1]).results.map((r) => r.name);", query, facets))


def test_recall_of_phrases_sampled_from_the_reports(sites: tuple[Any, str, str, Path]) -> None:
    driver, real, _, real_html = sites
    pairs = sample_phrases(report_paragraphs(real_html), RECALL_SAMPLE, seed=RECALL_SEED)
    assert len({page for page, _ in pairs}) == 5  # every sample report is drawn from
    open_search(driver, real)
    rows = run_queries(driver, pairs)
    missed = [pair for pair, (_, found, _) in zip(pairs, rows, strict=True) if not found]
    assert missed == [], f"召回率 {1 - len(missed) / len(pairs):.1%}"


@pytest.mark.parametrize("query", ["党建品牌", "主题教育", "三会一课", "谈心谈话", "两个维护", "二十大"])
def test_the_phrases_of_the_issue_find_every_report_holding_them(sites: tuple[Any, str, str, Path], query: str) -> None:
    driver, real, _, real_html = sites
    holding = {p.relative_to(REPO).with_suffix("").as_posix()
               for p in (REPO / "reports").rglob("*.md") if query in p.read_text(encoding="utf-8").split("---", 2)[2]}
    assert holding
    open_search(driver, real)
    assert {n for n in _names(driver, query) if n.startswith("reports/")} == holding


def test_browser_bigrams_are_the_index_bigrams(sites: tuple[Any, str, str, Path]) -> None:
    driver, _, small, _ = sites
    texts = ["三会一课", "推进“5+2”工作法，学习二十大精神。", "ＡＢ１２ 召开 3 次\n会议", "open source 开源",
             "（一）深化理论武装", "𠀀𠀁字", "Ｇ２０峰会", "x次、XX大"]
    open_search(driver, small)
    browser = driver.execute_script("return arguments[0].map((t) => [...ShuzhiSearch.grams(t)].sort());", texts)
    assert browser == [sorted(grams(t)) for t in texts]
    lists = [[0], [0, 1, 2, 3], [5, 40, 41, 42, 1000, 70000], list(range(3, 900, 7))]
    assert driver.execute_script("return arguments[0].map((c) => ShuzhiSearch.decode(c));",
                                 [encode(x) for x in lists]) == lists


def test_mixed_queries_with_digits_latin_and_full_width(sites: tuple[Any, str, str, Path]) -> None:
    driver, _, small, _ = sites
    open_search(driver, small)
    for query in ("5+2", "“5+2”工作法", "二十大", "G20", "Ｇ２０ 峰会", "党建品牌建设", "问题 P1"):
        assert "reports/2023/jiaoyuju" in _names(driver, query), query
    assert _names(driver, "量子纠缠") == []


def test_title_hits_then_heading_hits_then_body_hits(sites: tuple[Any, str, str, Path]) -> None:
    driver, _, small, _ = sites
    hrefs = search(driver, small, "主题教育")
    assert [urlparse(h).path for h in hrefs] == [
        "/reports/2023/caizhengju.html",  # in the title
        "/reports/2023/jiaoyuju.html",  # in a section heading: the link goes to it
        "/reports/2022/caizhengju.html",  # in the body
    ]
    assert urlparse(hrefs[1]).fragment and unquote(parse_qs(urlparse(hrefs[1]).query)["highlight"][0]) == "主题教育"
    rows = hits(driver)
    assert rows[0]["title"] == "区财政局2023年度主题教育工作总结"
    assert rows[1]["head"] == "章节：一、深化主题教育"
    assert "<mark>主题教育</mark>" in rows[2]["snippet"]
    assert [r["meta"] for r in rows] == ["2023年 · 区财政局 · 工作总结", "2023年 · 区教育局 · 工作总结",
                                         "2022年 · 区财政局 · 述职报告"]
    assert status(driver) == "搜索完成，找到 3 个相关页面。"


def test_a_page_with_the_bigrams_but_not_the_phrase_is_dropped(sites: tuple[Any, str, str, Path]) -> None:
    driver, _, small, _ = sites
    # 党建 and 建设 are both in the 教育局 report (党建品牌建设), 党建设 is not
    search(driver, small, "党建设")
    hits(driver)
    assert driver.find_elements("css selector", "#search-results li.sz-hit") == []
    assert status(driver).startswith("没有找到")


def test_facets_restrict_results(sites: tuple[Any, str, str, Path]) -> None:
    from selenium.webdriver.support.ui import Select

    driver, _, small, _ = sites
    assert [urlparse(h).path for h in search(driver, small, "党建", year="2022")] == ["/reports/2022/caizhengju.html"]
    search(driver, small, "党建")
    org = Select(driver.find_element("css selector", "select[name=org]"))
    assert [o.text for o in org.options] == ["全部单位", "区财政局（1）", "区教育局（1）"]
    org.select_by_value("区教育局")
    assert [urlparse(a.get_attribute("href")).path
            for a in driver.find_elements("css selector", "#search-results li > a")] == ["/reports/2023/jiaoyuju.html"]
    assert parse_qs(urlparse(driver.current_url).query) == {"q": ["党建"], "org": ["区教育局"]}
    # a facet alone lists its reports
    assert [urlparse(h).path for h in search(driver, small, "", kind="述职报告")] == ["/reports/2022/caizhengju.html"]
    assert status(driver) == "共 1 篇报告（筛选：述职报告）。"


def test_the_header_box_searches_from_any_page(sites: tuple[Any, str, str, Path]) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver, _, small, _ = sites
    driver.get(f"{small}/reports/2022/caizhengju.html")
    box = driver.find_element("css selector", "form.sz-search input[name=q]")
    box.send_keys("谈心谈话")
    box.submit()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements("css selector", "#search-results p.search-summary"))
    assert [urlparse(a.get_attribute("href")).path for a in driver.find_elements("css selector", "#search-results li > a")] \
        == ["/reports/2022/caizhengju.html", "/docs/guide.html"]
    assert driver.find_element("css selector", "#search-results li .sz-hit-meta").text == "2022年 · 区财政局 · 述职报告"


def _results(driver: Any) -> list[str]:
    return [urlparse(a.get_attribute("href")).path for a in driver.find_elements("css selector", "#search-results li > a")]


def _submit(driver: Any, query: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    box = driver.find_element("css selector", "form.sz-search-page input[name=q]")
    box.clear()
    box.send_keys(query)
    driver.find_element("css selector", "form.sz-search-page input[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: parse_qs(urlparse(d.current_url).query).get("q") == [query])


def test_each_search_is_a_history_entry_and_back_shows_the_previous_one(sites: tuple[Any, str, str, Path]) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver, _, small, _ = sites
    search(driver, small, "谈心谈话")
    first = _results(driver)
    length = driver.execute_script("return history.length")
    _submit(driver, "党建品牌")
    second = _results(driver)
    assert second != first and driver.execute_script("return history.length") == length + 1
    driver.back()
    WebDriverWait(driver, 20).until(lambda d: d.find_element("css selector", "form.sz-search-page input[name=q]").get_attribute("value") == "谈心谈话")
    assert _results(driver) == first
    driver.forward()
    WebDriverWait(driver, 20).until(lambda d: d.find_element("css selector", "form.sz-search-page input[name=q]").get_attribute("value") == "党建品牌")
    assert _results(driver) == second


def test_a_result_whose_page_is_missing_keeps_its_title_without_a_snippet(
        sites: tuple[Any, str, str, Path], tmp_path: Path) -> None:
    driver, _, _, real_html = sites
    site = tmp_path / "site"
    shutil.copytree(real_html, site)
    missing = next((site / "reports").rglob("*.html"))
    name = missing.relative_to(site).as_posix()
    missing.unlink()  # the server answers 404 with an error page: not the report's text
    with serve(site) as base:
        search(driver, base, "存在问题")
        rows = {urlparse(row["href"]).path: row for row in hits(driver)}
    assert f"/{name}" in rows and rows[f"/{name}"]["snippet"] == ""
    assert all(row["snippet"] for path, row in rows.items() if path != f"/{name}")


def test_search_works_from_the_site_opened_from_disk(sites: tuple[Any, str, str, Path]) -> None:
    """file:// as the README says: Chromium loads no module scripts there, the search's plain scripts load."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver, _, _, real_html = sites
    driver.get((real_html / "search.html").as_uri() + "?q=" + quote("三会一课"))
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "const h = document.querySelector('#search-results h2'); return h !== null && h.textContent === '搜索结果';"))
    assert any(p.startswith("reports/") for p in driver.execute_script(
        "return ShuzhiSearch.query('三会一课').results.map((r) => r.name);"))
    assert [a.get_attribute("href") for a in driver.find_elements("css selector", "#search-results li > a")][0].startswith("file://")
    assert status(driver).startswith("搜索完成")
