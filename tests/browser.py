"""Browser test helpers: serve a folder on 127.0.0.1 and drive headless Chromium.

No network but the loopback interface; nothing is downloaded. If Chromium or its
driver is missing, :func:`chromium` fails with a message saying what to install
(CI installs them through .ci/run) — the browser tests are never skipped.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a random free port of 127.0.0.1; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium WebDriver; fails (not skips) when Chromium is missing."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.fail(f"浏览器测试需要 Chromium：缺少 {', '.join(missing)}。"
                    "请运行 .ci/run 或 apt-get install chromium chromium-driver。")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="shuzhi-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}", "--window-size=1280,1000", "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def search(driver: Any, base: str, query: str, timeout: float = 20) -> list[str]:
    """Run a query on the site's search page; return the result links' hrefs (absolute)."""
    from urllib.parse import quote

    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/search.html?q={quote(query)}")
    # searchtools.js retitles its <h2> from 正在搜索 to 搜索结果 when the search is done
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script(
            "const h = document.querySelector('#search-results h2');"
            "return h !== null && h.textContent.trim() === '搜索结果';"
        )
    )
    return [a.get_attribute("href") for a in driver.find_elements("css selector", "#search-results ul.search li a")]


def status(driver: Any) -> str:
    """The search page's status line (搜索完成，找到 N 个相关页面。)."""
    return str(driver.find_element("css selector", "#search-results p.search-summary").text)
