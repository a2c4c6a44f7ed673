"""jieba, loaded once per process, quiet, with the archive's domain dictionary.

The matcher, the analytics and the search index all segment through here so the
same phrase (三会一课, 两个维护 …) is one term everywhere.

Loading jieba's prefix dictionary (350,000 words, 600,000 prefixes) takes about
half a second, which an incremental build that re-reads one report would spend
to segment a few paragraphs. Every lookup jieba makes while segmenting a text
is a word or prefix starting with a character of that text, so the dictionary
(with the domain words already added) is kept in a cache file sharded by first
character, and :func:`words` loads, before segmenting a text, only the shards
of characters it has not seen yet. The segmentation is exactly jieba's: same
dictionary, same algorithm, only loaded lazily. The cache is built the first
time from the fully loaded dictionary and lives beside jieba's own cache (the
system's temporary folder), named after jieba's version and both dictionaries.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import pickle
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import DATA_DIR

DICT_PATH = DATA_DIR / "dict.txt"
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z0-9]+")
#: bump when the shard file's layout changes
SHARD_FORMAT = 1


def _quiet(module: Any) -> None:
    module.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)


@lru_cache(maxsize=1)
def jieba() -> Any:
    """The jieba module, initialised with the domain dictionary (all of it, loaded now), its log silenced."""
    import jieba as _jieba

    _quiet(_jieba)
    _jieba.initialize()
    _jieba.load_userdict(str(DICT_PATH))
    return _jieba


def shard_path() -> Path:
    """The shard cache for this jieba and these dictionaries."""
    import jieba as _jieba

    main = Path(_jieba.DEFAULT_DICT or Path(_jieba.__file__).parent / _jieba.DEFAULT_DICT_NAME)
    try:
        st = main.stat()
        main_key = f"{main}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        main_key = str(main)
    key = hashlib.sha1(
        f"{SHARD_FORMAT}|{getattr(_jieba, '__version__', '')}|{main_key}|".encode() + DICT_PATH.read_bytes()
    ).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"shuzhi-jieba-{key}.shards"


def write_shards(tokenizer: Any, path: Path) -> None:
    """The prefix dictionary of a loaded tokenizer, one marshalled dict per first character."""
    shards: dict[str, dict[str, int]] = {}
    for word, freq in tokenizer.FREQ.items():
        shards.setdefault(word[0], {})[word] = freq
    blob = {first: marshal.dumps(words) for first, words in shards.items()}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(pickle.dumps((SHARD_FORMAT, tokenizer.total, blob), protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)  # atomic: a concurrent build reads the old file or the new one
    except OSError:
        tmp.unlink(missing_ok=True)  # only a cache


class LazyTokenizer:
    """A jieba tokenizer whose prefix dictionary is filled a first character at a time."""

    def __init__(self, total: int, shards: dict[str, bytes]) -> None:
        import jieba as _jieba

        _quiet(_jieba)
        self._shards = shards
        self._tokenizer = _jieba.Tokenizer()
        self._tokenizer.FREQ = {}
        self._tokenizer.total = total
        self._tokenizer.initialized = True  # jieba must not load its whole dictionary

    @classmethod
    def load(cls, path: Path) -> LazyTokenizer | None:
        try:
            fmt, total, shards = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            return None
        if fmt != SHARD_FORMAT or not isinstance(shards, dict) or not isinstance(total, int):
            return None
        return cls(total, shards)

    def lcut(self, text: str) -> list[str]:
        shards = self._shards
        if shards:
            freq = self._tokenizer.FREQ
            for char in set(text):
                blob = shards.pop(char, None)
                if blob is not None:
                    freq.update(marshal.loads(blob))
        words: list[str] = self._tokenizer.lcut(text)
        return words

    def load_all(self) -> None:
        """Every shard now (before forking parallel readers, say)."""
        for blob in self._shards.values():
            self._tokenizer.FREQ.update(marshal.loads(blob))
        self._shards.clear()


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    """What segments: the lazy tokenizer when its cache exists; else jieba, loaded whole, writing the cache."""
    path = shard_path()
    lazy = LazyTokenizer.load(path)
    if lazy is not None:
        return lazy
    full = jieba()
    write_shards(full.dt, path)
    return full


def preload() -> None:
    """Load the whole dictionary now (before parallel readers fork from this process)."""
    seg = tokenizer()
    if isinstance(seg, LazyTokenizer):
        seg.load_all()


def domain_terms() -> list[str]:
    return [line.split()[0] for line in DICT_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]


def words(text: str) -> list[str]:
    """Content words of a text: CJK words of two or more characters and Latin/digit runs."""
    return list(_words(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    # the matcher, the ledger and analytics segment the same item texts: once is enough
    return tuple(w for w in tokenizer().lcut(text) if _CJK_WORD.fullmatch(w))
