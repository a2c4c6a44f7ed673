"""``shuzhi live``: rebuilds forked from a process that keeps the environment read in.

The rebuild must write what ``sphinx-build`` writes from the same files (pages, search index,
archive export, Excel ledger), use the environment read in only while ``environment.pickle``
is the file it came from, and stop using it once a Python file changed. The whole loop
(``make livehtml``) is checked once over HTTP: initial build, an edit saved, the page served again.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sphinxbuild import outputs

from shuzhi.bench.generate import edit_one, generate, load_samples
from shuzhi.site.live import Warm

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).parent / "roots"


def _site(tmp_path: Path, n: int = 16, years: int = 3) -> tuple[Path, list[Path]]:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive", src, ignore=shutil.ignore_patterns("reports"))
    return src, generate(load_samples(REPO / "reports"), n, src / "reports", years=years)


def _sphinx(src: Path, out: Path, *extra: str) -> None:
    subprocess.run([sys.executable, "-m", "sphinx", "build", "-q", "-b", "html", *extra, str(src), str(out)],
                   check=True, capture_output=True)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, list[Path], Path, Path]:
    """A site built once, and a copy of its output (environment included) for the resident builds."""
    src, paths = _site(tmp_path)
    cold = tmp_path / "cold"
    _sphinx(src, cold)
    warm = tmp_path / "warm"
    shutil.copytree(cold, warm)
    return src, paths, cold, warm


def test_rebuild_from_the_environment_read_in_equals_sphinx_build(built: tuple[Path, list[Path], Path, Path]) -> None:
    src, paths, cold, warm = built
    w = Warm(["-q", "-b", "html", str(src), str(warm)])
    try:
        w.prepare()  # before the edit, as the server does while the user types
        edit_one(paths[5], "常驻重建标记")
        _sphinx(src, cold)
        outcome = w.build(output=warm.parent / "live.log")
    finally:
        w.close()
    assert outcome.code == 0
    assert outcome.warm  # Sphinx was given the environment, not the file
    assert "[shuzhi." in (warm.parent / "live.log").read_text(encoding="utf-8")  # the edited report's warnings
    assert outputs(cold) == outputs(warm)
    assert "常驻重建标记" in (warm / paths[5].relative_to(src).with_suffix(".html")).read_text(encoding="utf-8")


def test_what_a_build_imported_is_imported_before_the_next(
    built: tuple[Path, list[Path], Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Modules an extension's setup() imports (most of ours do) are imported by the resident process
    after the first build, not again by every child."""
    src, paths, _, warm = built
    (src / "_probe").mkdir()
    (src / "_probe" / "probe_setup.py").write_text("def setup(app):\n    import probe_late  # noqa\n    return {}\n")
    (src / "_probe" / "probe_late.py").write_text("")
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nimport sys as _sys\nfrom pathlib import Path as _P\n"
                    "_sys.path.insert(0, str(_P(__file__).parent / '_probe'))\nextensions.append('probe_setup')\n",
                    encoding="utf-8")
    monkeypatch.setattr(sys, "path", list(sys.path))  # conf.py is run here too, by prepare()
    for name in ("probe_setup", "probe_late"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    w = Warm(["-q", "-b", "html", str(src), str(warm)])
    try:
        w.prepare()
        assert "probe_setup" in sys.modules and "probe_late" not in sys.modules
        assert w.build().code == 0
        w.prepare()
        assert "probe_late" in sys.modules  # learned from the child
        edit_one(paths[2], "再改一次")
        assert w.build().warm
    finally:
        w.close()


def test_a_replaced_environment_file_is_read_again(built: tuple[Path, list[Path], Path, Path]) -> None:
    src, paths, _, warm = built
    w = Warm(["-q", "-b", "html", str(src), str(warm)])
    try:
        w.prepare()
        edit_one(paths[3], "第一次修改")
        _sphinx(src, warm)  # another build (make html) saved a newer environment meanwhile
        edit_one(paths[3], "第二次修改")
        outcome = w.build()
    finally:
        w.close()
    assert (outcome.code, outcome.warm) == (0, False)
    page = (warm / paths[3].relative_to(src).with_suffix(".html")).read_text(encoding="utf-8")
    assert "第二次修改" in page  # edit_one adds its marker to what the earlier edit left


def test_after_a_python_change_each_rebuild_starts_afresh(built: tuple[Path, list[Path], Path, Path]) -> None:
    src, paths, _, warm = built
    w = Warm(["-q", "-b", "html", str(src), str(warm)])
    try:
        w.prepare()
        w.code_changed([src / "conf.py"])
        edit_one(paths[4], "改动后修改")
        outcome = w.build()
    finally:
        w.close()
    assert "conf.py" in w.cold_reason
    assert (outcome.code, outcome.warm) == (0, False)
    assert "改动后修改" in (warm / paths[4].relative_to(src).with_suffix(".html")).read_text(encoding="utf-8")


def test_a_fresh_build_reads_nothing_ahead(tmp_path: Path) -> None:
    w = Warm(["-E", "-b", "html", str(tmp_path / "src"), str(tmp_path / "out")])
    w.prepare()
    assert w.dirs.fresh and w._env is None
    assert Warm(["-q", "-b", "html", ".", "out"]).dirs.doctreedir == Path("out/.doctrees")


def test_a_missing_source_folder_is_one_chinese_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from shuzhi.cli import main

    assert main(["live", "-d", str(tmp_path / "d"), str(tmp_path / "no-such-folder"), str(tmp_path / "html")]) == 2
    err = capsys.readouterr().err
    assert "找不到" in err and "no-such-folder" in err and "Traceback" not in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - a local test server
            return str(r.read().decode("utf-8"))
    except OSError:
        return ""


def _until(check: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.3)
    return False


def test_make_livehtml_serves_and_rebuilds_after_a_save(tmp_path: Path) -> None:
    src, paths = _site(tmp_path, n=8, years=2)
    port = _free_port()
    out = tmp_path / "html"
    log = (tmp_path / "live.log").open("w")
    cmd = [str(Path(sys.executable).parent / "shuzhi"), "live", "--host", "127.0.0.1", "--port", str(port),
           "-q", "-d", str(tmp_path / "doctrees"), str(src), str(out)]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    page = f"http://127.0.0.1:{port}/" + paths[2].relative_to(src).with_suffix(".html").as_posix()
    try:
        assert _until(lambda: "<html" in _get(page), 120), (tmp_path / "live.log").read_text()
        assert "已保存的修改" not in _get(page)
        time.sleep(1)
        edit_one(paths[2], "已保存的修改")
        assert _until(lambda: "已保存的修改" in _get(page), 120), (tmp_path / "live.log").read_text()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    text = (tmp_path / "live.log").read_text()
    assert "检测到改动" in text and "Traceback" not in text
