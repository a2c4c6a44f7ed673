"""The numbering rule: ordinal sequences that skip, repeat, go back or mix styles.

The model gives the sequences to check (:attr:`Report.runs`): sibling headings,
consecutive numbered paragraphs of one section, and run-in items (一是…二是…),
with nested run-ins (一要…二要… inside 一是) as their own sequences. A sequence
is only compared with itself, so a 一是 list inside （二） or the same ordinals in
another section are never a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..model import OrdinalRun
from ..model.findings import Code, Note
from ..model.ordinals import NUMERALS, Ordinal, int_to_cn
from .context import ReportContext

_CN_NUM = re.compile(f"[{NUMERALS}]+")
_AR_NUM = re.compile(r"[0-9０-９]+")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def render(ordinal: Ordinal, value: int) -> str:
    """The ordinal written the same way with another value: （二） → （四）."""
    if ordinal.style in ("arabic", "paren_arabic"):
        m = _AR_NUM.search(ordinal.text)
        number = str(value)
        if m and not m.group(0).isascii():
            number = number.translate(_FULLWIDTH)
        return _AR_NUM.sub(number, ordinal.text, count=1)
    return _CN_NUM.sub(int_to_cn(value), ordinal.text, count=1)


def form(ordinal: Ordinal) -> str:
    """How an ordinal is typed apart from its value: （一） vs (一), 1. vs 1、 vs １．"""
    return _form(ordinal.text)


@lru_cache(maxsize=1024)
def _form(text: str) -> str:
    # a few distinct texts (（一）, 1., 一是…) come back in every report
    return _AR_NUM.sub(lambda m: "9" if m.group(0).isascii() else "９", _CN_NUM.sub("N", text))


def check_runs(ctx: ReportContext) -> Iterator[Note]:
    for run in ctx.report.runs:
        yield from _check_run(run)


def _check_run(run: OrdinalRun) -> Iterator[Note]:
    if not run.entries:
        return
    last: dict[str, tuple[int, Ordinal]] = {}
    first_form: dict[str, Ordinal] = {}
    previous: tuple[int, Ordinal] | None = None
    for index, (line, ordinal) in enumerate(run.entries):
        style = ordinal.style
        before = last.get(style)
        if before is None:
            if previous is not None and previous[1].style != style and ordinal.value != 1:
                # （一）（二）3.: a second style that continues the first one's count
                if ordinal.value in (previous[1].value, previous[1].value + 1):
                    yield Note(
                        line,
                        Code.NUMBERING,
                        f"序号样式混用：同一层级中「{previous[1].text}」之后是「{ordinal.text}」，"
                        f"应为「{render(previous[1], ordinal.value)}」。",
                    )
            elif index == 0 and run.where == "heading" and ordinal.value != 1:
                yield Note(
                    line,
                    Code.NUMBERING,
                    f"序号跳号：这一级标题从「{ordinal.text}」开始，缺少「{render(ordinal, 1)}」，请改正序号。",
                )
        else:
            yield from _step(run, before, line, ordinal)
        if style in first_form and form(first_form[style]) != form(ordinal):
            yield Note(
                line,
                Code.NUMBERING,
                f"序号写法不一致：「{ordinal.text}」与前面的「{first_form[style].text}」混用了全角/半角或标点，"
                f"请统一写成「{render(first_form[style], ordinal.value)}」。",
            )
        first_form.setdefault(style, ordinal)
        last[style] = (line, ordinal)
        previous = (line, ordinal)


def _step(run: OrdinalRun, before: tuple[int, Ordinal], line: int, ordinal: Ordinal) -> Iterator[Note]:
    prev_line, prev = before
    expected = prev.value + 1
    if ordinal.value == expected:
        return
    if ordinal.value == 1 and run.where != "heading":
        # a nested list starting again (1. (1)(2) 2. (1)), or the measures of a combined
        # 存在问题及下一步打算 section starting their own 一是 after the problems' 三是
        return
    where = "前面" if prev_line == line else f"第 {prev_line} 行"
    if ordinal.value == prev.value:
        yield Note(
            line,
            Code.NUMBERING,
            f"序号重复：「{ordinal.text}」在{where}已经用过，这里应为「{render(ordinal, expected)}」，请改正序号。",
        )
    elif ordinal.value > expected:
        missing = "、".join(f"「{render(ordinal, v)}」" for v in range(expected, min(ordinal.value, expected + 3)))
        yield Note(
            line,
            Code.NUMBERING,
            f"序号跳号：「{prev.text}」之后是「{ordinal.text}」，缺少{missing}，请改正序号。",
        )
    else:
        yield Note(
            line,
            Code.NUMBERING,
            f"序号倒序：{where}是「{prev.text}」，这里却是「{ordinal.text}」，应为「{render(ordinal, expected)}」。",
        )
