"""Importing what offices send: Word with list numbering, PDFs typeset by XeLaTeX, .doc made by
LibreOffice, scans, saved web pages. Every input is made here (shuzhi.bench.officefiles).

For each: headings carry their ordinals, problems and measures are items and get linked,
the body's text equals the source's own text (less page furniture), and the report builds.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from sphinxbuild import build
from test_import_helpers import assert_markers_consistent, body_of

from shuzhi.bench import officefiles as office
from shuzhi.cli import main
from shuzhi.model import plain
from shuzhi.read import ImportFailure, import_file, significant
from shuzhi.read.decode import read_source

SITE_CONF = 'extensions = ["myst_parser", "sphinx_design", "shuzhi"]\nproject = "导入"\nlanguage = "zh_CN"\n'
SITE_CONF += 'html_theme = "shuzhi"\nexclude_patterns = ["_build"]\nmyst_heading_anchors = 3\n'
PAGE = """<!DOCTYPE html><html><head><meta charset="gb2312"><title>区文旅局2023年度党建工作总结_范文网</title>
<style>p{color:red}</style><script>var views=1;</script></head><body>
<div class="top-nav"><a href="/">首页</a> &gt; <a href="/zj">工作总结</a></div>
<nav><ul><li><a href="/a">述职报告大全</a></li></ul></nav>
<div class="wrap"><div class="main"><h1>区文旅局2023年度党建工作总结</h1>
<div class="content">
<p>2023年，局党组坚持以党建引领文旅融合发展，现将全年工作总结如下。</p>
<p><strong>一、履职情况</strong></p>
<p>（一）抓思想建设。全年组织集中学习10次，开展专题研讨3次，党员参学率明显提高。</p>
<p><strong>二、存在的问题</strong></p>
<p>一是理论学习的深度不够。二是文旅品牌建设力度不强。</p>
<p><strong>三、下一步工作打算</strong></p>
<p>（一）深化理论学习，提高理论学习的深度。</p><p>（二）加强品牌建设，提升文旅品牌建设力度。</p>
</div><div class="comment-box"><p>网友评论：写得很好，收藏了！</p></div></div>
<div class="sidebar"><h3>相关推荐</h3><ul><li><a href="/c">党建工作总结范文十篇</a></li></ul></div></div>
<div id="footer">Copyright 范文网 版权所有</div></body></html>
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The inputs, made once: .docx, a 3-page PDF, a .doc by LibreOffice, a scan, a web page."""
    folder = tmp_path_factory.mktemp("made")
    docx = office.write_docx(folder / "述职报告.docx")
    plain_docx = office.write_docx(folder / "for-doc.docx", override=False)
    doc = office.convert_with_office(plain_docx, "doc", folder)
    odt = office.convert_with_office(docx, "odt", folder)
    pdf = office.write_pdf(folder / "述职报告.pdf", office.long_sample(6))
    scan = office.write_image_pdf(folder / "扫描件.pdf")
    plain = office.write_docx(folder / "plain.docx", office.bare(office.long_sample(40)), table=False)
    exported = office.convert_with_office(plain, "pdf", folder)  # a Word file saved as PDF
    page = folder / "page.html"
    page.write_bytes(PAGE.encode("gb18030"))
    return {"docx": docx, "doc": doc, "odt": odt, "pdf": pdf, "exported": exported, "scan": scan, "html": page}


def reader_text(markdown: str) -> str:
    """The text a reader sees: markers, heading marks, escapes, table rows and footnote marks gone."""
    lines = []
    for line in body_of(markdown).split("\n"):
        if line.startswith("|"):
            continue
        line = re.sub(r"^\[\^[0-9]+\]: ", "", line)
        line = re.sub(r"\[\^[0-9]+\]", "", line)
        lines.append(re.sub(r"^#+ ", "", plain(line)))
    return "\n".join(lines)


def assert_same_text(markdown: str, expected: list[str]) -> None:
    have, want = significant(reader_text(markdown)), significant("".join(expected))
    if have != want:
        k = next((i for i, (a, b) in enumerate(zip(have, want, strict=False)) if a != b), min(len(have), len(want)))
        raise AssertionError(f"differs at {k}: got {have[k - 20 : k + 20]!r}, want {want[k - 20 : k + 20]!r}")


def assert_report(markdown: str) -> None:
    """The sample's structure: ordinals in the headings, three problems, three linked measures."""
    assert "## 一、履职情况" in markdown and "### （一）强化理论武装，筑牢思想根基" in markdown
    assert "## 二、存在问题" in markdown and "## 三、下一步打算" in markdown
    for k, key in enumerate(("理论学习的深度不够", "基层组织建设的标准不高", "党建创新的意识不强"), 1):
        assert f"【P{k}】（{'一二三'[k - 1]}）{key}" in markdown
    for k in (1, 2, 3):
        assert re.search(rf"【M{k}→P{k}】（{'一二三'[k - 1]}）", markdown), markdown


