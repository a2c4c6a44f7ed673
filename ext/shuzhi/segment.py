"""jieba, loaded once per process, quiet, with the archive's domain dictionary.

The matcher, the analytics and the search index all segment through here so the
same phrase (三会一课, 两个维护 …) is one term everywhere.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

DICT_PATH = Path(__file__).parent / "data" / "dict.txt"
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z0-9]+")


@lru_cache(maxsize=1)
def jieba() -> Any:
    """The jieba module, initialised with the domain dictionary, its log silenced."""
    import jieba as _jieba

    _jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    _jieba.initialize()
    _jieba.load_userdict(str(DICT_PATH))
    return _jieba


def domain_terms() -> list[str]:
    return [line.split()[0] for line in DICT_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]


def words(text: str) -> list[str]:
    """Content words of a text: CJK words of two or more characters and Latin/digit runs."""
    return list(_words(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    # the matcher, the ledger and analytics segment the same item texts: once is enough
    return tuple(w for w in jieba().lcut(text) if _CJK_WORD.fullmatch(w))
