"""Reading raw reports: whatever file an office sends → text for the importer.

``.txt`` files may be UTF-8 (with or without BOM), UTF-16 (with BOM) or
GB18030/GBK. The other formats have readers of their own: ``.docx``
(:mod:`.word`, with Word's list numbering rendered), ``.pdf`` (:mod:`.pdfread`),
``.doc``/``.wps``/``.rtf``/``.odt`` (:mod:`.office`, converted to .docx by
LibreOffice) and saved web pages ``.html``/``.htm`` (:mod:`.webpage`). Each
returns a :class:`Source`: the text, plus what only the file format knows
(heading levels from Word styles, tables and footnotes as Markdown, what was
left out). Every failure is an :class:`ImportFailure` carrying one Chinese line
for the user.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED = (".txt", ".docx", ".pdf", ".doc", ".wps", ".rtf", ".odt", ".html", ".htm")
OFFICE = (".doc", ".wps", ".rtf", ".odt")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .wps files

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class ImportFailure(Exception):
    """An input the importer cannot read; the message is one Chinese line."""


# Tables and footnotes travel through cleaning and structuring as placeholders
# (private-use characters no step touches) and are filled in the final Markdown.
# A table's line ends in 。 so that it is never taken for a short heading.
_TOKEN = re.compile("\ue000(?:(T[0-9]+)\ue001。|(F[0-9]+)\ue001)")


def placeholder(key: str) -> str:
    return f"\ue000{key}\ue001" + ("。" if key.startswith("T") else "")


@dataclass
class Source:
    """A raw report as read from its file."""

    text: str
    encoding: str  # the text encoding, or the format read (docx, pdf, doc, html …)
    #: 1-based line of ``text`` → 0 for the title, 1–9 for a heading level the file states (Word styles)
    headings: dict[int, int] = field(default_factory=dict)
    #: placeholder key → Markdown (``T1`` a pipe table, ``F1`` a footnote reference, ``D1`` its definition)
    blocks: dict[str, str] = field(default_factory=dict)
    #: what the reader left out on purpose (headers, page numbers, comments, deletions), one line each
    dropped: list[str] = field(default_factory=list)
    #: remarks for the reviewer (merged table cells, a conversion …)
    notes: list[str] = field(default_factory=list)

    def fill(self, markdown: str) -> str:
        """The Markdown with the placeholders replaced by tables and footnotes."""
        if not self.blocks:
            return markdown

        def one(m: re.Match[str]) -> str:
            key = m.group(1) or m.group(2)
            if key.startswith("T"):
                return "\n\n" + self.blocks.get(key, "") + "\n\n"
            return self.blocks.get(key, "")

        # twice: a footnote mark inside a table arrives with the table
        out = re.sub(r"\n{3,}", "\n\n", _TOKEN.sub(one, _TOKEN.sub(one, markdown)))
        notes = [self.blocks[k] for k in sorted(self.blocks, key=_key_order) if k.startswith("D")]
        if notes:
            out = out.rstrip("\n") + "\n\n" + "\n".join(notes) + "\n"
        return out


def _key_order(key: str) -> tuple[str, int]:
    return key[0], int(key[1:])


def read_source(path: Path) -> Source:
    """The text of a raw report file and what its format adds."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        kinds = "、".join(SUPPORTED)
        raise ImportFailure(f"不支持的文件类型「{path.suffix or '无扩展名'}」，可以导入：{kinds}。")
    if not path.exists():
        raise ImportFailure("文件不存在。")
    if path.is_dir():
        raise ImportFailure("这是一个目录，不是文件。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"无法读取文件（{exc.strerror or exc}）。") from None
    if suffix == ".docx" and data.startswith(_OLE):
        suffix = ".doc"  # an old Word file saved under the new name: Word opens it, so do we
    if suffix == ".docx":
        from .word import read_word

        return read_word(path)
    if suffix == ".pdf":
        from .pdfread import read_pdf

        return read_pdf(path, data)
    if suffix in OFFICE:
        from .office import read_office

        return read_office(path, data)
    if suffix in (".html", ".htm"):
        from .webpage import read_html

        return read_html(data)
    text, encoding = decode_bytes(data)
    return Source(text, encoding)


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
