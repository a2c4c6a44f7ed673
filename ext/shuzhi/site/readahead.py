"""Reports' records computed by a forked worker while Sphinx reads the pages.

A report's record (:class:`.state.DocRecord`: its parsed structure, checks, links, ledger
features and figures) depends only on the report's text and the archive's settings, not on the
doctree Sphinx builds from it; computing it is about a quarter of the read phase (22 s of a 5,000-
report build), done on one core while the other idled. When a build reads many reports
(``READ_AHEAD_MIN`` or more, serially), a worker is forked at ``env-before-read-docs`` with the
list Sphinx is about to read; it reads each report's file as Sphinx does, computes the record with
the same function (:func:`.domain.make_record`) and sends it, with a digest of the text it used,
through a pipe, in Sphinx's reading order. The pipe holds only a few records, so the worker runs
just ahead of the main process and memory stays flat.

At ``source-read`` the main process takes the worker's record for that page if the digest matches
the text Sphinx read (after any other ``source-read`` handler); otherwise — a different text, a
record the worker could not make, or a worker that stopped — it computes the record itself, as
it always did. So the records, the warnings and the pages are the same with and without it (the
tests compare them). ``shuzhi_background_writes = False`` turns off this worker together with the
export child of :mod:`.background`; a parallel read (``-j``) does not use it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from docutils.io import FileInput
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.logging import suppress_logging

from .background import fork_child
from .state import DocRecord, build_state

#: fewer reports than this are read in the main process (forking costs more than it saves)
READ_AHEAD_MIN = 200


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class Ahead:
    """The worker of this build and what it has sent that the main process has not used yet."""

    pid: int
    pipe: IO[bytes] | None
    strings: list[str] = field(default_factory=list)  # every string the worker has sent, by number
    waiting: dict[str, tuple[bytes, DocRecord | None]] = field(default_factory=dict)
    used: int = 0  # records taken from the worker (the tests look)


def _enabled(app: Sphinx) -> bool:
    return hasattr(os, "fork") and bool(app.config.shuzhi_background_writes) and app.parallel <= 1


def _start(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    from .domain import is_report

    state = build_state(app)
    _stop(state.ahead)
    state.ahead = None
    reports = [d for d in docnames if is_report(app, d)]
    if len(reports) < READ_AHEAD_MIN or not _enabled(app):
        return

    def work(pipe: IO[bytes]) -> None:
        sender = _Sender(pipe)
        for docname in reports:
            sender.dump(_compute(app, docname))
            sender.clear_memo()
            pipe.flush()

    child = fork_child(work)  # if it fails, the main process computes every record itself
    if child is None:
        return
    pid, read_fd = child
    reader = os.fdopen(read_fd, "rb")
    state.ahead = Ahead(pid, reader)


class _Sender(pickle.Pickler):
    """Records pickled one by one, each string sent once for the whole stream: the records share their
    terms' strings on the other side as they do when the main process makes them (separate pickles
    made a copy per record: 190 MB more at the peak of a 5,000-report build)."""

    def __init__(self, file: IO[bytes]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.sent: dict[str, int] = {}

    def persistent_id(self, obj: Any) -> Any:
        if type(obj) is not str:
            return None
        number = self.sent.get(obj)
        if number is None:
            self.sent[obj] = len(self.sent)
            return obj.encode("utf-8", "surrogatepass")  # bytes: not passed to persistent_id again
        return number


class _Receiver(pickle.Unpickler):
    """One record of the stream, with the strings sent so far."""

    def __init__(self, file: IO[bytes], strings: list[str]) -> None:
        super().__init__(file)
        self.strings = strings

    def persistent_load(self, pid: Any) -> Any:
        if type(pid) is int:
            return self.strings[pid]
        text = pid.decode("utf-8", "surrogatepass")
        self.strings.append(text)
        return text


def _compute(app: Sphinx, docname: str) -> tuple[str, bytes, DocRecord | None]:
    """What the worker sends for one report: its docname, the digest of its text, its record
    (None when anything went wrong or anything was logged: the main process then reads it itself)."""
    from .domain import make_record

    try:
        path = app.env.doc2path(docname)
        text = FileInput(source_path=str(path), encoding=app.config.source_encoding).read()
        with suppress_logging() as memory:
            record = make_record(app, PurePosixPath(app.env.doc2path(docname, False)).as_posix(), text)
        return docname, digest(text), None if memory.clear() else record
    except Exception:  # noqa: BLE001 - e.g. an unreadable file: Sphinx and the main process report it
        return docname, b"", None


def take(app: Sphinx, docname: str, text: str) -> DocRecord | None:
    """The worker's record of ``docname`` if it was made from ``text``; None otherwise."""
    ahead = build_state(app).ahead
    if ahead is None:
        return None
    found = ahead.waiting.pop(docname, None)
    while found is None and ahead.pipe is not None:
        try:
            name, key, record = _Receiver(ahead.pipe, ahead.strings).load()
        except Exception:  # noqa: BLE001 - the worker ended (or failed): no more records
            _close(ahead)
            break
        if name == docname:
            found = (key, record)
        else:
            ahead.waiting[name] = (key, record)
    if found is None or found[1] is None or found[0] != digest(text):
        return None
    ahead.used += 1
    return found[1]


def _close(ahead: Ahead) -> None:
    if ahead.pipe is not None:
        ahead.pipe.close()
        ahead.pipe = None
    ahead.strings = []
    try:
        os.waitpid(ahead.pid, 0)
    except ChildProcessError:
        pass


def _stop(ahead: Ahead | None) -> None:
    """End the worker (all read, or the build stopped early) and free what it sent."""
    if ahead is None:
        return
    if ahead.pipe is not None:
        try:
            os.kill(ahead.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    _close(ahead)
    ahead.waiting.clear()


def _done(app: Sphinx, *args: Any) -> None:
    _stop(build_state(app).ahead)


def setup_readahead(app: Sphinx) -> None:
    app.connect("env-before-read-docs", _start, priority=900)  # the list as Sphinx will read it
    app.connect("env-updated", _done)
    app.connect("build-finished", _done)
