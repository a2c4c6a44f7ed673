"""A build that talks: report warnings go to the log file, the terminal keeps the rest and ends with
a summary whose counts are the archive's findings (``make html`` against ``make html V=1``)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinxbuild import build

from shuzhi.site.domain import get_domain

ROOTS = Path(__file__).parent / "roots"
_ESC = re.compile(r"\x1b\[[0-9;]*m")


def _lines(text: str) -> list[str]:
    return [line for line in _ESC.sub("", text).splitlines() if line.strip()]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive", src)
    # a warning about the site, not a report: it stays on the terminal
    (src / "loose.md").write_text("# 未列入目录的页面\n\n正文。\n", encoding="utf-8")
    # a Sphinx (not shuzhi) warning located in a report: it goes to the log only
    report = src / "reports/2023/fagaiwei.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n见[说明](#no-such-anchor)。\n", encoding="utf-8")
    # an invented final report with an error (a placeholder), a warning and an info finding
    (src / "reports/2021").mkdir()
    (src / "reports/2021/shuiwuju.md").write_text(EXTRA, encoding="utf-8")
    return src


EXTRA = """---
title: 2021年区水务局党组书记述职报告
year: 2021
org: 区水务局
author: 党组书记
kind: 述职报告
status: final
---

# 2021年区水务局党组书记述职报告

## 一、履职情况

全年召开党建工作专题会议x次，推进河湖治理与支部共建。

## 二、存在的问题

【P1】一是理论学习不够深入。学用结合偏弱。

原因分析：主要是思想认识不到位。

## 三、下一步工作打算

【M1→P1】（一）深化理论学习，推动学用结合。每月集中学习一次。

【M2】（二）完善考核办法，压实主体责任。年底开展述职评议。
"""


def _quiet(source: Path, out: Path, log: Path) -> SphinxTestApp:
    return build(source, out, confoverrides={"shuzhi_warning_log": str(log)})


def test_log_holds_every_warning_and_the_terminal_only_the_site_ones(source: Path, tmp_path: Path) -> None:
    loud = build(source, tmp_path / "loud")  # make html V=1: every warning on the terminal
    every = _lines(loud.warning.getvalue())
    assert any("[shuzhi.placeholder]" in w for w in every) and any("loose" in w for w in every)
    assert any("no-such-anchor" in w and "/reports/" in w for w in every)
    log = tmp_path / "_build" / "html-warnings.log"
    quiet = _quiet(source, tmp_path / "quiet", log)
    assert sorted(_lines(log.read_text(encoding="utf-8"))) == sorted(every)
    shown = _lines(quiet.warning.getvalue())
    assert shown == [w for w in every if "/reports/" not in w]
    assert shown and all("loose" in w for w in shown)
    # Sphinx still counts every warning
    assert f"build succeeded, {len(every)} warnings." in _ESC.sub("", quiet.status.getvalue())
    held = len(every) - len(shown)
    assert f"全部警告：{log.as_posix()}（本次构建 {len(every)} 条，其中 {held} 条关于报告内容" in quiet.status.getvalue()


def test_summary_counts_are_the_findings(source: Path, tmp_path: Path) -> None:
    log = tmp_path / "html-warnings.log"
    app = _quiet(source, tmp_path / "out", log)
    status = _ESC.sub("", app.status.getvalue())
    domain = get_domain(app.env)
    findings = [f for d in domain.reports for f in domain.findings(d)]
    severity = Counter(f.severity for f in findings)
    assert severity["error"] and severity["warning"] and severity["info"]
    assert "提示：" not in status  # info findings: with -v only, and on the 质量检查 page
    head = re.search(r"述职档案：共 (\d+) 篇报告，(\d+) 篇完整；检查发现 (\d+) 项（(.*?)）。", status)
    assert head is not None, status
    assert int(head[1]) == len(domain.reports) == 5
    assert int(head[3]) == len(findings)
    stated = {label: int(n) for label, n in re.findall(r"(错误|警告|提示) (\d+) 项", head[4])}
    assert stated == {label: severity[key] for key, label in (("error", "错误"), ("warning", "警告"), ("info", "提示"))
                      if severity[key]}
    # every finding of severity warning/error is one line of the log, with its rule code
    logged = Counter(re.findall(r"\[shuzhi\.([a-z-]+)\]$", log.read_text(encoding="utf-8"), re.M))
    assert sum(logged.values()) == severity["warning"] + severity["error"]
    top = dict((code, int(n)) for code, n in re.findall(r"([a-z-]+)（[^）]*）(\d+) 项", status.split("最多的规则：")[1].splitlines()[0]))
    by_code = Counter(f.code for f in findings)
    assert top == dict(sorted(by_code.items(), key=lambda item: (-item[1], item[0]))[:5])
    for code, n in top.items():
        if all(f.severity != "info" for f in findings if f.code == code):
            assert logged[code] == n
    out = Path(app.outdir)
    site = re.search(r"站点：(\S+)", status)
    quality = re.search(r"质量检查：(\S+)", status)
    assert site and Path(site[1]) == out / "index.html" and Path(site[1]).is_file()
    assert quality and Path(quality[1]) == out / "archive" / "quality.html" and Path(quality[1]).is_file()


def test_incremental_build_logs_only_its_own_warnings_and_sums_up_the_whole_archive(source: Path, tmp_path: Path) -> None:
    log = tmp_path / "html-warnings.log"
    first = _quiet(source, tmp_path / "out", log)
    again = _quiet(source, tmp_path / "out", log)  # nothing changed: nothing read, nothing logged
    assert log.read_text(encoding="utf-8") == ""
    summary = [line for line in _lines(first.status.getvalue()) if line.startswith("述职档案：")]
    assert summary and summary == [line for line in _lines(again.status.getvalue()) if line.startswith("述职档案：")]


def test_parallel_build_logs_the_same_warnings(source: Path, tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial.log", tmp_path / "parallel.log"
    _quiet(source, tmp_path / "serial", serial)
    app = build(source, tmp_path / "parallel", parallel=2, confoverrides={"shuzhi_warning_log": str(parallel)})
    assert sorted(_lines(parallel.read_text(encoding="utf-8"))) == sorted(_lines(serial.read_text(encoding="utf-8")))
    assert "[shuzhi." not in app.warning.getvalue()  # the workers' report warnings stay off the terminal too
