"""``shuzhi join``: year-slices built as separate Sphinx projects, joined, equal the whole archive's build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sphinxbuild import build

from shuzhi.bench.generate import generate, load_samples, org_name
from shuzhi.cli import main
from shuzhi.publish.archive_export import validate

ROOT = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).parent / "roots"
YEARS = range(2019, 2024)
SPLIT = 2022  # slice a: 2019-2021, slice b: 2022-2023
RENAMED = org_name(1)  # reported under its former name up to 2021: a unit joined through shuzhi.yaml
FORMER = "原" + RENAMED
NO_RECTIFICATION = "2022/org0002"  # its 整改落实 section removed: only the whole archive sees it missing


def _archive(gen: Path) -> None:
    generate(load_samples(ROOT / "reports"), 20, gen, seed=3)  # 4 organisations x 5 years
    for year in range(2019, SPLIT):
        path = gen / str(year) / "org0001.md"
        path.write_text(path.read_text(encoding="utf-8").replace(f"org: {RENAMED}\n", f"org: {FORMER}\n"), encoding="utf-8")
    path = gen / f"{NO_RECTIFICATION}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^## 上年问题整改落实情况\n(?:(?!## ).*\n)*", "", text, flags=re.M), encoding="utf-8")


def _project(work: Path, gen: Path, name: str, years: range) -> tuple[Path, Path]:
    """A Sphinx project of the given years (same conf.py and shuzhi.yaml), built: (source, HTML output)."""
    src = work / name
    shutil.copytree(ROOTS / "test-ledger", src)
    (src / "shuzhi.yaml").write_text(f"orgs:\n  aliases:\n    {RENAMED}: [{FORMER}]\n", encoding="utf-8")
    for year in years:
        shutil.copytree(gen / str(year), src / "reports" / str(year))
    return src, Path(build(src, work / f"{name}-out").outdir)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("join")
    gen = work / "gen"
    _archive(gen)
    whole_src, whole = _project(work, gen, "whole", YEARS)
    _, a = _project(work, gen, "a", range(2019, SPLIT))
    _, b = _project(work, gen, "b", range(SPLIT, 2024))
    return {"root": whole_src, "whole": whole, "a": a, "b": b, "work": work}


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _cells(path: Path) -> list[list[Any]]:
    return [[c.value for c in row] for row in load_workbook(path)["整改台账"].iter_rows()]


def _ledger(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["ref"], p["id"]): p["ledger"] for r in doc["reports"] for p in r["problems"]}


def _findings(doc: dict[str, Any], ref: str, code: str) -> list[dict[str, Any]]:
    return [f for r in doc["reports"] if r["ref"].startswith(ref) for f in r["findings"] if f["code"] == code]


def _join(built: dict[str, Path], out: Path, *slices: Path, extra: tuple[str, ...] = ()) -> int:
    return main(["join", "--root", str(built["root"]), *extra, str(out), *(str(s) for s in slices)])


def test_joined_slices_equal_the_whole_build(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "joined"
    # a slice may be given as its HTML folder or as its archive.json
    assert _join(built, out, built["a"], built["b"] / "_static" / "archive.json") == 0
    whole = built["whole"] / "_static"
    joined = _json(out / "archive.json")
    validate(joined)
    assert (out / "archive.json").read_text(encoding="utf-8") == (whole / "archive.json").read_text(encoding="utf-8")
    # the ledger, row for row and cell for cell, as the whole build's _static/ledger.xlsx
    assert _cells(out / "ledger.xlsx") == _cells(whole / "ledger.xlsx")
    rows = _json(out / "ledger.json")
    assert len(rows) == len(_cells(whole / "ledger.xlsx")) - 1 == len(_ledger(joined))
    # the problem cell links to the report's page in its slice's HTML output
    link = load_workbook(out / "ledger.xlsx")["整改台账"].cell(2, 3).hyperlink
    assert link is not None and re.fullmatch(r"\.\./.+-out/html/reports/20\d\d/org\d{4}\.html#P\d+", link.target)
    assert (out / link.target.split("#")[0]).is_file()


def test_join_resolves_what_spans_the_slices(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "joined"
    assert _join(built, out, built["a"], built["b"]) == 0
    joined, a, b = (_json(p) for p in (out / "archive.json", built["a"] / "_static/archive.json",
                                       built["b"] / "_static/archive.json"))
    ledger, alone = _ledger(joined), _ledger(a)
    # 2021's problems: waiting for a later report in their slice, followed up in 2022 once joined
    crossing = [k for k, e in ledger.items() if k[0].startswith("2021/") and (e["follow_up"] or "").startswith("2022/")]
    assert crossing and all(alone[k]["status"] == "awaiting" and ledger[k]["status"] != "awaiting" for k in crossing)
    # the renamed unit: its former name's problems followed up under the current name
    assert any(k[0] == "2021/org0001" for k in crossing)
    assert all(e["unit"] == RENAMED for k, e in ledger.items() if k[0].endswith("/org0001"))
    # recurrences across the boundary, both ways
    later = [(k, r["ref"]) for k, e in ledger.items() for r in e["recurs_in"] if k[0] < "2022" <= r["ref"]]
    assert later and all(any(o["ref"] == k[0] for o in ledger[(ref, r)]["recurrence_of"])
                         for k, ref in later for r in [next(x["item_id"] for x in ledger[k]["recurs_in"] if x["ref"] == ref)])
    # slice b could not see 2021: its links to 2021 are unknown there, resolved once joined
    assert _findings(b, "2022/", "link-unknown") and not _findings(joined, "", "link-unknown")
    # the 整改落实 section missing after a year of the other slice: found only once joined, at the title line
    missing = [f for f in _findings(joined, NO_RECTIFICATION, "section-missing") if "整改落实" in f["message"]]
    assert len(missing) == 1 and not [f for f in _findings(b, NO_RECTIFICATION, "section-missing") if "整改落实" in f["message"]]
    lines = (built["root"] / f"reports/{NO_RECTIFICATION}.md").read_text(encoding="utf-8").splitlines()
    assert missing[0]["line"] == 1 + next(k for k, line in enumerate(lines) if line.startswith("# "))


def _copy_slice(built: dict[str, Path], tmp_path: Path, name: str = "bad") -> Path:
    target = tmp_path / name / "_static" / "archive.json"
    target.parent.mkdir(parents=True)
    shutil.copy(built["b"] / "_static" / "archive.json", target)
    return target


def _error(capsys: pytest.CaptureFixture[str], code: int, out: Path, *parts: str) -> str:
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and all(p in err for p in parts), err
    assert not out.exists()  # nothing written
    return err


def test_report_in_two_slices(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _copy_slice(built, tmp_path)
    out = tmp_path / "out"
    code = _join(built, out, built["a"], built["b"], copy.parent.parent)
    _error(capsys, code, out, str(copy), "报告 2022/", "已在", "只能属于一个年度项目")


def test_other_version(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _copy_slice(built, tmp_path)
    doc = _json(copy)
    doc["version"] = 1
    copy.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    _error(capsys, _join(built, out, built["a"], copy), out, str(copy), "版本为 1", "重新构建")


def test_truncated_and_foreign_files(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _copy_slice(built, tmp_path)
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text[: len(text) // 2], encoding="utf-8")
    out = tmp_path / "out"
    _error(capsys, _join(built, out, built["a"], copy), out, f"{copy}:1:", "不是合法的 JSON")
    copy.write_text(json.dumps({"reports": []}), encoding="utf-8")
    _error(capsys, _join(built, out, built["a"], copy), out, str(copy), "不是 shuzhi 导出的 archive.json")
    doc = json.loads(text)
    del doc["reports"][1]["problems"]
    copy.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    _error(capsys, _join(built, out, built["a"], copy), out, str(copy), "第 2 篇报告", "problems")


def test_missing_slice(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _error(capsys, _join(built, out, built["a"], tmp_path / "nowhere"), out, "nowhere", "没有这个文件或目录")
    (tmp_path / "empty").mkdir()
    _error(capsys, _join(built, out, built["a"], tmp_path / "empty"), out, "empty", "_static/archive.json")


def test_existing_outputs_kept_without_force(built: dict[str, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "ledger.xlsx").write_bytes(b"keep")
    code = _join(built, out, built["a"], built["b"])
    err = capsys.readouterr().err
    assert code == 2 and "ledger.xlsx 已存在，未覆盖" in err and "--force" in err
    assert (out / "ledger.xlsx").read_bytes() == b"keep" and not (out / "archive.json").exists()
    assert _join(built, out, built["a"], built["b"], extra=("--force",)) == 0
    assert (out / "ledger.xlsx").read_bytes() != b"keep" and (out / "archive.json").is_file()


def test_finding_only_the_join_sees_is_located_in_the_source(tmp_path: Path) -> None:
    """Two reports of one organisation, year and kind in two slices: each slice alone sees one, the join both,
    at their ``org:`` line read from the sources under --root (archive.json has no front-matter lines)."""
    from shuzhi.check.lint import collect, read_report
    from shuzhi.config import load_config
    from shuzhi.model import parse_report
    from shuzhi.publish.archive_export import dumps, export_reports

    root = tmp_path / "project"
    generate(load_samples(ROOT / "reports"), 4, root / "reports", seed=5, years=2)  # 2 organisations x 2 years
    twin = root / "reports/2020/org0000-twin.md"
    text = (root / "reports/2020/org0000.md").read_text(encoding="utf-8")
    twin.write_text(text.replace("---\ntitle:", "---\n# 同一单位同一年度的第二份\ntitle:", 1), encoding="utf-8")
    config = load_config(root)
    files, _ = collect([str(root / "reports")])
    reports = {p.name: parse_report(read_report(p)[0] or "", p.relative_to(root).as_posix(), config.schema, config.kinds)
               for p in files}
    for name, chosen in (("one", [r for n, r in reports.items() if n != twin.name]), ("two", [reports[twin.name]])):
        target = tmp_path / name / "_static/archive.json"
        target.parent.mkdir(parents=True)
        target.write_text(dumps(export_reports(chosen, config)), encoding="utf-8")
    out = tmp_path / "joined"
    assert main(["join", "--root", str(root), str(out), str(tmp_path / "one"), str(tmp_path / "two")]) == 0
    joined = _json(out / "archive.json")
    dup = {r["path"]: [f["line"] for f in r["findings"] if f["code"] == "duplicate-report"] for r in joined["reports"]}
    for path in (root / "reports/2020/org0000.md", twin):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert dup[path.relative_to(root).as_posix()] == [1 + next(k for k, x in enumerate(lines) if x.startswith("org:"))]
    assert dup["reports/2020/org0000.md"] != dup["reports/2020/org0000-twin.md"]  # the twin's org: comes a line later
    for name in ("one", "two"):
        alone = _json(tmp_path / name / "_static/archive.json")
        assert not [f for r in alone["reports"] for f in r["findings"] if f["code"] == "duplicate-report"]
    # the same findings, ledger and clusters as the export of all reports at once
    assert joined == json.loads(dumps(export_reports(list(reports.values()), config)))
