"""Reports' records computed by the read-ahead worker: used when made from the text Sphinx read,
and the same records, warnings and pages as when the main process computes them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx
from sphinx.testing.util import SphinxTestApp

from shuzhi.site import readahead
from shuzhi.site.domain import get_domain
from shuzhi.site.state import build_state

ROOTS = Path(__file__).parent / "roots"
PARENT = os.getpid()


@pytest.fixture(autouse=True)
def _small_archives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readahead, "READ_AHEAD_MIN", 1)  # the test archive has a handful of reports


def _ours(log: str) -> str:
    """shuzhi's warnings (Sphinx warns of re-registered nodes only in the first app of a process)."""
    return "\n".join(line for line in log.splitlines() if "[shuzhi." in line)


def _build(tmp_path: Path, name: str, setup: Any = None, **overrides: Any) -> tuple[SphinxTestApp, dict[str, bytes]]:
    src = tmp_path / "src"
    if not src.exists():
        shutil.copytree(ROOTS / "test-archive", src)
    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / name, confoverrides=overrides)
    try:
        if setup is not None:
            setup(app)
        app.build()
    finally:
        app.cleanup()
    html = Path(app.outdir)
    pages = {p.relative_to(html).as_posix(): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()}
    return app, pages


def _reports(app: SphinxTestApp) -> int:
    return sum(1 for d in app.env.found_docs if d.startswith("reports/"))


def test_the_worker_computes_every_record_and_nothing_changes(tmp_path: Path) -> None:
    ahead, pages = _build(tmp_path, "ahead")
    alone, alone_pages = _build(tmp_path, "alone", shuzhi_background_writes=False)
    state = build_state(ahead).ahead
    assert state is not None and state.used == _reports(ahead) > 3
    assert build_state(alone).ahead is None
    assert dict(get_domain(ahead.env).records) == dict(get_domain(alone.env).records)
    assert _ours(alone._warning.getvalue()), "the test root gives warnings to compare"
    assert _ours(ahead._warning.getvalue()).replace("ahead", "alone") == _ours(alone._warning.getvalue())
    assert pages.keys() == alone_pages.keys()
    assert [p for p in pages if pages[p] != alone_pages[p] and not p.startswith("_static/")] == []


def test_a_text_changed_by_another_handler_is_read_in_the_main_process(tmp_path: Path) -> None:
    def setup(app: Sphinx) -> None:
        def rewrite(app: Sphinx, docname: str, source: list[str]) -> None:
            if docname.endswith("jiaoyuju"):
                source[0] += "\n另有一处 XX 单位的占位符未填写。\n"

        app.connect("source-read", rewrite, priority=100)  # before shuzhi's handler

    app, _ = _build(tmp_path, "rewritten", setup)
    plain, _ = _build(tmp_path, "plain", setup, shuzhi_background_writes=False)
    state = build_state(app).ahead
    assert state is not None and state.used == _reports(app) - 1  # the rewritten one was not taken
    assert dict(get_domain(app.env).records) == dict(get_domain(plain.env).records)


def test_a_failing_worker_leaves_the_records_to_the_main_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compute = readahead._compute
    calls: list[str] = []

    def failing(app: Sphinx, docname: str) -> Any:
        if os.getpid() != PARENT and calls:
            raise RuntimeError("the worker fails after one report")
        calls.append(docname)
        return compute(app, docname)

    monkeypatch.setattr(readahead, "_compute", failing)
    app, pages = _build(tmp_path, "failing")
    _, alone_pages = _build(tmp_path, "alone", shuzhi_background_writes=False)
    state = build_state(app).ahead
    assert state is not None and state.used == 1 and state.pipe is None
    assert [p for p in pages if pages[p] != alone_pages.get(p) and not p.startswith("_static/")] == []
