"""``shuzhi live`` (``make livehtml``): sphinx-autobuild with a resident process that keeps the environment.

sphinx-autobuild starts a new Python for every rebuild, and every rebuild begins by importing
Sphinx and the extensions and unpickling the whole build environment: at 5,000 reports about
3 s of a 12 s rebuild, spent before the edited report is even looked at. Here the server
process does that once, ahead of time: it imports what the configuration names, reads the
environment the last build saved and keeps it. A rebuild is a child forked from it (a
copy of that memory, made in milliseconds) that runs the same ``sphinx-build`` command with
one difference: Sphinx is given the environment already read in instead of reading it from
``environment.pickle``, provided the file is still the one that was read (same inode, size
and modification time); otherwise the child reads the file as usual. What the child builds is
what ``sphinx-build`` would build from the same files (``tests/test_live.py`` compares the
pages). After each build the server reads the new environment in the background, while the
browser reloads.

A change to a Python file (``conf.py``, an extension) is not seen by modules already imported:
from then on each rebuild starts a fresh Python, as plain sphinx-autobuild does, until
``make livehtml`` is started again.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: ``shuzhi live ARGS``: ARGS go to sphinx-autobuild unparsed (see :mod:`shuzhi.cli`)
RAW_ARGUMENTS = True

Stamp = tuple[int, int, int]


def _stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


@dataclass(frozen=True)
class Outcome:
    """One rebuild: exit status, whether it used the environment read in ahead, the child's peak RSS."""

    code: int
    warm: bool
    peak_mb: float


@dataclass(frozen=True)
class _Dirs:
    confdir: Path | None  # None: -C (no configuration file)
    tags: tuple[str, ...]
    doctreedir: Path
    fresh: bool  # -E / -a / -M: nothing to gain from an environment read in ahead


def _dirs(sphinx_args: Sequence[str]) -> _Dirs:
    from sphinx.cmd.build import get_parser

    args = list(sphinx_args)
    if args[:1] == ["-M"]:
        return _Dirs(None, (), Path(), True)
    ns = get_parser().parse_args(args)
    out = Path(ns.outputdir)
    conf = None if ns.noconfig else Path(ns.confdir or ns.sourcedir)
    return _Dirs(conf, tuple(ns.tags or ()), Path(ns.doctreedir) if ns.doctreedir else out / ".doctrees", bool(ns.freshenv or ns.force_all))


