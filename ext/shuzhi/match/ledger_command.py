"""``shuzhi ledger``: the 整改台账 of the given reports, as text, JSON, CSV or Excel.

The rows are those of the site's 问题整改台账 page (:mod:`shuzhi.publish.ledger_export`):
measures resolved as the site resolves them (explicit markers, else the matcher
over the same archive), follow-ups and recurrences across all years, the
organisation aliases of the archive's shuzhi.yaml.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..check.lint import collect, read_report
from ..config import Config, find_root, load_config
from ..model import Report, parse_report, summarise
from ..publish.ledger_export import ledger_rows, status_code, to_csv, to_json, to_text, to_xlsx
from .ledger import Ledger, build_ledger
from .links import archive_idf, resolve_links

DEFAULT_PATH = "reports"
FORMATS = ("text", "json", "csv", "xlsx")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help=f"报告文件或目录（默认 {DEFAULT_PATH}/）")
    parser.add_argument("--format", choices=FORMATS, default="text", help="输出格式（默认 text；xlsx 须配合 --out）")
    parser.add_argument("--out", metavar="FILE", help="写入文件（默认输出到屏幕）；已存在的文件会被替换")
    parser.add_argument("--year", type=int, help="只列出该年度报告中的问题")
    parser.add_argument("--org", help="只列出该单位的问题（现名或曾用名均可）")
    parser.add_argument("--status", help="只列出该状态的问题：整改后复现、未整改、待核实、整改中、未提及、已整改、待跟进")


def load_reports(paths: Sequence[Path], config: Config) -> tuple[list[Report], list[str]]:
    """Parse every report under ``paths``; unreadable files are Chinese messages, not errors."""
    files, missing = collect([str(p) for p in paths])
    problems = [f"找不到文件或目录 {m}" for m in missing]
    reports: list[Report] = []
    for path in files:
        text, error = read_report(path)
        if text is None:
            assert error is not None
            problems.append(f"{path}:{error[0]}: {error[1]}（已跳过）")
            continue
        reports.append(parse_report(text, path.as_posix(), config.schema, config.kinds))
    return reports, problems


def ledger_of(reports: Sequence[Report], config: Config) -> Ledger:
    idf = archive_idf(reports)
    measures_of = {}
    for r in reports:
        links = resolve_links(r, idf)
        measures_of[summarise(r).ref] = {pid: [m.id for m in ms] for pid, ms in links.by_problem.items()}
    return build_ledger([summarise(r) for r in reports], measures_of, aliases=config.org_aliases)


def load_ledger(paths: Sequence[Path], root: Path | None = None) -> Ledger:
    """The ledger of the reports under ``paths``, with the configuration of ``root`` (or found above them)."""
    config = load_config(root if root is not None else find_root(Path(paths[0])) if paths else None)
    reports, _problems = load_reports(paths, config)
    return ledger_of(reports, config)


def run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in (args.paths or [DEFAULT_PATH])]
    if args.format == "xlsx" and not args.out:
        raise ValueError("--format xlsx 须用 --out 指定要写入的文件，例如 --out 台账.xlsx。")
    status = status_code(args.status) if args.status else None
    start = paths[0] if paths[0].exists() else Path.cwd()
    config = load_config(find_root(start) or find_root(Path.cwd()))
    reports, problems = load_reports(paths, config)
    for message in problems:
        print(f"shuzhi ledger: {message}", file=sys.stderr)
    rows = ledger_rows(ledger_of(reports, config), year=args.year, org=args.org, status=status)
    data: bytes
    if args.format == "xlsx":
        data = to_xlsx(rows)
    elif args.format == "csv":
        data = to_csv(rows)
    else:
        data = (to_json(rows) if args.format == "json" else to_text(rows)).encode("utf-8")
    if args.out:
        out = Path(args.out)
        if out.is_dir():
            raise ValueError(f"--out {out} 是一个目录，请给出文件名，例如 {out / ('ledger.' + args.format)}。")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        except OSError as exc:
            raise ValueError(f"无法写入 {out}（{exc.strerror or exc}），请检查路径和权限。") from None
        print(f"shuzhi ledger: 已写入 {out}（{len(rows)} 条问题）。", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    # a missing path is a usage error; an unreadable report leaves the ledger incomplete
    if any(m.startswith("找不到") for m in problems):
        return 2
    return 1 if problems else 0
