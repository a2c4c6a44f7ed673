"""The reports' records saved beside the environment, by the export child, not inside it.

Sphinx saves the whole environment (``environment.pickle``) after reading and before writing,
in the main process. At 5,000 reports the records are two thirds of it (80 of 120 MB) and
pickling them is most of the 2.5 s that takes. So when a build forks its export child
(:mod:`.background`), the records are saved by that child to ``shuzhi-records.pickle`` in the
doctree folder, while the main process goes on; the environment holds only a reference to that
file and a token naming this build. Loading the environment loads the file through the reference
(:func:`_load`); a file that is missing or was written by another build (the token differs, say
after an interrupted build) makes loading fail, and Sphinx then reads every report again.

Without the child (no ``fork``, or ``shuzhi_background_writes = False``) nothing changes: the
records are pickled with the environment.
"""

from __future__ import annotations

import os
import pickle
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from .state import DocRecord

FILENAME = "shuzhi-records.pickle"


class RecordStore(dict[str, DocRecord]):
    """docname -> record, as the domain keeps them; pickled as a reference while deferred."""

    def __reduce__(self) -> tuple[Any, ...]:
        deferred = _Deferred.current
        if deferred is not None and deferred.store is self and deferred.pid == os.getpid():
            return (_load, (str(deferred.path), deferred.token))
        return (RecordStore, (dict(self),))


@dataclass(frozen=True)
class Deferred:
    """This build's records, to be written to ``path`` under ``token`` instead of with the environment."""

    store: RecordStore
    path: Path
    token: str
    pid: int


class _Deferred:
    current: Deferred | None = None
    pickled = False  # Sphinx saved the environment in this build (with the reference)
    doctreedir: Path | None = None  # of the application being set up (its environment loads next)


def defer(app: Sphinx, store: RecordStore) -> None:
    """From now on in this build, the environment pickles ``store`` as a reference to the records file."""
    path = Path(app.doctreedir) / FILENAME
    _Deferred.current = Deferred(store, path, secrets.token_hex(8), os.getpid())


def prepare(app: Sphinx) -> None:
    """Before the child is forked: defer the records of this build's environment."""
    from .domain import get_domain

    defer(app, get_domain(app.env).records)


def write(app: Sphinx) -> None:
    """Write the deferred records under this build's token (in the child, or in the main process if
    the child failed); :func:`_finished` gives the file its real name once Sphinx has saved the
    environment that refers to it."""
    deferred = _Deferred.current
    if deferred is None:
        return
    target = _staged(deferred)
    partial = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(partial, "wb") as f:
        pickle.dump((deferred.token, dict(deferred.store)), f, pickle.HIGHEST_PROTOCOL)
    os.replace(partial, target)  # complete, or not there at all


def _staged(deferred: Deferred) -> Path:
    return deferred.path.with_name(f"{deferred.path.name}.{deferred.token}")


def _load(path: str, token: str) -> RecordStore:
    """The records an environment refers to (called while Sphinx unpickles it)."""
    target = _Deferred.doctreedir / FILENAME if _Deferred.doctreedir is not None else Path(path)
    with open(target, "rb") as f:
        found, records = pickle.load(f)
    if found != token:
        raise ValueError(f"{target} 不是这份构建环境保存的报告记录（上次构建可能中途停止），将重新读入全部报告")
    return RecordStore(records)


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
    staged = _staged(deferred)
    if not pickled:  # the environment on disk is the previous one, still referring to the records file
        staged.unlink(missing_ok=True)
        return
    if not staged.is_file():  # the child did not get to it (the build failed meanwhile)
        _Deferred.current = deferred
        try:
            write(app)
        finally:
            _Deferred.current = None
    os.replace(staged, deferred.path)


def setup_recordfile(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited, priority=100)
    app.connect("env-check-consistency", _saved)
    app.connect("build-finished", _finished, priority=450)  # after background.py has written the file
