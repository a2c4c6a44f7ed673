"""WordprocessingML pieces python-docx has no API for: list numbering definitions, numbered
paragraphs and footnotes. Used by the bench's Word files (officefiles, specdocx)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def lvl(ilvl: int, fmt: str, text: str, style: str = "") -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/>{pstyle}<w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
    )


FOOTNOTES = (
    f'<w:footnotes {W_NS}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "{notes}</w:footnotes>"
)


def numbered(paragraph: object, num_id: int, ilvl: int) -> None:
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def add_numbering(document: Any, abstract: Sequence[str], nums: Sequence[str], heading_num: int | None) -> Any:
    """Word's numbering part with these list definitions; Heading 1–2 numbered through their styles
    (as Word writes it: level 0 implied) when ``heading_num`` is given. Returns the part's element."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{W_NS[9:-1]}}}num")  # abstract definitions go before the first instance
    for xml in abstract:
        (first_num.addprevious if first_num is not None else numbering.append)(parse_xml(xml))
    for xml in nums:
        numbering.append(parse_xml(xml))
    if heading_num is not None:
        for name, ilvl in (("Heading 1", ""), ("Heading 2", '<w:ilvl w:val="1"/>')):
            numpr = f'<w:numPr {W_NS}>{ilvl}<w:numId w:val="{heading_num}"/></w:numPr>'
            document.styles[name].element.get_or_add_pPr().append(parse_xml(numpr))
    return numbering


def add_footnotes(document: Any, footnotes: Sequence[str]) -> None:
    """A footnotes part holding these texts, numbered from 1 as the references in the body are."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    notes = "".join(
        f'<w:footnote w:id="{k}"><w:p><w:r><w:t>{html.escape(text)}</w:t></w:r></w:p></w:footnote>'
        for k, text in enumerate(footnotes, 1)
    )
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES.format(notes=notes).encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
