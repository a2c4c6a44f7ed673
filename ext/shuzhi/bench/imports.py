"""``make bench`` (import part): importing a 10-page PDF and a 15-page .docx.

The files are made like the tests' (:mod:`.officefiles`): the PDF typeset by
XeLaTeX, the .docx by python-docx with Word's list numbering; their page counts
are measured (``pdfinfo``; the .docx through LibreOffice's PDF of it), not
assumed. Figures: ``import_file`` in a warm process (median of 5) — the target,
≤ 1 s, is judged on it, as it is what the format costs — and a cold ``shuzhi
import --dry-run`` (wall and CPU seconds, Python start-up, imports and the
matcher's first load included), beside the same cold command on the same text
saved as .txt, so what the format adds to a user's wait is visible. Written to
``_build/bench/imports.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import officefiles

ROOT = Path(__file__).resolve().parents[3]
TARGET = 1.0
PDF_PARAGRAPHS = 45  # about 10 pages at 三号 (16 pt)
DOCX_PARAGRAPHS = 140  # about 15 pages in python-docx's default style


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    m = re.search(r"^Pages:\s+([0-9]+)", info, re.MULTILINE)
    return int(m.group(1)) if m else 0


def _docx_pages(docx: Path, work: Path) -> int:
    if shutil.which("soffice") is None:
        return 0
    return _pages(officefiles.convert_with_office(docx, "pdf", work))


def _cold(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of ``shuzhi import --dry-run`` in a fresh process."""
    shuzhi = Path(sys.executable).with_name("shuzhi")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(shuzhi), "import", str(path), "--dry-run", "--out", str(path.parent / "out")],
        capture_output=True, check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace"))
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _measure(name: str, path: Path, pages: int) -> dict[str, object]:
    from ..read import import_file
    from ..read.decode import read_source

    import_file(path)  # load what the first import loads (jieba's dictionary …)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        import_file(path)
        runs.append(time.perf_counter() - start)
    warm = statistics.median(runs)
    text = path.with_suffix(".txt")
    text.write_text(read_source(path).text, encoding="utf-8")
    wall, cpu = _cold(path)
    txt_wall, txt_cpu = _cold(text)
    print(
        f"  导入 {name:<10} {pages:>3} 页   进程内 {warm:.3f} s   命令行冷启动 {wall:.3f} s（CPU {cpu:.3f} s；"
        f"同文 .txt {txt_wall:.3f} s，CPU {txt_cpu:.3f} s）   {'达标' if warm <= TARGET else '超过 1 s'}",
        flush=True,
    )
    return {
        "file": name, "pages": pages, "warm_seconds": round(warm, 3), "cold_seconds": round(wall, 3),
        "cold_cpu_seconds": round(cpu, 3), "txt_cold_seconds": round(txt_wall, 3),
        "txt_cold_cpu_seconds": round(txt_cpu, 3), "ok": warm <= TARGET,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shuzhi.bench.imports", description="导入 PDF/Word 的性能基准")
    parser.add_argument("--out", default=str(ROOT / "_build" / "bench"), help="输出目录")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="shuzhi-bench-import-") as tmp:
        work = Path(tmp)
        pdf = officefiles.write_pdf(work / "report.pdf", officefiles.long_sample(PDF_PARAGRAPHS))
        docx = officefiles.write_docx(work / "report.docx", officefiles.long_sample(DOCX_PARAGRAPHS))
        for name, path, pages in (("PDF", pdf, _pages(pdf)), ("Word .docx", docx, _docx_pages(docx, work))):
            results.append(_measure(name, path, pages))
    (out / "imports.json").write_text(
        json.dumps({"target_seconds": TARGET, "results": results}, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
