"""Garbage collection for a build that loads a large environment.

An incremental build of a 1,000-report archive unpickles the whole environment
(hundreds of thousands of long-lived objects) and then allocates briskly while
it resolves the summary pages. CPython's cyclic collector traverses every
tracked object on each full collection, so with the default policy it spent
about 1.5 s of a 5.6 s rebuild re-examining an environment that lives until the
process ends.

The policy, on by default (``shuzhi_gc_freeze = False`` turns it off):

- collection is paused while the environment is loaded (``config-inited`` to
  ``builder-inited``): unpickling creates no garbage worth collecting;
- at ``builder-inited`` everything alive is moved to the permanent generation
  (:func:`gc.freeze`) and collection resumes, so later collections only look at
  what the build itself allocates;
- while a full build reads, each time the doctree cache is emptied (below), what is alive is
  collected and frozen (:func:`_bound_doctrees`);
- at ``shuzhi-archive-resolved``, once the whole-archive view is made, everything alive is frozen
  again: at 5,000 reports the dozen full collections of an edit took 1.5 s without this, 0.9 s with
  it (and the export child, forked next, spends less time copying pages);
- once the whole-archive pages are written (the first page outside ``archive/`` is resolved), what
  they made to last the build is frozen too (:func:`_freeze_after_archive_pages`;
  at 5,000 reports the write phase's full collections went from 28–36 s to 6 s);
- a build that reads no more reports than the doctree cache holds (an edit) holds collection from
  then on (:func:`_reading`) until it has written as many pages, or to the end if it writes fewer: at
  5,000 reports the ten full collections of a one-report edit took 0.55 s, and the collection before
  each freeze 0.25 s, while what they could free is a few pages' doctrees (ended by the process's end
  or the next build's collection);
- the frozen objects are handed back to the collector (:func:`gc.unfreeze`)
  when the next build in the same process starts (and collected), so a process
  that runs several builds (the test suite; ``sphinx-autobuild`` starts a new
  process for each) does not keep old environments alive, while ``sphinx-build`` itself exits without a last full collection over
  them (another 0.25 s at 1,000 reports).

A full build of a large archive also holds every document's doctree from the read phase
to the write phase: Sphinx keeps each doctree it has just pickled to the doctree folder in
``env._write_doc_doctree_cache`` so that writing need not load it again. At 5,000 reports
that is most of a 1.8 GB peak, and every full collection of the write phase traverses it.
The cache is kept to ``shuzhi_doctree_cache_max`` documents (default 250; each costs about 0.15 MB
until it is written, and loading one from its pickle about 2.5 ms): while reading,
it is emptied whenever it holds more (at ``source-read``), and again at ``env-updated`` before
writing; a page whose doctree is no longer cached is loaded from its pickle when it is written
and freed after it, as in an incremental build.

Sphinx also keeps the pickle bytes of every doctree it loads (``env._pickled_doctree_cache``), in
case it is asked for the same one again; while writing 4,000 pages that cache grew by about 135 MB
to the end of the build. Once a page's doctree is resolved (``doctree-resolved``) its bytes are
dropped; a later request reads the file again. And the title nodes Sphinx lends to throwaway
documents to render a page's titles are given back after each page (:func:`_detach_titles`).
"""

from __future__ import annotations

import gc
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from .settings import settings


class _State:
    """What this module did to the collector, so that the next build in the process can undo it."""

    paused = False  # collection disabled by us, not yet resumed (a build that failed while loading)
    frozen = False  # objects moved to the permanent generation by us
    pages_left = False  # this build still has to freeze what its whole-archive pages left
    thresholds: tuple[int, int, int] | None = None  # the collector's, while a long read phase has them raised
    held: int | None = None  # pages written since collection was held for a small build (None: not held)


def _resume() -> None:
    if _State.held is not None:
        _State.held = None
        gc.enable()


def _restore_thresholds() -> None:
    if _State.thresholds is not None:
        gc.set_threshold(*_State.thresholds)
        _State.thresholds = None


def _pause(app: Sphinx, config: Config) -> None:
    _restore_thresholds()
    _resume()
    if _State.paused:
        gc.enable()
        _State.paused = False
    if _State.frozen:
        gc.unfreeze()
        gc.collect()  # the previous build's leftovers, before this build freezes what is alive
        _State.frozen = False
    if config.shuzhi_gc_freeze and gc.isenabled():
        gc.disable()
        _State.paused = True


def _freeze(app: Sphinx) -> None:
    if _State.paused:
        gc.freeze()
        _State.frozen = True
        gc.enable()
        _State.paused = False


def _refreeze(app: Sphinx, env: BuildEnvironment) -> None:
    """Once the archive is resolved: what the resolution made (the view) joins the environment in the
    permanent generation, so the collections of the write phase look only at what writing allocates
    (and the export child, forked right after, does not copy pages that collections would touch)."""
    if _State.frozen and _State.held is None:
        gc.collect(1)  # the young garbage of the resolution first, not frozen with the rest
        gc.freeze()
        _State.pages_left = True


def _freeze_after_archive_pages(app: Sphinx, doctree: object, docname: str) -> None:
    """Once the whole-archive pages are written (Sphinx writes pages in name order, ``archive/`` first):
    what they made to last the build (the analysis, the ledger's rows, compiled templates) is frozen
    too. At 1,000 reports that is 90,000 objects, about 550,000 at 5,000, otherwise traversed by each of
    the write phase's 30 to 60 full collections."""
    if not _State.pages_left:
        return
    folder = settings(app).archive_dir
    if not (folder and docname.startswith(folder + "/")):
        _State.pages_left = False
        gc.collect()  # the garbage of those pages, not frozen with the rest
        gc.freeze()


