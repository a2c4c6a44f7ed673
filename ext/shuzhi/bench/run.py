"""``make bench``: build synthetic archives of N reports and measure every stage.

For each N (default 250 and 1000): full HTML build, incremental rebuild after
editing one report (by ``sphinx-build``, and by ``make livehtml``'s resident process),
``-j 2`` build from scratch of the edited files (both rebuilds' output must equal it page
for page, and the year page and the ledger must show the edit), ``shuzhi lint`` over all, one PDF volume of 50 reports, and the same
full build under two plain Sphinx + MyST baselines without shuzhi: a tuned one (alabaster with the
search box alone in the sidebar, Sphinx's zh search, a glob toctree) and, up to ``--naive-max``
reports, a naive one (alabaster with its full navigation sidebar, default Chinese search). Wall
time and peak memory of each, printed as a table and written to ``_build/bench/bench.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from ..site.live import Warm
from .generate import edit_one, generate, load_samples

ROOT = Path(__file__).resolve().parents[3]
_MARKER = re.compile(r"【[PMR][0-9]+[^】]*】")

BASELINE_CONF = '''\
project = "baseline"
language = "zh_CN"
extensions = ["myst_parser"]
html_theme = "alabaster"
exclude_patterns = ["_build"]
'''
BASELINE_INDEX = """# 基线档案

```{toctree}
:glob:
:maxdepth: 2

reports/*/*
```
"""
# Reading the reports' front matter as MyST does: plain Sphinx keeps it as page metadata.
# The tuned baseline: what a good engineer sets up without shuzhi on the same Sphinx -- the sidebar
# holds the search box only (no whole-archive navigation on every page) and the search is Sphinx's zh.
TUNED_CONF = BASELINE_CONF + '''html_sidebars = {"**": ["searchbox.html"]}
html_search_language = "zh"
'''
LIVE_STAGE = "livehtml (resident)"
# The naive baseline renders the whole toctree into every page: quadratic, about 280 s at 1,000
# reports and hours at 5,000, so by default it runs up to this size only.
NAIVE_MAX = 1000


@dataclass
class Measure:
    n: int
    stage: str
    seconds: float
    peak_mb: float
    ok: bool
    note: str = ""


def _measured(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """Run cmd in a fresh child; return wall seconds, peak RSS (MB) of it and its children, exit code, stderr tail."""
    probe = (
        "import resource,subprocess,sys,time,json;"
        "t=time.perf_counter();p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "dt=time.perf_counter()-t;r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
        "print(json.dumps([dt,r/1024,p.returncode,p.stderr[-2000:]]))"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], cwd=cwd, capture_output=True, text=True, env=env)
    seconds, peak, code, err = json.loads(out.stdout.strip().splitlines()[-1])
    return float(seconds), float(peak), int(code), str(err)


def _site(folder: Path, reports: Path) -> None:
    """A copy of the project (conf.py, index.md, docs/) around a synthetic reports/ folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "conf.py", folder / "conf.py")
    shutil.copy(ROOT / "index.md", folder / "index.md")
    if (ROOT / "docs").is_dir():
        shutil.copytree(ROOT / "docs", folder / "docs", dirs_exist_ok=True)
    if reports != folder / "reports":
        shutil.copytree(reports, folder / "reports", dirs_exist_ok=True)


