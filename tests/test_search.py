"""The search index: bigrams, compact postings, what a build writes, incremental and parallel builds.

The browser side (the same bigrams in JavaScript, recall, ranking, facets) is in
test_search_browser.py.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp
from sphinxbuild import build as _build

from shuzhi.search import grams, normalise, runs
from shuzhi.search.forward import ForwardStore
from shuzhi.search.index import IndexFormat, is_index, parse, postings
from shuzhi.search.measure import body_paragraphs, sample_phrases
from shuzhi.search.postings import decode, encode

ROOTS = Path(__file__).parent / "roots"


# -- bigrams


def test_grams_are_the_adjacent_character_pairs() -> None:
    assert grams("三会一课") == {"三会", "会一", "一课"}
    assert grams("党") == {"党"}  # a one-character run stands for itself


def test_normalise_folds_width_and_case_and_drops_spaces_next_to_han() -> None:
    assert normalise("ＡＢ１２") == "ab12"
    assert normalise("召开 3 次\n会议") == "召开3次会议"  # a line break inside a sentence is no word break
    assert normalise("open source") == "open source"  # between Latin words it is


def test_runs_break_at_punctuation_but_keep_symbols() -> None:
    assert runs(normalise("推进“5+2”工作法，学习二十大精神。")) == ["推进", "5+2", "工作法", "学习二十大精神"]
    assert grams("5+2") == {"5+", "+2"}


def test_any_substring_is_found_by_its_bigrams() -> None:
    """What the browser asks of a page: every bigram of the query's longer runs, or for a query of
    lone characters, a term holding each of them."""
    text = "加强党建品牌建设，推进“5+2”工作法，参加 G20 峰会保障。"
    terms = grams(text)
    for start in range(len(text)):
        for end in range(start + 2, min(start + 9, len(text)) + 1):
            query = runs(normalise(text[start:end]))
            long = [r for r in query if len(r) > 1]
            if long:
                assert set().union(*(grams(r) for r in long)) <= terms, text[start:end]
            else:
                assert all(any(r in t for t in terms) for r in query), text[start:end]


@given(st.lists(st.integers(min_value=0, max_value=5000), unique=True))
def test_postings_round_trip(pages: list[int]) -> None:
    pages.sort()
    code = encode(pages)
    assert decode(code) == pages
    assert set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_postings_are_short_for_runs_of_pages() -> None:
    assert len(encode(range(1000))) <= 3
    assert encode([]) == ""
    with pytest.raises(ValueError):
        encode([3, 3])


# -- incremental index: the forward index beside the doctrees


def _data(pages: dict[str, set[str]]) -> dict[str, Any]:
    """What Sphinx hands the format for these pages (its own terms empty, as for Chinese)."""
    names = sorted(pages)
    return {"docnames": names, "filenames": [f"{n}.md" for n in names], "titles": names, "alltitles": {},
            "envversion": {}, "terms": {}, "titleterms": {}}


def _write(fmt: IndexFormat, pages: dict[str, set[str]], written: Iterable[str], previous: str | None) -> str:
    fmt.start()
    if previous is not None:
        fmt.loads(previous)
    for name in written:
        fmt.add(name, pages[name])
    return fmt.dumps(_data(pages))


def _truth(pages: dict[str, set[str]]) -> dict[str, list[int]]:
    names = sorted(pages)
    out: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        for term in pages[name]:
            out.setdefault(term, []).append(i)
    return out


_terms = st.sets(st.sampled_from(["党建", "三会", "一课", "整改", "落实", "述职", "问题", "措施"]), max_size=6)
_pages = st.dictionaries(st.sampled_from([f"p{i}" for i in range(8)]), _terms, min_size=1)


@given(first=_pages, keep_cache=st.booleans(), data=st.data())
def test_incremental_index_equals_a_fresh_one(tmp_path_factory: pytest.TempPathFactory, first: dict[str, set[str]],
                                             keep_cache: bool, data: st.DataObject) -> None:
    """Whatever pages change, appear or go, and with or without the cache, the postings are those of a
    from-scratch index; pages kept from the previous build keep their old terms."""
    cache = tmp_path_factory.mktemp("idx") / "postings.sqlite"
    text = _write(IndexFormat(cache=cache), first, first, None)
    assert postings(text) == _truth(first)
    # the second build: each page kept, rewritten as it was, rewritten with other terms, or gone; maybe new pages
    second: dict[str, set[str]] = {}
    written: set[str] = set()
    for name in sorted(first):
        fate = data.draw(st.sampled_from(["kept", "same", "changed", "gone"]))
        if fate == "kept":
            second[name] = first[name]
        elif fate == "same" or fate == "changed":
            second[name] = first[name] if fate == "same" else data.draw(_terms)
            written.add(name)
    for name, terms in data.draw(_pages).items():
        if name not in first:
            second[name] = terms
            written.add(name)
    if not second:
        return
    if not keep_cache:
        cache.unlink()
    assert postings(_write(IndexFormat(cache=cache), second, written, text)) == _truth(second)


def test_incremental_index_re_encodes_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from shuzhi.search import index as index_module

    pages = {f"p{i}": {"党建", "整改", f"词{i}"} for i in range(50)}
    fmt = IndexFormat(cache=tmp_path / "postings.sqlite")
    text = _write(fmt, pages, pages, None)
    encoded: list[list[int]] = []
    real = index_module.encode
    monkeypatch.setattr(index_module, "encode", lambda ids: encoded.append(list(ids)) or real(ids))
    read: list[str] = []
    real_get = ForwardStore.get
    monkeypatch.setattr(ForwardStore, "get", lambda self, pages: read.extend(pages) or real_get(self, pages))
    monkeypatch.setattr(ForwardStore, "all", lambda self: pytest.fail("the whole forward index read for two pages"))
    pages["p7"] = {"党建", "整改", "新词"}
    after = _write(IndexFormat(cache=tmp_path / "postings.sqlite"), pages, ["p7", "p8"], text)
    assert postings(after) == _truth(pages)
    assert sorted(encoded) == [[pages_index("p7", pages)]]  # 新词; 词7 is gone, nothing else is touched
    assert sorted(read) == ["p7", "p8"]  # only the rewritten pages' rows
    monkeypatch.undo()
    # a stale cache (the index was rewritten by something else) is not trusted
    (tmp_path / "postings.sqlite").write_bytes(b"not a database")
    pages["p9"] = {"党建"}
    assert postings(_write(IndexFormat(cache=tmp_path / "postings.sqlite"), pages, ["p9"], after)) == _truth(pages)


def test_terms_sphinx_collects_itself_are_kept(tmp_path: Path) -> None:
    """A site in another language: Sphinx's own word terms go into the same posting lists."""
    pages = {"a": {"党建"}, "b": {"整改"}}
    fmt = IndexFormat(cache=tmp_path / "postings.sqlite")
    fmt.start()
    for name in pages:
        fmt.add(name, pages[name])
    data = _data(pages)
    data["terms"] = {"build": [0, 1], "党建": 1}
    data["titleterms"] = {"report": 0}
    assert postings(fmt.dumps(data)) == {"build": [0, 1], "党建": [0, 1], "整改": [1], "report": [0]}


