"""``shuzhi new``: scaffold an organisation's next report.

The new report has its front matter, every section its kind requires (from the
section schema), and — when the organisation's previous-year report admitted
problems — a 整改落实 section pre-filled with one entry per problem, each already
linked to it (``【R1→2023/slug#P1】``), so the ledger follows it up by itself.
Nothing is ever overwritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import Config, find_root, load_config
from ..match.ledger import previous_problems
from ..model import ReportSummary, parse_report, summarise
from ..model.frontmatter import DEFAULT_KINDS
from ..model.ordinals import int_to_cn, strip_ordinal

TODO = "（待填写）"
_TITLES = {
    "述职报告": "{org}{author}{year}年抓基层党建工作述职报告",
    "述责述廉报告": "{org}{author}{year}年抓基层党建及述责述廉报告",
    "工作总结": "{org}{year}年度党建工作总结",
}
_HEADINGS = {
    "整改落实": "上年问题整改落实情况",
    "履职情况": "履职情况",
    "存在问题": "存在的问题",
    "原因分析": "原因分析",
    "下一步打算": "下一步工作打算",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", required=True, help="单位或党组织名称（与往年报告的 org 一致）")
    parser.add_argument("--year", required=True, type=int, help="新报告的年度，如 2024")
    parser.add_argument("--kind", help="报告类型（默认沿用上年，否则为 述职报告）")
    parser.add_argument("--reports", default="reports", help="档案目录（默认 reports）")


def load_summaries(folder: Path, config: Config | None = None) -> list[ReportSummary]:
    """The summaries of the reports under ``folder``, read with the archive's configuration."""
    config = config or load_config(None)
    out = []
    for path in sorted(folder.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        out.append(summarise(parse_report(text, str(path), config.schema, config.kinds, config.myst)))
    return out


def scaffold(org: str, year: int, kind: str, summaries: list[ReportSummary], author: str = "") -> str:
    """The Markdown text of the new report."""
    config = load_config(None)
    prev, problems = previous_problems(summaries, org, year)
    author = author or "党组书记"
    title = _TITLES.get(kind, "{org}{year}年度{kind}").format(org=org, author=author, year=year, kind=kind)
    rule = config.schema.kinds.get(kind)
    order = list(rule.order) if rule else ["履职情况", "存在问题", "原因分析", "下一步打算"]
    required = set(rule.required) if rule else set(order)
    if problems:
        required.add("整改落实")
    sections = [c for c in order if c in required]
    lines = [
        "---",
        f"title: {title}",
        f"year: {year}",
        f"org: {org}",
        f"author: {author}",
        f"kind: {kind}",
        "status: draft",
        "---",
        "",
        f"# {title}",
        "",
        f"现将本人{year}年度抓基层党建工作情况报告如下：{TODO}",
        "",
    ]
    for number, canonical in enumerate(sections, start=1):
        lines += [f"## {int_to_cn(number)}、{_HEADINGS[canonical]}", ""]
        if canonical == "整改落实" and prev is not None:
            lines += [f"针对{prev.year}年度报告查摆的问题，整改落实情况如下：", ""]
            for k, p in enumerate(problems, start=1):
                lines += [f"【R{k}→{prev.ref}#{p.id}】{int_to_cn(k)}是针对“{strip_ordinal(p.lead, runin=True)}”。整改情况：{TODO}", ""]
        elif canonical == "存在问题":
            lines += [f"【P1】一是{TODO}", ""]
        elif canonical == "下一步打算":
            lines += [f"【M1→P1】（一）{TODO}", ""]
        else:
            lines += [TODO, ""]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.reports)
    if not folder.is_dir():
        print(f"shuzhi new: 找不到档案目录 {folder}，请在档案根目录运行或用 --reports 指定。", file=sys.stderr)
        return 2
    org = args.org.strip()
    if not org or "/" in org or "\\" in org or org.startswith("."):
        print(f"shuzhi new: 单位名称 {args.org!r} 无效。", file=sys.stderr)
        return 2
    if not 1921 <= args.year <= 2100:
        print(f"shuzhi new: 年度 {args.year} 无效，请写四位年份。", file=sys.stderr)
        return 2
    root = find_root(folder)
    config = load_config(root)
    summaries = load_summaries(folder, config)
    mine = sorted((s for s in summaries if s.org == org), key=lambda s: s.year or 0)
    latest = next((s for s in reversed(mine) if s.year is not None and s.year < args.year), None)
    kind = args.kind or (latest.kind if latest else "述职报告")
    if kind not in config.kinds and kind not in DEFAULT_KINDS:
        print(f"shuzhi new: 报告类型 {kind!r} 不在允许的类型中：{'、'.join(config.kinds)}。", file=sys.stderr)
        return 2
    if any(s.year == args.year and s.kind == kind for s in mine):
        clash = next(s for s in mine if s.year == args.year and s.kind == kind)
        print(f"shuzhi new: {org} 已有 {args.year} 年的{kind}：{clash.path}，未新建。", file=sys.stderr)
        return 1
    if latest is not None:
        slug = Path(latest.path).stem
    else:
        from .write import make_slug

        slug = make_slug(org, "", kind)
    target = folder / str(args.year) / f"{slug}.md"
    if target.exists():
        print(f"shuzhi new: {target} 已存在，未覆盖。", file=sys.stderr)
        return 1
    author = ""
    if latest is not None:
        latest_text = Path(latest.path).read_text(encoding="utf-8")
        author = dict(parse_report(latest_text, latest.path, config.schema, config.kinds, config.myst).front.data).get(
            "author", ""
        )
    text = scaffold(org, args.year, kind, summaries, author=str(author or ""))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    prev, problems = previous_problems(summaries, org, args.year)
    print(str(target))
    if prev is not None:
        print(f"    已预填 {prev.year} 年报告 {prev.path} 的 {len(problems)} 条问题的整改落实条目")
    else:
        print(f"    未找到 {org} {args.year - 1} 年列有问题的报告，未预填整改落实")
    return 0
