"""One ``searchindex.js`` from the indexes of year-slices built as separate Sphinx projects.

Each slice's HTML output holds its own reports (``reports/<year>/…``) and its own copy of the
pages every project has (the start page, the handbook under ``docs/``, the archive's listings).
A site made by copying the slices' output folders over each other, in the order given, serves
each shared page from the *last* slice holding it; :func:`merge` takes those pages' titles,
sections and terms from the same slice, so the merged index describes exactly the pages served.

The pages are numbered as Sphinx numbers them (sorted names); the section titles, organisations
and kinds are numbered again over all slices; each term's posting list is the union of its
slices' lists, renumbered, one term at a time (memory stays that of one posting list). The
result is written by the same serialiser as the build (:func:`~.index.serialise`): merging the
index of a single slice gives that index back byte for byte, and where the slices' pages are
the whole build's pages, the merged index is the whole build's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .index import FORMAT, PREFIX, SUFFIX, serialise
from .postings import decode, encode

_REBUILD = "请用同一版本的 shuzhi 重新构建该年度的项目"
_CODE = re.compile(r"[A-Za-z0-9_-]+")  # the letters of a posting list (postings.ALPHABET)


def read_index(path: Path) -> dict[str, Any]:
    """A slice's ``searchindex.js``, checked: our format, our version, a well-formed index object."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{path}：找不到搜索索引。请确认该年度的项目已用 HTML 构建完成（会写出 searchindex.js），"
                         f"或加 --no-search 只合并档案导出和整改台账。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: 无法读取（{getattr(exc, 'strerror', None) or exc}），请检查路径和权限。") from None
    if not text.startswith(PREFIX):
        raise ValueError(f"{path}:1:1: 不是 shuzhi 写出的搜索索引（应以 {PREFIX} 开头；Sphinx 自带的搜索索引不能合并），"
                         f"请确认该项目的 conf.py 启用了 shuzhi 扩展并重新构建。")
    if not text.endswith(SUFFIX):
        raise ValueError(f"{path}: 搜索索引不完整（结尾缺少 {SUFFIX.strip()}），{_REBUILD}。")
    try:
        index = json.loads(text[len(PREFIX):-len(SUFFIX)])
    except json.JSONDecodeError as exc:
        column = exc.colno + (len(PREFIX) if exc.lineno == 1 else 0)
        raise ValueError(f"{path}:{exc.lineno}:{column}: 搜索索引不是合法的 JSON（{exc.msg}），{_REBUILD}。") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        found = index.get("format") if isinstance(index, dict) else None
        raise ValueError(f"{path}: 搜索索引的格式为 {found}，本工具读写的是 {FORMAT}：{_REBUILD}。")
    problem = _shape(index)
    if problem:
        raise ValueError(f"{path}: 搜索索引的数据不完整或格式不对（{problem}），{_REBUILD}。")
    return index


def _shape(index: dict[str, Any]) -> str | None:
    """What is wrong with the shape of an index object (None: nothing)."""
    lists = ("docnames", "filenames", "titles", "heads", "headtitles", "reports", "orgs", "kinds")
    for key in lists:
        if not isinstance(index.get(key), list):
            return f"缺少 {key} 列表"
    if not isinstance(index.get("terms"), dict) or "envversion" not in index:
        return "缺少 terms 或 envversion"
    for key in ("docnames", "filenames", "titles", "headtitles", "orgs", "kinds"):
        if not all(isinstance(x, str) for x in index[key]):
            return f"{key} 中有不是文字的项"
    pages = len(index["docnames"])
    for key in ("filenames", "titles", "heads"):
        if len(index[key]) != pages:
            return f"{key} 有 {len(index[key])} 项，页面有 {pages} 个"
    titles = len(index["headtitles"])
    for heads in index["heads"]:
        if not (isinstance(heads, list)
                and all(isinstance(h, list) and len(h) == 2 and _within(h[0], titles) for h in heads)):
            return f"heads 中的一项不对（章节标题编号应在 headtitles 的范围内）：{heads!r}"
    for entry in index["reports"]:
        if not (isinstance(entry, list) and len(entry) == 4 and _within(entry[0], pages)
                and (entry[1] is None or isinstance(entry[1], int))
                and _within(entry[2], len(index["orgs"])) and _within(entry[3], len(index["kinds"]))):
            return f"reports 中的一项不对：{entry!r}"
    return None


