"""`shuzhi new`: the next report, with last year's problems pre-filled for rectification."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shuzhi.cli import main
from shuzhi.match.ledger import build_ledger
from shuzhi.model import parse_report, summarise

FIXTURE = Path(__file__).parent / "fixtures" / "ledger" / "reports"


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURE / "2023", tmp_path / "reports" / "2023")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_prefills_rectification_checklist(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--org", "市局", "--year", "2024"]) == 0
    target = archive / "reports" / "2024" / "shiju-shuzhi.md"
    assert capsys.readouterr().out.splitlines()[0] == "reports/2024/shiju-shuzhi.md"
    report = parse_report(target.read_text(encoding="utf-8"), str(target))
    assert report.front.notes == []
    assert (report.year, report.org, report.kind, report.status) == (2024, "市局", "述职报告", "draft")
    assert [s.canonical for s in report.top_sections] == [
        ("整改落实",), ("履职情况",), ("存在问题",), ("原因分析",), ("下一步打算",)
    ]
    rect = report.rectifications
    assert [(r.id, r.targets) for r in rect] == [
        ("R1", ["2023/shiju-shuzhi#P1"]), ("R2", ["2023/shiju-shuzhi#P2"]), ("R3", ["2023/shiju-shuzhi#P3"])
    ]
    assert "党建品牌特色不突出" in rect[0].text
    # the ledger follows the pre-filled entries up by itself
    summaries = [summarise(parse_report(p.read_text(encoding="utf-8"), str(p))) for p in sorted(archive.rglob("*.md"))]
    statuses = {(e.ref, e.problem_id): e.status for e in build_ledger(summaries).entries}
    # linked explicitly, waiting for the words that say how far the work got (待核实 until written)
    assert statuses[("2023/shiju-shuzhi", "P3")] == "unclear"


def test_new_never_overwrites(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--org", "市局", "--year", "2024"]) == 0
    target = archive / "reports" / "2024" / "shiju-shuzhi.md"
    target.write_text("我的修改", encoding="utf-8")
    assert main(["new", "--org", "市局", "--year", "2024"]) == 1
    assert target.read_text(encoding="utf-8") == "我的修改"
    assert "未覆盖" in capsys.readouterr().err


def test_new_without_previous_report(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--org", "市局", "--year", "2030", "--kind", "工作总结"]) == 0
    out = capsys.readouterr().out
    assert "未预填整改落实" in out
    report = parse_report((archive / "reports" / "2030" / "shiju-shuzhi.md").read_text(encoding="utf-8"))
    assert report.kind == "工作总结" and report.rectifications == []
    assert not report.has_section("整改落实")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--org", "../../etc", "--year", "2024"], "无效"),
        (["--org", "市局", "--year", "24"], "年度"),
        (["--org", "市局", "--year", "2024", "--kind", "讲话稿"], "报告类型"),
    ],
)
def test_new_rejects_bad_arguments(archive: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["new", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (archive / "reports" / "2024").exists()