# -- numbering -----------------------------------------------------------------------------


def test_number_formats() -> None:
    from shuzhi.read.word_numbering import format_number as f

    assert [f(n, "chineseCounting") for n in (1, 10, 11, 20, 21, 99)] == ["一", "十", "十一", "二十", "二十一", "九十九"]
    assert [f(n, "chineseCountingThousand") for n in (100, 105, 110, 1234)] == ["一百", "一百零五", "一百一十", "一千二百三十四"]
    assert [f(n, "ideographTraditional") for n in (1, 10, 11)] == ["甲", "癸", "甲"]
    assert [f(n, "decimalEnclosedCircleChinese") for n in (1, 20, 21)] == ["①", "⑳", "㉑"]
    assert f(3, "decimalEnclosedCircle") == "③" and f(3, "chineseLegalSimplified") == "叁"
    assert [f(n, "upperLetter") for n in (1, 26, 27)] == ["A", "Z", "AA"] and f(2, "lowerLetter") == "b"
    assert f(1994, "upperRoman") == "MCMXCIV" and f(4, "lowerRoman") == "iv" and f(12, "decimal") == "12"


def _numbering(xml: str):  # type: ignore[no-untyped-def]
    from lxml import etree

    from shuzhi.read.word_numbering import Numbering, W

    return Numbering(etree.fromstring(f'<w:numbering xmlns:w="{W}">{xml}</w:numbering>'))


