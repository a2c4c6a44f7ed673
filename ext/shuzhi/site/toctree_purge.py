"""Sphinx's toctree bookkeeping made linear for an archive of thousands of pages.

Before Sphinx reads a document it emits ``env-purge-doc``, and its toctree collector
(``TocTreeCollector.clear_doc``) then removes the document from every set of
``env.files_to_rebuild`` — the map from each page listed in a toctree to the pages whose
toctree lists it. It does so by walking the whole map. The archive's index lists every report
and is read first, so the map has an entry per report, and reading N reports walks it N times:
at 5,000 reports 25 million set operations (a plain Sphinx project with a glob toctree over the
same files pays it too). A sampling profile taken beside other jobs put 12% of a full build there;
timed alone, the walk is about 6 s, and this change with the one of :mod:`.memory` of the same
round saved 8 s of CPU in a 5,000-report build.

A document is in one of those sets only if its own toctree lists something: Sphinx adds it
(``note_toctree``, and ``merge_other`` after a parallel read) together with its entry in
``env.toctree_includes``. So for a document without such an entry the walk cannot change
anything. :func:`setup_toctree_purge` replaces the collector's listener by one that lets the
collector do everything else it does and skips only that walk, by showing it an empty map, for
those documents; pages that hold a toctree (the index, the handbook's pages) are purged exactly
as before. If Sphinx no longer has this listener, nothing is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector

Purge = Callable[[Sphinx, BuildEnvironment, str], None]


def linear_purge(clear_doc: Purge) -> Purge:
    """``clear_doc`` without the walk over ``files_to_rebuild`` for documents that list nothing."""

    def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        if docname in env.toctree_includes:
            clear_doc(app, env, docname)
            return
        pages = env.files_to_rebuild
        env.files_to_rebuild = {}
        try:
            clear_doc(app, env, docname)
        finally:
            env.files_to_rebuild = pages

    return purge


def _collector_listener(app: Sphinx) -> Any:
    listeners = getattr(getattr(app, "events", None), "listeners", None)
    if not isinstance(listeners, dict):
        return None
    for listener in listeners.get("env-purge-doc", []):
        handler = listener.handler
        if isinstance(getattr(handler, "__self__", None), TocTreeCollector) and (
            getattr(handler, "__func__", None) is TocTreeCollector.clear_doc
        ):
            return listener
    return None


def setup_toctree_purge(app: Sphinx) -> None:
    listener = _collector_listener(app)
    if listener is None:
        return
    app.disconnect(listener.id)
    app.connect("env-purge-doc", linear_purge(listener.handler), priority=listener.priority)
