"""Measure the built search in headless Chromium: recall of sampled phrases, index size, query time.

``measure_search(html_dir)`` is what the benchmark calls at 1,000 reports; the
recall test of the suite uses :func:`body_paragraphs`, :func:`sample_phrases`,
:func:`serve` and :func:`chromium` the same way on the sample archive. Only the
loopback interface is used; Chromium and chromedriver are Debian's
(``apt-get install chromium chromium-driver``) and selenium is a test extra.
"""

from __future__ import annotations

import functools
import json
import random
import shutil
import statistics
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .grams import HAN, runs
from .index import parse

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def is_han(char: str) -> bool:
    """Whether a character is a Han ideograph (one of the ranges of :data:`shuzhi.search.grams.HAN`)."""
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _han_ranges())


@functools.cache
def _han_ranges() -> tuple[tuple[int, int], ...]:
    chars = HAN.replace("-", "")
    return tuple((ord(chars[i]), ord(chars[i + 1])) for i in range(0, len(chars), 2))


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


def missing_browser() -> list[str]:
    return [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium WebDriver (selenium); RuntimeError when Chromium is missing."""
    missing = missing_browser()
    if missing:
        raise RuntimeError(f"需要 Chromium：缺少 {', '.join(missing)}。请运行 apt-get install chromium chromium-driver。")
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
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_search(driver: Any, base: str, timeout: float = 30) -> float:
    """Open the search page, wait for the index; return the ms from navigation to index loaded."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/search.html")
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return typeof ShuzhiSearch !== 'undefined' && ShuzhiSearch.ready"))
    return float(driver.execute_script("return ShuzhiSearch.loadedAt"))


# -- what to search for: phrases of the reports' body text


