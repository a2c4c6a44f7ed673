"""``python -m shuzhi.bench.slices``: the whole archive built at once against year-slices built side by
side and joined (``shuzhi join``), on a synthetic archive of N reports.

Measures wall time, CPU time and peak memory of: the whole build; the two slice builds run at the
same time (each one's own figures too: in CI each runs on its own machine); the join alone, with
and without merging the search indexes. Checks that the joined archive.json is the whole build's,
byte for byte, and compares the merged searchindex.js with the whole build's (same pages, titles,
sections and facets; how many pages have other terms: report pages showing their own slice's
ledger only). Results go to
``_build/bench/slices-<N>.json``. Long: only when asked (not part of ``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ..search.index import parse
from ..search.postings import decode
from .generate import generate, load_samples
from .run import ROOT, _site


def _projects(work: Path, n: int, split: int) -> dict[str, Path]:
    """The whole site and its two slices (years before ``split``, and the others): same conf.py and docs."""
    shutil.rmtree(work, ignore_errors=True)
    gen = work / "gen"
    generate(load_samples(ROOT / "reports"), n, gen)
    _site(work / "whole", gen)
    years = sorted(int(p.name) for p in gen.iterdir())
    sites = {"whole": work / "whole"}
    for name, chosen in (("a", [y for y in years if y < split]), ("b", [y for y in years if y >= split])):
        site = sites[name] = work / name
        for y in chosen:
            shutil.copytree(gen / str(y), site / "reports" / str(y))
        _site(site, site / "reports")
    return sites


def _run(procs: dict[str, list[str]], cwd: Path) -> dict[str, Any]:
    """Run the commands at the same time; wall seconds of all, and each one's wall, CPU and peak RSS (MB)."""
    probe = ("import resource,subprocess,sys,time,json;t=time.perf_counter();p=subprocess.run(sys.argv[1:],capture_output=True);"
             "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
             "print(json.dumps([time.perf_counter()-t,r.ru_utime+r.ru_stime,r.ru_maxrss/1024,p.returncode]))")
    start = time.perf_counter()
    running = {k: subprocess.Popen([sys.executable, "-c", probe, *cmd], cwd=cwd, stdout=subprocess.PIPE, text=True)
               for k, cmd in procs.items()}
    out: dict[str, Any] = {}
    for k, p in running.items():
        wall, cpu, peak, code = json.loads((p.communicate()[0] or "[0,0,0,1]").strip().splitlines()[-1])
        out[k] = {"wall": round(wall, 2), "cpu": round(cpu, 2), "peak_mb": round(peak, 1), "ok": code == 0}
    out["wall"] = round(time.perf_counter() - start, 2)
    return out


def _search(joined: Path, whole: Path) -> dict[str, Any]:
    """The merged searchindex.js against the whole build's."""
    def read(path: Path) -> tuple[dict[str, Any], dict[str, set[str]]]:
        index = parse(path.read_text(encoding="utf-8"))
        terms: dict[str, set[str]] = {name: set() for name in index["docnames"]}
        for term, code in index["terms"].items():
            for i in decode(code):
                terms[index["docnames"][i]].add(term)
        facets = {index["docnames"][p]: (y, index["orgs"][o], index["kinds"][k]) for p, y, o, k in index["reports"]}
        heads = [[(index["headtitles"][t], a) for t, a in h] for h in index["heads"]]
        return {"pages": (index["docnames"], index["titles"], heads), "facets": facets}, terms

    (j, jt), (w, wt) = read(joined), read(whole)
    return {"pages": len(jt), "same_pages_titles_heads_facets": j == w,
            "pages_with_other_terms": sum(jt[name] != wt.get(name) for name in jt),
            "bytes": joined.stat().st_size, "whole_bytes": whole.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shuzhi.bench.slices", description="整体构建与按年度分项目构建＋合并的对比")
    parser.add_argument("--n", type=int, default=1000, help="报告数（默认 1000）")
    parser.add_argument("--split", type=int, default=2022, help="第二个项目从哪一年开始（默认 2022）")
    parser.add_argument("--out", default=str(ROOT / "_build" / "bench"), help="输出目录")
    args = parser.parse_args(argv)
    work = Path(args.out) / f"slices-{args.n}"
    sites = _projects(work, args.n, args.split)
    bin_dir = Path(sys.executable).parent
    sphinx = [str(bin_dir / "sphinx-build"), "-q", "-b", "html", "-E"]
    html = {k: work / f"html-{k}" for k in sites}
    result = {"n": args.n, "split": args.split, "load": [round(x, 2) for x in os.getloadavg()],
              "whole": _run({"whole": [*sphinx, str(sites["whole"]), str(html["whole"])]}, work),
              "slices": _run({k: [*sphinx, str(sites[k]), str(html[k])] for k in ("a", "b")}, work),
              "join": _run({"join": [str(bin_dir / "shuzhi"), "join", "--root", str(sites["whole"]), str(work / "joined"),
                                     str(html["a"]), str(html["b"])]}, work),
              "join_no_search": _run({"join": [str(bin_dir / "shuzhi"), "join", "--root", str(sites["whole"]), "--no-search",
                                               str(work / "joined-no-search"), str(html["a"]), str(html["b"])]}, work)}
    same = (work / "joined" / "archive.json").read_bytes() == (html["whole"] / "_static" / "archive.json").read_bytes()
    result["identical"] = same
    result["search"] = _search(work / "joined" / "searchindex.js", html["whole"] / "searchindex.js")
    target = Path(args.out) / f"slices-{args.n}.json"
    target.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"合并后的 archive.json {'与整体构建的逐字节相同' if same else '与整体构建的不同！'}；结果已写入 {target}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