class Warm:
    """Builds ``sphinx-build SPHINX_ARGS`` in children forked from a process holding the environment."""

    def __init__(self, sphinx_args: Sequence[str]) -> None:
        self.args = list(sphinx_args)
        self.dirs = _dirs(self.args)
        self.cold_reason = "" if hasattr(os, "fork") else "此系统不支持 fork"
        self._env: Any = None
        self._stamp: Stamp | None = None
        self._imported = False
        self._learned: list[str] = []  # modules the last build imported that this process had not
        self._thread: threading.Thread | None = None

    # -- the environment read in ahead --------------------------------------------------------

    def prepare(self) -> None:
        """Import what the configuration names and read the saved environment in (when there is one)."""
        self._drop()
        if self.cold_reason or self.dirs.fresh:
            return
        self._import_once()
        # what the extensions' setup() and the last build imported (0.3 s of each child otherwise)
        learned, self._learned = self._learned, []
        self._import(learned)
        from sphinx.application import ENV_PICKLE_FILENAME

        path = self.dirs.doctreedir / ENV_PICKLE_FILENAME
        before = _stamp(path)
        if before is None:
            return
        from . import recordfile

        recordfile.expect_doctrees(self.dirs.doctreedir)
        gc.disable()  # unpickling makes no garbage; it is frozen right after
        try:
            with open(path, "rb") as f:
                env = pickle.load(f)
        except Exception:  # noqa: BLE001 - the child then reads the file and says what is wrong
            env = None
        finally:
            gc.enable()
        if env is not None and _stamp(path) == before:
            self._env, self._stamp = env, before
            gc.freeze()  # neither collected here nor copied into the children by their collections

    def prepare_later(self) -> None:
        """:meth:`prepare` in the background; the next build waits for it."""
        self.wait()
        self._thread = threading.Thread(target=self.prepare, name="shuzhi-live-prepare", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def close(self) -> None:
        """Let go of the environment (and of what :meth:`prepare` froze)."""
        self.wait()
        self._drop()

    def code_changed(self, paths: Sequence[Path]) -> None:
        """Python files changed: modules imported here are stale, so every later build starts afresh."""
        if paths and not self.cold_reason:
            self.wait()
            self.cold_reason = f"Python 文件有改动（{paths[0].name}）"
            self._drop()

    def _drop(self) -> None:
        if self._env is not None:
            self._env, self._stamp = None, None
            gc.unfreeze()
            gc.collect()  # the old environment has cycles (its domains point back to it)

    def _import_once(self) -> None:
        if self._imported:
            return
        self._imported = True
        import sphinx.application

        # what every Sphinx() imports (30-odd built-in extensions: 0.3 s), then what conf.py names
        names = ["sphinx.cmd.build", "sphinx.builders.html", *getattr(sphinx.application, "builtin_extensions", ())]
        if self.dirs.confdir is not None:
            try:
                from sphinx.config import Config
                from sphinx.util.tags import Tags

                config = Config.read(self.dirs.confdir.resolve(), overrides={}, tags=Tags(self.dirs.tags))
                names += list(config.extensions)  # conf.py has run: its sys.path too
            except Exception:  # noqa: BLE001 - the build reports a broken conf.py itself
                pass
        self._import(names)

    def _import(self, names: Sequence[str]) -> None:
        for name in names:
            if name in sys.modules:
                continue
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - likewise: Sphinx says which extension is missing
                pass

    # -- building ---------------------------------------------------------------------------

    def build(self, output: Path | None = None) -> Outcome:
        """Rebuild; Sphinx's messages go to ``output`` if given (the terminal otherwise)."""
        self.wait()
        if self.cold_reason:
            with open(output, "w") if output else contextlib.nullcontext() as out:
                code = subprocess.run([sys.executable, "-m", "sphinx", "build", *self.args], check=False,
                                      stdout=out, stderr=subprocess.STDOUT if out else None).returncode
            return Outcome(code, False, 0.0)
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its effects are what the tests check
            os.close(read)
            if output is not None:
                log = open(output, "w", encoding="utf-8")  # noqa: SIM115 - open until the child exits
                os.dup2(log.fileno(), 1)
                os.dup2(log.fileno(), 2)
                sys.stdout = sys.stderr = log
            os._exit(_child(self.args, self._env, self._stamp, write))
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            head, _, learned = pipe.read().partition(b"\n")
        warm = head == b"1"
        self._learned = [name for name in learned.decode("utf-8", "replace").split("\n") if name]
        _, status, usage = os.wait4(pid, 0)
        return Outcome(os.waitstatus_to_exitcode(status), warm, usage.ru_maxrss / 1024)


def _child(args: list[str], env: Any, stamp: Stamp | None, pipe: int) -> int:
    """In the forked child: ``sphinx-build ARGS``, given ``env`` if the pickle is still the one it came from."""
    code = 1
    known = set(sys.modules)
    try:
        from sphinx.application import Sphinx
        from sphinx.cmd.build import main

        original = Sphinx._load_existing_env

        def load(app: Sphinx, filename: Path) -> Any:
            if env is None or _stamp(Path(filename)) != stamp:
                return original(app, filename)
            env.setup(app)
            app._fresh_env_used = False
            os.write(pipe, b"1")
            return env

        Sphinx._load_existing_env = load  # type: ignore[method-assign,assignment]  # this process builds once
        code = main(["build", *args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        code = 130
    except BaseException as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"shuzhi live：重建失败：{type(exc).__name__}: {exc}", file=sys.stderr)
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        learned = [name for name in list(sys.modules) if name not in known]
        with contextlib.suppress(OSError):  # for the parent to import before the next build
            os.write(pipe, ("\n" + "\n".join(learned)).encode("utf-8"))
        os.close(pipe)
    return code


# -- the server: sphinx-autobuild's, with the builds above ---------------------------------------


def _autobuild_classes() -> tuple[type, type]:
    import watchfiles
    from sphinx_autobuild.build import Builder
    from sphinx_autobuild.server import RebuildServer
    from sphinx_autobuild.utils import show_message

    class LiveBuilder(Builder):
        """sphinx-autobuild's builder, building through :class:`Warm`."""

        def __init__(self, sphinx_args: list[str], **kwargs: Any) -> None:
            super().__init__(sphinx_args, **kwargs)
            self.warm = Warm(sphinx_args)
            self.warm.prepare()

        def __call__(self, *, changed_paths: Sequence[Path] = ()) -> None:
            if changed_paths:
                show_message("检测到改动：" + "、".join(p.name for p in changed_paths[:5]))
            self.warm.code_changed([p for p in changed_paths if p.suffix == ".py"])
            if self._run_commands(self.pre_build_commands, "pre-build") != 0:
                return
            started = time.perf_counter()
            outcome = self.warm.build()
            how = "使用常驻进程已读入的构建环境" if outcome.warm else "重新读入构建环境"
            show_message(f"重建用时 {time.perf_counter() - started:.1f} 秒（{how}）")
            if outcome.code != 0:
                print(f"Sphinx 退出码 {outcome.code}：浏览器里的页面与源文件已不一致，请按上面的提示改正后保存，"
                      "或按 Ctrl+C 停止。")
            else:
                self._run_commands(self.post_build_commands, "post-build")
            if self.warm.cold_reason:
                show_message(f"{self.warm.cold_reason}：此后每次重建都重新启动 Sphinx；重新运行 make livehtml 可恢复快速重建")
            show_message(f"正在服务：{self.uri}")
            self.warm.prepare_later()

    class LiveServer(RebuildServer):
        """Builds in this process's thread (the builder keeps the environment), not in a process pool."""

        async def watch(self) -> None:
            async for changes in watchfiles.awatch(*self.paths, watch_filter=lambda _, path: not self.ignore(path)):
                changed = [Path(path).resolve() for (_, path) in changes]
                await asyncio.to_thread(self.change_callback, changed_paths=changed)
                self.flag.set()

    return LiveBuilder, LiveServer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("args", nargs=argparse.REMAINDER, metavar="参数",
                        help="与 sphinx-autobuild 相同，例如 --host 127.0.0.1 -d _build/doctrees . _build/html")


def run(args: argparse.Namespace) -> int:
    try:
        from sphinx_autobuild import __main__ as autobuild
    except ImportError:
        raise ValueError("未安装 sphinx-autobuild：请运行 make setup（或 pip install 'shuzhi[live]'）") from None
    if not args.args:
        raise ValueError("请给出源目录与输出目录，例如：shuzhi live -d _build/doctrees . _build/html")
    builder, server = _autobuild_classes()
    show = autobuild.show_message
    saved = autobuild.Builder, autobuild.RebuildServer, show
    autobuild.Builder, autobuild.RebuildServer = builder, server
    autobuild.show_message = lambda text: show(_MESSAGES.get(text, text))
    try:
        autobuild.main(list(args.args))
    except FileNotFoundError as exc:  # the source folder given does not exist
        raise ValueError(f"找不到 {exc.filename}：请检查源目录参数，例如：shuzhi live -d _build/doctrees . _build/html") from None
    finally:
        autobuild.Builder, autobuild.RebuildServer, autobuild.show_message = saved
    return 0


#: sphinx-autobuild's own messages, in Chinese
_MESSAGES = {
    "Starting initial build": "开始首次构建",
    "Waiting to detect changes...": "等待文件改动……（按 Ctrl+C 停止）",
    "Server ceasing operations. Cheerio!": "已停止。",
}