def bench(n: int, work: Path, pdf: bool = True, baseline: bool = True, naive_max: int = NAIVE_MAX) -> list[Measure]:
    bin_dir = Path(sys.executable).parent
    sphinx = [str(bin_dir / "sphinx-build"), "-q", "-b", "html"]
    samples = load_samples(ROOT / "reports")
    site = work / f"site-{n}"
    shutil.rmtree(site, ignore_errors=True)
    paths = generate(samples, n, site / "reports")
    _site(site, site / "reports")
    results: list[Measure] = []

    def record(stage: str, cmd: list[str], cwd: Path, check: str = "", ok_codes: tuple[int, ...] = (0,)) -> None:
        seconds, peak, code, err = _measured(cmd, cwd)
        ok = code in ok_codes
        note = check if ok else f"exit {code}: {err.strip().splitlines()[-1] if err.strip() else ''}"
        results.append(Measure(n, stage, round(seconds, 2), round(peak, 1), ok, note))
        print(f"  N={n:<5} {stage:<22} {seconds:8.2f} s {peak:8.1f} MB {'' if ok else '失败 ' + note}", flush=True)

    out = work / f"html-{n}"
    shutil.rmtree(out, ignore_errors=True)
    record("full", [*sphinx, "-E", ".", str(out)], site)
    # the same edit rebuilt twice: by sphinx-build, and by make livehtml's resident process (a copy
    # of the output, its environment read in ahead as the server does while the report is edited)
    resident = _resident(site, out, work / f"html-live-{n}", work / f"livehtml-{n}-start.log")
    # incremental: edit one report, rebuild on top of the full build's environment
    marker = f"基准测试修改标记{int(time.time())}"
    edited = paths[len(paths) // 2]
    edit_one(edited, marker)
    record("incremental (1 edited)", [*sphinx, ".", str(out)], site)
    incremental = results[-1]
    results.append(_live_edit(n, resident, work / f"livehtml-{n}.log"))
    # the parallel build, from scratch, of the edited files: both rebuilds' output must equal it
    out2 = work / f"html-j2-{n}"
    shutil.rmtree(out2, ignore_errors=True)
    record("parallel -j 2", [*sphinx, "-E", "-j", "2", ".", str(out2)], site)
    for measure, html in ((incremental, out), (results[-2], work / f"html-live-{n}")):
        measure.note = _check_incremental(html, edited, site, marker, reference=out2)
        measure.ok = measure.ok and measure.note.startswith("已更新")
    # lint exits 1 when it finds errors: that is its job here
    record("shuzhi lint", [str(bin_dir / "shuzhi"), "lint", "reports", "--format", "json"], site, ok_codes=(0, 1))
    # the slow path: the same reports without item markers, so the matcher (and jieba) runs on each
    bare = _bare(paths, site, work / f"site-bare-{n}")
    record("shuzhi lint (无显式链接)", [str(bin_dir / "shuzhi"), "lint", "reports", "--format", "json"], bare,
           ok_codes=(0, 1))
    if pdf:
        vol = work / f"pdf-{n}"
        shutil.rmtree(vol, ignore_errors=True)
        fifty = work / f"site-pdf-{n}"
        shutil.rmtree(fifty, ignore_errors=True)
        generate(samples, 50, fifty / "reports", years=1)
        _site(fifty, fifty / "reports")
        record("pdf volume (50)", [sys.executable, "-m", "shuzhi.publish.pdf", "--root", ".", "--out", str(vol)], fifty)
    if baseline:
        tuned = _baseline(n, work, site, "tuned", TUNED_CONF, record)
        if n <= naive_max:
            naive = _baseline(n, work, site, "naive", BASELINE_CONF, record)
            results.append(_search(n, work / f"html-j2-{n}", naive))
        else:
            results.append(_search(n, work / f"html-j2-{n}", tuned, "调优基线"))
    return results


def _bare(paths: list[Path], site: Path, bare: Path) -> Path:
    """The reports of ``site`` without their item markers, in ``bare``."""
    shutil.rmtree(bare, ignore_errors=True)
    for path in paths:
        target = bare / path.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_MARKER.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    return bare


def _resident(site: Path, out: Path, copy: Path, log: Path) -> Warm:
    """A copy of the full build's output and a :class:`~shuzhi.site.live.Warm` holding its environment,
    after the server's first build (nothing changed yet; not timed), as ``make livehtml`` starts."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy, symlinks=True)
    warm = Warm(["-q", "-b", "html", str(site), str(copy)])
    warm.prepare()
    warm.build(output=log)
    warm.prepare()
    return warm


def _live_edit(n: int, warm: Warm, log: Path) -> Measure:
    """The edit rebuilt as ``make livehtml`` does it: in a child forked from ``warm``."""
    try:
        t = time.perf_counter()
        outcome = warm.build(output=log)  # Sphinx's messages, as the other stages', are not shown
        seconds = time.perf_counter() - t
    finally:
        warm.close()  # not timed: the server lets go of an environment only when it has a newer one
    ok = outcome.code == 0 and outcome.warm
    note = "" if ok else f"exit {outcome.code}" + ("" if outcome.warm else "，未用到常驻进程读入的构建环境")
    print(f"  N={n:<5} {LIVE_STAGE:<22} {seconds:8.2f} s {outcome.peak_mb:8.1f} MB {'' if ok else '失败 ' + note}",
          flush=True)
    return Measure(n, LIVE_STAGE, round(seconds, 2), round(outcome.peak_mb, 1), ok, note)


def _baseline(n: int, work: Path, site: Path, kind: str, conf: str, record: Callable[..., None]) -> Path:
    """Copy the reports into a plain Sphinx project configured by ``conf``; build it from scratch."""
    base = work / f"baseline-{kind}-{n}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    shutil.copytree(site / "reports", base / "reports")
    (base / "conf.py").write_text(conf, encoding="utf-8")
    (base / "index.md").write_text(BASELINE_INDEX, encoding="utf-8")
    out = work / f"html-baseline-{kind}-{n}"
    shutil.rmtree(out, ignore_errors=True)
    sphinx = [str(Path(sys.executable).parent / "sphinx-build"), "-q", "-b", "html"]
    record(f"baseline {kind}", [*sphinx, "-E", ".", str(out)], base)
    return out


def _search(n: int, html: Path, baseline: Path, label: str = "朴素基线") -> Measure:
    """Search index size against plain Sphinx's, and query time in headless Chromium."""
    try:
        from ..search.measure import measure_search

        m = measure_search(html, n=100, baseline=baseline)
    except Exception as exc:  # no chromium here: say so in the table, keep the other figures
        return Measure(n, "search", 0.0, 0.0, False, f"未能测量：{exc}"[:200])
    note = (f"索引 {m['index_bytes'] / 1e6:.2f} MB，为{label}的 {m['size_ratio']:.2f} 倍；"
            f"查询中位 {m['median_ms']:.1f} ms、最长 {m['max_ms']:.1f} ms；召回 {m['recall']:.0%}")
    print(f"  N={n:<5} {'search':<22} {note}", flush=True)
    return Measure(n, "search", round(m["max_ms"] / 1000, 4), 0.0, m["max_ms"] <= 300 and m["size_ratio"] <= 1.5, note)


def _check_incremental(out: Path, edited: Path, site: Path, marker: str, reference: Path | None = None) -> str:
    """The edited report's page, its year page and the ledger all show the edit; and every page, the
    search index and the export equal those of ``reference``, a build of the same files from scratch."""
    rel = edited.relative_to(site).with_suffix(".html")
    year = rel.parts[1]
    pages = {"报告页": out / rel, "年度页": out / "archive" / "years" / f"{year}.html", "整改台账": out / "archive" / "ledger.html"}
    stale = [name for name, page in pages.items() if not page.is_file() or marker not in page.read_text(encoding="utf-8")]
    if stale:
        return "未更新：" + "、".join(stale)
    if reference is not None:
        ours, theirs = _outputs(out), _outputs(reference)
        differ = sorted(set(ours) ^ set(theirs)) + sorted(p for p in set(ours) & set(theirs) if ours[p] != theirs[p])
        if differ:
            return f"与从头构建不同：{'、'.join(differ[:5])}{' 等' if len(differ) > 5 else ''}（共 {len(differ)} 个文件）"
        return "已更新：" + "、".join(pages) + f"；全部 {len(ours)} 个页面与从头构建一致"
    return "已更新：" + "、".join(pages)


def _outputs(html: Path) -> dict[str, str]:
    """What a reader gets: every page, the search index and the export (asset version stamps aside)."""
    files = [*html.rglob("*.html"), html / "searchindex.js", html / "_static" / "archive.json"]
    return {p.relative_to(html).as_posix(): re.sub(r"\?v=[0-9a-f]+", "", p.read_text(encoding="utf-8"))
            for p in files if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shuzhi.bench", description="述职档案性能基准测试")
    parser.add_argument("--n", type=int, nargs="+", default=[250, 1000], help="报告数（默认 250 1000）")
    parser.add_argument("--out", default=str(ROOT / "_build" / "bench"), help="输出目录")
    parser.add_argument("--no-pdf", action="store_true", help="跳过 PDF 汇编")
    parser.add_argument("--no-baseline", action="store_true", help="跳过两个纯 Sphinx 基线")
    parser.add_argument("--naive-max", type=int, default=NAIVE_MAX,
                        help=f"朴素基线（整棵目录树进每页侧栏，平方增长）只在 N 不超过此数时运行（默认 {NAIVE_MAX}）")
    args = parser.parse_args(argv)
    work = Path(args.out)
    work.mkdir(parents=True, exist_ok=True)
    print(f"基准测试：{os.cpu_count()} 核，N = {args.n}")
    results: list[Measure] = []
    for n in args.n:
        results += bench(n, work, pdf=not args.no_pdf, baseline=not args.no_baseline, naive_max=args.naive_max)
    summary = _summary(results)
    (work / "bench.json").write_text(
        json.dumps({"cpus": os.cpu_count(), "results": [asdict(r) for r in results], "summary": summary},
                   ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    print()
    print(f"{'N':>6} {'阶段':<24} {'秒':>8} {'峰值内存 MB':>12}  说明")
    for r in results:
        print(f"{r.n:>6} {r.stage:<24} {r.seconds:>8.2f} {r.peak_mb:>12.1f}  {'' if r.ok else '失败 '}{r.note}")
    for key, value in summary.items():
        print(f"{key}: {value}")
    print(f"结果已写入 {work / 'bench.json'}")
    return 0 if all(r.ok for r in results) else 1


def _summary(results: list[Measure]) -> dict[str, float]:
    full = {r.n: r.seconds for r in results if r.stage == "full"}
    naive = {r.n: r.seconds for r in results if r.stage == "baseline naive"}
    tuned = {r.n: r.seconds for r in results if r.stage == "baseline tuned"}
    out: dict[str, float] = {}
    ns = sorted(full)
    if len(ns) >= 2 and full[ns[0]]:
        out[f"线性度 time({ns[-1]})/time({ns[0]})"] = round(full[ns[-1]] / full[ns[0]], 2)
    for n in ns:
        if n in naive and full[n]:
            out[f"相对朴素基线的加速比 N={n}"] = round(naive[n] / full[n], 2)
        if n in tuned and tuned[n]:
            out[f"完整构建 / 调优基线 N={n}"] = round(full[n] / tuned[n], 2)
    return out


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
