"""``shuzhi eval DIR [--format text|json] [--case NAME]``: the accuracy table of a corpus.

Text output: one row per field (precision, recall, counts), one row per form tag,
the body characters lost and the false ``problem-unfixed`` rate, then every
failure as ``case  field  expected → got``. Exit status 0, or 1 when the folder
has no usable case or an answer file cannot be used.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from . import Evaluation, Tally, load_cases, score_case

FIELD_NAMES = {
    "title": "标题", "year": "年度", "org": "单位", "kind": "类型", "sections": "一级标题",
    "problems": "问题", "measures": "措施", "pairs": "问题—措施配对", "removed": "删除的网页杂项",
    "body": "正文无缺失", "findings": "检查结果",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="评测语料目录（每个案例一个原始文件加一个同名 .yaml 答案）")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    parser.add_argument("--case", action="append", default=[], metavar="NAME", help="只评测名称含 NAME 的案例（可重复）")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def as_dict(ev: Evaluation) -> dict[str, Any]:
    def tally(t: Tally) -> dict[str, Any]:
        return {"precision": _round(t.precision), "recall": _round(t.recall), "tp": t.tp, "fp": t.fp, "fn": t.fn}

    return {
        "cases": len(ev.scores),
        "fields": {name: tally(t) for name, t in ev.fields.items()},
        "forms": {form: {"cases": n, **tally(t)} for form, (n, t) in ev.forms.items()},
        "body_loss": ev.body_loss,
        "problems": ev.problems,
        "unfixed_false": ev.unfixed_false,
        "unfixed_false_rate": round(ev.unfixed_false_rate, 4),
        "failures": [f.__dict__ for f in ev.failures],
        "errors": ev.errors,
    }


def table(ev: Evaluation) -> list[str]:
    """The accuracy table as Markdown lines (also what docs/accuracy.md shows)."""
    out = [f"案例 {len(ev.scores)} 个。", "", "| 字段 | 精确率 | 召回率 | 正确 | 多报 | 漏报 |", "|---|---|---|---|---|---|"]
    for name, t in ev.fields.items():
        out.append(f"| {FIELD_NAMES[name]}（{name}） | {_pct(t.precision)} | {_pct(t.recall)} | {t.tp} | {t.fp} | {t.fn} |")
    out += [
        "",
        f"正文缺失：{ev.body_loss} 字；“问题无对应措施”误报：{ev.unfixed_false} / {ev.problems} 条问题"
        f"（{_pct(ev.unfixed_false_rate)}）。",
        "",
        "| 形式 | 案例 | 精确率 | 召回率 | 多报 | 漏报 |",
        "|---|---|---|---|---|---|",
    ]
    for form, (n, t) in ev.forms.items():
        out.append(f"| {form} | {n} | {_pct(t.precision)} | {_pct(t.recall)} | {t.fp} | {t.fn} |")
    return out


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"shuzhi eval: 找不到目录 {args.folder}", file=sys.stderr)
        return 2
    cases, errors = load_cases(folder)
    if args.case:
        cases = [c for c in cases if any(n in c.name for n in args.case)]
    ev = Evaluation([score_case(case) for case in cases], errors)
    if args.format == "json":
        print(json.dumps(as_dict(ev), ensure_ascii=False, indent=2))
    else:
        for line in table(ev):
            print(line)
        if ev.failures:
            print(f"\n失败（{len(ev.failures)} 处）：")
            for f in ev.failures:
                print(f"  {f.case}  {f.field}  {f.expected} → {f.got}")
    for error in errors:
        print(f"shuzhi eval: {error}", file=sys.stderr)
    return 1 if errors or not cases else 0
