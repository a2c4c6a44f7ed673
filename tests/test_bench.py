"""The benchmark harness on a tiny archive: every stage runs, the incremental check compares pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from shuzhi.bench import run


def test_bench_measures_every_stage_and_checks_the_incremental_output(tmp_path: Path) -> None:
    assert run.main(["--n", "12", "--no-pdf", "--no-baseline", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    stages = {r["stage"]: r for r in data["results"]}
    assert list(stages) == ["full", "incremental (1 edited)", "livehtml (resident)", "parallel -j 2", "shuzhi lint", "shuzhi lint (无显式链接)"]
    assert all(r["ok"] and r["seconds"] > 0 and r["peak_mb"] > 0 for r in data["results"])
    assert "与从头构建一致" in stages["incremental (1 edited)"]["note"]
    assert "与从头构建一致" in stages["livehtml (resident)"]["note"]


def test_incremental_check_names_the_pages_that_differ(tmp_path: Path) -> None:
    site = tmp_path / "site"
    edited = site / "reports" / "2023" / "a.md"
    edited.parent.mkdir(parents=True)
    edited.write_text("", encoding="utf-8")
    ours, full = tmp_path / "ours", tmp_path / "full"
    for out in (ours, full):
        for rel in ("reports/2023/a.html", "archive/years/2023.html", "archive/ledger.html", "reports/2023/b.html"):
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text("标记 <link href='x.css?v=1a2b'>", encoding="utf-8")
    assert run._check_incremental(ours, edited, site, "标记", reference=full).startswith("已更新")
    (full / "reports/2023/b.html").write_text("标记 新标题", encoding="utf-8")
    assert run._check_incremental(ours, edited, site, "标记", reference=full).startswith("与从头构建不同：reports/2023/b.html")
    shutil.rmtree(full / "archive")
    note = run._check_incremental(ours, edited, site, "标记", reference=full)
    assert "archive/ledger.html" in note and "共 3 个文件" in note
    (ours / "archive/ledger.html").write_text("旧", encoding="utf-8")
    assert run._check_incremental(ours, edited, site, "标记") == "未更新：整改台账"
