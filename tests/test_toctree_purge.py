"""Purging a document from Sphinx's toctree bookkeeping without walking the whole map does what
Sphinx's own collector does."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sphinx.environment.adapters.toctree import note_toctree
from sphinx.environment.collectors.toctree import TocTreeCollector
from sphinxbuild import build

from shuzhi.site.toctree_purge import _collector_listener, linear_purge

ROOTS = Path(__file__).parent / "roots"
DOCS = [f"d{i}" for i in range(8)]
STATE = ("tocs", "toc_secnumbers", "toc_fignumbers", "toc_num_entries", "toctree_includes",
         "glob_toctrees", "numbered_toctrees", "files_to_rebuild")


def _env(toctrees: list[tuple[str, list[str], bool]]) -> Any:
    """An environment holding just the toctree bookkeeping, filled by Sphinx's own note_toctree."""
    env = SimpleNamespace(tocs={}, toc_secnumbers={}, toc_fignumbers={}, toc_num_entries={}, toctree_includes={},
                          glob_toctrees=set(), numbered_toctrees=set(), files_to_rebuild={})
    for doc in DOCS:
        env.tocs[doc] = doc
        env.toc_num_entries[doc] = 1
    for doc, includes, glob in toctrees:
        note_toctree(env, doc, {"glob": glob, "numbered": 0, "includefiles": includes})  # type: ignore[arg-type]
    return env


@given(st.lists(st.tuples(st.sampled_from(DOCS), st.lists(st.sampled_from(DOCS), max_size=5), st.booleans()),
                max_size=6),
       st.lists(st.sampled_from(DOCS), min_size=1, max_size=8))
def test_the_same_bookkeeping_as_sphinx(toctrees: list[tuple[str, list[str], bool]], purged: list[str]) -> None:
    collector = TocTreeCollector()
    fast, slow = _env(toctrees), _env(toctrees)
    purge = linear_purge(collector.clear_doc)
    for doc in purged:
        purge(None, fast, doc)  # type: ignore[arg-type]
        collector.clear_doc(None, slow, doc)  # type: ignore[arg-type]
        assert {k: getattr(fast, k) for k in STATE} == {k: getattr(slow, k) for k in STATE}


def test_a_document_that_lists_nothing_leaves_the_map_alone() -> None:
    env = _env([("index", ["d1", "d2"], True)])
    before = copy.deepcopy(env.files_to_rebuild)
    linear_purge(TocTreeCollector().clear_doc)(None, env, "d1")  # type: ignore[arg-type]
    assert env.files_to_rebuild == before == {"d1": {"index"}, "d2": {"index"}}
    assert "d1" not in env.tocs
    linear_purge(TocTreeCollector().clear_doc)(None, env, "index")  # type: ignore[arg-type]
    assert env.files_to_rebuild == {} and "index" not in env.toctree_includes


def test_the_build_uses_it_and_keeps_the_map(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive", src)
    app = build(src, tmp_path / "out")
    assert _collector_listener(app) is None, "Sphinx's own walking listener is still connected"
    env = app.env
    expected: dict[str, set[str]] = {}
    for doc, includes in env.toctree_includes.items():
        for include in includes:
            expected.setdefault(include, set()).add(doc)
    assert env.files_to_rebuild == expected
    assert any(len(parents) for parents in expected.values()), "the test root has no toctree"
    # an edit to a page and a rebuild keep it (the page is purged, then read again)
    page = next(p for p in sorted((src / "reports").rglob("*.md")))
    page.write_text(page.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    again = build(src, tmp_path / "out")
    assert again.env.files_to_rebuild == expected
