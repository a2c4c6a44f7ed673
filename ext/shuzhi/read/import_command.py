"""``shuzhi import SRC... [--out DIR] [--force] [--dry-run] [--year Y] [--org NAME] [--kind K]``.

Prints, per file written, its path and an indented summary of what was inferred
and removed. A file that cannot be imported gets one Chinese line on stderr; the
others are still imported, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import find_root, load_config
from ..model import default_schema
from . import ImportFailure, ImportResult, import_file
from .decode import SUPPORTED
from .infer import KINDS
from .write import output_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="SRC", help="要导入的文件或目录（.txt、.docx、.pdf、.doc、.wps、.rtf、.odt、.html）")
    parser.add_argument("--out", default="reports", metavar="DIR", help="输出目录（默认 reports）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的报告")
    parser.add_argument("--dry-run", action="store_true", help="只显示导入结果，不写任何文件")
    parser.add_argument("--year", type=_year, metavar="Y", help="报告年度（覆盖推断结果）")
    parser.add_argument("--org", metavar="NAME", help="单位名称（覆盖推断结果）")
    parser.add_argument("--kind", choices=KINDS, metavar="K", help="报告类型：" + "、".join(KINDS))


def _year(value: str) -> int:
    if not value.isdigit() or not 1921 <= int(value) <= 2100:
        raise argparse.ArgumentTypeError(f"年度应为四位数字，如 2023，而不是「{value}」")
    return int(value)


def collect(sources: list[str]) -> list[tuple[Path, str]]:
    """(path, path as the user wrote it) for each file; folders give the files of every supported type."""
    found: list[tuple[Path, str]] = []
    for raw in sources:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                # a saved web page keeps its pictures and scripts in page_files/: not reports
                helpers = any(part.endswith(("_files", ".files")) for part in child.relative_to(path).parts[:-1])
                if (
                    child.is_file()
                    and child.suffix.lower() in SUPPORTED
                    and not child.name.startswith((".", "~$"))
                    and not helpers
                ):
                    found.append((child, child.as_posix()))
        else:
            found.append((path, path.as_posix() if raw == path.as_posix() else raw))
    return found


def recorded_source(path: Path, root: Path) -> str:
    """How front matter names the imported file: relative to the project root, or just its name
    when it lies outside (no machine path in a committed report)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def run(args: argparse.Namespace) -> int:
    out_dir = Path(args.out)
    root = find_root(Path.cwd())
    config = load_config(root)
    patterns = None
    extra = config.raw.get("adverts")
    if isinstance(extra, dict):
        from .adverts import load

        patterns = load(extra)
    schema = config.schema if config.sections else default_schema()
    failures = 0
    planned: set[Path] = set()
    for path, given in collect(args.sources):
        try:
            result = import_file(
                path, recorded_source(path, root or Path.cwd()), year=args.year, org=args.org, kind=args.kind, patterns=patterns, schema=schema
            )
            target = output_path(out_dir, result.meta.year.value if isinstance(result.meta.year.value, int) else None, result.slug)
        except ImportFailure as exc:
            print(f"shuzhi import: {given}：{exc}", file=sys.stderr)
            failures += 1
            continue
        except ValueError as exc:
            print(f"shuzhi import: {given}：{exc}", file=sys.stderr)
            failures += 1
            continue
        if target.resolve() in planned or (target.exists() and not args.force):
            print(
                f"shuzhi import: {given}：{target.as_posix()} 已存在，未覆盖（确认要覆盖请加 --force，"
                "或用 --org/--year 区分）。",
                file=sys.stderr,
            )
            failures += 1
            continue
        planned.add(target.resolve())
        if not args.dry_run:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(result.markdown, encoding="utf-8", newline="\n")
            except OSError as exc:
                print(f"shuzhi import: {given}：无法写入 {target.as_posix()}（{exc.strerror or exc}）。", file=sys.stderr)
                failures += 1
                continue
        _print(result, target, args.dry_run)
    return 1 if failures else 0


def _print(result: ImportResult, target: Path, dry_run: bool) -> None:
    print(target.as_posix() + ("（预览，未写入）" if dry_run else ""))
    print(f"  来源：{result.source}")
    for line in result.summary():
        print("  " + line)