def _count_held_page(app: Sphinx, doctree: object, docname: str) -> None:
    """Collection held for a small build resumes once it has written more pages than it could have read."""
    if _State.held is not None:
        _State.held += 1
        if _State.held > app.config.shuzhi_doctree_cache_max:
            _resume()


def _clear_doctrees(app: Sphinx, env: BuildEnvironment) -> bool:
    cache = getattr(env, "_write_doc_doctree_cache", None)  # Sphinx 7.3+; a private attribute
    if isinstance(cache, dict) and len(cache) > app.config.shuzhi_doctree_cache_max:
        cache.clear()
        return True
    return False


def _read_done(app: Sphinx, env: BuildEnvironment) -> None:
    """Reading is over: the doctree cache is bounded for writing too, the collector's thresholds are back."""
    _clear_doctrees(app, env)
    _restore_thresholds()


def _finished(app: Sphinx, exception: BaseException | None) -> None:
    _restore_thresholds()
    _resume()


def _reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before reading more reports than the doctree cache holds (a full build): full collections are
    made rarer (at most one per 1,000 young collections, against 10), as the whole-archive state is frozen
    each time the cache is emptied (:func:`_bound_doctrees`), with a collection of what died before.
    Before reading no more than it holds (an edit): collection is held (see the module's docstring)."""
    # reading in parallel, the reports are read (and the cache emptied) in the workers: nothing is frozen
    # here, so the main process keeps the collector's thresholds (raised, it kept the merges' garbage)
    serial = app.parallel <= 1
    if serial and _State.frozen and _State.thresholds is None and len(docnames) > app.config.shuzhi_doctree_cache_max:
        _State.thresholds = gc.get_threshold()
        young, middle, old = _State.thresholds
        gc.set_threshold(young, middle, max(old, 1000))
    elif _State.frozen and gc.isenabled() and len(docnames) <= app.config.shuzhi_doctree_cache_max:
        gc.disable()  # an edit: collection held (see the module's docstring)
        _State.held = 0


def _bound_doctrees(app: Sphinx, docname: str, source: list[str]) -> None:
    """While reading: the cache never holds more than the limit (the peak is at the end of reading).

    Each time it is emptied, what the reports read so far made to last (their records, the
    environment's entries for them) is frozen, once the doctrees just let go are collected: each full
    collection of the read phase then traverses what was read since, not everything read before.
    At 5,000 reports the read phase's full collections took 16-19 s (2.6 s at 1,000)."""
    if _clear_doctrees(app, app.env) and _State.frozen:
        gc.collect()
        gc.freeze()


def _drop_serialised(app: Sphinx, doctree: object, docname: str) -> None:
    """A page being written no longer needs the pickle bytes Sphinx kept when it loaded its doctree."""
    cache = getattr(app.env, "_pickled_doctree_cache", None)  # Sphinx 7.3+; a private attribute
    if isinstance(cache, dict):
        cache.pop(docname, None)


def _detach_titles(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Give back the title nodes Sphinx lent to ``render_partial`` for this page.

    To render a page's title and those of its parents, previous and next pages, Sphinx appends the
    title node kept in the environment (``env.titles``, ``env.longtitles``) to a new throwaway
    document. That makes the document the node's parent and its ``document``. Every such document (with
    its reporter, transformer and settings) then stays alive as long as the environment, one per page,
    and is traversed by every full collection of the write phase: 3,747 of them by the 3,000th page at
    5,000 reports. By ``html-page-context`` the titles are rendered, so the nodes are detached again,
    as the title collector made them.
    """
    env = app.env
    relations: dict[str, list[str | None]] = getattr(app.builder, "relations", {})
    related = relations.get(pagename)
    nodes_ = [env.longtitles.get(pagename)]
    if related:
        nodes_ += [env.titles.get(d) for d in related[1:] if d]
        parent, seen = related[0], set()
        while parent and parent not in seen:  # the breadcrumb: every ancestor's title
            seen.add(parent)
            nodes_.append(env.titles.get(parent))
            parent = relations.get(parent, [None])[0]
    for node in nodes_:
        if node is not None and isinstance(node.parent, nodes.document):
            node.parent = None
            node.document = None  # docutils keeps the document on the node too (``_document``)


def setup_memory(app: Sphinx) -> None:
    app.add_config_value("shuzhi_gc_freeze", True, "", types=[bool])
    app.add_config_value("shuzhi_doctree_cache_max", 250, "", types=[int])
    app.connect("source-read", _bound_doctrees, priority=100)
    app.connect("env-updated", _read_done)
    app.connect("env-before-read-docs", _reading, priority=950)
    app.connect("build-finished", _finished)
    app.connect("doctree-resolved", _drop_serialised, priority=900)
    app.connect("html-page-context", _detach_titles, priority=900)
    app.connect("doctree-resolved", _freeze_after_archive_pages, priority=950)
    app.connect("doctree-resolved", _count_held_page, priority=950)
    # last of the config-inited handlers: a configuration error they raise leaves the collector alone
    app.connect("config-inited", _pause, priority=900)
    app.connect("builder-inited", _freeze, priority=100)
    app.connect("shuzhi-archive-resolved", _refreeze, priority=400)  # before background.py forks
