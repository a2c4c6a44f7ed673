"""The collector policy of a build: paused while the environment loads, the loaded objects frozen,
handed back when the next build of the process starts, never left disabled."""

from __future__ import annotations

import gc
import shutil
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinxbuild import build

from shuzhi.site import memory

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-search", src)
    yield src
    # leave the process as we found it for the other tests
    memory._State.frozen = memory._State.paused = False
    gc.unfreeze()
    gc.enable()


#: a doctree cache smaller than the archive: its first build is a large one (collection not held)
_FULL = {"shuzhi_doctree_cache_max": 2}


class _Node:
    """A cycle that only the collector can free."""

    def __init__(self) -> None:
        self.me = self


def test_loaded_objects_are_frozen_and_released_by_the_next_build(root: Path, tmp_path: Path) -> None:
    gc.unfreeze()
    build(root, tmp_path / "out")
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # the environment and the extensions' data, out of every later collection
    # garbage among the frozen objects (the environment replaced while writing, say) stays while this lasts
    leftover = _Node()
    probe = weakref.ref(leftover)
    del leftover
    gc.freeze()
    gc.collect()
    assert probe() is not None
    # the next build in this process hands the frozen objects back and collects the garbage among them
    app = SphinxTestApp("html", srcdir=root, builddir=tmp_path / "out2")
    try:
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert probe() is None
    finally:
        app.cleanup()


def test_the_policy_can_be_turned_off(root: Path, tmp_path: Path) -> None:
    gc.unfreeze()
    build(root, tmp_path / "out", confoverrides={"shuzhi_gc_freeze": False})
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_build_that_failed_while_loading_does_not_leave_collection_disabled() -> None:
    class Config:
        shuzhi_gc_freeze = True

    memory._pause(None, Config())  # type: ignore[arg-type]
    assert not gc.isenabled()
    # the build died before builder-inited; the next one starts
    memory._pause(None, Config())  # type: ignore[arg-type]
    memory._freeze(None)  # type: ignore[arg-type]
    assert gc.isenabled()


