"""``shuzhi lint``: check reports without starting Sphinx, with the rules the build uses.

Text output is one ``path:line: severity code: message`` line per finding, sorted
by path and line, then a Chinese summary on stderr; ``--format json`` prints an
array of ``{"path", "line", "code", "severity", "message"}``. Exit status 1 if
any finding is an error, else 0. A file that cannot be read (binary, not UTF-8)
is one located ``unreadable`` finding; the other files are still checked.

Large archives are checked in worker processes, forked with the configuration and
the compiled patterns already loaded (where the system cannot fork, each worker loads
them once), their results joined in input order; Python's cyclic garbage collector is
paused meanwhile and swept after each chunk. With ``--cache``, reports unchanged since
the last run are not checked again (:mod:`.lintcache`); the output is the same.
"""

from __future__ import annotations

import argparse
import fnmatch
import gc
import logging
import multiprocessing
import os
import re
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from ..config import Config, find_root, load_config
from ..model import ReportSummary, parse_report, summarise
from ..model.findings import Code, Finding, findings_json
from ..publish.collector import paused
from . import check_archive, check_report
from .lintcache import LintCache, Result
from .registry import severity
from .rule_settings import settings

DEFAULT_PATH = "reports"
#: below this many files, worker processes cost more than they save
PARALLEL_MIN = 150


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help=f"报告文件或目录（默认 {DEFAULT_PATH}/，目录下的 .md 都会检查）")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="并行进程数（默认按 CPU 数，报告少时不并行）")
    parser.add_argument(
        "--cache", action="store_true",
        help="按文件内容缓存单篇检查结果（存于档案根目录的 _build/lint-cache.pickle），只重新检查改动过的报告；结果与不用缓存相同",
    )


def collect(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    """The .md files under the given paths (sorted, each once) and the paths not found."""
    files: list[tuple[Path, bool]] = []  # (file, is a link)
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(_markdown_files(path))
        elif path.is_file():
            files.append((path, path.is_symlink()))
        else:
            missing.append(raw)
    seen: set[Path] = set()
    folders: dict[Path, Path] = {}
    unique = []
    for f, link in files:
        key = _resolved(f, link, folders)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, missing


def _markdown_files(root: Path) -> list[tuple[Path, bool]]:
    """``sorted(p for p in root.rglob("*.md") if p.is_file())`` with whether each is a link, from
    one directory listing per folder (no system call per file): folders are entered as ``rglob``
    enters them (not through links), files are regular files or links to one, sorted as paths."""
    found: list[tuple[tuple[str, ...], Path, bool]] = []
    _walk(root, (), found)
    if os.name == "posix":
        found.sort(key=lambda entry: entry[0])  # as Path sorts paths under one root: part by part
    else:
        found.sort(key=lambda entry: entry[1])
    return [(path, link) for _parts, path, link in found]


def _walk(folder: Path, parts: tuple[str, ...], found: list[tuple[tuple[str, ...], Path, bool]]) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return  # as rglob: an unreadable folder is skipped
    for entry in entries:
        name = entry.name
        if _MARKDOWN(name):
            link = entry.is_symlink()
            if entry.is_file(follow_symlinks=False) or (link and _is_file(entry)):
                found.append(((*parts, name), folder / name, link))
        if entry.is_dir() and not entry.is_symlink():
            _walk(folder / name, (*parts, name), found)


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


#: what rglob("*.md") matches: case-sensitive where paths are (fnmatch on the name)
_MARKDOWN = re.compile(fnmatch.translate("*.md"), 0 if os.path.normcase("A") == "A" else re.IGNORECASE).match


def _resolved(path: Path, link: bool, folders: dict[Path, Path]) -> Path:
    """``path.resolve()``, resolving each folder once: a file that is not a link resolves to its
    resolved folder and its name."""
    if link:
        return path.resolve()
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    return folder / path.name


def read_report(path: Path) -> tuple[str | None, tuple[int, str] | None]:
    """(text, None) or (None, (line, Chinese reason)) for a file that is not UTF-8 text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, (1, f"文件无法读取（{exc.strerror or exc}），请检查文件权限。")
    if b"\x00" in data[:8192]:
        return None, (1, "这是二进制文件，不是文本报告；请删除它，或用 shuzhi import 从 .docx/.txt 导入。")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            guess = "，疑为 GBK/GB18030 编码"
        except UnicodeDecodeError:
            guess = ""
        return None, (line, f"文件不是 UTF-8 编码{guess}（第 {line} 行起无法解码），请另存为 UTF-8，或用 shuzhi import 导入。")


def check_file(path: Path, config: Config) -> Result:
    """The single-report findings of one file and its summary for the archive checks."""
    name = str(path)
    text, problem = read_report(path)
    if text is None:
        assert problem is not None
        level = severity(Code.UNREADABLE, "final", config)
        return ([] if level == "off" else [Finding(name, problem[0], Code.UNREADABLE, level, problem[1])]), None
    report = parse_report(text, name, config.schema, config.kinds, config.myst)
    return check_report(report, config), summarise(report)


_WORKER_CONFIG: Config | None = None


def _init_worker(root: str | None) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = load_config(Path(root) if root else None)
    gc.disable()  # as in the parent (_collector_paused): swept after each chunk
    gc.freeze()


def _check_chunk(paths: list[str]) -> list[Result]:
    assert _WORKER_CONFIG is not None
    results = [check_file(Path(p), _WORKER_CONFIG) for p in paths]
    _sweep()
    return results


#: reports checked in this process between two sweeps of the cyclic garbage collector
SWEEP_EVERY = 200


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while reports are checked.

    It runs every few hundred allocations, and each full run walks every object alive:
    here the results of all the reports checked so far (about a tenth of the CPU time at
    5,000). The checks make no reference cycles of their own; rather than trust that,
    :func:`_sweep` (after each chunk of reports) collects what the chunk left and freezes
    the rest, so a collection costs in proportion to one chunk. Forked workers inherit
    the paused collector and the frozen objects (whose pages a collection then does not
    write to).
    """
    with paused():
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()


def _sweep() -> None:
    """Collect the garbage made since the last sweep, then freeze what is left (only while paused)."""
    if not gc.isenabled():
        gc.collect()
        gc.freeze()


def _pool(jobs: int, config: Config) -> ProcessPoolExecutor:
    """Worker processes for the checks. Forked where the system can: they start with the
    configuration, the compiled patterns and the parser already built; elsewhere each
    loads the configuration once."""
    global _WORKER_CONFIG
    if "fork" in multiprocessing.get_all_start_methods():
        settings(config).within("")  # the patterns' prefilter: built once here, not in each worker
        _WORKER_CONFIG = config
        return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
    root = str(config.root) if config.root is not None else None
    return ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(root,))


