"""Reading raw reports: bytes → text, whatever encoding the office machine used.

``.txt`` files may be UTF-8 (with or without BOM), UTF-16 (with BOM) or
GB18030/GBK; ``.docx`` files are read with python-docx, paragraphs and table
cells in document order. Every failure is an :class:`ImportFailure` carrying one
Chinese line for the user.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

SUPPORTED = (".txt", ".docx")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class ImportFailure(Exception):
    """An input the importer cannot read; the message is one Chinese line."""


def read_source(path: Path) -> tuple[str, str]:
    """(text, encoding name) of a raw report file."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ImportFailure(f"不支持的文件类型「{path.suffix or '无扩展名'}」，只能导入 .txt 和 .docx。")
    if not path.exists():
        raise ImportFailure("文件不存在。")
    if path.is_dir():
        raise ImportFailure("这是一个目录，不是文件。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"无法读取文件（{exc.strerror or exc}）。") from None
    if suffix == ".docx":
        return read_docx(path), "docx"
    return decode_bytes(data)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a .txt report; refuse binary data."""
    if not data.strip():
        raise ImportFailure("文件为空（没有任何文字）。")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name)
            except UnicodeDecodeError:
                raise ImportFailure(f"文件以 {name} 标记开头，但内容无法按该编码解码，可能已损坏。") from None
            _check_text(text)
            return text, name + ("-sig" if name == "utf-8" else "")
    if b"\x00" in data:
        guessed = _utf16_without_bom(data)
        if guessed is not None:
            return guessed
        raise ImportFailure("这像是二进制文件（含 NUL 字节），不是文本报告；Word 文件请另存为 .docx 或 .txt。")
    for name in ("utf-8", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        _check_text(text)
        return text, name
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # noqa: BLE001 - a detector failure is just "unknown encoding"
        best = None
    if best is not None and best.encoding:
        text = str(best)
        _check_text(text)
        return text, best.encoding
    raise ImportFailure("无法识别文件的文字编码（试过 UTF-8、UTF-16、GB18030），请另存为 UTF-8 后再导入。")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM (some Windows tools): accept it only if it reads as clean text."""
    if len(data) % 2:
        return None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        printable = sum(1 for c in text if c.isprintable() or c in "\t\n\r")
        if text.strip() and "\x00" not in text and printable >= 0.98 * len(text) and _mostly_known(text):
            return text, name
    return None


def _mostly_known(text: str) -> bool:
    """Mostly ASCII, CJK and CJK punctuation — not the random code points binary data gives."""
    known = sum(1 for c in text if ord(c) < 0x80 or 0x3000 <= ord(c) <= 0x9FFF or 0xFF00 <= ord(c) <= 0xFFEF)
    return known >= 0.95 * len(text)


def _check_text(text: str) -> None:
    if not text.strip():
        raise ImportFailure("文件为空（没有任何文字）。")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise ImportFailure("这像是二进制文件（含大量控制字符），不是文本报告。")


def read_docx(path: Path) -> str:
    """The text of a .docx: paragraphs and table rows in document order."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - pinned dependency
        raise ImportFailure("缺少 python-docx，无法读取 .docx 文件（请先运行 make setup）。") from None
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFailure("无法打开 .docx 文件：文件已损坏，或并非 Word 2007 及以后的格式。") from None
    except Exception:  # noqa: BLE001 - python-docx raises assorted errors on bad files
        raise ImportFailure("无法解析 .docx 文件的内容，请在 Word 中另存后再导入。") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    if cell.text not in cells:  # merged cells repeat their text
                        cells.append(cell.text)
                lines.append(" ".join(cells))
    text = "\n".join(lines)
    if not text.strip():
        raise ImportFailure("文件为空（.docx 中没有任何文字）。")
    return text
