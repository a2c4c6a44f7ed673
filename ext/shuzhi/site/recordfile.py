"""The reports' records and Sphinx's page tables of contents saved beside the environment, by the
export child, not inside it, in shards rewritten only when their entries changed.

Sphinx saves the whole environment (``environment.pickle``) after reading and before writing,
in the main process. At 5,000 reports the records are two thirds of it (80 of 120 MB) and
pickling them is most of the 2.5 s that takes; of the rest, Sphinx's own tables of contents of
the pages (``env.tocs``, docutils nodes) take 0.7 s of the 1.3 s left. So when a build forks its
export child (:mod:`.background`), both are saved by that child while the main process goes on,
and the environment holds only references to their files.

Each table is split by docname into :data:`SHARDS` shards, one file each in a folder of the doctree
folder (``shuzhi-records/``, ``shuzhi-tocs/``), named ``<shard>.<token>.pickle`` after the build
that wrote it. A table remembers which file each of its shards came from and which shards changed
since (an entry set or removed); a build writes only the changed shards, under its own token, and
the environment refers to the old files for the others. Saving all of them took 1.75 s of a
one-report edit at 5,000 reports (the export child's longest task); two shards take a few
hundredths. Files are never overwritten: a build that stops half-way leaves the files the previous
environment refers to as they were, and the files no environment refers to are deleted once
Sphinx has saved the new one. Loading the environment loads every shard through the references
(:func:`_load`); a missing file or one that is not what the reference names makes loading fail,
and Sphinx then reads every report again.

Without the child (no ``fork``, or ``shuzhi_background_writes = False``) nothing changes: both
are pickled with the environment.
"""

from __future__ import annotations

import os
import pickle
import secrets
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from sphinx.application import Sphinx
from sphinx.config import Config

from .state import DocRecord

FILENAME = "shuzhi-records"
TOCS_FILENAME = "shuzhi-tocs"
#: shards per table: at 5,000 reports about 80 entries, 30 ms to rewrite one
SHARDS = 64

_V = TypeVar("_V")


def shard_of(docname: str) -> int:
    return zlib.crc32(docname.encode()) % SHARDS


class SavedApart(dict[str, _V]):
    """A table of the environment that the export child saves in files of its own; pickled as
    references to those files while deferred."""

    filename: ClassVar[str]  # the folder of its shards in the doctree folder

    def __init__(self, table: Iterable[Any] = (), files: dict[int, str] | None = None) -> None:
        super().__init__(table)
        self.files: dict[int, str] = dict(files or {})  # shard -> token of the file holding it unchanged

    def _touch(self, key: str) -> None:
        self.files.pop(shard_of(key), None)

    def __setitem__(self, key: str, value: _V) -> None:
        self._touch(key)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._touch(key)
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        self._touch(key)
        return super().pop(key, *default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._touch(key)
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> SavedApart[_V]:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        self.files.clear()
        super().clear()

    def popitem(self) -> tuple[str, _V]:
        key, value = super().popitem()
        self._touch(key)
        return key, value

    def shards(self) -> dict[int, dict[str, _V]]:
        out: dict[int, dict[str, _V]] = {}
        for key, value in self.items():
            out.setdefault(shard_of(key), {})[key] = value
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        deferred = _Deferred.current
        if deferred is not None and deferred.pid == os.getpid():
            for store, plan in zip(deferred.stores, deferred.plans, strict=True):
                if store is self:
                    return (_load, (str(deferred.doctreedir / self.filename), plan, type(self)))
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
    plans: tuple[dict[int, str], ...]  # per store: shard -> token of its file (``token``: written now)
    doctreedir: Path
    token: str
    pid: int


class _Deferred:
    current: Deferred | None = None
    pickled = False  # Sphinx saved the environment in this build (with the references)
    doctreedir: Path | None = None  # of the application being set up (its environment loads next)


def defer(app: Sphinx, *stores: SavedApart[Any]) -> None:
    """From now on in this build, the environment pickles ``stores`` as references to their files:
    the shards unchanged since they were saved to the files they came from, the others to new files."""
    token = secrets.token_hex(8)
    plans = tuple({shard: store.files.get(shard, token) for shard in sorted({shard_of(k) for k in store})}
                  for store in stores)
    _Deferred.current = Deferred(stores, plans, Path(app.doctreedir), token, os.getpid())


def prepare(app: Sphinx) -> None:
    """Before the child is forked: defer the records and the tables of contents of this build's environment."""
    from .domain import get_domain

    env = app.env
    if not isinstance(env.tocs, TocStore):
        env.tocs = TocStore(env.tocs)
    defer(app, get_domain(env).records, env.tocs)


def _path(folder: Path, shard: int, token: str) -> Path:
    return folder / f"{shard:02d}.{token}.pickle"


def write(app: Sphinx) -> None:
    """Write the changed shards of the deferred tables under this build's token (in the child, or in
    the main process if the child failed); :func:`_finished` deletes the files no longer referred to
    once Sphinx has saved the environment that refers to the new ones."""
    deferred = _Deferred.current
    if deferred is None:
        return
    for store, plan in zip(deferred.stores, deferred.plans, strict=True):
        folder = deferred.doctreedir / store.filename
        folder.mkdir(parents=True, exist_ok=True)
        for shard, entries in store.shards().items():
            if plan.get(shard) != deferred.token:
                continue
            target = _path(folder, shard, deferred.token)
            partial = target.with_name(target.name + ".part")
            with open(partial, "wb") as f:
                pickle.dump((deferred.token, entries), f, pickle.HIGHEST_PROTOCOL)
            os.replace(partial, target)  # complete, or not there at all


def _load(path: str, plan: dict[int, str], kind: type[SavedApart[Any]] = RecordStore) -> SavedApart[Any]:
    """A table an environment refers to (called while Sphinx unpickles it)."""
    folder = _Deferred.doctreedir / Path(path).name if _Deferred.doctreedir is not None else Path(path)
    table: dict[str, Any] = {}
    for shard, token in plan.items():
        target = _path(folder, shard, token)
        try:
            with open(target, "rb") as f:
                found, entries = pickle.load(f)
        except FileNotFoundError:
            found, entries = None, {}
        if found != token:
            raise ValueError(f"{target} 不是这份构建环境保存的{'报告记录' if kind is RecordStore else '页面目录'}"
                             "（上次构建可能中途停止），将重新读入全部报告")
        table.update(entries)
    return kind(table, plan)


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
    if pickled and not all(_path(deferred.doctreedir / store.filename, shard, token).is_file()
                           for store, plan in zip(deferred.stores, deferred.plans, strict=True)
                           for shard, token in plan.items()):
        _Deferred.current = deferred  # the child did not get to it (the build failed meanwhile)
        try:
            write(app)
        finally:
            _Deferred.current = None
    for store, plan in zip(deferred.stores, deferred.plans, strict=True):
        # once the environment refers to this build's files, only they are kept; if it was not saved,
        # the one on disk still refers to the previous files and this build's are the ones to go
        keep = {_path(Path(), shard, token).name for shard, token in plan.items()} if pickled else None
        _prune(deferred.doctreedir / store.filename, keep, deferred.token)


def _prune(folder: Path, keep: set[str] | None, token: str) -> None:
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if (path.name not in keep) if keep is not None else (f".{token}." in path.name):
            path.unlink(missing_ok=True)


def setup_recordfile(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited, priority=100)
    app.connect("env-check-consistency", _saved)
    app.connect("build-finished", _finished, priority=450)  # after background.py has written the file
