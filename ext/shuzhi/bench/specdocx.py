"""The .docx writer of the corpus specs (:mod:`.specfiles`): every ordinal from Word's list numbering.

Headings are numbered through Heading 1/2 styles linked to one outline list
(``styles: true``) or by numbering on plain bold paragraphs; an item list
restarts by ``startOverride`` (``restart: override``) or as a list of its own
(``restart: new-list``); ``gbt: true`` dresses the document as GB/T 9704.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from .specfiles import _INLINE, Line, Spec, cells, plain
from .wordxml import W_NS, add_footnotes, add_numbering, lvl, numbered


def _numbering_xml(styles: bool) -> list[str]:
    link1, link2 = ("Heading1", "Heading2") if styles else ("", "")
    return [
        f'<w:abstractNum {W_NS} w:abstractNumId="50"><w:multiLevelType w:val="multilevel"/>'
        + lvl(0, "chineseCounting", "%1、", link1)
        + lvl(1, "chineseCounting", "（%2）", link2)
        + lvl(2, "decimal", "%3.")
        + "</w:abstractNum>",
        f'<w:abstractNum {W_NS} w:abstractNumId="60"><w:multiLevelType w:val="singleLevel"/>'
        + lvl(0, "chineseCounting", "（%1）")
        + "</w:abstractNum>",
    ]


def _num(num_id: int, abstract: int, restart: bool) -> str:
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
    return f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{override}</w:num>'


def _restart(numbering: Any, num_id: int, new_list: bool) -> tuple[int, bool]:
    """(abstract id, startOverride?) for the item list ``num_id``: a restart of list 60, or a copy of it."""
    if num_id == 61 or not new_list:
        return 60, num_id > 61
    from docx.oxml import parse_xml

    first_num = numbering.find(f"{{{W_NS[9:-1]}}}num")
    first_num.addprevious(parse_xml(_numbering_xml(False)[1].replace('w:abstractNumId="60"', f'w:abstractNumId="{num_id + 100}"')))
    return num_id + 100, False


def _furniture(document: Any, options: dict[str, Any]) -> None:
    from docx.oxml import parse_xml

    section = document.sections[0]
    if options.get("header"):
        section.header.paragraphs[0].text = str(options["header"])
    footer = str(options.get("footer", ""))
    if "{page}" in footer:
        paragraph = section.footer.paragraphs[0]
        before, after = footer.split("{page}", 1)
        paragraph.add_run(before)
        paragraph._p.append(parse_xml(f'<w:fldSimple {W_NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        paragraph.add_run(after)


def _runs(paragraph: Any, text: str, footnotes: list[str], bold: bool = False) -> None:
    from docx.oxml import parse_xml

    stamp = 'w:author="审核人" w:date="2024-01-08T10:00:00Z"'
    for k, piece in enumerate(_INLINE.split(text)):
        if not piece:
            continue
        if piece.startswith("{+"):
            paragraph._p.append(parse_xml(f'<w:ins {W_NS} w:id="{900 + k}" {stamp}><w:r><w:t>{html.escape(piece[2:-2])}</w:t></w:r></w:ins>'))
        elif piece.startswith("{-"):
            paragraph._p.append(parse_xml(
                f'<w:del {W_NS} w:id="{900 + k}" {stamp}><w:r><w:delText>{html.escape(piece[2:-2])}</w:delText></w:r></w:del>'
            ))
        elif piece.startswith("[^"):
            footnotes.append(piece[2:-1])
            paragraph._p.append(parse_xml(
                f'<w:r {W_NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{len(footnotes)}"/></w:r>'
            ))
        else:
            paragraph.add_run(piece).bold = bold or None


def write_docx(spec: Spec, path: Path) -> Path:
    """The spec as Word writes it: ordinals from list numbering, through heading styles if ``styles``."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    styles = bool(spec.options.get("styles", True))
    # restart: override (Word's 重新开始编号, a startOverride) or new-list (a list of its own, which
    # survives LibreOffice's .doc writer: it splits an overridden list and numbers it （一）（一）（二）)
    new_lists = spec.options.get("restart", "override") == "new-list"
    document = docx.Document()
    numbering = add_numbering(document, _numbering_xml(styles), [_num(51, 50, False)], 51 if styles else None)
    _furniture(document, spec.options)
    if spec.options.get("gbt"):
        _official(document, str(spec.options.get("footer", "— {page} —")))
    _front_matter(document, spec)
    footnotes: list[str] = []
    item_list = 60
    rows: list[list[str]] = []
    for line in [*spec.lines, Line("end", "")]:
        if line.kind != "row" and rows:
            _add_table(document, rows)
            rows = []
        if line.kind == "row":
            rows.append(cells(line.text))
            continue
        if line.kind == "end":
            break
        style = {"title": "Title", **({"h1": "Heading 1", "h2": "Heading 2"} if styles else {})}.get(line.kind)
        paragraph = document.add_paragraph(style=style)
        if line.kind == "title" and spec.options.get("title_break") and paragraph._p.getprevious() is not None:
            previous = paragraph._p.getprevious()  # one Title paragraph, its lines split by a manual line break
            if previous.find(f"{{{W_NS[9:-1]}}}pPr/{{{W_NS[9:-1]}}}pStyle") is not None:
                paragraph._p.getparent().remove(paragraph._p)
                paragraph = type(paragraph)(previous, paragraph._parent)
                paragraph.add_run().add_break()
        _runs(paragraph, line.text, footnotes, bold=line.kind in ("h1", "h2") and not styles)
        if line.kind == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if line.kind in ("h1", "h2", "h3") and not (styles and line.kind != "h3"):
            numbered(paragraph, 51, {"h1": 0, "h2": 1, "h3": 2}[line.kind])
        elif line.kind in ("item", "restart"):
            if line.kind == "restart" or item_list == 60:
                item_list += 1
                numbering.append(parse_xml(_num(item_list, *_restart(numbering, item_list, new_lists))))
            numbered(paragraph, item_list, 0)
        if not plain(line.text).strip():  # all of it deleted: Word marks the paragraph mark deleted too
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:rPr {W_NS}><w:del w:id="899" w:author="审核人" w:date="2024-01-08T10:00:00Z"/></w:rPr>'
            ))
    if footnotes:
        add_footnotes(document, footnotes)
    document.save(str(path))
    return path


