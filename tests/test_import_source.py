"""``source:`` in imported front matter names the file relative to the project root, or by its
name alone when it lies outside: a committed report never carries a machine's path."""

from __future__ import annotations

from pathlib import Path

import pytest

from shuzhi.cli import main

TEXT = "局党组书记述职报告\n一、履职情况\n做了工作。\n"


def _import(src: Path, out: Path) -> str:
    assert main(["import", str(src), "--out", str(out)]) == 0
    written = next(out.rglob("*.md")).read_text(encoding="utf-8")
    return next(line for line in written.splitlines() if line.startswith("source:"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "archive"
    (root / "raw" / "2023").mkdir(parents=True)
    (root / "conf.py").write_text("", encoding="utf-8")
    (root / "raw" / "2023" / "a.txt").write_text(TEXT, encoding="utf-8")
    return root


def test_absolute_path_inside_the_project_is_recorded_relative(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    assert _import((project / "raw" / "2023" / "a.txt").resolve(), project / "reports") == "source: raw/2023/a.txt"


def test_relative_path_from_a_subfolder_is_recorded_from_the_root(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "raw")
    assert _import(Path("2023/a.txt"), project / "reports") == "source: raw/2023/a.txt"


def test_file_outside_the_project_is_recorded_by_name(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "downloads" / "述职.txt"
    outside.parent.mkdir()
    outside.write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(project)
    line = _import(outside, project / "reports")
    assert line in ("source: 述职.txt", 'source: "述职.txt"') and str(tmp_path) not in line


def test_committed_reports_hold_no_machine_path() -> None:
    reports = Path(__file__).resolve().parent.parent / "reports"
    for path in sorted(reports.rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("source:"):
                value = line.removeprefix("source:").strip().strip("'\"")
                assert not value.startswith(("/", "~")) and ":\\" not in value and ".." not in value, (path, line)