def test_counters_restarts_overrides_and_templates() -> None:
    numbering = _numbering(
        '<w:abstractNum w:abstractNumId="1">'
        '<w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:lvlRestart w:val="0"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:pStyle w:val="Sub"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%3）"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    shown = [numbering.render(n, lvl) for n, lvl in [("1", 0), ("1", 1), ("1", 2), ("2", 0), ("2", 1), ("1", 2)]]
    # start 3; level 1 never restarts (lvlRestart 0) and shows level 0 in decimal (isLgl); a second
    # instance of the same definition continues it; level 2 restarts after level 0
    assert shown == ["三、", "3.1 ", "a）", "四、", "4.2 ", "a）"]
    assert numbering.render("3", 0) == "一、"  # startOverride restarts the definition
    assert numbering.render("1", 0) == "二、"  # ... which the other instances then continue
    assert numbering.level_for_style("1", "Sub") == 2 and numbering.render("9", 0) == ""


# -- Word ----------------------------------------------------------------------------------


def test_docx_numbering_headings_table_footnote_changes(made: dict[str, Path]) -> None:
    result = import_file(made["docx"])
    md = result.markdown
    assert result.meta.title.value == "".join(office.TITLE) and md.count("# " + "".join(office.TITLE)) == 1
    assert_report(md)
    assert "#### 1.落实第一议题制度" in md and "#### 2.组织青年干部读书班" in md
    table = "\n".join("| " + " | ".join(row) + " |" for row in office.table_rows())
    assert table.split("\n", 1)[1] in md and "|---|---|---|" in md
    assert "较上年提高3个百分点。[^1]" in md and md.rstrip().endswith("[^1]: 数据来源：局机关党委年度统计。")
    assert "46人次" in md and "若干次" not in md  # tracked insertion kept, deletion dropped
    assert md.count("全年共开展主题党日活动12次。") == 1  # a text box once, not once per fallback
    assert "措施请与问题逐条对应" not in md and "2024年1月10日" in md
    assert_same_text(md, office.expected_lines(office.SAMPLE, docx=True))
    assert_markers_consistent(result)


def test_tables_and_footnotes_are_filled_after_rendering() -> None:
    from shuzhi.read.decode import Source, placeholder

    source = Source("", "docx", blocks={
        "T1": f"| 指标{placeholder('F1')} | 数 |\n|---|---|",
        "F1": "[^1]", "D1": "[^1]: 注一", "F2": "[^2]", "D2": "[^2]: 注二",
    })
    markdown = f"# 标题\n\n正文{placeholder('F2')}。\n\n{placeholder('T1')}\n\n后文。\n"
    assert source.fill(markdown) == "# 标题\n\n正文[^2]。\n\n| 指标[^1] | 数 |\n|---|---|\n\n后文。\n\n[^1]: 注一\n[^2]: 注二\n"


def test_docx_dry_run_lists_what_is_left_out(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(made["docx"]), "--dry-run", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    for line in ("修订中删除的文字：若干次。", "批注（审核人）：措施请与问题逐条对应。", "页眉：X区统计局党组", "表格 1 有合并单元格"):
        assert line in out
    assert not (tmp_path / "out").exists()


def test_docx_heading_styles_outline_levels_and_line_breaks(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("区审计局党组书记述职报告", style="Title")
    custom = document.styles.add_style("标题 1", 1)  # a heading style named in Chinese
    document.add_paragraph("履职情况", style=custom)
    document.add_paragraph("抓思想建设", style="Heading 2")
    body = document.add_paragraph("全年组织学习12次，")
    body.add_run().add_break()
    body.add_run("开展研讨4次。")
    outlined = document.add_paragraph("存在问题")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))
    document.add_paragraph("一是学习不够深入。")
    path = tmp_path / "styles.docx"
    document.save(str(path))
    md = import_file(path).markdown
    assert "# 区审计局党组书记述职报告" in md and "## 履职情况" in md and "### 抓思想建设" in md
    assert "全年组织学习12次，开展研讨4次。" in md  # one paragraph, not two
    assert "## 存在问题" in md and "【P1】一是学习不够深入。" in md


# -- PDF -----------------------------------------------------------------------------------


def test_pdf_headers_page_numbers_wrapped_lines_and_title(made: dict[str, Path]) -> None:
    blocks = office.long_sample(6)
    pages = subprocess.run(["pdftotext", str(made["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    pages_text = [re.sub(r"\s", "", page) for page in pages.split("\f") if page.strip()]
    assert len(pages_text) >= 3
    lines = office.expected_lines(blocks)
    crossing = [ln for ln in lines if any(ln[:12] in a and ln[-12:] in b for a, b in zip(pages_text, pages_text[1:], strict=False))]
    assert crossing, "the sample must have a paragraph split by a page break"
    source = read_source(made["pdf"])
    assert set(lines) <= set(source.text.split("\n"))  # each paragraph one line again, across pages too
    result = import_file(made["pdf"])
    md = result.markdown
    assert result.meta.title.value == "".join(office.TITLE)
    assert_report(md)
    assert "— 1 —" not in md and "—1—" not in md and "2023年" in md and "2023 年" not in md
    assert any(d.startswith("页眉页脚") and office.HEADER in d for d in result.dropped)
    assert any(d.startswith(f"页码（{len(pages_text)} 处）") for d in result.dropped)
    assert_same_text(md, lines)
    assert_markers_consistent(result)


def test_pdf_exported_from_word(made: dict[str, Path]) -> None:
    """LibreOffice's PDF of a .docx: list numbers apart from their text, block paragraphs, 第N页 footers."""
    result = import_file(made["exported"])
    md = result.markdown
    assert result.meta.title.value == "".join(office.TITLE)
    assert_report(md)
    assert "#### 1.落实第一议题制度" in md
    assert any(d.startswith("页码") and "第1页" in d for d in result.dropped), result.dropped
    assert any(d.startswith("页眉页脚") for d in result.dropped)
    assert_same_text(md, office.expected_lines(office.bare(office.long_sample(40))))
    assert_markers_consistent(result)


def _line(text: str, y: float, x0: float = 80.0, x1: float = 520.0, size: float = 16.0):  # type: ignore[no-untyped-def]
    from shuzhi.read.pdfread import _Line

    return _Line(text, x0, y, x1, y + size)


@pytest.mark.parametrize("number", ["- {} -", "第{}页", "{}/4", "第 {} 页 共 4 页", "{}"])
def test_pdf_page_furniture_and_paragraphs(number: str) -> None:
    from shuzhi.read.pdfread import _furniture, _paragraphs

    pages = []
    for k in range(1, 5):
        lines = [_line("区财政局机关党委", 40, 240, 360, 10)]
        if k > 1:
            lines.append(_line(f"接上页，第{k - 1}页末段的结尾。", 100, 80, 300))
        lines.append(_line(f"第{k}页第一段的首行，缩进两字，排满版心", 124, 112))
        lines.append(_line("第二行从左边界起排，也排满了整个版心宽", 148))
        lines.append(_line(f"度，第{k}页第一段到此结束。", 172, 80, 300))
        lines.append(_line(f"第{k}页的末段，排满一行后在页尾被截断，", 196, 112))
        lines.append(_line(number.format(k), 780, 280, 320, 12))
        pages.append((842.0, lines))
    drop, dropped = _furniture(pages)
    assert len(drop) == 8 and dropped[0] == "页眉页脚（4 页重复）：区财政局机关党委"
    assert dropped[1].startswith("页码（4 处）")
    paragraphs, titled = _paragraphs(pages, drop)
    want = []
    for k in range(1, 5):
        want.append(f"第{k}页第一段的首行，缩进两字，排满版心第二行从左边界起排，也排满了整个版心宽度，第{k}页第一段到此结束。")
        want.append(f"第{k}页的末段，排满一行后在页尾被截断，" + (f"接上页，第{k}页末段的结尾。" if k < 4 else ""))
    assert paragraphs == want and not titled


def test_pdf_without_text_layer_is_refused(made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["import", str(made["scan"]), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "OCR" in err[0] and "扫描件" in err[0] and "Word" in err[0]
    assert not out.exists()


def test_missing_tools_name_the_install_command(made: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ImportFailure, match=r"install-system-packages pdf"):
        read_source(made["pdf"])
    with pytest.raises(ImportFailure, match=r"install-system-packages office"):
        read_source(made["doc"])


def test_xml_entities_in_a_docx_read_nothing_outside_it(made: dict[str, Path], tmp_path: Path) -> None:
    import zipfile

    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容不应出现", encoding="utf-8")
    evil = tmp_path / "evil.docx"
    with zipfile.ZipFile(made["docx"]) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/footnotes.xml":
                doctype = f'<!DOCTYPE w:footnotes [<!ENTITY s SYSTEM "{secret.as_uri()}">]>'.encode()
                data = data.replace(b"<w:footnotes", doctype + b"<w:footnotes", 1).replace("数据来源".encode(), b"&s;")
            dst.writestr(item, data)
    result = import_file(evil)
    assert "机密内容" not in result.markdown and "## 一、履职情况" in result.markdown


def test_undecodable_pdf_text_is_refused() -> None:
    from shuzhi.read.pdfread import _check_decoded

    with pytest.raises(ImportFailure, match="无法正确解码"):
        _check_decoded("ᄝᆟᇍࡹഡٚ૫đ໡ૌࡔӻ໙ี֝ཟđࡲಆ۽ቔࠏᇅđֻ")
    _check_decoded("2023年，我局坚持党建引领（一）①，Windows XP — 3 —")


def test_broken_pdf_and_doc_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (tmp_path / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0 not really an OLE file")
    for name in ("a.pdf", "a.doc"):
        with pytest.raises(ImportFailure) as caught:
            read_source(tmp_path / name)
        assert "\n" not in str(caught.value)


# -- legacy Word and web pages -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["doc", "odt"])
def test_converted_by_libreoffice(made: dict[str, Path], kind: str) -> None:
    result = import_file(made[kind])
    md = result.markdown
    assert result.encoding == f"{kind}→docx" and any("LibreOffice" in note for note in result.notes)
    assert_report(md)
    assert "[^1]: 数据来源：局机关党委年度统计。" in md and "| 党员人数 | 46 | 48 |" in md
    assert_same_text(md, office.expected_lines(office.SAMPLE, docx=True))
    assert_markers_consistent(result)


def test_old_word_file_under_the_new_name_and_folders(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "收文"
    (src / "网页_files").mkdir(parents=True)
    (src / "网页_files" / "frame.html").write_text("<p>广告框架</p>", encoding="utf-8")
    (src / "旧文件.docx").write_bytes(made["doc"].read_bytes())  # a .doc saved as .docx
    assert main(["import", str(src), "--dry-run", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert out.count("（预览，未写入）") == 1 and "格式：.doc，经 LibreOffice 转为 .docx" in out


def test_saved_web_page_main_text(made: dict[str, Path]) -> None:
    result = import_file(made["html"])
    md = result.markdown
    assert result.meta.title.value == "区文旅局2023年度党建工作总结"
    for chrome in ("首页", "述职报告大全", "网友评论", "相关推荐", "Copyright", "var views", "color:red"):
        assert chrome not in md
    assert any("网友评论" in d for d in result.dropped) and any("Copyright" in d for d in result.dropped)
    assert "【P1】一是理论学习的深度不够。" in md and re.search(r"【M1→P1】（一）深化理论学习", md)
    assert "## 一、履职情况" in md


# -- the site ------------------------------------------------------------------------------


def test_imported_reports_build_in_the_site(made: dict[str, Path], tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "conf.py").write_text(SITE_CONF, encoding="utf-8")
    (site / "index.md").write_text("# 档案\n\n```{shuzhi-archive} landing\n```\n", encoding="utf-8")
    for kind, org in (("docx", "甲局"), ("pdf", "乙局"), ("doc", "丙局"), ("html", "丁局")):
        assert main(["import", str(made[kind]), "--out", str(site / "reports"), "--org", org]) == 0
    app = build(site, tmp_path / "out")
    warnings = app.warning.getvalue()
    assert "ERROR" not in warnings and "[myst" not in warnings, warnings
    pages = sorted((tmp_path / "out" / "html" / "reports").rglob("*.html"))
    assert len(pages) == 4
    html = {p.stem: p.read_text(encoding="utf-8") for p in pages}
    word = next(text for text in html.values() if "甲局" in text)
    assert "一、履职情况" in word and "<table" in word and "数据来源：局机关党委年度统计。" in word
    assert 'class="footnote' in word
