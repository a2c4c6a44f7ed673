"""Reading a PDF with a text layer: the report's paragraphs, without the page furniture.

Text and positions come from poppler's ``pdftotext -bbox-layout`` (one process,
milliseconds per page, correct CJK from the fonts' ToUnicode maps; pypdf garbled
the CJK of our XeLaTeX test files and pdfminer.six was eight times slower, with
no better positions). From the lines and their boxes:

- running headers and footers (the same line, digits aside, at the top or foot of
  most pages) and page numbers (``— 3 —``, ``- 3 -``, ``第3页``, ``3/12``) are
  dropped and listed;
- lines are joined into paragraphs: a paragraph starts where a line is indented,
  follows a short line, a wider gap or a change of type size, so lines wrapped at
  the page width and paragraphs split by a page break become one again;
- the title, set large at the head of the first page, is one line however many it
  was wrapped over;
- the spaces extraction puts between Chinese and digits or Latin letters go.

A PDF without text (a scan) is refused with one line: OCR is not done here.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from ..model.ordinals import lead_ordinal
from .decode import ImportFailure, Source

TIMEOUT = 120
_X = "{http://www.w3.org/1999/xhtml}"
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2014\u2018-\u201d\u2026"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[0-9A-Za-z{_CJK}])|(?<=[0-9A-Za-z%])[ \t]+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－─]+\s*[0-9]+\s*[—–\-－─]+|第\s*[0-9]+\s*页(?:\s*[，,/]?\s*共\s*[0-9]+\s*页)?"
    r"|[0-9]+\s*/\s*[0-9]+|[0-9]+|(?:page|Page|PAGE)\s*[0-9]+(?:\s*of\s*[0-9]+)?)$"
)
_KNOWN = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2000-\u206f\u00a0-\u00ff\u2460-\u24ff\u3200-\u32ff]")
_SENTENCE_END = tuple("。！？；：…”’")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})
OCR_MESSAGE = (
    "这个 PDF 没有文字层（是扫描件或图片），本工具不做文字识别（OCR）：请向报送单位索取 Word 原稿，"
    "或先用 OCR 软件把它转成文字后再导入。"
)


@dataclass
class _Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> float:
        return self.y1 - self.y0


def _words(line: etree._Element) -> str:
    out = ""
    for word in line.iter(f"{_X}word"):
        text = (word.text or "").translate(_LIGATURES)
        if out and text and not _CJK_CHAR.match(text[0]) and not _CJK_CHAR.match(out[-1]):
            out += " "
        out += text
    return out


def _pages(xml: bytes) -> list[tuple[float, list[_Line]]]:
    root = etree.fromstring(xml, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    pages = []
    for page in root.iter(f"{_X}page"):
        lines = []
        for line in page.iter(f"{_X}line"):
            text = _words(line).strip()
            if text:
                box = [float(line.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")]
                lines.append(_Line(text, *box))
        pages.append((float(page.get("height", "842")), _rows(lines)))
    return pages


def _rows(lines: list[_Line]) -> list[_Line]:
    """Pieces set on one baseline are one line (a list number and its text apart by a tab)."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.y0 + ln.y1) / 2):
        row = rows[-1] if rows else None
        if row is not None:
            top, bottom = max(ln.y0 for ln in row), min(ln.y1 for ln in row)
            overlap = min(bottom, line.y1) - max(top, line.y0)
            if overlap >= 0.5 * min(line.size, bottom - top):
                row.append(line)
                continue
        rows.append([line])
    out = []
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
        text = row[0].text
        for piece in row[1:]:
            if not _CJK_CHAR.match(piece.text[0]) and not _CJK_CHAR.match(text[-1]):
                text += " "
            text += piece.text
        box = (min(ln.x0 for ln in row), min(ln.y0 for ln in row), max(ln.x1 for ln in row), max(ln.y1 for ln in row))
        out.append(_Line(text, *box))
    return out


