"""Whole-archive files written by a forked child while the build goes on.

``_static/ledger.xlsx`` and ``_static/archive.json`` depend only on the archive as resolved at
``env-get-updated`` (records, view, analytics), not on any page. They used to be written at
``build-finished``, after every page, one after the other: 4–5 s of a one-report edit at 5,000
reports, with the second core idle. Now, where the platform can ``fork``, a child process is forked
right after the archive is resolved (``shuzhi-archive-resolved``, emitted by :mod:`.resolve`) and writes them,
one after the other, while the main process pickles the environment and writes the pages. The child sees the same data (a
copy-on-write image of the process at that moment) and runs the same writer functions.

What the writers log in the child (an info line, a warning about an unwritable file) is caught,
sent back through a pipe and logged by the main process at ``build-finished``, so the warning log,
``-W`` and the build summary see it as before. If the child fails in any way (an exception, a crash,
a signal), the main process runs the writers itself at ``build-finished``: the result is never worse
than before. Without ``fork``, or with ``shuzhi_background_writes = False`` in ``conf.py``, the writers
run at ``build-finished`` as they always did.
"""

from __future__ import annotations

import logging as std_logging
import os
import pickle
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.logging import NAMESPACE, suppress_logging

from .state import build_state

Writer = Callable[[Sphinx], None]


@dataclass(frozen=True)
class Export:
    """One whole-archive file: its name and the function that writes it (and logs any problem)."""

    name: str
    write: Writer
    #: called in the main process before forking, e.g. to compute data the pages will need too
    prepare: Writer | None = None


@dataclass
class Job:
    """The forked child writing this build's exports."""

    pid: int
    fd: int  # read end of the pipe carrying the child's log records


def register(app: Sphinx, export: Export) -> None:
    """Have ``export`` written at each build (in the child when possible), after those registered before."""
    build_state(app).exports.append(export)


def _enabled(app: Sphinx) -> bool:
    """Whether this build forks a child for its exports."""
    return hasattr(os, "fork") and bool(app.config.shuzhi_background_writes)


def _start(app: Sphinx, env: BuildEnvironment) -> None:
    state = build_state(app)
    state.job = None
    if not _enabled(app):
        return
    for export in state.exports:
        if export.prepare is not None:
            export.prepare(app)
    state.job = _fork(app, state.exports)


def fork_child(work: Callable[[IO[bytes]], None]) -> tuple[int, int] | None:
    """Fork a child that runs ``work`` on the write end of a pipe and exits without any cleanup
    (status 1 if ``work`` raised); the parent gets the child's pid and the read end, or None if
    it could not fork."""
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:
        os.close(read_fd)
        code = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            with os.fdopen(write_fd, "wb") as pipe:
                work(pipe)
        except BaseException:  # noqa: BLE001 - anything: the parent does the work itself
            code = 1
        os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def _fork(app: Sphinx, exports: list[Export]) -> Job | None:
    """One child writes every export in turn (two cores: the main process and this one), then sends
    its log records; None if it could not fork (the files are written at build-finished instead)."""

    def work(pipe: IO[bytes]) -> None:
        with suppress_logging() as memory:
            for export in exports:
                export.write(app)
        pipe.write(pickle.dumps([_portable(r) for r in memory.clear()]))

    child = fork_child(work)
    return None if child is None else Job(*child)


def _portable(record: Any) -> Any:
    """The record with its message formatted and nothing that might not pickle."""
    record.msg = record.getMessage()
    record.args = ()
    record.exc_info = record.exc_text = None
    location = getattr(record, "location", None)
    if location is not None and not isinstance(location, (str, tuple)):
        record.location = str(location)
    return record


def _finish(app: Sphinx, exception: BaseException | None) -> None:
    state = build_state(app)
    job, state.job = state.job, None
    done = job is not None and _collect(job)
    if exception is not None or done:
        return
    for export in state.exports:
        export.write(app)


def _collect(job: Job) -> bool:
    """Wait for the child; log what it logged. False if it failed (the parent then writes the files)."""
    with os.fdopen(job.fd, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(job.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not payload:
        return False
    try:
        records = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a truncated message: write the files again here
        return False
    sphinx_logger = std_logging.getLogger(NAMESPACE)  # as Sphinx's own pending_logging() flushes
    for record in records:
        sphinx_logger.handle(record)
    return True


def setup_background(app: Sphinx) -> None:
    app.add_config_value("shuzhi_background_writes", True, "", types=frozenset({bool}))
    app.connect("shuzhi-archive-resolved", _start)
    app.connect("build-finished", _finish, priority=400)