def test_section_heads_are_in_document_order_and_kept_for_pages_not_rewritten(tmp_path: Path) -> None:
    from docutils.core import publish_doctree

    from shuzhi.search.index import page_heads

    doctree = publish_doctree("标题\n====\n\n二、履职情况\n------------\n\n正文\n\n三、存在问题\n------------\n\n正文\n")
    heads = page_heads(doctree)
    assert [title for title, _ in heads] == ["标题", "二、履职情况", "三、存在问题"]  # not sorted: 三 < 二 in Unicode
    pages = {"a": {"党建"}, "b": {"整改"}}
    fmt = IndexFormat(cache=tmp_path / "postings.sqlite")
    fmt.add("a", pages["a"], heads)
    fmt.add("b", pages["b"], [("整改", "zheng-gai")])
    first = fmt.dumps(_data(pages))
    again = IndexFormat(cache=tmp_path / "postings.sqlite")
    again.loads(first)
    again.add("b", pages["b"], [("整改落实", "zheng-gai-luo-shi")])
    index = parse(again.dumps(_data(pages)))
    named = [[(index["headtitles"][t], anchor) for t, anchor in page] for page in index["heads"]]
    assert named == [heads, [("整改落实", "zheng-gai-luo-shi")]]


def pages_index(name: str, pages: dict[str, set[str]]) -> int:
    return sorted(pages).index(name)


# -- the sampler of the recall test


def test_body_paragraphs_leave_out_tables_and_generated_boxes() -> None:
    html = """<main role="main"><h1>标题</h1><p class="sz-report-meta">2023年 · 区教育局</p>
    <p>正文第一段，<strong>加粗</strong>部分。</p><table><tr><td><p>表格里的字</p></td></tr></table>
    <div id="sz-findings"><p>质量检查发现的问题</p></div><p>第二段</p></main><p>页脚</p>"""
    assert body_paragraphs(html) == ["正文第一段，加粗部分。", "第二段"]


def test_sampled_phrases_are_substrings_with_two_han_characters() -> None:
    pages = {"a": ["党建品牌建设，推进“5+2”工作法。"], "b": ["2023年，召开会议3次。"]}
    pairs = sample_phrases(pages, 50, seed=3)
    assert pairs == sample_phrases(pages, 50, seed=3)  # fixed seed, same sample
    for page, phrase in pairs:
        assert 2 <= len(phrase) <= 8 and phrase in pages[page][0]


# -- the index a build writes




def _index(app: SphinxTestApp) -> dict[str, Any]:
    text = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    assert is_index(text)
    data = parse(text)
    # term -> set of docnames, the way a reader's query sees it
    names = data["docnames"]
    data["pages"] = {t: {names[p] for p in pages} for t, pages in postings(text).items()}
    return data


