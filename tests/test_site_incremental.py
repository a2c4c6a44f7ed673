"""An incremental build writes what a build from scratch writes, whatever the edit.

A small synthetic archive (the benchmark's generator: organisations × years,
rectifications referring to last year's problems) is built once; then each
kind of edit an office makes is applied in turn — a report retitled and a
problem reworded, a sentence outside the items reworded (no summary page is
rewritten for it), a report moved to another organisation, a report deleted
(next year's references to it dangle), a report added, a follow-up reworded
(the 整改台账 status of last year's problem changes) — and after each, the
incremental build's pages, search index, archive export and Excel ledger must
equal those of a full build of the same files.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinxbuild import build, outputs

from shuzhi.bench.generate import edit_one, generate, load_samples

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).parent / "roots"


def _retitle(paths: list[Path]) -> None:
    edit_one(paths[5], "增量修改标记")


def _reword(paths: list[Path]) -> None:
    """A sentence outside the items reworded: no summary page shows it (and none is rewritten)."""
    parts = paths[9].read_text(encoding="utf-8").split("\n\n")
    # the first long paragraph that is not an item (the opening of the report, in practice)
    k = next(i for i, p in enumerate(parts) if len(p) > 120 and "【" not in p and not p.startswith(("#", "---")))
    parts[k] = "（本段有改动。）" + parts[k]
    paths[9].write_text("\n\n".join(parts), encoding="utf-8")


def _move(paths: list[Path]) -> None:
    text = paths[7].read_text(encoding="utf-8")
    paths[7].write_text(re.sub(r"^org: .*$", "org: 新设单位", text, count=1, flags=re.M), encoding="utf-8")


def _delete(paths: list[Path]) -> None:
    paths[2].unlink()  # a first-year report: the next year's rectifications point at it


def _add(paths: list[Path]) -> None:
    text = paths[3].read_text(encoding="utf-8").replace("tags: [基准测试]", "tags: [基准测试, 新增]")
    (paths[3].parent / "org9999.md").write_text(text, encoding="utf-8")


def _follow_up(paths: list[Path]) -> None:
    """One year's follow-up now says the work is under way: last year's problem turns 整改中."""
    path = next(p for p in paths if p.is_file() and "【R1→" in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("已制定整改方案并完成整改", "整改尚未完全到位，仍需持续推进", 1), encoding="utf-8")


EDITS: list[tuple[str, Callable[[list[Path]], None]]] = [
    ("retitle", _retitle), ("reword", _reword), ("move", _move), ("delete", _delete), ("add", _add),
    ("follow-up", _follow_up),
]


@pytest.mark.parametrize("parallel", [1, 2])
def test_incremental_build_equals_a_full_build_after_each_edit(tmp_path: Path, parallel: int) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive", src, ignore=shutil.ignore_patterns("reports"))
    paths = generate(load_samples(REPO / "reports"), 16, src / "reports", years=4)
    out = tmp_path / "incremental"
    build(src, out, parallel=parallel)
    ledger = out / "html" / "archive" / "ledger.html"
    for name, edit in EDITS:
        edit(paths)
        stamp = ledger.stat().st_mtime_ns
        app = build(src, out, parallel=parallel)
        assert (ledger.stat().st_mtime_ns == stamp) == (name == "reword"), name
        assert "Traceback" not in app.warning.getvalue()
        fresh = build(src, tmp_path / f"fresh-{name}", freshenv=True)
        incremental, full = outputs(Path(app.outdir)), outputs(Path(fresh.outdir))
        assert incremental.keys() == full.keys(), name
        stale = [page for page in full if incremental[page] != full[page]]
        assert stale == [], f"{name}: {stale}"
