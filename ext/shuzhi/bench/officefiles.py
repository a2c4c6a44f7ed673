"""Office files made from one invented report, for the import tests and ``make bench``.

Nothing here is committed as a binary: a .docx is written with python-docx plus
the XML Word itself writes (a numbering part with chineseCounting lists linked to
the heading styles, a restarted list, a table with merged cells, a footnote, a
text box, a content control, tracked changes, a comment); a PDF is typeset by
XeLaTeX (ctex) with a running header, ``— N —`` page numbers and a title over
two lines; an image-only PDF is saved by Pillow. :func:`expected_lines` gives
the text a careful clerk would type from each, ordinals included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model.ordinals import int_to_cn
from .wordxml import W_NS, add_footnotes, add_numbering, lvl, numbered

TITLE = ("2023年度X区统计局党组书记", "抓基层党建工作述职报告")
HEADER = "X区统计局党组"


@dataclass(frozen=True)
class Block:
    kind: str  # title | h1 | h2 | detail | p | problem | measure | date
    text: str
    inserted: str = ""  # docx: a tracked insertion at the end of the text
    deleted: str = ""  # docx: a tracked deletion there
    footnote: str = ""  # docx: a footnote referenced at the end of the text
    box: str = ""  # docx: a text box anchored in this paragraph


SAMPLE: tuple[Block, ...] = (
    Block("title", "".join(TITLE)),
    Block("p", "2023年，我在区委的坚强领导下，认真履行党建工作第一责任人职责，把抓好党建作为最大的政绩，推动全局党建工作与统计业务深度融合。现将有关情况报告如下。"),
    Block("h1", "履职情况"),
    Block("h2", "强化理论武装，筑牢思想根基"),
    Block("p", "坚持把学习贯彻党的创新理论作为首要政治任务，全年组织党组理论学习中心组集中学习12次，开展专题研讨4次，撰写心得体会30余篇。"),
    Block("detail", "落实第一议题制度，做到学在前、用在前。"),
    Block("detail", "组织青年干部读书班，以学促干、以干促学。"),
    Block("h2", "夯实基层基础，提升支部组织力"),
    Block("p", "严格落实三会一课、主题党日等制度，发展党员2名，转正预备党员1名。", box="全年共开展主题党日活动12次。"),
    Block("p", "全局党员参学率达到98%，较上年提高3个百分点。", footnote="数据来源：局机关党委年度统计。"),
    Block("h2", "从严正风肃纪，营造良好生态"),
    Block("p", "坚持把纪律挺在前面，全年开展廉政谈话", inserted="46人次，组织警示教育2次。", deleted="若干次。"),
    Block("h1", "存在问题"),
    Block("problem", "理论学习的深度不够。个别党员满足于读原文、记笔记，联系实际思考不多，学用结合不够紧密。"),
    Block("problem", "基层组织建设的标准不高。部分支部的会议记录不规范，组织生活质量有待加强。"),
    Block("problem", "党建创新的意识不强。工作方法沿用老办法多，结合统计业务打造党建品牌的办法不足。"),
    Block("h1", "下一步打算"),
    Block("measure", "深化理论武装，推动学习走深走实。坚持中心组学习制度，结合统计工作实际开展研讨，切实提高理论学习的深度。"),
    Block("measure", "规范组织生活，提升支部建设标准。对照制度要求逐项检查，规范支部会议记录，提高组织生活质量。"),
    Block("measure", "创新工作方法，打造统计党建品牌。围绕数据质量开展党建创新，增强党建创新的意识，形成一支部一特色的格局。"),
    Block("date", "2024年1月10日"),
)

TABLE = (("指标", "2022年", "2023年"), ("党员人数", "46", "48"), ("主题党日（次）", "12", "12"))

_TOPICS = ("政治建设", "思想建设", "组织建设", "作风建设", "纪律建设", "制度建设", "队伍建设", "阵地建设")
_ACTS = ("健全工作机制", "压实工作责任", "细化任务清单", "加强督促检查", "完善考核办法", "强化结果运用")
_RESULTS = ("取得了明显成效", "形成了长效机制", "得到了干部群众认可", "推动了统计数据质量提升")


def filler(n: int, start: int = 0) -> list[Block]:
    """``n`` invented body paragraphs, each different, about 150 characters long."""
    out = []
    for k in range(start, start + n):
        topic, act, result = _TOPICS[k % 8], _ACTS[k % 6], _RESULTS[k % 4]
        out.append(Block("p", (
            f"在{topic}方面，我们坚持问题导向，{act}，第{k + 1}项重点任务按期完成。围绕全局中心工作，"
            f"把{topic}与统计调查、数据审核、执法检查等业务工作同部署、同推进、同考核，"
            f"定期分析研判，及时解决工作中遇到的新情况新问题，{result}。"
        )))
    return out


def long_sample(paragraphs: int) -> tuple[Block, ...]:
    """The sample with ``paragraphs`` more body paragraphs spread over the 履职 subsections."""
    subsections = sum(1 for b in SAMPLE if b.kind == "h2")
    blocks: list[Block] = []
    done = 0
    for block in SAMPLE:
        blocks.append(block)
        if block.kind == "h2":
            share = -(-(paragraphs - done) // subsections)
            subsections -= 1
            blocks.extend(filler(share, done))
            done += share
    return tuple(blocks)


def bare(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks without text boxes, footnotes and tracked changes (what a PDF of them shows plainly)."""
    return tuple(Block(b.kind, b.text) for b in blocks)


