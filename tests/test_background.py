"""Whole-archive files written by a forked child: same files, the child's messages logged once,
and the main process writing the file itself when the child fails."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx
from sphinx.testing.util import SphinxTestApp
from sphinx.util import logging

from shuzhi.site.background import Export, register
from shuzhi.site.recordfile import FILENAME, TOCS_FILENAME
from shuzhi.site.state import build_state

ROOTS = Path(__file__).parent / "roots"
PARENT = os.getpid()
logger = logging.getLogger(__name__)


def _app(tmp_path: Path, name: str, **overrides: Any) -> SphinxTestApp:
    src = tmp_path / "src"
    if not src.exists():
        shutil.copytree(ROOTS / "test-archive", src)
    return SphinxTestApp("html", srcdir=src, builddir=tmp_path / name, confoverrides=overrides)


def _probe(fail_in_child: bool) -> Export:
    def write(app: Sphinx) -> None:
        if fail_in_child and os.getpid() != PARENT:
            raise RuntimeError("the child fails")
        # what the writer can see is the resolved archive of this build
        reports = len(build_state(app).touched or ())
        (Path(app.outdir) / "probe.txt").write_text(f"{os.getpid()} {reports}", encoding="utf-8")
        logger.warning("探针警告：写出了 probe.txt", type="shuzhi", subtype="output")

    return Export("probe.txt", write)


def _run(app: SphinxTestApp, export: Export) -> tuple[int, int, str]:
    register(app, export)
    try:
        app.build()
    finally:
        app.cleanup()
    pid, reports = (Path(app.outdir) / "probe.txt").read_text(encoding="utf-8").split()
    return int(pid), int(reports), app.warning.getvalue()


def test_a_child_writes_and_its_warning_is_logged_once(tmp_path: Path) -> None:
    pid, reports, warnings = _run(_app(tmp_path, "bg"), _probe(fail_in_child=False))
    assert pid != PARENT
    assert reports > 0  # forked after the archive was resolved, not before
    assert warnings.count("探针警告") == 1


def test_when_the_child_fails_the_build_writes_the_file_itself(tmp_path: Path) -> None:
    pid, reports, warnings = _run(_app(tmp_path, "bg"), _probe(fail_in_child=True))
    assert pid == PARENT and reports > 0
    assert warnings.count("探针警告") == 1


def test_switched_off_the_build_writes_in_process(tmp_path: Path) -> None:
    pid, _, warnings = _run(_app(tmp_path, "fg", shuzhi_background_writes=False), _probe(fail_in_child=False))
    assert pid == PARENT
    assert warnings.count("探针警告") == 1


def _digests(app: SphinxTestApp) -> dict[str, str]:
    try:
        app.build()
    finally:
        app.cleanup()
    static = Path(app.outdir) / "_static"
    return {name: hashlib.sha256((static / name).read_bytes()).hexdigest() for name in ("archive.json", "ledger.xlsx")}


def test_the_exports_are_the_same_written_by_a_child_or_in_process(tmp_path: Path) -> None:
    forked = _digests(_app(tmp_path, "bg"))
    inline = _digests(_app(tmp_path, "fg", shuzhi_background_writes=False))
    assert forked == inline


def _status_build(tmp_path: Path, name: str) -> str:
    app = _app(tmp_path, name)
    try:
        app.build()
    finally:
        app.cleanup()
    return app.status.getvalue()


def _edit(tmp_path: Path) -> None:
    report = sorted((tmp_path / "src" / "reports").rglob("*.md"))[0]
    report.write_text(report.read_text(encoding="utf-8") + "\n补记一句。\n", encoding="utf-8")


def _shards(folder: Path) -> dict[str, int]:
    """The shard files in ``folder``: name -> modification time."""
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_the_records_are_saved_beside_the_environment_and_loaded_back(tmp_path: Path) -> None:
    _status_build(tmp_path, "out")
    doctrees = tmp_path / "out" / "doctrees"
    env_size = (doctrees / "environment.pickle").stat().st_size
    records, tocs = doctrees / FILENAME, doctrees / TOCS_FILENAME
    first = _shards(records)
    assert len(first) > 1 and not [n for n in first if n.endswith(".part")]  # shards, no partial file left
    saved_tocs = [pickle.loads(p.read_bytes())[1] for p in tocs.iterdir()]
    assert any("reports/2023/jiaoyuju" in t for t in saved_tocs)  # Sphinx's tables of contents, saved apart
    # nothing changed: Sphinx does not save the environment, and the files stay the ones it refers to
    _status_build(tmp_path, "out")
    assert _shards(records) == first
    _edit(tmp_path)
    status = _status_build(tmp_path, "out")
    assert "0 added, 1 changed, 0 removed" in status  # the environment (and its records) loaded
    # only the edited report's shard is written again, under a new name; the file it replaces is gone
    after = _shards(records)
    assert len(after) == len(first) and len(set(after) - set(first)) == 1
    assert all(after[name] == first[name] for name in set(after) & set(first))
    status = _status_build(tmp_path, "out")  # and the environment loads from the new set
    assert "0 added, 0 changed, 0 removed" in status and "不是这份构建环境" not in status
    off = _app(tmp_path, "plain", shuzhi_background_writes=False)
    try:
        off.build()
    finally:
        off.cleanup()
    # written in process, the records are pickled with the environment, and no records file is written
    apart = sum(p.stat().st_size for folder in (records, tocs) for p in folder.iterdir())
    assert (tmp_path / "plain" / "doctrees" / "environment.pickle").stat().st_size > env_size + apart // 2
    assert not (tmp_path / "plain" / "doctrees" / FILENAME).exists()
    assert not (tmp_path / "plain" / "doctrees" / TOCS_FILENAME).exists()


@pytest.mark.parametrize(("filename", "what"), [(FILENAME, "报告记录"), (TOCS_FILENAME, "页面目录")])
@pytest.mark.parametrize("damage", ["another build", "missing"])
def test_a_table_from_another_build_makes_sphinx_read_everything_again(
    tmp_path: Path, filename: str, what: str, damage: str
) -> None:
    """A shard saved by another build (an interrupted one, say), or gone, is not used."""
    _status_build(tmp_path, "out")
    shard = sorted((tmp_path / "out" / "doctrees" / filename).iterdir())[0]
    if damage == "missing":
        shard.unlink()
    else:
        token, saved = pickle.loads(shard.read_bytes())
        shard.write_bytes(pickle.dumps(("another build", saved)))
    _edit(tmp_path)
    status = _status_build(tmp_path, "out")
    assert f"不是这份构建环境保存的{what}" in status
    assert "0 changed" in status and "Traceback" not in status  # every report read again, as added
    assert not shard.exists()  # the damaged file is deleted, its entries saved under the new build's name


def test_every_way_of_changing_a_table_marks_its_shard_to_be_written() -> None:
    """A shard stays on its old file only if none of its entries was set or removed, however it was done."""
    from shuzhi.site.recordfile import TocStore, shard_of

    names = [f"reports/2023/r{i}" for i in range(8)]
    changes: list[Any] = [
        lambda t: t.__setitem__(names[0], 1), lambda t: t.__delitem__(names[0]), lambda t: t.pop(names[0]),
        lambda t: t.setdefault("new", 1), lambda t: t.update({names[0]: 2}), lambda t: t.__ior__({names[0]: 3}),
        lambda t: t.popitem(),
    ]
    for change in changes:
        table = TocStore({n: 0 for n in names}, {shard_of(n): "old" for n in names})
        before = set(table)
        change(table)
        touched = (before ^ set(table)) | {n for n in table if table[n] != 0}
        assert touched and all(shard_of(n) not in table.files for n in touched)
        assert all(table.files.get(shard_of(n)) == "old" for n in names if shard_of(n) not in {shard_of(m) for m in touched})
    table = TocStore({n: 0 for n in names}, {shard_of(n): "old" for n in names})
    table.clear()
    assert table.files == {}
