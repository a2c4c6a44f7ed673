"""Reading a Word .docx as a careful clerk would retype it.

python-docx opens the package (parts, relationships, styles); the XML is walked
here, because what the report says is more than ``Paragraph.text``:

- automatic list numbering is rendered (:mod:`.numbering`) and put in front of
  the paragraph's text, so ``一、`` and ``（一）`` reach the structure step as if typed;
- heading styles (Heading 1–3, 标题 1–3, outline levels) and the Title style give
  per-line heading hints; consecutive Title paragraphs are one title;
- tables become MyST pipe tables and footnotes MyST footnotes (through
  placeholders the importer fills after rendering, so no escaping touches them);
- text boxes and content controls are read where they stand; a line break inside
  a paragraph does not split it; tracked insertions are kept, deletions dropped;
- comments, page headers and footers are left out, and listed in ``dropped``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from .decode import ImportFailure, Source, placeholder
from .word_numbering import Numbering, W, val, w
from .write import escape_heading

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}
_TOC_NAME = re.compile(r"^(?:toc\s*[1-9]|目录\s*[1-9])$", re.IGNORECASE)
_BREAK = "\u2028"  # stands for a line break inside a paragraph until the paragraph is joined
SNIPPET = 30
# our placeholders' brackets go; a line break typed into the XML text is a break inside the paragraph
_PRIVATE = str.maketrans({"\ue000": None, "\ue001": None, "\n": "\u2028", "\r": "\u2028", "\v": "\u2028", "\u2029": "\u2028"})
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None


@dataclass
class _Reader:
    numbering: Numbering
    styles: dict[str, _Style]
    footnotes: dict[str, etree._Element]
    lines: list[str] = field(default_factory=list)
    headings: dict[int, int] = field(default_factory=dict)
    blocks: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    commented: list[str] = field(default_factory=list)
    toc: list[str] = field(default_factory=list)
    title_open: bool = False

    # -- styles ---------------------------------------------------------------------
    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        while style_id and style_id in self.styles and len(chain) < 20:
            style = self.styles[style_id]
            chain.append(style)
            style_id = style.based_on
        return chain

    def heading_level(self, ppr: etree._Element | None, style_id: str | None) -> int | None:
        """0 for the title, 1–9 for headings, None for body text."""
        outline = val(ppr.find(w("outlineLvl"))) if ppr is not None else None
        for style in self._chain(style_id):
            name = style.name.strip().lower()
            if name in _TITLE_NAMES:
                return 0
            m = _HEADING_NAME.match(name)
            if m:
                return int(m.group(1))
            if outline is None and style.outline is not None:
                outline = str(style.outline)
        if outline is not None and outline.isdigit() and int(outline) < 9:
            return int(outline) + 1
        return None

    def ordinal(self, ppr: etree._Element | None, style_id: str | None) -> str:
        num_id: str | None = None
        ilvl: int | None = None
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        if numpr is not None:
            num_id = val(numpr.find(w("numId")))
            raw = val(numpr.find(w("ilvl")))
            ilvl = int(raw) if raw and raw.isdigit() else None
        if num_id is None:
            for style in self._chain(style_id):
                if style.num_id is not None:
                    num_id = style.num_id
                    if ilvl is None:
                        ilvl = style.ilvl
                    break
        if num_id is None or num_id == "0":
            return ""
        if ilvl is None:
            ilvl = self.numbering.level_for_style(num_id, style_id or "") or 0
        return self.numbering.render(num_id, ilvl)

    # -- blocks ---------------------------------------------------------------------
    def block(self, element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if tag == w("p"):
                self.paragraph(child)
            elif tag == w("tbl"):
                self.table(child)
            elif tag == w("sdt") and _is_toc(child):
                self.toc.extend(_text_lines(child))  # Word's 目录: the headings again, with page numbers
            elif tag in (w("sdt"), w("customXml"), w("sdtContent"), w("ins"), w("moveTo")):
                self.block(child)  # content controls and the like: their content where they stand

    def emit(self, text: str, level: int | None = None) -> None:
        if level == 0 and self.title_open and self.lines:
            self.lines[-1] += text  # a title typed as two Title paragraphs is one title
            return
        self.lines.append(text)
        self.title_open = level == 0
        if level is not None:
            self.headings[len(self.lines)] = level

    def paragraph(self, p: etree._Element) -> None:
        ppr = p.find(w("pPr"))
        style_id = val(ppr.find(w("pStyle"))) if ppr is not None else None
        boxes: list[etree._Element] = []
        parts: list[str] = []
        self.inline(p, parts, boxes)
        text = _join(parts)
        if any(_TOC_NAME.match(style.name.strip()) for style in self._chain(style_id)):
            if text.strip():
                self.toc.append(text.strip())  # a table of contents without its content control
            return
        if not text.strip() and _mark_deleted(ppr):
            return  # deleted whole as a tracked change: once accepted it is gone, and so is its number
        ordinal = self.ordinal(ppr, style_id)  # counted even for an empty paragraph, as Word does
        if text.strip():
            level = self.heading_level(ppr, style_id)
            self.emit(ordinal + text.strip(), level)
        else:
            self.title_open = self.title_open and not boxes
        for box in boxes:
            self.block(box)

    def inline(self, element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag == w("pPr") or tag == w("rPr"):
                continue
            if tag == w("t"):
                parts.append((child.text or "").translate(_PRIVATE))
            elif tag in (w("del"), w("moveFrom")):
                gone = "".join(t.text or "" for t in child.iter(w("delText"), w("t")))
                if gone.strip():
                    self.deleted.append(gone.strip())
            elif tag in (w("br"), w("cr")):
                parts.append(_BREAK)
            elif tag in (w("tab"), w("ptab")):
                parts.append(" ")
            elif tag == w("noBreakHyphen"):
                parts.append("-")
            elif tag == w("txbxContent"):
                boxes.append(child)
            elif tag == f"{{{MC}}}Fallback" or tag in (w("instrText"), w("delInstrText")):
                continue  # the fallback repeats the choice; field codes are not text
            elif tag in (w("footnoteReference"), w("endnoteReference")):
                kind = "footnote" if tag == w("footnoteReference") else "endnote"
                parts.append(self.footnote(kind + ":" + (val(child, "id") or "")))
            elif tag == w("commentReference"):
                continue
            else:
                self.inline(child, parts, boxes)

    def footnote(self, fid: str) -> str:
        note = self.footnotes.get(fid)
        if note is None:
            return ""
        parts: list[str] = []
        for p in note.iter(w("p")):
            inner: list[str] = []
            self.inline(p, inner, [])
            parts.append(_join(inner).strip())
        number = sum(1 for key in self.blocks if key.startswith("F")) + 1
        text = " ".join(t for t in parts if t)
        token = placeholder(f"F{number}")
        self.blocks[f"F{number}"] = f"[^{number}]"
        self.blocks[f"D{number}"] = f"[^{number}]: {escape_heading(text)}"
        return token

    def table(self, tbl: etree._Element) -> None:
        rows: list[list[str]] = []
        above: dict[int, str] = {}
        merged = False
        for tr in tbl.iter(w("tr")):
            if tr.getparent() is not None and _owner_table(tr) is not tbl:
                continue  # rows of a nested table are read with its cell
            row: list[str] = []
            for tc in tr.findall(w("tc")):
                tcpr = tc.find(w("tcPr"))
                span = int(val(tcpr.find(w("gridSpan"))) or 1) if tcpr is not None else 1
                vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
                column = len(row)
                if vmerge is not None and val(vmerge) in (None, "continue"):
                    text = above.get(column, "")  # a vertically merged cell repeats the text above
                    merged = True
                else:
                    text = self.cell(tc)
                merged = merged or span > 1
                for k in range(span):
                    row.append(text)
                    above[column + k] = text
            if any(cell.strip() for cell in row):
                rows.append(row)
        if not rows:
            return
        number = sum(1 for key in self.blocks if key.startswith("T")) + 1
        self.blocks[f"T{number}"] = _pipe_table(rows)
        self.emit(placeholder(f"T{number}"))
        self.title_open = False
        if merged:
            self.notes.append(f"表格 {number} 有合并单元格，合并的内容在各格重复写出，请核对。")

    def cell(self, tc: etree._Element) -> str:
        texts: list[str] = []
        for p in tc.iter(w("p")):
            parts: list[str] = []
            self.inline(p, parts, [])
            ppr = p.find(w("pPr"))
            style_id = val(ppr.find(w("pStyle"))) if ppr is not None else None
            text = _join(parts).strip()
            ordinal = self.ordinal(ppr, style_id)
            if text:
                texts.append(ordinal + text)
        return " ".join(texts)


def _is_toc(sdt: etree._Element) -> bool:
    gallery = sdt.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
    return gallery is not None and (val(gallery) or "").lower() == "table of contents"


def _text_lines(element: etree._Element) -> list[str]:
    lines = ["".join(t.text or "" for t in p.iter(w("t"))).strip() for p in element.iter(w("p"))]
    return [line for line in lines if line]


def _mark_deleted(ppr: etree._Element | None) -> bool:
    """Whether the paragraph mark itself is a tracked deletion (or moved away)."""
    rpr = ppr.find(w("rPr")) if ppr is not None else None
    return rpr is not None and (rpr.find(w("del")) is not None or rpr.find(w("moveFrom")) is not None)


def _owner_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != w("tbl"):
        parent = parent.getparent()
    return parent


def _join(parts: list[str]) -> str:
    """A paragraph's text; a line break joins its two lines (with a space only between Latin words)."""
    text = "".join(parts)
    if _BREAK not in text:
        return text
    pieces = [piece.strip() for piece in text.split(_BREAK)]
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out and not _CJK.search(out[-1]) and not _CJK.search(piece[0]):
            out += " "
        out += piece
    return out


