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
