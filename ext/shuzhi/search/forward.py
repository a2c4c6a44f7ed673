"""The forward index (each page's terms) kept beside the doctrees, in SQLite.

:class:`~.index.IndexFormat` needs the terms each page had in the previous index to know which
terms a rewritten page gained or lost. Kept as one pickle, the whole forward index (60 MB at
5,000 reports) was read and written again on every build, even when one page changed. In a
SQLite file a build reads the rows of the pages it rewrote, writes those rows, and stores the
digest of the ``searchindex.js`` the rows belong to, in one transaction. Only when pages are added
or removed (page numbers shift and every posting list is rebuilt) is every row read and written.

It is only a cache: any error reading it means "no cache" (the index is then rebuilt from the
previous ``searchindex.js`` itself), and an error writing it leaves it unusable, not wrong, because
the digest is written in the same transaction as the rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path


class ForwardStore:
    """Page → its terms joined by newlines, for the ``searchindex.js`` with a given digest."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("PRAGMA synchronous = OFF")  # a cache: a crashed machine costs a rebuild, nothing else
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS forward (page TEXT PRIMARY KEY, terms TEXT NOT NULL)")
        return db

    def digest(self) -> str | None:
        """The digest of the index the rows belong to (None: no usable store)."""
        if not self.path.is_file():
            return None
        try:
            with closing(self._connect()) as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'digest'").fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row else None

    def get(self, pages: Iterable[str]) -> dict[str, str] | None:
        """The rows of ``pages`` (a page without a row had no terms)."""
        wanted = sorted(set(pages))
        try:
            with closing(self._connect()) as db:
                found: dict[str, str] = {}
                for i in range(0, len(wanted), 500):  # SQLite limits the number of parameters
                    chunk = wanted[i:i + 500]
                    marks = ",".join("?" * len(chunk))
                    found.update(db.execute(f"SELECT page, terms FROM forward WHERE page IN ({marks})", chunk))
        except sqlite3.Error:
            return None
        return found

    def all(self) -> dict[str, str] | None:
        try:
            with closing(self._connect()) as db:
                return dict(db.execute("SELECT page, terms FROM forward"))
        except sqlite3.Error:
            return None

    def write(self, digest: str, rows: Mapping[str, str], *, complete: bool) -> None:
        """Store ``rows`` (all of them if ``complete``, else only changed ones) under ``digest``."""
        try:
            with closing(self._connect()) as db:
                db.execute("BEGIN")
                if complete:
                    db.execute("DELETE FROM forward")
                db.executemany("INSERT OR REPLACE INTO forward (page, terms) VALUES (?, ?)", rows.items())
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('digest', ?)", (digest,))
                db.execute("COMMIT")
        except sqlite3.Error:
            self.path.unlink(missing_ok=True)  # unusable: the next build rebuilds the postings in full
