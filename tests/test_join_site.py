"""The site made of year-slices (docs/ledger.md, 合并后的站点与跨年度搜索): their HTML folders copied over each
other in the order given to ``shuzhi join``, plus the joined ``searchindex.js``; searched in headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from browser import chromium, hits, search, serve
from test_join import SPLIT, YEARS, _archive, _project

from shuzhi.cli import main
from shuzhi.search.measure import open_search, report_paragraphs, run_queries, sample_phrases


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str, Path]]:
    work = tmp_path_factory.mktemp("join-site")
    gen = work / "gen"
    _archive(gen)
    _, a = _project(work, gen, "a", range(2019, SPLIT))
    root, b = _project(work, gen, "b", range(SPLIT, 2024))
    assert main(["join", "--root", str(root), str(work / "joined"), str(a), str(b)]) == 0
    folder = work / "site"
    for html in (a, b):  # as the docs say: in the order given to shuzhi join
        shutil.copytree(html, folder, dirs_exist_ok=True)
    shutil.copy(work / "joined" / "searchindex.js", folder / "searchindex.js")
    with serve(folder) as base, chromium() as driver:
        yield driver, base, folder


def test_phrases_of_every_year_are_found_from_one_search_box(site: tuple[Any, str, Path]) -> None:
    driver, base, folder = site
    pairs = sample_phrases(report_paragraphs(folder), 80, seed=19)
    assert {page.split("/")[1] for page, _ in pairs} == {str(y) for y in YEARS}
    open_search(driver, base)
    missed = [pair for pair, (_, found, _) in zip(pairs, run_queries(driver, pairs), strict=True) if not found]
    assert missed == []


def test_results_of_both_slices_with_their_snippets_and_facets(site: tuple[Any, str, Path]) -> None:
    driver, base, _ = site
    hrefs = search(driver, base, "述职")
    years = {urlparse(h).path.split("/")[2] for h in hrefs if urlparse(h).path.startswith("/reports/")}
    assert years == {str(y) for y in YEARS}
    rows = hits(driver)  # each snippet fetched from the page of its own slice
    assert rows and all("年 · " in r["meta"] for r in rows if "/reports/" in r["href"])
    assert any("/reports/2019/" in r["href"] and "<mark>" in r["snippet"] for r in rows)
    first = search(driver, base, "述职", year="2019")
    assert first and all("/reports/2019/" in h for h in first)
