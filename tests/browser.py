"""Browser test helpers: serve a folder on 127.0.0.1 and drive headless Chromium.

No network but the loopback interface; nothing is downloaded. The server and the
driver are :mod:`shuzhi.search.measure`'s (the benchmark uses them too); here a
missing Chromium fails the test with what to install (CI installs it through
.ci/run) — the browser tests are never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from shuzhi.search import measure
from shuzhi.search.measure import serve

__all__ = ["chromium", "search", "serve", "status", "hits"]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium WebDriver; fails (not skips) when Chromium is missing."""
    missing = measure.missing_browser()
    if missing:
        pytest.fail(f"浏览器测试需要 Chromium：缺少 {', '.join(missing)}。"
                    "请运行 .ci/run 或 apt-get install chromium chromium-driver。")
    with measure.chromium() as driver:
        yield driver


def search(driver: Any, base: str, query: str, timeout: float = 20, **facets: str) -> list[str]:
    """Run a query on the site's search page (optionally with year=/org=/kind=); return the result links' hrefs."""
    from selenium.webdriver.support.ui import WebDriverWait

    params = urlencode({"q": query, **facets}, quote_via=quote)
    driver.get(f"{base}/search.html?{params}")
    # the page titles its results 搜索结果 once the search is done
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script(
            "const h = document.querySelector('#search-results h2');"
            "return h !== null && h.textContent.trim() === '搜索结果';"
        )
    )
    return [a.get_attribute("href") for a in driver.find_elements("css selector", "#search-results ul.search li > a")]


def hits(driver: Any, timeout: float = 20) -> list[dict[str, str]]:
    """The results on the page once their snippets have loaded: title, meta, heading, snippet HTML."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('#search-results li.sz-hit .context')]"
        ".every((p) => p.textContent !== '正在载入摘要……');"))
    rows: list[dict[str, str]] = driver.execute_script("""
        return [...document.querySelectorAll('#search-results li.sz-hit')].map((li) => ({
          href: li.querySelector('a').href,
          title: li.querySelector('a').textContent,
          meta: li.querySelector('.sz-hit-meta').textContent,
          head: li.querySelector('.sz-hit-head') ? li.querySelector('.sz-hit-head').textContent : '',
          snippet: li.querySelector('.context').innerHTML,
        }));""")
    return rows


def status(driver: Any) -> str:
    """The search page's status line (搜索完成，找到 N 个相关页面。)."""
    return str(driver.find_element("css selector", "#search-results p.search-summary").text)
