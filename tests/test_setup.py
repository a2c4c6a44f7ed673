"""The set-up contract: ``make test`` installs the Debian packages it needs as root, and
as any other user stops at once with one Chinese line naming the command to run as root."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / ".ci" / "install-system-packages"


@pytest.fixture
def world_readable() -> Iterator[Path]:
    """A folder another user can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="shuzhi-setup-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _fake_dpkg(folder: Path) -> Path:
    """A dpkg-query that knows no package: every package counts as missing."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dpkg-query"
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return bin_dir


def test_as_non_root_one_chinese_line_names_the_command(world_readable: Path) -> None:
    # as root (CI), switch to the user nobody; any other user is already not root
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    script = world_readable / "install-system-packages"
    shutil.copy(SCRIPT, script)
    script.chmod(0o755)
    bin_dir = _fake_dpkg(world_readable)
    done = subprocess.run(
        [*as_user, "env", f"PATH={bin_dir}:/usr/bin:/bin", "bash", str(script), "browser", "office"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "请以 root 运行：sudo .ci/install-system-packages browser office" in lines[0]
    assert "chromium" in lines[0] and "libreoffice-writer-nogui" in lines[0]
    assert done.stdout == ""


def test_nothing_to_do_when_everything_is_installed(world_readable: Path) -> None:
    bin_dir = world_readable / "bin"
    bin_dir.mkdir()
    ok = bin_dir / "dpkg-query"
    ok.write_text("#!/bin/sh\nprintf 'install ok installed'\n", encoding="utf-8")
    ok.chmod(0o755)
    done = subprocess.run(
        ["bash", str(SCRIPT), "browser", "pdf", "office"], env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0 and "已齐全" in done.stdout


def test_an_unknown_group_is_refused_in_chinese() -> None:
    done = subprocess.run(["bash", str(SCRIPT), "browsr"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "未知的软件包组：browsr" in done.stderr


def test_make_test_and_make_pdf_install_what_they_need() -> None:
    """The targets README's two commands and make pdf run go through the installer first."""
    dry = subprocess.run(["make", "-n", "test", "pdf"], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert "install-system-packages browser pdf office" in dry.stdout
    assert "install-system-packages pdf" in dry.stdout
