"""Bad input through ``shuzhi import``: one Chinese line per file that cannot be imported, the
others still imported, nothing written outside the output folder, nothing overwritten, nothing run.

(test_import.py covers empty/binary/fake .docx/.pdf sources, encodings and
``--org ../../etc``; these are the rest of the bad-input corpus.)
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_bad_input_helpers import PARAGRAPH, PWNED
from test_import_helpers import assert_nothing_lost

from shuzhi.cli import main
from shuzhi.model.ordinals import int_to_cn
from shuzhi.read import import_text

GOOD = "区教育局2023年度党建工作总结\n一、抓思想\n严格落实制度。\n二、存在的问题\n一是理论学习深度不够。\n三、下一步工作打算\n（一）深化理论武装。\n"


def run(tmp_path: Path, *args: str) -> int:
    return main(["import", *args])


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def test_bad_sources_are_one_line_each_and_the_good_one_is_imported(
    tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (src / "gbk.txt").write_bytes(GOOD.replace("区教育局", "区商务局").encode("gbk"))
    (src / "fake.docx").write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out"
    status = run(tmp_path, str(src), "--out", str(out))
    captured = capsys.readouterr()
    assert status == 1 and "Traceback" not in captured.err
    errors = captured.err.strip().splitlines()
    assert len(errors) == 3, errors  # empty, binary, fake .docx: one Chinese line each
    assert any("empty.txt" in e and "为空" in e for e in errors)
    assert any("binary.txt" in e and "二进制" in e for e in errors)
    assert any("fake.docx" in e and ".docx" in e for e in errors)
    written = sorted(p.relative_to(out).as_posix() for p in files_under(out))
    assert len(written) == 2  # the good one and the GBK one (decoded)
    assert "编码：" in captured.out  # the GBK source is named as such in the summary


def test_yaml_tags_and_html_in_a_source_are_text(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "evil.txt"
    src.write_text(
        '---\ntitle: !!python/object/apply:os.system ["echo pwned > SHUZHI_PWNED"]\n---\n'
        "区网信办2023年度述职报告\n一、履职情况\n全年工作<script>window.__pwned=1</script>。<img src=x onerror=alert(1)>\n"
        "二、存在问题\n一是[链接](javascript:alert(1))不够。\n三、下一步打算\n（一）加强学习。\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run(tmp_path, str(src), "--out", str(out)) == 0
    for name in PWNED:
        assert not (cwd / name).exists()
    (written,) = files_under(out)
    text = written.read_text(encoding="utf-8")
    assert "\\<script>" in text and "\\<img" in text and "\\[链接\\](javascript" in text  # escaped: renders as text
    from shuzhi.model import parse_report

    report = parse_report(text, str(written))
    assert not [n for n in report.front.notes if "YAML" in n.message]


def test_same_org_year_kind_is_not_overwritten(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(GOOD, encoding="utf-8")
    b.write_text(GOOD.replace("严格落实制度", "另一份报告的正文"), encoding="utf-8")
    out = tmp_path / "out"
    assert run(tmp_path, str(a), str(b), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "b.txt" in err and "已存在，未覆盖" in err and "--force" in err
    (written,) = files_under(out)
    assert "严格落实制度" in written.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "org,title",
    [
        ("../../etc", "区委办2023年度述职报告"),
        ("/etc/cron.d", "区委办2023年度述职报告"),
        ("..\\..\\windows\\system32", "区委办2023年度述职报告"),
        ("", "../../../../tmp/shuzhi-evil/区委办2023年度述职报告"),
        ("", "/etc/passwd区委办2023年度述职报告"),
        ("", "区委办/../../\u202ex2023年度述职报告"),
    ],
)
def test_path_traversal_through_metadata_stays_inside_out(
    tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str], org: str, title: str
) -> None:
    src = tmp_path / "src" / "evil.txt"
    src.parent.mkdir()
    src.write_text(f"{title}\n一、履职情况\n做了工作。\n", encoding="utf-8")
    out = tmp_path / "deep" / "out"
    before = files_under(tmp_path)
    args = [str(src), "--out", str(out)] + (["--org", org] if org else [])
    assert run(tmp_path, *args) == 0
    new = files_under(tmp_path) - before
    assert new and all(p.resolve().is_relative_to(out.resolve()) for p in new), new
    assert not Path("/tmp/shuzhi-evil").exists()
    (written,) = new
    assert written.parent.parent == out and written.name.isascii()


def test_five_megabyte_source(tmp_path: Path) -> None:
    body = ["区大数据局2023年度述职报告", "一、履职情况"]
    size, k = 0, 0
    while size < 5 * 1024 * 1024:
        k += 1
        line = f"（{int_to_cn(k % 150 + 1)}）第{k}方面工作" if k % 40 == 1 else PARAGRAPH * 4
        body.append(line)
        size += len(line.encode()) + 1
    body += ["二、存在问题", "一是学习不够深入。", "三、下一步打算", "（一）加强学习，最后一段。"]
    text = "\n".join(body)
    start = time.perf_counter()
    result = import_text(text, "huge.txt")
    assert time.perf_counter() - start < 60
    assert "最后一段" in result.markdown
    assert_nothing_lost(text, result)


def test_two_thousand_problems_source() -> None:
    lines = ["区档案局2023年度述职报告", "一、存在问题"]
    lines += [f"（{int_to_cn(i % 150 + 1)}）第{i}项工作抓得不够实，学习{i}不够深入。" for i in range(2000)]
    lines += ["二、下一步打算"] + [f"{i % 150 + 1}．加强第{i}项工作。" for i in range(2000)]
    text = "\n".join(lines)
    start = time.perf_counter()
    result = import_text(text, "many.txt")
    assert time.perf_counter() - start < 60
    assert len(result.report.problems) >= 2000 and len(result.report.measures) >= 2000
    assert_nothing_lost(text, result)
