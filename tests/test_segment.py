"""Segmentation: the lazily loaded dictionary cuts exactly as jieba with the whole dictionary does."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuzhi.match import segment

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lazy(tmp_path_factory: pytest.TempPathFactory) -> segment.LazyTokenizer:
    path = tmp_path_factory.mktemp("shards") / "jieba.shards"
    segment.write_shards(segment.jieba().dt, path)
    loaded = segment.LazyTokenizer.load(path)
    assert loaded is not None
    return loaded


def _lines() -> list[str]:
    paths = [*sorted((REPO / "seeds").glob("*.txt")), *sorted((REPO / "tests" / "fixtures").rglob("*.md"))]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return [line for text in texts for line in text.splitlines() if line.strip()]


def test_lazy_dictionary_cuts_the_seed_reports_as_jieba_does(lazy: segment.LazyTokenizer) -> None:
    lines = _lines()
    assert sum(map(len, lines)) > 30_000  # the seeds and the test reports, whole
    full = segment.jieba()
    for line in lines:
        assert lazy.lcut(line) == full.lcut(line), line
    assert lazy.lcut("两个维护三会一课") == ["两个维护", "三会一课"]  # the domain words are in the shards


_ALPHABET = "".join(sorted(set("".join(_lines())) - set(" \t")))[:3000]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_lazy_dictionary_cuts_any_text_as_jieba_does(lazy: segment.LazyTokenizer, text: str) -> None:
    assert lazy.lcut(text) == segment.jieba().lcut(text)


def test_an_unreadable_shard_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "jieba.shards"
    path.write_bytes(b"not a pickle")
    assert segment.LazyTokenizer.load(path) is None
    assert segment.LazyTokenizer.load(tmp_path / "missing.shards") is None


def test_the_shard_file_is_named_after_the_dictionaries() -> None:
    name = segment.shard_path().name
    assert name.startswith("shuzhi-jieba-") and name.endswith(".shards")
    assert segment.shard_path() == segment.shard_path()
