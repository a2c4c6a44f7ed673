"""``shuzhi lint --cache``: each report's single-report findings and summary, kept by content.

What :func:`~shuzhi.check.lint.check_file` returns for a report depends only on the
path as given, the file's bytes, the archive's configuration (``shuzhi.yaml`` and the
MyST settings of ``conf.py``) and the code and data that read and check it: shuzhi's
own modules and data files, the parser's packages and Python itself. The cache file
(``_build/lint-cache.pickle`` under the archive root, like Sphinx's own pickles) holds,
under one fingerprint of everything but the files, each path's content digest and
result. A changed fingerprint empties it; a changed file is checked again; the
archive checks run every time, over every summary. An unreadable or foreign cache
file is ignored and replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ..config import Config
from ..model import ReportSummary
from ..model.findings import Finding

CACHE_FILE = Path("_build") / "lint-cache.pickle"
#: what the parse and the rules run on besides shuzhi itself
_PACKAGES = ("markdown-it-py", "mdit-py-plugins", "myst-parser", "PyYAML", "jieba")
_PACKAGE_DIR = Path(__file__).resolve().parents[1]

Result = tuple[list[Finding], ReportSummary | None]


def fingerprint(config: Config) -> str:
    """A digest of everything a report's result depends on apart from its path and bytes."""
    h = hashlib.sha256(sys.version.encode())
    for name in _PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-".encode())
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if path.is_file() and (path.suffix == ".py" or "data" in path.relative_to(_PACKAGE_DIR).parts[:1]):
            h.update(path.relative_to(_PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    settings = [config.raw, config.myst, list(config.kinds)]
    h.update(json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()


def digest(path: Path) -> str | None:
    """The digest of a report's path (as given) and bytes; None if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(str(path).encode() + b"\0" + data).hexdigest()


@dataclass
class LintCache:
    """The results kept for one archive and configuration; :meth:`save` writes back what was used."""

    file: Path
    key: str
    entries: dict[str, tuple[str, Result]] = field(default_factory=dict)
    used: dict[str, tuple[str, Result]] = field(default_factory=dict)
    added: int = 0

    @classmethod
    def open(cls, config: Config) -> LintCache | None:
        """The archive's cache (None without an archive root to keep it under)."""
        if config.root is None:
            return None
        cache = cls(config.root / CACHE_FILE, fingerprint(config))
        try:
            with cache.file.open("rb") as fh:
                stored = pickle.load(fh)
            if isinstance(stored, dict) and stored.get("key") == cache.key and isinstance(stored.get("entries"), dict):
                cache.entries = stored["entries"]
        except Exception:  # noqa: BLE001 - missing, truncated or foreign: start afresh
            cache.entries = {}
        return cache

    def get(self, path: Path) -> tuple[str | None, Result | None]:
        """(digest, kept result or None) for a report."""
        key = digest(path)
        entry = self.entries.get(str(path)) if key is not None else None
        if entry is not None and entry[0] == key:
            self.used[str(path)] = entry
            return key, entry[1]
        return key, None

    def put(self, path: Path, key: str | None, result: Result) -> None:
        if key is not None:
            self.used[str(path)] = (key, result)
            self.added += 1

    def save(self) -> str | None:
        """Write the entries of this run (reports no longer checked are dropped); a Chinese
        warning if that failed, else None."""
        if not self.added and len(self.used) == len(self.entries):
            return None  # every entry was found unchanged
        temporary = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as fh:
                pickle.dump({"key": self.key, "entries": self.used}, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.file)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            return f"shuzhi lint: 无法写入检查缓存 {self.file}（{exc.strerror or exc}），下次仍会全部重新检查。"
        return None