class _Paragraphs(HTMLParser):
    """Text of the ``<p>`` elements in ``<main>``, outside tables and generated boxes (``id="sz-…"``)."""

    SKIP = {"table", "script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipping)
        self._main = 0
        self._text: list[str] | None = None

    def _skipping(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "main":
            self._main += 1
        skip = self._skipping() or tag in self.SKIP or (a.get("id") or "").startswith("sz-") \
            or "sz-report-meta" in (a.get("class") or "")
        if tag in {"br", "img", "hr", "input", "meta", "link"}:
            return
        self._stack.append((tag, skip))
        if tag == "p" and self._main and not skip:
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._main -= 1
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag == "p" and self._text is not None:
            text = " ".join("".join(self._text).split())
            if text:
                self.paragraphs.append(text)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None and not self._skipping():
            self._text.append(data)


def body_paragraphs(html: str) -> list[str]:
    """The body paragraphs of a built page, as a reader sees them."""
    parser = _Paragraphs()
    parser.feed(html)
    return parser.paragraphs


def _searchable(phrase: str) -> bool:
    """At least two Han characters, and at least two characters in one run (a phrase, not a lone 的)."""
    return sum(map(is_han, phrase)) >= 2 and any(len(r) >= 2 for r in runs(phrase))


def sample_phrases(paragraphs: dict[str, list[str]], n: int, seed: int = 1,
                   lengths: tuple[int, int] = (2, 8)) -> list[tuple[str, str]]:
    """``n`` random (page, phrase) pairs: substrings of 2–8 characters of a page's paragraphs.

    Uniform over the characters of all paragraphs; a phrase must hold two Han
    characters, so ``。”“`` or ``2023`` are not drawn.
    """
    rng = random.Random(seed)
    pool = [(page, text) for page, texts in sorted(paragraphs.items()) for text in texts if len(text) >= lengths[0]]
    weights = [len(text) for _, text in pool]
    out: list[tuple[str, str]] = []
    while len(out) < n:
        page, text = rng.choices(pool, weights)[0]
        size = rng.randint(*lengths)
        start = rng.randrange(0, max(1, len(text) - size + 1))
        phrase = text[start:start + size]
        if _searchable(phrase):
            out.append((page, phrase))
    return out


def read_index(html_dir: Path) -> dict[str, Any]:
    text = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    try:
        return parse(text)
    except ValueError:
        raise ValueError(f"{html_dir}/searchindex.js 不是 shuzhi 的搜索索引") from None


def report_paragraphs(html_dir: Path, limit: int | None = None, seed: int = 1) -> dict[str, list[str]]:
    """Body paragraphs of the reports in a built site (a random ``limit`` of them if given)."""
    index = read_index(html_dir)
    names = sorted(index["docnames"][r[0]] for r in index["reports"])
    if limit is not None and limit < len(names):
        names = sorted(random.Random(seed).sample(names, limit))
    return {name: body_paragraphs((html_dir / f"{name}.html").read_text(encoding="utf-8")) for name in names}


QUERY_JS = """
const out = [];
for (const [page, phrase] of arguments[0]) {
  const t = performance.now();
  const result = ShuzhiSearch.query(phrase);
  const ms = performance.now() - t;
  out.push([ms, result.results.some((r) => r.name === page), result.results.length]);
}
return out;
"""

UI_JS = """
const form = document.querySelector('form.sz-search-page');
form.elements.q.value = arguments[0];
const t = performance.now();
form.dispatchEvent(new Event('submit', {cancelable: true}));
return performance.now() - t;
"""


def run_queries(driver: Any, pairs: list[tuple[str, str]]) -> list[tuple[float, bool, int]]:
    """Run (page, phrase) queries through ``ShuzhiSearch.query``: [(ms, page found, results)]."""
    rows = driver.execute_script(QUERY_JS, [list(p) for p in pairs])
    return [(float(ms), bool(found), int(count)) for ms, found, count in rows]


def measure_search(html_dir: Path | str, n: int = 100, seed: int = 1, baseline: Path | str | None = None,
                   ui_queries: int = 10) -> dict[str, Any]:
    """Index bytes and query times of a built site in headless Chromium on 127.0.0.1.

    ``n`` phrases are sampled from the reports' body text (fixed ``seed``) and run
    through ``ShuzhiSearch.query`` (index lookup and ranking), and the first
    ``ui_queries`` of them through the search form as well (lookup, ranking and the
    first page of results drawn; snippets load afterwards). ``baseline``: a site
    built by plain Sphinx from the same files, for the size ratio.
    """
    html = Path(html_dir)
    pairs = sample_phrases(report_paragraphs(html, limit=200, seed=seed), n, seed)
    index_bytes = (html / "searchindex.js").stat().st_size
    result: dict[str, Any] = {"index_bytes": index_bytes, "queries": n}
    if baseline is not None:
        base_bytes = (Path(baseline) / "searchindex.js").stat().st_size
        result.update(baseline_bytes=base_bytes, size_ratio=round(index_bytes / base_bytes, 3))
    with serve(html) as base, chromium() as driver:
        result["load_ms"] = round(open_search(driver, base), 1)
        rows = run_queries(driver, pairs)
        ui = [float(driver.execute_script(UI_JS, phrase)) for _, phrase in pairs[:ui_queries]]
    times = [ms for ms, _, _ in rows]
    result.update(
        first_query_ms=round(times[0], 2),
        median_ms=round(statistics.median(times), 2),
        max_ms=round(max(times), 2),
        ui_median_ms=round(statistics.median(ui), 2) if ui else None,
        ui_max_ms=round(max(ui), 2) if ui else None,
        recall=round(sum(found for _, found, _ in rows) / len(rows), 4),
        median_results=statistics.median(count for _, _, count in rows),
    )
    return result


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="测量已构建站点的搜索：索引大小、查询耗时、召回率（无头 Chromium）。")
    parser.add_argument("html_dir", type=Path)
    parser.add_argument("-n", type=int, default=100, help="查询条数（默认 100）")
    parser.add_argument("--baseline", type=Path, help="同一批文件用 Sphinx 默认中文搜索构建的站点，用于比较索引大小")
    args = parser.parse_args(argv)
    print(json.dumps(measure_search(args.html_dir, n=args.n, baseline=args.baseline), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