def cpu_count() -> int:
    """The processors this process may run on (a container or ``taskset`` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def lint(
    files: Sequence[Path], config: Config, jobs: int = 0, cache: LintCache | None = None
) -> tuple[list[Finding], int]:
    """All findings for the files (single-report and archive rules), and how many reports were checked.

    With a ``cache``, a report whose bytes are unchanged since it was kept is not checked again."""
    kept: dict[int, Result] = {}
    digests: dict[int, str | None] = {}
    if cache is not None:
        for index, path in enumerate(files):
            digests[index], result = cache.get(path)
            if result is not None:
                kept[index] = result
    todo = [i for i in range(len(files)) if i not in kept]
    checked = _check_all([files[i] for i in todo], config, jobs)
    for index, result in zip(todo, checked, strict=True):
        kept[index] = result
        if cache is not None:
            cache.put(files[index], digests[index], result)
    findings: list[Finding] = []
    summaries: list[ReportSummary] = []
    for index in range(len(files)):
        found, summary = kept[index]
        findings.extend(found)
        if summary is not None:
            summaries.append(summary)
    findings.extend(check_archive(summaries, config))
    findings.sort(key=lambda f: (f.path, f.line, f.code, f.message))
    return findings, len(files)


def _check_all(files: Sequence[Path], config: Config, jobs: int) -> list[Result]:
    """check_file for each file, in order: in worker processes when there are many."""
    jobs = jobs or min(cpu_count(), 4)
    if jobs > 1 and len(files) >= PARALLEL_MIN:
        # small chunks: a worker that finishes early (the other shares its core) takes more
        size = max(1, len(files) // (jobs * 16))
        chunks = [[str(p) for p in files[i : i + size]] for i in range(0, len(files), size)]
        with _collector_paused(), _pool(jobs, config) as pool:
            results: list[Result] = []
            for chunk in pool.map(_check_chunk, chunks):
                results.extend(chunk)
                _sweep()
            return results
    with _collector_paused():
        results = []
        for start in range(0, len(files), SWEEP_EVERY):
            results.extend(check_file(p, config) for p in files[start : start + SWEEP_EVERY])
            _sweep()
        return results


def summary_line(findings: Sequence[Finding], count: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    infos = sum(1 for f in findings if f.severity == "info")
    line = f"检查了 {count} 份报告：{errors} 个错误，{warnings} 个警告"
    if infos:
        line += f"，{infos} 条提示"
    return line + "。"


def quiet_parser_debug() -> None:
    """Skip markdown-it's debug calls when nothing listens to them.

    Its block parser logs a debug message for every rule it tries (about 280 a report);
    with no handler at debug level the calls alone are a quarter of tokenising. The
    command line configures no logging, so each markdown-it logger that is not enabled
    for debug gets a no-op ``debug``; the worker processes inherit it.
    """
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if name.split(".")[0] == "markdown_it" and isinstance(logger, logging.Logger):
            if not logger.isEnabledFor(logging.DEBUG):
                logger.debug = _no_debug  # type: ignore[method-assign]


def _no_debug(*_args: object, **_kwargs: object) -> None:
    return None


def run(args: argparse.Namespace) -> int:
    paths = list(args.paths) or [DEFAULT_PATH]
    files, missing = collect(paths)
    for raw in missing:
        print(f"shuzhi lint: 找不到文件或目录 {raw}", file=sys.stderr)
    start = Path(paths[0]) if Path(paths[0]).exists() else Path.cwd()
    config = load_config(find_root(start) or find_root(Path.cwd()))
    quiet_parser_debug()
    cache = LintCache.open(config) if getattr(args, "cache", False) else None
    findings, count = lint(files, config, getattr(args, "jobs", 0), cache)
    problem = cache.save() if cache is not None else None
    if problem:
        print(problem, file=sys.stderr)
    if args.format == "json":
        print(findings_json(findings))
    else:
        for f in findings:
            print(f.as_text())
        print(summary_line(findings, count), file=sys.stderr)
    if missing:
        return 2
    return 1 if any(f.severity == "error" for f in findings) else 0
