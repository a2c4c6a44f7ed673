"""Benchmark (not a timed test in the normal suite): ``shuzhi lint`` over 1,000 reports.

Run with ``SHUZHI_BENCH=1 .venv/bin/python -m pytest -q -s tests/test_lint_bench.py``.
The reports are built from the seeds, without explicit links, so the matcher (and
jieba) runs on every one of them: the slow path. Target: ≤ 10 s on 2 cores.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from shuzhi.cli import main
from shuzhi.ordinals import lead_ordinal

SEEDS = Path(__file__).parent.parent / "seeds"
COUNT = 1000

pytestmark = pytest.mark.skipif(not os.environ.get("SHUZHI_BENCH"), reason="benchmark: set SHUZHI_BENCH=1")


def _archive(root: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    texts = []
    for seed in seeds:
        lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
        body = []
        for line in lines[1:]:
            ordinal = lead_ordinal(line)
            heading = ordinal is not None and ordinal.style == "cn" and len(line) < 40
            body.append("## " + line if heading else line.replace("*", r"\*"))
        texts.append((lines[0], "\n\n".join(body)))
    for i in range(COUNT):
        title, body = texts[i % len(texts)]
        year = 2000 + i // 50
        folder = root / "reports" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        front = f"---\ntitle: {title}\nyear: {year}\norg: 单位{i % 50}\nauthor: 书记\nkind: 述职报告\nstatus: draft\n---\n"
        (folder / f"r{i}.md").write_text(f"{front}# {title}\n\n{body}\n", encoding="utf-8")
    (root / "shuzhi.yaml").write_text("# benchmark\n", encoding="utf-8")


def test_lint_1000_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _archive(tmp_path)
    start = time.perf_counter()
    main(["lint", "--format", "json", str(tmp_path / "reports")])
    elapsed = time.perf_counter() - start
    capsys.readouterr()
    with capsys.disabled():
        print(f"\nshuzhi lint: {COUNT} 份报告，{elapsed:.2f} 秒（{os.cpu_count()} 核）")
    assert elapsed < 10
