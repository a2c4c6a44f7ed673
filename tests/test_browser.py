"""The built site in headless Chromium on 127.0.0.1: Chinese search and the landing cards.

Never skipped: without Chromium the test fails and says what to install.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from browser import chromium, search, serve, status
from sphinxbuild import build

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    tmp = tmp_path_factory.mktemp("browser")
    src = tmp / "src"
    shutil.copytree(ROOTS / "test-archive", src)
    app = build(src, tmp / "out")
    with serve(Path(app.outdir)) as base, chromium() as driver:
        yield driver, base


def _paths(hrefs: list[str]) -> set[str]:
    return {urlparse(h).path.lstrip("/") for h in hrefs}


@pytest.mark.parametrize(("query", "expected"), [
    ("党建品牌", {"reports/2023/fagaiwei.html"}),
    ("三会一课", {"reports/2023/jiaoyuju.html"}),
])
def test_search_finds_exactly_the_reports_containing_the_term(site: tuple[Any, str], query: str,
                                                               expected: set[str]) -> None:
    driver, base = site
    found = _paths(search(driver, base, query))
    assert {p for p in found if p.startswith("reports/")} == expected
    assert status(driver).startswith("搜索完成")  # the page speaks Chinese


def test_search_without_hits_says_so_in_chinese(site: tuple[Any, str]) -> None:
    driver, base = site
    assert search(driver, base, "量子纠缠") == []
    assert status(driver).startswith("没有找到")


def test_landing_year_cards_link_to_year_pages(site: tuple[Any, str]) -> None:
    driver, base = site
    driver.get(f"{base}/index.html")
    cards = driver.find_elements("css selector", ".sz-years .sd-card")
    links = [(c.find_element("css selector", ".sd-card-title").text,
              c.find_element("css selector", "a.sd-stretched-link").get_attribute("href")) for c in cards]
    assert [t for t, _ in links] == ["2023年", "2022年", "年份待定"]
    for title, href in links:
        driver.get(href)
        assert driver.find_element("css selector", "h1").text.startswith(title)
        assert driver.find_elements("css selector", "ul.sz-reports li")  # the year lists its reports