def test_a_configuration_error_leaves_collection_enabled(root: Path, tmp_path: Path) -> None:
    from sphinx.errors import ConfigError

    (root / "shuzhi.yaml").write_text("severities: 5\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        SphinxTestApp("html", srcdir=root, builddir=tmp_path / "out")
    assert gc.isenabled()


def _pages(html: Path) -> dict[str, str]:
    return {p.relative_to(html).as_posix(): p.read_text(encoding="utf-8")
            for p in [*html.rglob("*.html"), html / "searchindex.js"] if p.is_file()}


def test_doctrees_released_before_writing_give_the_same_pages(root: Path, tmp_path: Path) -> None:
    sizes: list[int] = []

    def after_release(app: object, env: object) -> None:
        sizes.append(len(env._write_doc_doctree_cache))  # type: ignore[attr-defined]

    kept = build(root, tmp_path / "kept")
    app = SphinxTestApp("html", srcdir=root, builddir=tmp_path / "released",
                        confoverrides={"shuzhi_doctree_cache_max": 0})
    try:
        app.connect("env-updated", after_release, priority=900)  # after the release (priority 500)
        app.build()
    finally:
        app.cleanup()
    assert sizes == [0]  # written from the doctree files, as in an incremental build
    assert app.env._pickled_doctree_cache == {}  # type: ignore[attr-defined]  # each page's bytes dropped once written
    released = _pages(Path(app.outdir))
    assert len(released) > 3 and released == _pages(Path(kept.outdir))


def test_the_resolved_view_is_frozen_with_the_environment(root: Path, tmp_path: Path) -> None:
    """What resolving the archive made is out of the write phase's collections too."""
    from shuzhi.site.domain import get_domain

    gc.unfreeze()
    seen: dict[str, bool] = {}
    app = SphinxTestApp("html", srcdir=root, builddir=tmp_path / "out", confoverrides=_FULL)
    # a handler after the resolution (and after the freeze): is the view still tracked by the collector?
    app.connect("shuzhi-archive-resolved", lambda app, env: seen.update(
        tracked=any(gc.is_tracked(x) and x in gc.get_objects() for x in [get_domain(env).view.listing])), priority=450)
    try:
        app.build()
    finally:
        app.cleanup()
    assert seen == {"tracked": False}


def test_titles_lent_to_render_partial_are_given_back(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx appends the environment's title nodes to throwaway documents to render them; unless the
    nodes are detached again, one such document per page stays alive with the environment."""
    from docutils import nodes

    def partial_documents() -> int:
        gc.unfreeze()  # frozen objects are not listed (the next build unfreezes them anyway)
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, nodes.document) and o.get("source") == "<partial node>")

    app = build(root, tmp_path / "kept")
    titles = list(app.env.titles.values()) + list(app.env.longtitles.values())
    assert len(titles) > 10
    assert [t for t in titles if t.parent is not None or t.document is not None] == []
    kept = partial_documents()
    with monkeypatch.context() as m:  # Sphinx alone: every rendered title keeps its document
        m.setattr(memory, "_detach_titles", lambda *args: None)
        leaky = build(root, tmp_path / "leaky")
    lent = [t for t in list(leaky.env.titles.values()) if t.parent is not None]
    assert len(lent) > 10
    assert partial_documents() >= kept + len(lent)


def test_what_the_archive_pages_leave_is_frozen_before_the_reports_are_written(root: Path, tmp_path: Path) -> None:
    gc.unfreeze()
    counts: list[tuple[str, int]] = []
    app = SphinxTestApp("html", srcdir=root, builddir=tmp_path / "out", confoverrides=_FULL)
    app.connect("doctree-resolved", lambda a, d, name: counts.append((name, gc.get_freeze_count())), priority=999)
    try:
        app.build()
    finally:
        app.cleanup()
    names = [n for n, _ in counts]
    first = next(i for i, n in enumerate(names) if not n.startswith("archive/"))
    assert first > 3 and names[:first] == sorted(names[:first])  # the archive pages are written first
    assert counts[first][1] > counts[first - 1][1]  # then what they made joins the environment
    assert not memory._State.pages_left


def test_a_long_read_phase_freezes_what_it_has_read_and_restores_the_thresholds(root: Path, tmp_path: Path) -> None:
    """Reading more reports than the doctree cache holds: each time the cache is emptied, what is alive
    is frozen after a collection (the doctrees let go are collected, not frozen), and full collections
    are made rare until reading ends; the collector's thresholds are back afterwards."""
    gc.unfreeze()
    before = gc.get_threshold()
    seen: list[tuple[int, int, bool]] = []
    released: list[weakref.ref[object]] = []

    def read(app: SphinxTestApp, docname: str, source: list[str]) -> None:
        cache = getattr(app.env, "_write_doc_doctree_cache", {})
        released.extend(weakref.ref(d) for d in cache.values())  # about to be let go if over the limit
        seen.append((gc.get_freeze_count(), gc.get_threshold()[2], memory._State.thresholds is not None))

    app = SphinxTestApp("html", srcdir=root, builddir=tmp_path / "out", confoverrides={"shuzhi_doctree_cache_max": 2})
    app.connect("source-read", read, priority=900)  # after the cache is bounded (priority 100)
    try:
        app.build()
    finally:
        app.cleanup()
    counts = [c for c, _, _ in seen]
    assert len(seen) > 6 and all(raised for _, _, raised in seen)
    assert all(t >= 1000 for _, t, _ in seen)
    # frozen again and again as reading goes on (a frozen object freed by its last reference leaves the count)
    assert sum(1 for a, b in zip(counts, counts[1:], strict=False) if b > a) >= 3
    assert gc.get_threshold() == before and memory._State.thresholds is None
    gc.unfreeze()
    gc.collect()
    assert released and all(r() is None for r in released)  # no doctree was kept alive by a freeze


def test_reading_in_parallel_leaves_the_thresholds_alone(root: Path, tmp_path: Path) -> None:
    """In a parallel read the workers read the reports and empty their caches; the main process, which
    merges their environments, must keep collecting as usual."""
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    app = SphinxTestApp("html", srcdir=root, builddir=tmp_path / "out", parallel=2,
                        confoverrides={"shuzhi_doctree_cache_max": 2})
    app.connect("env-before-read-docs", lambda a, e, d: seen.append(gc.get_threshold()), priority=999)
    try:
        app.build()
    finally:
        app.cleanup()
    assert seen == [before] and gc.get_threshold() == before


def _enabled_while_writing(root: Path, out: Path, cache_max: int) -> list[bool]:
    seen: list[bool] = []
    app = SphinxTestApp("html", srcdir=root, builddir=out, confoverrides={"shuzhi_doctree_cache_max": cache_max})
    app.connect("doctree-resolved", lambda a, d, name: seen.append(gc.isenabled()), priority=999)
    try:
        app.build()
    finally:
        app.cleanup()
    assert gc.isenabled() and memory._State.held is None  # given back when the build ends
    return seen


@pytest.mark.parametrize(("cache_max", "held_for"), [(250, None), (3, 3)])
def test_an_edit_holds_collection_while_it_writes_its_pages(
    root: Path, tmp_path: Path, cache_max: int, held_for: int | None
) -> None:
    """A build that reads few reports (an edit) does not collect while it writes (its collections would
    traverse what the resolution made, to free a few pages' doctrees), up to as many pages as it may
    read; a full build collects as before."""
    full = _enabled_while_writing(root, tmp_path / "out", 2)
    assert len(full) > 10 and all(full)
    report = root / "reports" / "2023" / "jiaoyuju.md"
    text = report.read_text(encoding="utf-8").replace("理论学习深度不够", "理论学习深度和广度不够")
    report.write_text(text, encoding="utf-8")  # a problem reworded: the summary pages show it
    edit = _enabled_while_writing(root, tmp_path / "out", cache_max)
    assert len(edit) > 4  # the report, its listings and the whole-archive pages
    held = len(edit) if held_for is None else held_for
    assert edit == [False] * held + [True] * (len(edit) - held)
