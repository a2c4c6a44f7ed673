"""The ledger's rows, and the files offices keep a 台账 in: text, JSON, CSV, XLSX.

One row per problem, the same on the site's 问题整改台账 page, in ``shuzhi
ledger`` and in ``_static/ledger.xlsx``: :func:`ledger_rows` makes them,
:func:`row_cells` gives each row's cells as text under :data:`HEADERS`. The
page adds links to the same text; the files carry the text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.url import Url

from ..match.ledger import STATUSES, Ledger, LedgerEntry, Reference
from .collector import paused

HEADERS = ("年度", "单位", "存在问题", "整改措施", "整改落实（原文）", "整改状态", "复现情况", "报告")
#: column widths in the spreadsheet (characters, as stored in the file)
WIDTHS = (8, 16, 40, 36, 48, 12, 36, 26)
#: the order statuses are listed in: 整改后复现 first
PRIORITY = {code: k for k, code in enumerate(STATUSES)}
#: the spreadsheet's one sheet, its header fill
SHEET = "整改台账"
HEAD_FILL = "#DDE6F0"
#: a fixed time for the spreadsheet's metadata: the same rows give the same bytes
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
#: changes whenever the same rows come to give other bytes (a build rewrites a file of an older one)
XLSX_FORMAT = 2  # 2: written with XlsxWriter
#: Excel keeps at most this many hyperlinks in a worksheet
MAX_LINKS = 65530
#: the column whose cells link to the problem on its report page
LINKED = HEADERS.index("存在问题")
#: width of a digit of the default font (Calibri 11) in pixels: Excel's unit of column width
_DIGIT_PIXELS = 7


@dataclass(frozen=True)
class Row:
    year: int | None
    org: str
    unit: str  # the organisation's current name
    ref: str
    problem_id: str
    problem: str
    measures: tuple[tuple[str, str], ...]  # (id, lead)
    follow_ref: str | None
    follow_id: str | None
    follow_explicit: bool
    sentence: str
    status: str
    later: tuple[Reference, ...]  # later problems restating this one
    earlier: tuple[Reference, ...]  # earlier problems this one restates

    @property
    def label(self) -> str:
        return STATUSES[self.status]


def _num(item_id: str) -> int:
    return int(item_id[1:]) if item_id[1:].isdigit() else 0


def _row(e: LedgerEntry) -> Row:
    first = e.rectified_by[0] if e.rectified_by else None
    return Row(
        year=e.year, org=e.org, unit=e.unit or e.org, ref=e.ref, problem_id=e.problem_id, problem=e.problem,
        measures=tuple(zip(e.measures, e.measure_leads or ("",) * len(e.measures), strict=False)),
        follow_ref=first.ref if first else None, follow_id=first.item_id if first else None,
        follow_explicit=bool(first and first.explicit), sentence=e.sentence, status=e.status,
        later=e.recurs_in, earlier=e.recurrence_of,
    )


def ledger_rows(ledger: Ledger | Iterable[LedgerEntry], *, year: int | None = None, org: str | None = None,
                status: str | None = None) -> list[Row]:
    """The rows, strongest signal first (整改后复现), then newest year, unit, report, problem.

    ``org`` matches the report's organisation or its current name; ``status`` a code or a label.
    """
    entries = ledger.entries if isinstance(ledger, Ledger) else list(ledger)
    code = status_code(status) if status else None
    rows = [_row(e) for e in entries
            if (year is None or e.year == year) and (org is None or org in (e.org, e.unit or e.org))
            and (code is None or e.status == code)]
    return sorted(rows, key=lambda r: (PRIORITY[r.status], -(r.year or 0), r.unit, r.ref, _num(r.problem_id)))


def status_code(status: str) -> str:
    """The status code of a code or a Chinese label; ValueError naming the choices otherwise."""
    if status in STATUSES:
        return status
    for code, label in STATUSES.items():
        if status == label:
            return code
    choices = "、".join(f"{label}（{code}）" for code, label in STATUSES.items())
    raise ValueError(f"未知的整改状态「{status}」，可用：{choices}。")


def year_text(year: int | None) -> str:
    return str(year) if year is not None else "年份待定"


def org_text(row: Row) -> str:
    if not row.org:
        return "单位待定"
    return row.org if row.unit == row.org else f"{row.org}（现名：{row.unit}）"


def item_label(ref: str, item_id: str) -> str:
    """``2024 R1``: an item of another report, by its year and id."""
    return f"{ref.split('/', 1)[0]} {item_id}"


def recurrence_parts(row: Row) -> list[tuple[str, Reference]]:
    """(prefix, reference) of each recurrence: 再现于 for later problems, 复述 for earlier ones."""
    return [("再现于", r) for r in row.later] + [("复述", r) for r in row.earlier]


#: a piece of a cell: its text, what it links to ((report ref, anchor) or None), its CSS class
Part = tuple[str, "tuple[str, str] | None", str]


def _joined(groups: Sequence[list[Part]]) -> list[Part]:
    out: list[Part] = []
    for k, group in enumerate(groups):
        if k:
            out.append(("；", None, ""))
        out += group
    return out or [("—", None, "")]


def row_parts(row: Row) -> list[list[Part]]:
    """The row's cells under :data:`HEADERS`, as pieces the page links and the files join."""
    follow: list[Part] = [("—", None, "")]
    if row.follow_ref and row.follow_id:
        follow = [(item_label(row.follow_ref, row.follow_id), (row.follow_ref, row.follow_id), ""),
                  (f"：{row.sentence}", None, "")]
    again = [[(f"{prefix} ", None, ""), (item_label(r.ref, r.item_id), (r.ref, r.item_id), ""), (f" {r.text}", None, "")]
             for prefix, r in recurrence_parts(row)]
    return [
        [(year_text(row.year), None, "")],
        [(org_text(row), None, "")],
        [(f"{row.problem_id} {row.problem}", (row.ref, row.problem_id), "")],
        _joined([[(f"{mid} {lead}".strip(), (row.ref, mid), "")] for mid, lead in row.measures]),
        follow,
        [(row.label, None, f"sz-status sz-status-{row.status}")],
        _joined(again),
        [(row.ref, (row.ref, ""), "")],
    ]


