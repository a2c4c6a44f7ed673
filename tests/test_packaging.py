"""The extension as other projects get it: a wheel built by ``python -m build``, installed into a
throwaway virtual environment, added to a minimal Sphinx project with none of this repository's
configuration. Also: the pinned versions of both test environments fall inside the declared ranges."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parent.parent
EXT = REPO / "ext"

REPORT = """---
title: {year}年区{org}党组书记抓基层党建工作述职报告
year: {year}
org: 区{org}
author: 党组书记
kind: 述职报告
status: draft
---

# {year}年区{org}党组书记抓基层党建工作述职报告

## 一、履职情况

全年召开党组会议{count}，带头讲授专题党课，推进支部标准化建设。

## 二、存在的问题

【P1】一是对基层支部的督促指导不够经常。下沉调研次数偏少。

原因分析：主要是统筹谋划不够。

## 三、下一步工作打算

【M1→P1】（一）加强督促指导，推动责任落实。每季度到联系支部调研一次。
"""


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a clean copy of ext/ (no build output left in the work tree)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "ext"
    shutil.copytree(EXT, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(work / "dist"), str(source)], work)
    (built,) = (work / "dist").glob("shuzhi-*.whl")
    return built


def test_wheel_holds_every_file_the_package_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = EXT / "shuzhi"
    expected = {
        "shuzhi/" + path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert {"shuzhi/site/theme/shuzhi/theme.toml", "shuzhi/data/rules.yaml", "shuzhi/site/theme/shuzhi/static/shuzhi.css"} <= expected
    assert expected - names == set()
    metadata = zipfile.ZipFile(wheel).read(f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info/METADATA")
    assert b"Requires-Dist: sphinx<10,>=8.2" in metadata


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment holding the wheel; the dependencies come from the running environment's
    site-packages (through a .pth file: its editable install of shuzhi is not picked up)."""
    home = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(home)], home.parent)
    python = home / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], home).stdout.strip())
    paths = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (site / "outer-dependencies.pth").write_text("\n".join(paths) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)], home)
    return home


def _project(root: Path, conf: str) -> Path:
    src = root / "src"
    (src / "reports" / "2023").mkdir(parents=True)
    (src / "reports" / "2024").mkdir()
    (src / "conf.py").write_text(conf, encoding="utf-8")
    (src / "index.md").write_text("# 我们的文档\n\n已有的页面。\n\n```{shuzhi-archive} landing\n```\n", encoding="utf-8")
    (src / "reports/2023/nongye.md").write_text(REPORT.format(year=2023, org="农业农村局", count="12次"), encoding="utf-8")
    (src / "reports/2024/nongye.md").write_text(REPORT.format(year=2024, org="农业农村局", count="x次"), encoding="utf-8")
    return src


def _build(venv: Path, src: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    python = str(venv / "bin" / "python")
    where = _run([python, "-c", "import shuzhi; print(shuzhi.__file__)"], src.parent, env).stdout
    assert where.startswith(str(venv)), where  # the wheel's copy, not this repository's
    return _run([python, "-m", "sphinx", "-b", "html", str(src), str(src.parent / "out")], src.parent, env)


@pytest.mark.parametrize("conf", [
    'extensions = ["myst_parser", "shuzhi"]\n',
    'project = "我们的文档"\nextensions = ["myst_parser", "shuzhi"]\nhtml_theme = "shuzhi"\nlanguage = "zh_CN"\n',
], ids=["default-theme", "shuzhi-theme"])
def test_a_minimal_project_builds_with_the_installed_wheel(venv: Path, tmp_path: Path, conf: str) -> None:
    src = _project(tmp_path, conf)
    done = _build(venv, src)
    out = tmp_path / "out"
    year = out / "archive" / "years" / "2024.html"
    assert year.is_file(), done.stdout[-2000:]
    assert "2024年区农业农村局党组书记抓基层党建工作述职报告" in year.read_text(encoding="utf-8")
    # the placeholder of the 2024 report: a located warning, a finding on the 质量检查 page
    assert re.search(r"reports/2024/nongye\.md:\d+: WARNING: .*x次.*\[shuzhi\.placeholder\]", done.stderr), done.stderr
    quality = (out / "archive" / "quality.html").read_text(encoding="utf-8")
    assert "placeholder" in quality and "2024年区农业农村局" in quality
    assert "述职档案：共 2 篇报告" in done.stdout
    # nothing else to fix in a project that only added the extension: the findings are the only warnings
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert warnings and all("[shuzhi." in line for line in warnings), done.stderr
    if 'html_theme = "shuzhi"' in conf:  # the theme's files come from the wheel
        assert (out / "_static" / "shuzhi.css").is_file()


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (REPO / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            package, version = line.split("==")
            pins[package.lower().replace("_", "-")] = version
    return pins


def test_both_test_environments_differ_only_in_sphinx_and_fit_the_declared_ranges() -> None:
    site, nine = _pins("requirements.txt"), _pins("requirements-sphinx9.txt")
    assert {k for k in site.keys() | nine.keys() if site.get(k) != nine.get(k)} == {"sphinx"}
    assert site["sphinx"].startswith("8.2.") and nine["sphinx"].startswith("9.")
    declared = tomllib.loads((EXT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for line in declared:
        requirement = Requirement(line)
        name = requirement.name.lower().replace("_", "-")
        for pins in (site, nine):
            assert requirement.specifier.contains(pins[name]), (line, pins[name])