def _within(value: Any, size: int) -> bool:
    return isinstance(value, int) and 0 <= value < size


def merge(indexes: Sequence[tuple[Path, dict[str, Any]]]) -> str:
    """The ``searchindex.js`` of the slices' pages overlaid in the order given (a page in several
    slices is taken from the last), from the checked indexes of :func:`read_index`."""
    owner: dict[str, tuple[int, int]] = {}  # page name -> (slice, its number there)
    for k, (_, index) in enumerate(indexes):
        for i, name in enumerate(index["docnames"]):
            owner[name] = (k, i)  # the last slice wins, as when its folder is copied last
    docnames = sorted(owner)  # as Sphinx numbers the pages
    number: list[list[int]] = [[-1] * len(index["docnames"]) for _, index in indexes]  # -1: page not taken
    for j, name in enumerate(docnames):
        k, i = owner[name]
        number[k][i] = j

    def taken(key: str) -> list[Any]:
        return [indexes[k][1][key][i] for k, i in (owner[name] for name in docnames)]

    heads = [[(indexes[k][1]["headtitles"][t], anchor) for t, anchor in indexes[k][1]["heads"][i]]
             for k, i in (owner[name] for name in docnames)]
    headtitles = sorted({title for page in heads for title, _ in page})
    head_id = {title: i for i, title in enumerate(headtitles)}
    merged = {
        "format": FORMAT,
        "envversion": indexes[-1][1]["envversion"],
        "docnames": docnames,
        "filenames": taken("filenames"),
        "titles": taken("titles"),
        "heads": [[[head_id[title], anchor] for title, anchor in page] for page in heads],
        "headtitles": headtitles,
        "terms": _postings(indexes, number),
        **_facets(indexes, number),
    }
    return serialise(merged)


def _postings(indexes: Sequence[tuple[Path, dict[str, Any]]], number: list[list[int]]) -> dict[str, str]:
    """Each term's pages in every slice, renumbered, one posting list at a time."""
    codes: dict[str, str] = {}
    for term in sorted({term for _, index in indexes for term in index["terms"]}):
        pages: list[int] = []
        for (path, index), renumber in zip(indexes, number, strict=True):
            code = index["terms"].get(term)
            if code is None:
                continue
            try:
                if not (isinstance(code, str) and _CODE.fullmatch(code)):
                    raise ValueError(code)
                pages.extend(j for j in (renumber[i] for i in decode(code)) if j >= 0)
            except (ValueError, IndexError, TypeError, AttributeError, StopIteration):
                raise ValueError(f"{path}: 搜索索引中词条“{term}”的页面列表无法解码，{_REBUILD}。") from None
        if pages:
            codes[term] = encode(sorted(pages))
    return codes


def _facets(indexes: Sequence[tuple[Path, dict[str, Any]]], number: list[list[int]]) -> dict[str, list[Any]]:
    """Year, organisation and kind of each report page taken; the organisations and kinds of every slice."""
    facets: dict[int, tuple[Any, str, str]] = {}
    for (_, index), renumber in zip(indexes, number, strict=True):
        for page, year, org, kind in index["reports"]:
            if renumber[page] >= 0:
                facets[renumber[page]] = (year, index["orgs"][org], index["kinds"][kind])
    # as the build lists them: every report's organisation and kind (report pages are in one slice only)
    orgs = sorted({org for _, index in indexes for org in index["orgs"]})
    kinds = sorted({kind for _, index in indexes for kind in index["kinds"]})
    org_id = {o: i for i, o in enumerate(orgs)}
    kind_id = {k: i for i, k in enumerate(kinds)}
    reports = [[page, year, org_id[org], kind_id[kind]] for page, (year, org, kind) in sorted(facets.items())]
    return {"reports": reports, "orgs": orgs, "kinds": kinds}