def gbt_ordinals(kinds: Iterable[str], *, h1_restarts_items: bool) -> list[str]:
    """The GB/T 9704 ordinal shown for each kind of paragraph: ``h1`` 一、, ``h2`` （一）, ``h3`` 1.,
    ``item`` （一） (``restart``: an item numbered from 1 again); any other kind shows none.

    Word's list numbering restarts the items under each level-1 heading (``h1_restarts_items``);
    typed numbers (a PDF, a web page) restart only where a ``restart`` says so.
    """
    h1 = h2 = h3 = items = 0
    out = []
    for kind in kinds:
        if kind == "h1":
            h1, h2, h3, items = h1 + 1, 0, 0, 0 if h1_restarts_items else items
            out.append(int_to_cn(h1) + "、")
        elif kind == "h2":
            h2, h3 = h2 + 1, 0
            out.append(f"（{int_to_cn(h2)}）")
        elif kind == "h3":
            h3 += 1
            out.append(f"{h3}.")
        elif kind in ("item", "restart"):
            items = 1 if kind == "restart" else items + 1
            out.append(f"（{int_to_cn(items)}）")
        else:
            out.append("")
    return out


_LEVELS = {"h1": "h1", "h2": "h2", "detail": "h3", "problem": "item", "measure": "item"}


def ordinals(blocks: tuple[Block, ...]) -> list[str]:
    """The ordinal each block shows (typed in a PDF, rendered by Word in a .docx)."""
    return gbt_ordinals((_LEVELS.get(b.kind, "") for b in blocks), h1_restarts_items=True)


def expected_lines(blocks: tuple[Block, ...], docx: bool = False) -> list[str]:
    """The report's text as a clerk would type it, one paragraph a line (a .docx adds box and footnote text)."""
    lines = []
    notes = []
    for block, ordinal in zip(blocks, ordinals(blocks), strict=True):
        lines.append(ordinal + block.text + block.inserted)
        if docx and block.box:
            lines.append(block.box)
        if docx and block.footnote:
            notes.append(block.footnote)
    return lines + notes


# -- .docx ------------------------------------------------------------------------------

NUMBERING = (
    # 10: the outline list, levels linked to Heading 1/2 (一、 （一） 1.)
    f'<w:abstractNum {W_NS} w:abstractNumId="10"><w:multiLevelType w:val="multilevel"/>'
    + lvl(0, "chineseCounting", "%1、", "Heading1")
    + lvl(1, "chineseCounting", "（%2）", "Heading2")
    + lvl(2, "decimal", "%3.")
    + "</w:abstractNum>",
    # 20: a one-level list of items (（一）), used twice
    f'<w:abstractNum {W_NS} w:abstractNumId="20"><w:multiLevelType w:val="singleLevel"/>'
    + lvl(0, "chineseCountingThousand", "（%1）")
    + "</w:abstractNum>",
    f'<w:abstractNum {W_NS} w:abstractNumId="30"><w:multiLevelType w:val="singleLevel"/>'
    + lvl(0, "chineseCounting", "（%1）")
    + "</w:abstractNum>",
)
NUMS = (
    f'<w:num {W_NS} w:numId="31"><w:abstractNumId w:val="10"/></w:num>',
    f'<w:num {W_NS} w:numId="32"><w:abstractNumId w:val="20"/></w:num>',
    # the measures restart the item list (Word's 重新开始编号 writes a new instance like this)
    f'<w:num {W_NS} w:numId="33"><w:abstractNumId w:val="20"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>',
    # or a list of their own (LibreOffice 7.4 splits a restarted list when it writes .doc)
    f'<w:num {W_NS} w:numId="34"><w:abstractNumId w:val="30"/></w:num>',
)

