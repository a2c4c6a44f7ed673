"""``shuzhi join OUT SLICE...``: one archive.json and one cross-year ledger from year-slices.

Each SLICE is the HTML output of one Sphinx project holding some years of the archive (or the
path of its ``_static/archive.json``); :mod:`.join` computes what spans them. Writes
``OUT/archive.json`` (as one build of the whole archive writes it), ``OUT/ledger.xlsx``,
``OUT/ledger.json`` (the rows of ``shuzhi ledger --format json``) and ``OUT/searchindex.js``,
the slices' search indexes merged (:mod:`shuzhi.search.merge`) for the site made by copying
the slices' HTML folders over each other in the order given (unless ``--no-search``). Every
input is read and checked before anything is written; existing files are replaced only with
``--force``, as ``shuzhi import`` does.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..config import find_root, load_config
from ..search.merge import merge, read_index
from .archive_export import dumps
from .join import Slice, join, read_slice
from .ledger_export import ledger_rows, link_limit_note, row_cells, to_json, to_xlsx

OUTPUTS = ("archive.json", "ledger.xlsx", "ledger.json", "searchindex.js")
SEARCHINDEX = "searchindex.js"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="OUT", help="输出目录：写入 archive.json、ledger.xlsx、ledger.json、searchindex.js")
    parser.add_argument("slices", nargs="+", metavar="SLICE",
                        help="各年度项目的 HTML 输出目录（含 _static/archive.json 和 searchindex.js），或 archive.json 的路径；"
                             "各项目都有的页面，搜索索引取最后一个项目的（复制站点时也应最后复制它）")
    parser.add_argument("--root", metavar="DIR",
                        help="档案项目目录（shuzhi.yaml 所在处，读单位曾用名和规则设置；默认从当前目录向上查找）")
    parser.add_argument("--force", action="store_true", help="覆盖 OUT 中已存在的输出文件")
    parser.add_argument("--no-search", action="store_true",
                        help="不合并各项目的 searchindex.js（只写档案导出和整改台账）")


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} 是一个文件，请给出输出目录，例如 _build/joined。")
    outputs = [name for name in OUTPUTS if not (args.no_search and name == SEARCHINDEX)]
    existing = [out / name for name in outputs if (out / name).exists()]
    if existing and not args.force:
        raise ValueError(f"{existing[0].as_posix()} 已存在，未覆盖（确认要覆盖请加 --force，或换一个输出目录）。")
    if args.root and not Path(args.root).is_dir():
        raise ValueError(f"--root {args.root} 不是目录，请给出 shuzhi.yaml 所在的档案项目目录。")
    root = Path(args.root).resolve() if args.root else find_root(Path.cwd())
    config = load_config(root)
    slices = [read_slice(Path(s)) for s in args.slices]
    joined = join(slices, config, root)
    indexes = None if args.no_search else [(path, read_index(path)) for path in map(_searchindex, slices)]
    rows = ledger_rows(joined.entries)
    pages = {ref: os.path.relpath(page, out).replace(os.sep, "/") for ref, page in joined.pages.items()}
    links = [f"{pages[r.ref]}#{r.problem_id}" if r.ref in pages else None for r in rows]
    note = link_limit_note(len(rows), "ledger.xlsx")
    if note:
        print(f"shuzhi join: {note}", file=sys.stderr)
    files = {
        "archive.json": dumps(joined.doc).encode("utf-8"),
        "ledger.xlsx": to_xlsx(rows, links, [row_cells(r) for r in rows]),
        "ledger.json": to_json(rows).encode("utf-8"),
    }
    if indexes is not None:
        files[SEARCHINDEX] = merge(indexes).encode("utf-8")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
    except OSError as exc:
        raise ValueError(f"无法写入 {out}（{exc.strerror or exc}），请检查路径和权限。") from None
    reports = sum(len(s.summaries) for s in slices)
    print(f"shuzhi join: 已合并 {len(slices)} 个项目（{reports} 篇报告），写入 {out.as_posix()}/"
          f"{'、'.join(files)}（整改台账 {len(rows)} 条问题）。", file=sys.stderr)
    return 0


def _searchindex(sl: Slice) -> Path:
    """Where a slice's search index is: beside its archive.json's ``_static`` folder."""
    if sl.html is None:
        raise ValueError(f"{sl.source}: 给出的是 HTML 输出目录之外的 archive.json，找不到该项目的 searchindex.js："
                         f"请给出 HTML 输出目录（如 _build/html），或加 --no-search 只合并档案导出和整改台账。")
    return sl.html / SEARCHINDEX
