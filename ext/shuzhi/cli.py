"""The ``shuzhi`` command: import, lint, links, new, pdf, ledger, join, live, eval.

Each verb lives in its feature module, which provides ``add_arguments(parser)``
and ``run(args) -> int``. ``main(argv)`` takes ``argv`` so tests call it directly.
Errors the user can fix are one Chinese line on stderr and exit status 2, never
a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

VERBS = {
    "import": ("shuzhi.read.import_command", "导入原始报告（文本、Word、PDF、旧版 Word/WPS、网页），生成 MyST 报告"),
    "lint": ("shuzhi.check.lint", "检查报告：必备章节、序号、占位符、广告水印等"),
    "links": ("shuzhi.match.links", "列出每条问题对应的整改措施"),
    "new": ("shuzhi.read.scaffold", "为某单位新建下一年度报告（预填上年问题整改清单）"),
    "pdf": ("shuzhi.publish.pdf.volume_command", "生成年度 PDF 汇编（每年一册）"),
    "ledger": ("shuzhi.match.ledger_command", "整改台账：每条问题的整改状态与复现（text/json/csv/xlsx）"),
    "join": ("shuzhi.publish.join_command", "合并按年度分别构建的项目：整个档案的 archive.json、跨年度整改台账与搜索索引"),
    "live": ("shuzhi.site.live", "边写边看：常驻进程保留构建环境，修改后快速重建并刷新浏览器（参数同 sphinx-autobuild）"),
    "eval": ("shuzhi.evaluate.eval_command", "评测导入准确率：导入评测语料并与人工答案比对"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"shuzhi: 参数错误：{message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the chosen verb's module is imported (the others may be slow)."""
    parser = _Parser(prog="shuzhi", description="述职档案命令行工具")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="verb", metavar="命令", parser_class=_Parser)
    for name, (module, help_text) in VERBS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == verb:
            mod = importlib.import_module(module)
            mod.add_arguments(p)
            p.set_defaults(_module=mod)
    return parser


def _version() -> str:
    from . import __version__

    return f"shuzhi {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    verb = next((a for a in argv if not a.startswith("-")), None)
    if verb in VERBS and argv[:1] == [verb]:
        mod = importlib.import_module(VERBS[verb][0])
        if getattr(mod, "RAW_ARGUMENTS", False):  # handed on as they are (another tool's options)
            args = argparse.Namespace(verb=verb, args=argv[1:], _module=mod)
            return _run(args)
    parser = build_parser(verb if verb in VERBS else None)
    args = parser.parse_args(argv)
    if not getattr(args, "verb", None):
        parser.print_help()
        return 2
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args._module.run(args))
    except KeyboardInterrupt:
        print("shuzhi: 已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except ValueError as exc:  # configuration the user can fix
        print(f"shuzhi: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
