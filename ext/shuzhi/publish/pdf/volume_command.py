"""``python -m shuzhi.publish.pdf``: build one typeset volume per year into ``_build/pdf/``.

Steps: check the toolchain (:mod:`.toolchain`) before anything else; collect
the volumes (:mod:`.volume`); one Sphinx LaTeX build writes every volume's
``.tex``; ``latexmk`` typesets the volumes side by side (one process per core);
each PDF is copied to ``<out>/<year>年度述职报告汇编.pdf`` and, when the HTML
site has been built, to ``_build/html/pdf/`` for the year pages' links.

Errors the user can fix are Chinese lines on stderr, never a traceback: exit
status 2 for a missing toolchain or bad arguments, 1 when a volume fails to
typeset (with the first LaTeX error and the path of the ``.log``).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import PDF_DIR, publish_volumes, toolchain, volume_filename
from .volume import WORK_DIR, Volume, collect, write_roots

EDITOR = "述职档案编辑组"
LATEX_TIMEOUT = 900  # seconds per volume; a 50-report volume takes well under a minute


@dataclass
class Result:
    volume: Volume
    pdf: Path | None
    log: Path
    error: str = ""
    missing_chars: tuple[str, ...] = ()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="档案根目录（含 reports/），默认当前目录")
    parser.add_argument("--out", type=Path, default=None, help="PDF 输出目录，默认 <根目录>/_build/pdf")
    parser.add_argument("--year", type=int, action="append", default=[], metavar="年度",
                        help="只生成这一年度的汇编（可重复）；默认全部年度")
    parser.add_argument("--reports", default="reports", help="报告所在目录（相对根目录），默认 reports")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="同时排版的卷数，默认等于 CPU 核数")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="shuzhi pdf",
                                     description="生成年度述职报告汇编 PDF（每年一卷）")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args)


def _err(message: str) -> None:
    print(f"shuzhi pdf: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    problem = toolchain.problem()
    if problem:
        _err(problem)
        return 2
    root = Path(args.root).resolve()
    out = (Path(args.out) if args.out else root / PDF_DIR).resolve()
    coll = collect(root, args.reports)
    for entry in coll.undated:
        _err(f"{entry.path}：未填写年度（year），不收入年度汇编；补写 year 后重新运行 make pdf。")
    volumes = list(coll.volumes.values())
    if args.year:
        absent = sorted(set(args.year) - set(coll.volumes))
        if absent:
            _err("以下年度没有报告：" + "、".join(map(str, absent)) + "。")
            return 2
        volumes = [v for v in volumes if v.year in set(args.year)]
    if not volumes:
        _err(f"{root / args.reports} 下没有注明年度的报告，没有可生成的汇编。")
        return 2

    write_roots(root, volumes)
    latex_dir = root / WORK_DIR / "latex"
    if not _sphinx(root, latex_dir, volumes, args.reports):
        return 1
    jobs = args.jobs or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(volumes)))) as pool:
        results = list(pool.map(lambda v: _typeset(latex_dir, v), volumes))

    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for res in results:
        if res.pdf is None:
            _err(f"{res.volume.year}年度汇编排版失败：{res.error}\n  完整日志：{res.log}")
            status = 1
            continue
        if res.missing_chars:
            _err(f"{res.volume.year}年度汇编中有字体缺少的字符：{''.join(res.missing_chars)}"
                 f"（印出来是空白），详见 {res.log}")
        target = out / volume_filename(res.volume.year)
        shutil.copyfile(res.pdf, target)
        print(f"已生成：{target}（{len(res.volume.entries)} 篇报告）")
    if status == 0 and not args.year:
        # a year whose reports were all moved or deleted: its old volume must not linger
        built = {volume_filename(v.year) for v in volumes}
        for stale in out.glob(volume_filename("*")):
            if stale.name not in built:
                stale.unlink()
                print(f"已删除过时的汇编：{stale}")
    html = root / "_build" / "html"
    if status == 0 and out == (root / PDF_DIR).resolve() and html.is_dir():
        publish_volumes(out, html)
    return status


def _sphinx(root: Path, latex_dir: Path, volumes: list[Volume], reports_dir: str) -> bool:
    """One LaTeX build for all volumes; False (after a Chinese message) if it fails."""
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.errors import SphinxError
    from sphinx.util.tags import Tags

    from .latex import confoverrides

    confdir = root if (root / "conf.py").is_file() else None
    extensions: list[str] = ["myst_parser"]
    editor = EDITOR
    if confdir is not None:
        try:
            project_conf = Config.read(confdir, overrides={}, tags=Tags())  # keywords: required on Sphinx 9
        except Exception as exc:  # noqa: BLE001 - the user's conf.py, reported in Chinese
            _err(f"读取 {confdir / 'conf.py'} 失败：{exc}")
            return False
        # the site's own extension writes navigation stubs and HTML badges: not in print
        extensions += [e for e in project_conf.extensions
                       if not e.startswith("shuzhi") and e not in extensions]
        editor = str(project_conf.author or EDITOR) if project_conf.author != "unknown" else EDITOR
    documents = [(v.docname, v.texname, v.title, editor, "manual", True) for v in volumes]
    overrides = confoverrides(documents)
    overrides.update({
        "extensions": [*extensions, "shuzhi.publish.pdf.pdf_extension"],
        "root_doc": volumes[0].docname,
        "exclude_patterns": [],
        "include_patterns": [f"{v.docname}.md" for v in volumes]
        + [e.path for v in volumes for e in v.entries],
        "source_suffix": {".md": "markdown"},
        "shuzhi_pdf_volumes": {
            v.docname: {"year": v.year, "count": len(v.entries), "kinds": v.kind_counts(),
                        "editor": editor}
            for v in volumes
        },
        "shuzhi_pdf_report_dirs": [reports_dir.rstrip("/") + "/"],
        "suppress_warnings": ["myst.header", "toc.not_included"],
    })
    if confdir is None:
        overrides.setdefault("project", "述职档案")
        overrides["myst_enable_extensions"] = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]
    warnings = io.StringIO()
    try:
        app = Sphinx(str(root), str(confdir) if confdir else None, str(latex_dir),
                     str(root / WORK_DIR / "doctrees"), "latex", confoverrides=overrides,
                     status=None, warning=warnings, freshenv=False, verbosity=0)
        app.build()
    except SphinxError as exc:
        sys.stderr.write(warnings.getvalue())
        _err(f"Sphinx 生成 LaTeX 失败：{exc}")
        return False
    sys.stderr.write(warnings.getvalue())
    return True


_ERROR_LINE = re.compile(r"^(?:\./)?[^:\s]+\.tex:(?P<line>\d+): (?P<msg>.*)$|^! (?P<bang>.*)$")
_DOC_LABEL = re.compile(r"\\detokenize\{(?P<doc>[^}]+)::doc\}")
_MISSING = re.compile(r"Missing character: There is no (.) ")


def _typeset(latex_dir: Path, volume: Volume) -> Result:
    tex = latex_dir / volume.texname
    log = tex.with_suffix(".log")
    argv = ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error",
            "-file-line-error", volume.texname]
    try:
        done = subprocess.run(argv, cwd=latex_dir, capture_output=True, text=True,
                              timeout=LATEX_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return Result(volume, None, log, f"latexmk 超过 {LATEX_TIMEOUT} 秒未完成")
    except OSError as exc:
        return Result(volume, None, log, f"无法运行 latexmk：{exc}")
    log_text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    pdf = tex.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.is_file():
        return Result(volume, None, log, _first_error(log_text, tex) or done.stderr.strip()[-500:])
    missing = tuple(dict.fromkeys(_MISSING.findall(log_text)))
    return Result(volume, pdf, log, missing_chars=missing)


def _first_error(log_text: str, tex: Path) -> str:
    """The first LaTeX error, its line in the .tex, and the report it comes from."""
    lines = log_text.splitlines()
    for i, line in enumerate(lines):
        m = _ERROR_LINE.match(line)
        if not m:
            continue
        message = (m.group("msg") or m.group("bang") or "").strip()
        context = " ".join(s.strip() for s in lines[i + 1:i + 3] if s.strip().startswith("l."))
        where = ""
        if m.group("line"):
            where = f"{tex.name} 第 {m.group('line')} 行"
            doc = _report_at(tex, int(m.group("line")))
            if doc:
                where += f"（报告 {doc}.md）"
            where += "："
        return f"{where}{message} {context}".strip()[:500]
    return ""


def _report_at(tex: Path, lineno: int) -> str:
    """The docname whose chapter holds ``lineno`` of the generated .tex."""
    try:
        head = tex.read_text(encoding="utf-8").splitlines()[:lineno]
    except OSError:
        return ""
    for line in reversed(head):
        m = _DOC_LABEL.search(line)
        if m:
            return m.group("doc")
    return ""
