"""The reports' records and Sphinx's page tables of contents saved beside the environment, by the
export child, not inside it.

Sphinx saves the whole environment (``environment.pickle``) after reading and before writing,
in the main process. At 5,000 reports the records are two thirds of it (80 of 120 MB) and
pickling them is most of the 2.5 s that takes; of the rest, Sphinx's own tables of contents of
the pages (``env.tocs``, docutils nodes) take 0.7 s of the 1.3 s left. So when a build forks its
export child (:mod:`.background`), both are saved by that child, to ``shuzhi-records.pickle`` and
``shuzhi-tocs.pickle`` in the doctree folder, while the main process goes on; the environment
holds only a reference to each file and a token naming this build. Loading the environment loads
the files through the references (:func:`_load`); a file that is missing or was written by another
build (the token differs, say after an interrupted build) makes loading fail, and Sphinx then reads
every report again.

Without the child (no ``fork``, or ``shuzhi_background_writes = False``) nothing changes: both
are pickled with the environment.
"""

from __future__ import annotations

import os
import pickle
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from sphinx.application import Sphinx
from sphinx.config import Config

from .state import DocRecord

FILENAME = "shuzhi-records.pickle"
TOCS_FILENAME = "shuzhi-tocs.pickle"


_V = TypeVar("_V")


class SavedApart(dict[str, _V]):
    """A table of the environment that the export child saves in a file of its own; pickled as a
    reference to that file while deferred."""

    filename: ClassVar[str]

    def __reduce__(self) -> tuple[Any, ...]:
        deferred = _Deferred.current
        if deferred is not None and deferred.pid == os.getpid() and any(s is self for s in deferred.stores):
            return (_load, (str(deferred.doctreedir / self.filename), deferred.token, type(self)))
        return (type(self), (dict(self),))


class RecordStore(SavedApart[DocRecord]):
    """docname -> record, as the domain keeps them."""

    filename = FILENAME


class TocStore(SavedApart[Any]):
    """docname -> the page's table of contents (``env.tocs``)."""

    filename = TOCS_FILENAME


@dataclass(frozen=True)
class Deferred:
    """This build's tables, to be written beside the environment under ``token`` instead of with it."""

    stores: tuple[SavedApart[Any], ...]
    doctreedir: Path
    token: str
    pid: int


class _Deferred:
    current: Deferred | None = None
    pickled = False  # Sphinx saved the environment in this build (with the references)
    doctreedir: Path | None = None  # of the application being set up (its environment loads next)


def defer(app: Sphinx, *stores: SavedApart[Any]) -> None:
    """From now on in this build, the environment pickles ``stores`` as references to their files."""
    _Deferred.current = Deferred(stores, Path(app.doctreedir), secrets.token_hex(8), os.getpid())


def prepare(app: Sphinx) -> None:
    """Before the child is forked: defer the records and the tables of contents of this build's environment."""
    from .domain import get_domain

    env = app.env
    if not isinstance(env.tocs, TocStore):
        env.tocs = TocStore(env.tocs)
    defer(app, get_domain(env).records, env.tocs)


def write(app: Sphinx) -> None:
    """Write the deferred tables under this build's token (in the child, or in the main process if
    the child failed); :func:`_finished` gives the files their real names once Sphinx has saved the
    environment that refers to them."""
    deferred = _Deferred.current
    if deferred is None:
        return
    for store in deferred.stores:
        target = _staged(deferred, store)
        partial = target.with_name(target.name + ".part")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as f:
            pickle.dump((deferred.token, dict(store)), f, pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)  # complete, or not there at all


def _staged(deferred: Deferred, store: SavedApart[Any]) -> Path:
    return deferred.doctreedir / f"{store.filename}.{deferred.token}"


def _load(path: str, token: str, kind: type[SavedApart[Any]] = RecordStore) -> SavedApart[Any]:
    """A table an environment refers to (called while Sphinx unpickles it)."""
    name = Path(path).name
    target = _Deferred.doctreedir / name if _Deferred.doctreedir is not None else Path(path)
    with open(target, "rb") as f:
        found, table = pickle.load(f)
    if found != token:
        raise ValueError(f"{target} 不是这份构建环境保存的{'报告记录' if kind is RecordStore else '页面目录'}"
                         "（上次构建可能中途停止），将重新读入全部报告")
    return kind(table)


def expect_doctrees(doctreedir: Path) -> None:
    """The environment about to be unpickled is the one in ``doctreedir`` (its records file is there)."""
    _Deferred.doctreedir = Path(doctreedir)


def _config_inited(app: Sphinx, config: Config) -> None:
    _Deferred.current, _Deferred.pickled = None, False
    expect_doctrees(app.doctreedir)


def _saved(app: Sphinx, env: Any) -> None:
    """Sphinx saves the environment just before it checks its consistency (only when something changed)."""
    _Deferred.pickled = True


def _finished(app: Sphinx, exception: BaseException | None) -> None:
    deferred, pickled = _Deferred.current, _Deferred.pickled
    _Deferred.current, _Deferred.pickled = None, False
    if deferred is None or deferred.pid != os.getpid():
        return
    staged = [(_staged(deferred, store), deferred.doctreedir / store.filename) for store in deferred.stores]
    if not pickled:  # the environment on disk is the previous one, still referring to the files there
        for path, _ in staged:
            path.unlink(missing_ok=True)
        return
    if not all(path.is_file() for path, _ in staged):  # the child did not get to it (the build failed meanwhile)
        _Deferred.current = deferred
        try:
            write(app)
        finally:
            _Deferred.current = None
    for path, final in staged:
        os.replace(path, final)


def setup_recordfile(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited, priority=100)
    app.connect("env-check-consistency", _saved)
    app.connect("build-finished", _finished, priority=450)  # after background.py has written the file
