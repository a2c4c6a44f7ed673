"""``shuzhi ledger``: the same rows as text, JSON, CSV (UTF-8 with BOM) and Excel."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuzhi.cli import main
from shuzhi.match.ledger_command import load_ledger
from shuzhi.publish import ledger_export
from shuzhi.publish.ledger_export import HEADERS, WIDTHS, Row, ledger_rows, row_cells, to_xlsx

YEARS = Path(__file__).parent / "fixtures" / "ledger-years"
REPORTS = str(YEARS / "reports")


def test_xlsx_opens_with_headers_filters_and_one_row_per_problem(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    assert main(["ledger", REPORTS, "--format", "xlsx", "--out", str(out)]) == 0
    wb = load_workbook(out)
    ws = wb["整改台账"]
    assert [c.value for c in ws[1]] == list(HEADERS)
    assert ws.max_row == 1 + 10  # one row per problem
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:H{ws.max_row}"
    assert ws["C2"].alignment.wrap_text and ws.column_dimensions["C"].width >= 30
    # 整改后复现 first, and the rows are the ledger's rows
    rows = ledger_rows(load_ledger([Path(REPORTS)], YEARS))
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=2)] == [row_cells(r) for r in rows]
    assert ws["F2"].value == "整改后复现"


def test_xlsx_bytes_are_reproducible() -> None:
    rows = ledger_rows(load_ledger([Path(REPORTS)], YEARS))
    first, second = to_xlsx(rows), to_xlsx(rows)
    assert first == second
    # the site passes the cells it has already made: the same file
    assert to_xlsx(rows, cells=[row_cells(r) for r in rows]) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    # one fixed time on every entry, not the time of writing
    times = {i.date_time for i in archive.infolist()}
    assert len(times) == 1 and next(iter(times))[0] < 2001
    core = archive.read("docProps/core.xml")
    assert b">2000-01-01T00:00:00Z</dcterms:created>" in core and b">2000-01-01T00:00:00Z</dcterms:modified>" in core


def _links(rows: list[Row]) -> list[str | None]:
    """A link per row as the site makes them (relative to _static/), one row left without."""
    links: list[str | None] = [f"../reports/{r.ref}.html#{r.problem_id}" for r in rows]
    links[1] = None
    return links


def test_xlsx_cells_links_and_styles_are_what_users_see() -> None:
    rows = ledger_rows(load_ledger([Path(REPORTS)], YEARS))
    links = _links(rows)
    wb = load_workbook(io.BytesIO(to_xlsx(rows, links)))
    assert wb.sheetnames == ["整改台账"]
    ws = wb["整改台账"]
    # every cell is the row's text, as text
    assert [[c.value for c in r] for r in ws.iter_rows()] == [list(HEADERS)] + [row_cells(r) for r in rows]
    assert {c.data_type for r in ws.iter_rows() for c in r} == {"s"}
    # the problem cell links to the report page's problem, the link written as given (one URL, no
    # separate location, forward slashes); the other cells link nowhere
    assert [(c.hyperlink.target, c.hyperlink.location) if c.hyperlink else None for c in ws["C"][1:]] == \
        [(link, None) if link else None for link in links]
    assert not any(c.hyperlink for r in ws.iter_rows() for c in r if c.column_letter != "C")
    # a bold header on a light blue fill, centred; the data wrapped and top-aligned, links not restyled
    for c in ws[1]:
        assert c.font.b and c.fill.fill_type == "solid" and c.fill.fgColor.rgb[-6:] == "DDE6F0"
        assert (c.alignment.horizontal, c.alignment.vertical, c.alignment.wrap_text) == ("center", "center", True)
    for c in (c for r in ws.iter_rows(min_row=2) for c in r):
        assert not c.font.b and c.fill.fill_type is None and c.font.u is None
        assert (c.alignment.horizontal, c.alignment.vertical, c.alignment.wrap_text) == (None, "top", True)
    assert [ws.column_dimensions[chr(ord("A") + k)].width for k in range(len(HEADERS))] == list(WIDTHS)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:H{len(rows) + 1}"


def test_xlsx_text_stays_text_and_links_stop_at_excels_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ledger_rows(load_ledger([Path(REPORTS)], YEARS))
    rows[0] = replace(rows[0], org="=SUM(A1:A2)", unit="=SUM(A1:A2)")  # a unit named like a formula
    monkeypatch.setattr(ledger_export, "MAX_LINKS", 3)
    ws = load_workbook(io.BytesIO(to_xlsx(rows, _links(rows))))["整改台账"]
    assert (ws["B2"].value, ws["B2"].data_type) == ("=SUM(A1:A2)", "s")
    # past the limit the cells keep their text, without a link
    assert [bool(c.hyperlink) for c in ws["C"][1:]] == [True, False, True] + [False] * (len(rows) - 3)
    assert [c.value for c in ws["C"][1:]] == [row_cells(r)[2] for r in rows]


def test_csv_has_a_bom_and_the_same_rows(tmp_path: Path) -> None:
    out = tmp_path / "ledger.csv"
    assert main(["ledger", REPORTS, "--format", "csv", "--out", str(out), "--status", "未提及"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == list(HEADERS)
    assert [r[2] for r in table[1:]] == ["P4 四是机关作风建设有短板"]


def test_json_filters_by_year_org_and_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", REPORTS, "--format", "json", "--year", "2023", "--org", "市局", "--status", "reappeared"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["ref"], r["problem_id"], r["label"], r["unit"]) for r in rows] == [
        ("2023/shiju", "P1", "整改后复现", "市行政管理局"), ("2023/shiju", "P3", "整改后复现", "市行政管理局")]
    assert rows[0]["follow_up"] == {"ref": "2024/shiju", "item_id": "R1", "explicit": True,
                                    "sentence": rows[0]["follow_up"]["sentence"]}
    assert "已整改到位" in rows[0]["follow_up"]["sentence"]
    # the current name finds the former name's reports too
    assert main(["ledger", REPORTS, "--format", "json", "--org", "市行政管理局"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 10


def test_text_lists_each_problem_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", REPORTS]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("【整改后复现】2023 市局（现名：市行政管理局）")
    assert "共 10 条问题：整改后复现 2 条、未整改 1 条、待核实 1 条、整改中 2 条、未提及 1 条、已整改 1 条、待跟进 2 条。" in out


@pytest.mark.parametrize("args, message", [
    (["--status", "完成了"], "未知的整改状态"),
    (["--format", "xlsx"], "须用 --out"),
])
def test_bad_arguments_are_one_chinese_line(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["ledger", REPORTS, *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_path_is_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["ledger", str(tmp_path / "无此目录")]) == 2
    assert "找不到文件或目录" in capsys.readouterr().err


def test_unreadable_report_is_located_and_skipped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import shutil

    shutil.copytree(YEARS / "reports", tmp_path / "reports")
    (tmp_path / "reports/2024/gbk.md").write_bytes("---\ntitle: 某单位\n---\n".encode("gbk"))
    assert main(["ledger", str(tmp_path / "reports"), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert "gbk.md:2: 文件不是 UTF-8 编码" in captured.err and "（已跳过）" in captured.err
    assert len(json.loads(captured.out)) == 10


def test_unwritable_output_is_one_chinese_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "文件"
    blocker.write_text("", encoding="utf-8")
    assert main(["ledger", REPORTS, "--format", "csv", "--out", str(blocker / "台账.csv")]) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err and "Traceback" not in err