def _front_matter(document: Any, spec: Spec) -> None:
    """``cover``: a cover page (the title, then these lines); ``toc``: Word's table of contents (目录) after it."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import parse_xml

    from .specfiles import typed_ordinals

    cover = [str(x) for x in spec.options.get("cover") or []]
    if not cover and not spec.options.get("toc"):
        return
    if cover:
        for text in spec.title:
            document.add_paragraph(text, style="Title")
        for text in cover:
            document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if not spec.options.get("toc"):
        return
    for name in ("toc 1", "toc 2"):
        if name not in [s.name for s in document.styles]:
            document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    fld = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'
    entries: list[str] = []
    page = 1
    for k, (line, ordinal) in enumerate(zip(spec.lines, typed_ordinals(spec.lines), strict=True)):
        if line.kind not in ("h1", "h2"):
            continue
        page += k % 3 == 0
        field = (fld.format("begin") + '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
                 + fld.format("separate")) if not entries else ""
        entries.append(
            f'<w:p><w:pPr><w:pStyle w:val="{"toc1" if line.kind == "h1" else "toc2"}"/></w:pPr>{field}'
            f'<w:hyperlink w:anchor="_Toc{k}" w:history="1"><w:r><w:t>{html.escape(ordinal + plain(line.text))}</w:t></w:r>'
            f'<w:r><w:tab/></w:r>{fld.format("begin")}<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc{k} \\h </w:instrText></w:r>'
            f'{fld.format("separate")}<w:r><w:t>{page}</w:t></w:r>{fld.format("end")}</w:hyperlink></w:p>'
        )
    entries.append(f"<w:p>{fld.format('end')}</w:p>")
    sdt = (
        f'<w:sdt {W_NS}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
        '</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>目  录</w:t></w:r></w:p>'
        + "".join(entries) + "</w:sdtContent></w:sdt>"
    )
    document.element.body.find(f"{{{W_NS[9:-1]}}}sectPr").addprevious(parse_xml(sdt))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _official(document: Any, footer: str) -> None:
    """GB/T 9704 dress: 仿宋 三号 justified with a two-character indent, 小标宋 title, 黑体/楷体 headings,
    page numbers on the outer side (odd pages right, even pages left) as ``— N —``."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Pt

    for name, font, size in (("Normal", "仿宋_GB2312", 16), ("Title", "方正小标宋简体", 22),
                             ("Heading 1", "黑体", 16), ("Heading 2", "楷体_GB2312", 16)):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.bold = False
        style.font.color.rgb = None
        style.element.get_or_add_rPr().append(parse_xml(f'<w:rFonts {W_NS} w:eastAsia="{font}" w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>'))
        fmt = style.paragraph_format
        fmt.line_spacing = Pt(28)
        fmt.space_before = fmt.space_after = Pt(0)
        if name == "Normal":
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = Pt(32)
        elif name == "Title":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            fmt.first_line_indent = Pt(32)
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.even_page_header.paragraphs[0].text = section.header.paragraphs[0].text
    before, _, after = footer.partition("{page}")
    for part, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = part.paragraphs[0]
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        for old in paragraph._p.findall(f"{{{W_NS[9:-1]}}}fldSimple"):
            paragraph._p.remove(old)
        paragraph.alignment = side
        paragraph.add_run(before)
        paragraph._p.append(parse_xml(f'<w:fldSimple {W_NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        paragraph.add_run(after)


def _add_table(document: Any, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