def row_cells(row: Row) -> list[str]:
    """The row's cells as text, under :data:`HEADERS` (the page shows the same text, with links)."""
    return cell_texts(row_parts(row))


def cell_texts(cells: Sequence[Sequence[Part]]) -> list[str]:
    """Cells given as :func:`row_parts` as their text."""
    return ["".join(text for text, _target, _cls in parts) for parts in cells]


def row_dict(row: Row) -> dict[str, Any]:
    """A row as plain JSON data (``shuzhi ledger --format json``)."""
    def refs(items: Sequence[Reference]) -> list[dict[str, Any]]:
        return [{"ref": r.ref, "item_id": r.item_id, "text": r.text, "score": r.score} for r in items]

    return {
        "year": row.year, "org": row.org, "unit": row.unit, "ref": row.ref, "problem_id": row.problem_id,
        "problem": row.problem, "measures": [{"id": i, "text": t} for i, t in row.measures],
        "follow_up": ({"ref": row.follow_ref, "item_id": row.follow_id, "sentence": row.sentence,
                       "explicit": row.follow_explicit} if row.follow_ref else None),
        "status": row.status, "label": row.label, "recurs_in": refs(row.later), "recurrence_of": refs(row.earlier),
    }


def to_json(rows: Sequence[Row]) -> str:
    return json.dumps([row_dict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: Sequence[Row]) -> bytes:
    """UTF-8 with a BOM, so Excel opens it with the Chinese intact."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(row_cells(r) for r in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_text(rows: Sequence[Row]) -> str:
    lines = []
    for r in rows:
        cells = row_cells(r)
        lines.append(f"【{r.label}】{cells[0]} {cells[1]} {r.ref}#{cells[2]}")
        for header, cell in zip(HEADERS[3:7], cells[3:7], strict=True):
            if header != "整改状态" and cell != "—":
                lines.append(f"    {header}：{cell}")
    counts = {label: sum(1 for r in rows if r.status == code) for code, label in STATUSES.items()}
    lines.append(f"共 {len(rows)} 条问题：" + "、".join(f"{k} {n} 条" for k, n in counts.items() if n) + "。")
    return "\n".join(lines) + "\n"


@paused()  # a tuple per cell, no cycle among them: see .collector
def link_limit_note(rows: int, where: str) -> str | None:
    """What to tell the user when ``where`` (an Excel file) has more rows than it can link."""
    if rows <= MAX_LINKS:
        return None
    return (f"整改台账共 {rows} 条问题，Excel 每个工作表最多 {MAX_LINKS} 个超链接："
            f"{where} 第 {MAX_LINKS + 2} 行起的问题不再链接到报告页（文字不变）。")


def to_xlsx(rows: Sequence[Row], links: Sequence[str | None] | None = None,
            cells: Sequence[Sequence[str]] | None = None) -> bytes:
    """The ledger as an Excel workbook: Chinese headers, frozen header row, filters, wrapped text.

    ``links`` (one per row, optional) makes the problem cell a hyperlink (the site passes
    each report page's address relative to ``_static/``); past :data:`MAX_LINKS` rows the
    cells keep their text without a link. ``cells``: the rows' :func:`row_cells`, if the caller
    has them already. The same rows give the same bytes.

    Written with XlsxWriter, which streams cells as text (openpyxl builds an object per cell
    and took 2.5 times as long at 17,000 rows); every cell is written as a string, so a
    text starting with ``=`` stays text.
    """
    buffer = io.BytesIO()
    # in memory: no temporary files, and every zip entry gets one fixed time
    wb = Workbook(buffer, {"in_memory": True})
    wb.set_properties({"author": "shuzhi", "created": datetime(*FIXED_TIME)})
    ws = wb.add_worksheet(SHEET)
    head = wb.add_format({"bold": True, "bg_color": HEAD_FILL, "align": "center", "valign": "vcenter",
                          "text_wrap": True})
    body = wb.add_format({"valign": "top", "text_wrap": True})
    for k, width in enumerate(WIDTHS):
        # a width in characters gets Excel's 5-pixel padding added; in pixels it is stored as WIDTHS
        ws.set_column_pixels(k, k, width * _DIGIT_PIXELS)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(HEADERS) - 1)
    for col, header in enumerate(HEADERS):
        ws.write_string(0, col, header, head)
    write = ws.write_string
    for k, r in enumerate(rows):
        target = links[k] if links is not None and k < MAX_LINKS else None
        for col, text in enumerate(cells[k] if cells is not None else row_cells(r)):
            if col == LINKED and target:
                ws.write_url(k + 1, col, _Link(target, text), body)
            else:
                write(k + 1, col, text, body)
    wb.close()
    return buffer.getvalue()


class _Link(Url):
    """A relative link kept as written, ``../reports/2024/x.html#P1``: XlsxWriter would store a
    relative path as a Windows path (backslashes) with the ``#`` part as a separate location.
    Sets two attributes XlsxWriter keeps private (pinned version; tests/test_ledger_export.py
    reads the stored link back)."""

    def __init__(self, target: str, text: str) -> None:
        super().__init__("external:" + target)
        self._relationship_link = target
        self._anchor = ""
        self.text = text


__all__ = ["HEADERS", "Part", "Row", "cell_texts", "ledger_rows", "link_limit_note", "row_cells", "row_parts", "row_dict", "status_code", "to_csv", "to_json",
           "to_text", "to_xlsx", "MAX_LINKS", "XLSX_FORMAT"]