def _extract(path: Path) -> bytes:
    tool = shutil.which("pdftotext")
    if tool is None:
        raise ImportFailure(
            "读取 PDF 需要 poppler 的 pdftotext，本机没有：请运行 sudo .ci/install-system-packages pdf"
            "（或 sudo apt-get install poppler-utils）后再导入。"
        )
    try:
        done = subprocess.run(
            [tool, "-q", "-bbox-layout", "-enc", "UTF-8", str(path), "-"],
            capture_output=True, timeout=TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        raise ImportFailure(f"读取 PDF 超过 {TIMEOUT} 秒仍未完成，文件可能过大或已损坏。") from None
    if done.returncode != 0 or not done.stdout:
        raise ImportFailure("无法读取 PDF 文件：文件已损坏，或设置了打开密码（请去掉密码后再导入）。")
    return done.stdout


def _furniture(pages: list[tuple[float, list[_Line]]]) -> tuple[set[tuple[int, int]], list[str]]:
    """(page, line) indexes of running headers/footers and page numbers, and what they were."""
    edge: dict[str, list[tuple[int, int, float]]] = {}
    drop: set[tuple[int, int]] = set()
    numbers = []
    for p, (_height, lines) in enumerate(pages):
        for k in {0, 1, len(lines) - 2, len(lines) - 1}:
            if not 0 <= k < len(lines):
                continue
            line = lines[k]
            if _PAGE_NUMBER.match(line.text) and (k >= len(lines) - 2 or k == 0):
                drop.add((p, k))
                numbers.append(line.text)
                continue
            key = line.text.replace(" ", "")
            if k in (0, len(lines) - 1):  # the outermost line may carry a number that changes (第3期)
                key = re.sub(r"[0-9]+", "#", key)
            edge.setdefault(key, []).append((p, k, line.y0))
    running = []
    need = max(2, (len(pages) + 1) // 2)
    for where in edge.values():
        on = {p for p, _k, _y in where}
        spread = max(y for *_, y in where) - min(y for *_, y in where)
        if len(on) >= need and spread < 6:  # the same line at the same place on most pages
            drop.update((p, k) for p, k, _y in where)
            first = pages[where[0][0]][1][where[0][1]].text
            running.append(f"页眉页脚（{len(on)} 页重复）：{_CJK_GAP.sub('', first)}")
    dropped = running
    if numbers:
        shown = "、".join(numbers[:3]) + ("……" if len(numbers) > 3 else "")
        dropped.append(f"页码（{len(numbers)} 处）：{shown}")
    return drop, dropped


def _paragraphs(pages: list[tuple[float, list[_Line]]], drop: set[tuple[int, int]]) -> tuple[list[str], bool]:
    """The body's paragraphs, and whether the first one is a title set large."""
    body = [(p, ln) for p, (_h, lines) in enumerate(pages) for k, ln in enumerate(lines) if (p, k) not in drop]
    if not body:
        return [], False
    size = statistics.median(ln.size for _p, ln in body)
    left = Counter(round(ln.x0) for _p, ln in body).most_common(1)[0][0]
    right = sorted(ln.x1 for _p, ln in body)[int(0.9 * (len(body) - 1))]
    steps = [b.y0 - a.y0 for (pa, a), (pb, b) in zip(body, body[1:], strict=False) if pa == pb and b.y0 > a.y0]
    step = statistics.median(steps) if steps else size * 1.5
    # paragraphs marked by a first-line indent, or (block style) only by a short last line or a gap:
    # in block style a full line at a page's foot ends its paragraph if it ends a sentence
    indented = sum(1 for _p, ln in body if ln.x0 > left + 0.8 * size and ln.x1 >= right - 1.5 * size) >= 2
    paragraphs: list[list[_Line]] = []
    titled = False
    for index, (p, line) in enumerate(body):
        prev_p, prev = body[index - 1] if index else (p, None)
        large = line.size > 1.15 * size
        if prev is None:
            paragraphs.append([line])
            titled = large and p == 0
            continue
        same_title = titled and len(paragraphs) == 1 and large and prev.size > 1.15 * size and p == prev_p
        if same_title:
            paragraphs[-1].append(line)
            continue
        starts = (
            line.x0 > left + 0.8 * size  # indented (a first line, a centred or right-aligned line)
            or prev.x1 < right - 1.5 * size  # the line before ended short
            or abs(line.size - prev.size) > 0.15 * size  # another type size
            or (p == prev_p and line.y0 - prev.y0 > 1.6 * step)  # a wider gap
            or (p != prev_p and not indented and prev.text.endswith(_SENTENCE_END))
            # a numbered paragraph set flush left (Word's list indent) after a sentence's end, even a full line
            or (prev.text.endswith(_SENTENCE_END) and lead_ordinal(line.text) is not None)
            or (titled and len(paragraphs) == 1)
        )
        if starts:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [_join(lines) for lines in paragraphs], titled


def _join(lines: list[_Line]) -> str:
    text = ""
    for line in lines:
        if text and text[-1].isascii() and text[-1].isalnum() and line.text[0].isascii() and line.text[0].isalnum():
            text += " "
        text += line.text
    return _CJK_GAP.sub("", text)


def _check_decoded(text: str) -> None:
    """Refuse text whose fonts had no usable Unicode map: it comes out as random symbols."""
    chars = [c for c in text if not c.isspace()]
    known = sum(1 for c in chars if c.isascii() or _KNOWN.match(c))
    if chars and known < 0.8 * len(chars):
        raise ImportFailure(
            "PDF 的文字层无法正确解码（所用字体缺少编码表，取出的是乱码），未导入："
            "请向报送单位索取 Word 原稿，或用 OCR 软件重新识别。"
        )


def read_pdf(path: Path, data: bytes) -> Source:
    """The paragraphs of a PDF with a text layer, headers, footers and page numbers dropped."""
    if not data.lstrip().startswith(b"%PDF"):
        raise ImportFailure("这不是 PDF 文件（文件头不是 %PDF），可能扩展名有误或文件已损坏。")
    pages = _pages(_extract(path))
    text_chars = sum(len(ln.text.replace(" ", "")) for _h, lines in pages for ln in lines)
    if text_chars < 10:
        raise ImportFailure(OCR_MESSAGE)
    _check_decoded("".join(ln.text for _h, lines in pages for ln in lines))
    drop, dropped = _furniture(pages)
    paragraphs, titled = _paragraphs(pages, drop)
    if not paragraphs:
        raise ImportFailure("PDF 中除页眉页脚和页码外没有任何正文，未导入。")
    headings = {1: 0} if titled else {}
    return Source("\n".join(paragraphs), "pdf", headings=headings, dropped=dropped)
