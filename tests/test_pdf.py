"""PDF volumes (make pdf): build the fixture archive and check what a reader gets.

The fixture ``tests/roots/test-pdf`` holds three short 2023 reports (one of each
kind, with item markers, “”《》①, full-width digits and two rare characters in
names) and one report without a year. No test is skipped: without XeLaTeX the
tests fail with the command that installs it.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shuzhi.publish.pdf import publish_volumes, toolchain, volume_filename
from shuzhi.publish.pdf.volume import WORK_DIR, collect
from shuzhi.publish.pdf.volume_command import main

ROOT = Path(__file__).parent / "roots" / "test-pdf"
TITLES = (
    "区发改局党组书记2023年度抓基层党建工作述职报告",
    "区教育局党委书记2023年度述责述廉报告",
    "X区政务局2023年度党建工作总结",
)


def _tool(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def _squeeze(text: str) -> str:
    """pdftotext puts spaces between CJK and Latin runs and breaks lines: drop both."""
    return re.sub(r"\s+", "", text)


def _copy_root(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, dirs_exist_ok=True)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    problem = toolchain.problem()
    if problem:
        pytest.fail(problem)
    root = _copy_root(tmp_path_factory.mktemp("archive"))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["--root", str(root)])
    assert status == 0, err.getvalue()
    return root, root / "_build" / "pdf" / volume_filename(2023), err.getvalue()


@pytest.fixture(scope="module")
def text(built: tuple[Path, Path, str]) -> str:
    return _tool("pdftotext", "-enc", "UTF-8", str(built[1]), "-")


def test_volume_order_and_undated() -> None:
    coll = collect(ROOT)
    assert list(coll.volumes) == [2023]
    # kind (述职报告, 述责述廉报告, 工作总结), then organisation, then title
    assert [e.title for e in coll.volumes[2023].entries] == list(TITLES)
    assert [e.path for e in coll.undated] == ["reports/undated/weizhi.md"]


def test_volume_file_name(built: tuple[Path, Path, str]) -> None:
    assert volume_filename(2023) == "2023年度述职报告汇编.pdf"
    assert built[1].is_file()


def test_site_extension_left_out(built: tuple[Path, Path, str]) -> None:
    root = built[0]
    assert not (root / "archive").exists()  # the HTML site's stubs were not written
    assert (root / WORK_DIR / "volumes" / "2023.md").is_file()  # the volume root is in _build


def test_undated_report_left_out_with_a_note(built: tuple[Path, Path, str], text: str) -> None:
    assert "reports/undated/weizhi.md：未填写年度" in built[2]
    assert "年度不详的报告" not in _squeeze(text)


def test_titles_contents_and_cover(text: str) -> None:
    flat = _squeeze(text)
    for title in TITLES:
        assert flat.count(title) >= 2, title  # in 目录 and as the chapter title
    assert "目录" in flat
    assert "2023年度" in flat and "述职报告汇编" in flat
    assert "共收录报告3篇" in flat
    assert "测试编辑组" in flat  # the editor is conf.py's author
    assert "述职报告1篇" in flat and "工作总结1篇" in flat


def test_body_text_extractable(text: str) -> None:
    flat = _squeeze(text)
    assert "学习《中国共产党章程》和“两个确立”的决定性意义" in flat
    assert "制定整改清单①②③" in flat
    assert "召开党组会议１２次" in flat  # full-width digits
    assert "区发改局\u3000局党组书记\u3000王喆" in text or "区发改局局党组书记王喆" in flat  # byline


def test_no_section_numbers(text: str) -> None:
    flat = _squeeze(text)
    assert "一、履行职责情况" in flat
    assert not re.search(r"\d(?:\.\d)*一、履行职责情况", flat)
    assert "第一章" not in flat and "Chapter" not in flat


def test_markers_are_small_labels(text: str) -> None:
    flat = _squeeze(text)
    assert "【P1】" not in flat and "【M1" not in flat
    assert "P1一是" in flat
    assert "M1→P1、P2" in flat


def test_page_numbers_gbt9704(text: str) -> None:
    assert re.search(r"—\s*1\s*—", text)
    assert re.search(r"—\s*2\s*—", text)


def test_fonts_embedded(built: tuple[Path, Path, str]) -> None:
    lines = _tool("pdffonts", str(built[1])).splitlines()[2:]
    assert lines
    fonts = {line.split()[0].split("+")[-1]: line for line in lines}
    for line in lines:
        columns = line.split()
        assert columns[-5] == "yes", f"字体未嵌入：{line}"
    names = " ".join(fonts)
    for family in ("FandolFang", "FandolHei", "FandolKai", "FandolSong-Bold"):
        assert family in names, names


def test_no_missing_characters(built: tuple[Path, Path, str]) -> None:
    log = built[0] / WORK_DIR / "latex" / "volume-2023.log"
    assert log.is_file()
    assert "Missing character" not in log.read_text(encoding="utf-8", errors="replace")


def test_page_count_plausible(built: tuple[Path, Path, str]) -> None:
    info = _tool("pdfinfo", str(built[1]))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    # cover + contents + three short reports of one or two pages each
    assert 5 <= pages <= 10, pages
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M)
    assert size and abs(float(size.group(1)) - 595.3) < 1 and abs(float(size.group(2)) - 841.9) < 1


def test_publish_volumes_for_html(built: tuple[Path, Path, str], tmp_path: Path) -> None:
    copies = publish_volumes(built[1].parent, tmp_path / "html")
    assert copies == [tmp_path / "html" / "pdf" / volume_filename(2023)]
    assert copies[0].read_bytes() == built[1].read_bytes()
    assert publish_volumes(tmp_path / "nothing", tmp_path / "html") == []


def test_unknown_year_is_refused(tmp_path: Path) -> None:
    root = _copy_root(tmp_path)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["--root", str(root), "--year", "1999"]) == 2
    assert "以下年度没有报告：1999" in err.getvalue()


def test_missing_toolchain_names_the_install_command(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # no xelatex, no latexmk
    done = subprocess.run([sys.executable, "-m", "shuzhi.publish.pdf", "--root", str(ROOT)],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 2
    assert "缺少 XeLaTeX 排版环境" in done.stderr
    assert "xelatex（程序）" in done.stderr
    assert toolchain.INSTALL_COMMAND in done.stderr
    assert "Traceback" not in done.stderr
    assert not (ROOT / "_build").exists()


def test_latex_error_is_located(tmp_path: Path) -> None:
    root = _copy_root(tmp_path)
    bad = root / "reports" / "2023" / "bad.md"
    bad.write_text(
        "---\ntitle: 有错误的报告\nyear: 2023\norg: 某局\nauthor: 某人\nkind: 述职报告\n"
        "status: draft\n---\n\n# 有错误的报告\n\n```{raw} latex\n\\undefinedmacro\n```\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["--root", str(root)]) == 1
    message = err.getvalue()
    assert "2023年度汇编排版失败" in message
    assert "reports/2023/bad.md" in message
    assert "volume-2023.log" in message
    assert "Traceback" not in message


def test_report_without_heading_is_its_own_chapter(tmp_path: Path) -> None:
    root = _copy_root(tmp_path)
    shutil.rmtree(root / "reports" / "2023")
    (root / "reports" / "2021").mkdir()
    (root / "reports" / "2021" / "a.md").write_text(
        "---\ntitle: 甲单位2021年度述职报告\nyear: 2021\norg: 甲单位\nauthor: 张三\n"
        "kind: 述职报告\nstatus: draft\n---\n\n【P1】一是学习不够深入。\n",
        encoding="utf-8",
    )
    (root / "reports" / "2021" / "b.md").write_text(
        "---\ntitle: 乙单位2021年度工作总结\nyear: 2021\norg: 乙单位\nauthor: 乙单位党组\n"
        "kind: 工作总结\nstatus: draft\n---\n\n# 乙单位2021年度工作总结\n\n全年工作稳步推进。\n",
        encoding="utf-8",
    )
    stale = root / "_build" / "pdf" / volume_filename(2019)
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF-1.5 old")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["--root", str(root), "--year", "2021"]) == 0, err.getvalue()
    assert stale.is_file()  # --year builds only that year and leaves the others alone
    with contextlib.redirect_stderr(err):
        assert main(["--root", str(root)]) == 0, err.getvalue()
    assert not stale.exists()  # a full build drops volumes of years no longer in reports/
    pdf = root / "_build" / "pdf" / volume_filename(2021)
    flat = _squeeze(_tool("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    assert flat.count("甲单位2021年度述职报告") >= 2  # in 目录 and as the chapter title
    assert "一是学习不够深入" in flat and "【P1】" not in flat
    tex = (root / WORK_DIR / "latex" / "volume-2021.tex").read_text(encoding="utf-8")
    assert tex.count("\\chapter{") == 2