_BOX = (
    '<w:r {w} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
    '<mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
    'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:extent cx="2000000" cy="400000"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="9" name="文本框 9"/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="400000"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
    '<wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
    '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape style="width:160pt;height:32pt"><v:textbox><w:txbxContent>'
    '<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
    "</mc:AlternateContent></w:r>"
)

def write_docx(path: Path, blocks: tuple[Block, ...] = SAMPLE, *, table: bool = True, override: bool = True) -> Path:
    """A .docx of ``blocks`` whose ordinals all come from Word's list numbering.

    ``override``: the measures restart the problems' list through ``startOverride``
    (else they are a list of their own).
    """
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    add_numbering(document, NUMBERING, NUMS, heading_num=31)
    document.sections[0].header.paragraphs[0].text = HEADER
    footer = document.sections[0].footer.paragraphs[0]  # 第N页, N from a PAGE field
    footer.add_run("第")
    footer._p.append(parse_xml(f'<w:fldSimple {W_NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run("页")
    footnotes: list[str] = []
    seen_measure = False
    for block in blocks:
        if block.kind == "title":
            document.add_paragraph(TITLE[0], style="Title")
            document.add_paragraph(TITLE[1], style="Title")  # a title typed as two paragraphs
            continue
        style = {"h1": "Heading 1", "h2": "Heading 2"}.get(block.kind)
        paragraph = document.add_paragraph(style=style)
        if block.kind == "date":
            _content_control(paragraph, block.text)
        else:
            paragraph.add_run(block.text)
        if block.kind == "detail":
            numbered(paragraph, 31, 2)
        elif block.kind == "problem":
            numbered(paragraph, 32, 0)
        elif block.kind == "measure":
            numbered(paragraph, 33 if override else 34, 0)
            if not seen_measure:
                seen_measure = True
                document.add_comment(paragraph.runs, text="措施请与问题逐条对应。", author="审核人")
        if block.inserted or block.deleted:
            _tracked(paragraph, block.inserted, block.deleted)
        if block.box:
            paragraph._p.append(parse_xml(_BOX.format(w=W_NS, text=block.box)))
        if block.footnote:
            footnotes.append(block.footnote)
            paragraph._p.append(parse_xml(
                f'<w:r {W_NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{len(footnotes)}"/></w:r>'
            ))
            if table:
                _table(document)
    if footnotes:
        add_footnotes(document, footnotes)
    document.save(str(path))
    return path


def table_rows() -> list[tuple[str, ...]]:
    """The table as read back: the merged title row repeats its text in each column."""
    return [("统计口径：局机关",) * 3, *TABLE]


def _table(document: object) -> None:
    table = document.add_table(rows=len(TABLE) + 1, cols=3)  # type: ignore[attr-defined]
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "统计口径：局机关"
    for r, row in enumerate(TABLE, 1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def _tracked(paragraph: object, inserted: str, deleted: str) -> None:
    from docx.oxml import parse_xml

    stamp = 'w:author="审核人" w:date="2024-01-05T09:00:00Z"'
    if deleted:
        paragraph._p.append(parse_xml(  # type: ignore[attr-defined]
            f'<w:del {W_NS} w:id="801" {stamp}><w:r><w:delText>{deleted}</w:delText></w:r></w:del>'
        ))
    if inserted:
        paragraph._p.append(parse_xml(  # type: ignore[attr-defined]
            f'<w:ins {W_NS} w:id="802" {stamp}><w:r><w:t>{inserted}</w:t></w:r></w:ins>'
        ))


def _content_control(paragraph: object, text: str) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(  # type: ignore[attr-defined]
        f'<w:sdt {W_NS}><w:sdtPr><w:alias w:val="日期"/><w:date/></w:sdtPr>'
        f"<w:sdtContent><w:r><w:t>{text}</w:t></w:r></w:sdtContent></w:sdt>"
    ))


# -- PDF ------------------------------------------------------------------------------

_PREAMBLE = r"""\documentclass[UTF8]{ctexart}
\usepackage[a4paper,top=3.7cm,bottom=3.5cm,left=2.8cm,right=2.6cm,headsep=1cm,footskip=1.2cm]{geometry}
\usepackage{fancyhdr}
\pagestyle{fancy}\fancyhf{}
\fancyhead[C]{\zihao{5}%(header)s}
\fancyfoot[C]{\zihao{4}— \thepage{} —}
\renewcommand{\headrulewidth}{0pt}
\setlength{\parindent}{2em}
\begin{document}
\zihao{3}\linespread{1.25}\selectfont
"""


def latex(blocks: tuple[Block, ...], header: str = HEADER) -> str:
    out = [_PREAMBLE.replace("%(header)s", header)]
    for block, ordinal in zip(blocks, ordinals(blocks), strict=True):
        text = _tex(ordinal + block.text + block.inserted)
        if block.kind == "title":
            out.append(r"\thispagestyle{fancy}{\centering\zihao{2}\heiti " + TITLE[0] + r"\\" + TITLE[1] + r"\par}\vspace{1em}")
        else:
            out.append(tex_paragraph(block.kind, text))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def tex_paragraph(kind: str, text: str) -> str:
    """One typed paragraph of a PDF: level-1 headings in 黑体, level-2 in 楷体, a date flush right."""
    if kind == "h1":
        return r"{\heiti " + text + r"}\par"
    if kind == "h2":
        return r"{\kaishu " + text + r"}\par"
    if kind in ("date", "right"):
        return r"\begin{flushright}" + text + r"\end{flushright}"
    return text + r"\par"


def _tex(text: str) -> str:
    return "".join("\\" + c if c in "%&#_$" else c for c in text)


def write_pdf(path: Path, blocks: tuple[Block, ...] = SAMPLE, header: str = HEADER) -> Path:
    """Typeset ``blocks`` with XeLaTeX into ``path``; needs xelatex and the ctex package."""
    xelatex = shutil.which("xelatex")
    if xelatex is None:
        raise RuntimeError("找不到 xelatex：请运行 sudo .ci/install-system-packages pdf")
    with tempfile.TemporaryDirectory(prefix="shuzhi-tex-") as tmp:
        (Path(tmp) / "r.tex").write_text(latex(blocks, header), encoding="utf-8")
        done = subprocess.run(
            [xelatex, "-interaction=nonstopmode", "-halt-on-error", "r.tex"],
            cwd=tmp, capture_output=True, text=True, timeout=300, check=False,
        )
        if done.returncode != 0:
            raise RuntimeError("xelatex 失败：" + done.stdout[-2000:])
        shutil.copyfile(Path(tmp) / "r.pdf", path)
    return path


def write_image_pdf(path: Path) -> Path:
    """A scan-like PDF: one page that is only a picture (no text layer)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(image)
    for y in range(120, 760, 28):
        draw.rectangle((70, y, 520, y + 12), fill=(40, 40, 40))
    image.save(path, "PDF", resolution=72.0)
    return path


def convert_with_office(source: Path, fmt: str, out_dir: Path) -> Path:
    """``source`` converted by LibreOffice to ``fmt`` (``doc``, ``odt``, ``pdf`` …) in ``out_dir``."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("找不到 LibreOffice：请运行 sudo .ci/install-system-packages office")
    with tempfile.TemporaryDirectory(prefix="shuzhi-lo-") as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore"]
        command += ["--convert-to", fmt, "--outdir", str(out_dir), str(source)]
        env = {**os.environ, "HOME": profile}  # CI may have no writable home
        subprocess.run(command, capture_output=True, timeout=180, check=True, env=env)
    return out_dir / (source.stem + "." + fmt)
