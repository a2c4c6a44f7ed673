"""Navigation cost does not grow with the archive.

The usual theme renders the whole toctree into every page's sidebar, so each page
grows with the archive and the build is quadratic. With the shuzhi theme a report
page carries only its own branch: the same report page is (nearly) the same size
in an archive of 5 reports and of 40, and links to no other year's reports.
"""

from __future__ import annotations

import re
import shutil
from os.path import normpath
from pathlib import Path, PurePosixPath

from sphinxbuild import build

ROOTS = Path(__file__).parent / "roots"
YEARS = (2023, 2022, 2021, 2020, 2019)

REPORT = """---
title: {year}年第{n:03d}党支部书记述职报告
year: {year}
org: 第{n:03d}党支部
author: 支部书记
kind: 述职报告
status: final
---

# {year}年第{n:03d}党支部书记述职报告

## 一、履职情况

一年来，我认真履行支部书记职责，严格落实“三会一课”制度。

## 二、存在的问题

【P1】一是理论学习深度不够。

原因分析：自我要求不够严格。

## 三、下一步打算

【M1→P1】（一）深化理论武装，提升学习实效。
"""


def _archive(tmp_path: Path, count: int) -> Path:
    src = tmp_path / f"site{count}"
    src.mkdir()
    shutil.copy(ROOTS / "test-archive/conf.py", src / "conf.py")
    shutil.copy(ROOTS / "test-archive/index.md", src / "index.md")
    for n in range(count):
        year = YEARS[n % len(YEARS)]
        folder = src / "reports" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"r{n:03d}.md").write_text(REPORT.format(year=year, n=n), encoding="utf-8")
    return src


def _report_page(tmp_path: Path, count: int) -> str:
    src = _archive(tmp_path, count)
    app = build(src, tmp_path / f"out{count}")
    return (Path(app.outdir) / "reports/2023/r000.html").read_text(encoding="utf-8")


def test_report_page_size_does_not_grow_with_the_archive(tmp_path: Path) -> None:
    small = _report_page(tmp_path, 5)
    large = _report_page(tmp_path, 40)
    # only the "next report" link differs (r000 is alone in 2023 with 5 reports)
    assert abs(len(large) - len(small)) < 400, (len(small), len(large))
    base = PurePosixPath("reports/2023")
    hrefs = {normpath(str(base / h)) for h in re.findall(r'href="([^"#:]+\.html)', large)}
    reports = {h for h in hrefs if h.startswith("reports/")}
    assert reports == {"reports/2023/r005.html"}, reports  # its next report, nothing else
    assert "toctree-l1" not in large  # no global toctree anywhere on the page
