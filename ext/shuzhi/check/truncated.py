"""``truncated``: the archive holds an incomplete report.

The importer cuts paywall and omission notes (``……此处省略1200字，开通会员查看全文……``,
``（未完，全文请下载）``) out of the text and leaves a MyST comment where each was
(``% 原文不完整：……``); a note pasted into a report by hand is found by the same
patterns (``data/adverts.yaml``, ``truncated``). Either is an error at its line,
with the number of missing characters where the note states it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import plain
from ..model.findings import Note
from ..read.chrome import GAP_COMMENT
from .context import ReportContext

_MISSING = re.compile(r"缺约 ([0-9]+) 字")
_CHARS = re.compile(r"([0-9]+)\s*字")


def check_truncated(ctx: ReportContext) -> Iterator[Note]:
    report, settings = ctx.report, ctx.line_settings
    start = report.front.length
    for number, raw in report.text_lines:
        if number <= start:
            continue
        if raw.startswith(GAP_COMMENT):
            m = _MISSING.search(raw)
            missing = f"，缺约 {m.group(1)} 字" if m else ""
            yield Note(number, "truncated", f"原文在此处不完整（导入时删去了付费或省略提示{missing}），请找到完整原文补全这一段，再删除这行注释。")
            continue
        if raw.startswith("%") or not settings.adverts.truncated:
            continue
        for m in settings.adverts.truncations(plain(raw)):
            stated = _CHARS.search(m.group(0))
            chars = stated.group(1) if stated else None
            missing = f"，缺约 {chars} 字" if chars else ""
            yield Note(number, "truncated", f"付费或省略提示「{m.group(0).strip()}」：原文在此处不完整{missing}，请补全原文并删除该提示。")