def _pipe_table(rows: list[list[str]]) -> str:
    width = max(len(row) for row in rows)
    lines = []
    for k, row in enumerate(rows):
        cells = [escape_heading(cell).replace("|", "\\|") for cell in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if k == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def _styles(document: object) -> dict[str, _Style]:
    found: dict[str, _Style] = {}
    root = document.styles.element  # type: ignore[attr-defined]
    for element in root.iter(w("style")):
        ppr = element.find(w("pPr"))
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        ilvl = val(numpr.find(w("ilvl"))) if numpr is not None else None
        outline = val(ppr.find(w("outlineLvl"))) if ppr is not None else None
        found[element.get(w("styleId")) or ""] = _Style(
            name=val(element.find(w("name"))) or "",
            based_on=val(element.find(w("basedOn"))),
            num_id=val(numpr.find(w("numId"))) if numpr is not None else None,
            ilvl=int(ilvl) if ilvl and ilvl.isdigit() else None,
            outline=int(outline) if outline and outline.isdigit() else None,
        )
    return found


def _part_root(document: object, reltype: str) -> etree._Element | None:
    part = document.part  # type: ignore[attr-defined]
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return etree.fromstring(rel.target_part.blob, _SAFE)  # nothing outside the file is read
    return None


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[:SNIPPET] + "…"


def read_word(path: Path) -> Source:
    """The text of a .docx with rendered numbering, heading hints and the fill-ins for tables and footnotes."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFailure("无法打开 .docx 文件：文件已损坏，或并非 Word 2007 及以后的格式。") from None
    except Exception:  # noqa: BLE001 - python-docx raises assorted errors on bad files
        raise ImportFailure("无法解析 .docx 文件的内容，请在 Word 中另存后再导入。") from None
    try:
        numbering_root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        numbering_root = None
    footnotes = {}  # footnotes and endnotes alike become MyST footnotes
    for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
        root = _part_root(document, reltype)
        for note in root.iter(w(kind)) if root is not None else ():
            if note.get(w("type")) in (None, "normal"):
                footnotes[f"{kind}:{note.get(w('id'))}"] = note
    reader = _Reader(Numbering(numbering_root), _styles(document), footnotes)
    reader.block(document.element.body)
    if not any(line.strip() for line in reader.lines):
        raise ImportFailure("文件为空（.docx 中没有任何文字）。")
    return Source(
        "\n".join(reader.lines),
        "docx",
        headings=reader.headings,
        blocks=reader.blocks,
        dropped=_dropped(reader, document),
        notes=reader.notes,
    )


def _dropped(reader: _Reader, document: object) -> list[str]:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    out = [f"修订中删除的文字：{_snippet(text)}" for text in reader.deleted]
    if reader.toc:
        out.append(f"目录（{len(reader.toc)} 行）：{_snippet('；'.join(reader.toc))}")
    comments = _part_root(document, RT.COMMENTS)
    if comments is not None:
        for comment in comments.iter(w("comment")):
            text = "".join(t.text or "" for t in comment.iter(w("t")))
            author = comment.get(w("author")) or "（未署名）"
            out.append(f"批注（{author}）：{_snippet(text)}")
    seen: set[tuple[str, str]] = set()
    for section in document.sections:  # type: ignore[attr-defined]
        for kind, parts in (
            ("页眉", (section.header, section.first_page_header, section.even_page_header)),
            ("页脚", (section.footer, section.first_page_footer, section.even_page_footer)),
        ):
            for part in parts:
                if part.is_linked_to_previous:  # no header of its own (asking for one would add it)
                    continue
                text = " ".join(t.text or "" for t in part._element.iter(w("t"))).strip()
                if text and (kind, text) not in seen:
                    seen.add((kind, text))
                    out.append(f"{kind}：{_snippet(text)}")
    return out


__all__ = ["W", "read_word"]