def _finds(index: dict[str, Any], phrase: str) -> set[str]:
    found: set[str] | None = None
    for gram in grams(phrase):
        pages = index["pages"].get(gram, set())
        found = pages if found is None else found & pages
    return found or set()


@pytest.fixture
def search_root(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-search", src)
    return src


def test_build_indexes_bigrams_across_inline_markup(search_root: Path, tmp_path: Path) -> None:
    index = _index(_build(search_root, tmp_path / "out"))
    report = "reports/2023/jiaoyuju"
    for phrase in ("加强党建品牌建设", "三会一课", "二十大", "5+2", "G20峰会", "问题 P1"):
        assert report in _finds(index, phrase), phrase
    assert "reports/2022/caizhengju" in _finds(index, "财政资金直达基层")  # across a link
    assert _finds(index, "首页独有短语") == set()  # nosearch pages stay out
    assert _finds(index, "谈心谈话") == {"reports/2022/caizhengju", "docs/guide"}


def test_index_carries_the_report_facets(search_root: Path, tmp_path: Path) -> None:
    from shuzhi.search.measure import read_index

    app = _build(search_root, tmp_path / "out")
    raw = read_index(Path(app.outdir))
    names = raw["docnames"]
    facets = {names[d]: (year, raw["orgs"][o], raw["kinds"][k]) for d, year, o, k in raw["reports"]}
    assert facets == {
        "reports/2022/caizhengju": (2022, "区财政局", "述职报告"),
        "reports/2023/caizhengju": (2023, "区财政局", "工作总结"),
        "reports/2023/jiaoyuju": (2023, "区教育局", "工作总结"),
    }
    assert raw["titles"][names.index("reports/2023/jiaoyuju")] == "区教育局2023年度党建工作总结"


def test_sphinx_does_not_segment_with_jieba(search_root: Path, tmp_path: Path) -> None:
    from shuzhi.site.search_builder import BigramChinese

    app = SphinxTestApp("html", srcdir=search_root, builddir=tmp_path / "out")
    try:
        app.build()
        assert isinstance(app.builder.indexer.lang, BigramChinese)  # type: ignore[attr-defined]
    finally:
        app.cleanup()


def test_incremental_rebuild_updates_the_edited_report_and_keeps_the_rest(search_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _index(_build(search_root, out))
    edited = search_root / "reports/2023/jiaoyuju.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("三会一课", "谈心谈话"), encoding="utf-8")
    app = _build(search_root, out)
    assert "search index couldn't be loaded" not in app._warning.getvalue()
    after = _index(app)
    assert "reports/2023/jiaoyuju" not in _finds(after, "三会一课")
    assert "reports/2023/jiaoyuju" in _finds(after, "谈心谈话")
    # the reports not rewritten keep their terms, read back from the previous index
    for name in ("reports/2022/caizhengju", "reports/2023/caizhengju", "docs/guide"):
        assert {t for t, p in before["pages"].items() if name in p} == {t for t, p in after["pages"].items() if name in p}


def test_an_index_of_another_format_makes_a_full_rebuild(search_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _index(_build(search_root, out))
    html = out / "html"
    # what plain Sphinx (or an older shuzhi) left in the output folder
    (html / "searchindex.js").write_text('Search.setIndex({"docnames":[]})', encoding="utf-8")
    app = _build(search_root, out)
    assert "search index couldn't be loaded" not in app._warning.getvalue()
    assert _index(app)["pages"] == first["pages"]


def test_parallel_build_writes_the_same_index(search_root: Path, tmp_path: Path) -> None:
    serial = _build(search_root, tmp_path / "serial")
    parallel = _build(search_root, tmp_path / "parallel", parallel=2)
    assert (Path(serial.outdir) / "searchindex.js").read_bytes() == (Path(parallel.outdir) / "searchindex.js").read_bytes()


def test_index_written_in_slices_is_one_text_and_its_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from shuzhi.search import index as index_module

    pages = {f"p{i}": {"党建", "整改", f"词{i}", '引"号\\'} for i in range(30)}
    whole = IndexFormat(cache=tmp_path / "whole.sqlite")
    expected = _write(whole, pages, pages, None)
    monkeypatch.setattr(index_module, "_SLICE", 3)
    sliced = IndexFormat(cache=tmp_path / "sliced.sqlite")
    text = _write(sliced, pages, pages, None)
    assert len(text) > 3 * 50 and text == expected
    compact = json.dumps(parse(text), ensure_ascii=False, separators=(",", ":"))
    assert text == index_module.PREFIX + compact + index_module.SUFFIX  # the index as compact JSON
    assert list(parse(text)["terms"]) == sorted(parse(text)["terms"])
    # the digest taken slice by slice is the whole text's: the next build reuses the forward index
    again = IndexFormat(cache=tmp_path / "sliced.sqlite")
    again.loads(text)
    assert again._cached
    empty = {"format": "x", "terms": {}, "orgs": []}
    compact = json.dumps(empty, ensure_ascii=False, separators=(",", ":"))
    assert index_module.serialise(empty) == index_module.PREFIX + compact + index_module.SUFFIX
