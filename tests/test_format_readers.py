"""Format readers on files built from readable specs (shuzhi.bench.specfiles), and the corpus's spec cases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from shuzhi.bench import specfiles
from shuzhi.bench.specdocx import write_docx
from shuzhi.evaluate import CaseError, load_case
from shuzhi.read.word import read_word


def spec(tmp_path: Path, body: str, name: str = "90-x.spec.md", **options: object) -> Path:
    path = tmp_path / name
    head = yaml.safe_dump({"format": "docx", **options}, allow_unicode=True)
    path.write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    return path


def test_spec_lines_and_typed_ordinals(tmp_path: Path) -> None:
    parsed = specfiles.parse(spec(tmp_path, "= 标题\n# 甲\n## 乙\n### 丙\n*! 问题{+甲+}\n* {-删去-}\n* 问题丙\n| a | b |\n> 2024年1月1日\n正文[^注]\n"))
    assert [ln.kind for ln in parsed.lines] == ["title", "h1", "h2", "h3", "restart", "item", "item", "row", "right", "p"]
    assert specfiles.typed_ordinals(parsed.lines)[1:7] == ["一、", "（一）", "1.", "（一）", "", "（二）"]
    assert specfiles.plain("甲{+乙+}{-丙-}[^丁]") == "甲乙丁" and specfiles.plain("甲[^丁]", notes=False) == "甲"


def test_bad_spec_is_a_located_message(tmp_path: Path) -> None:
    path = tmp_path / "91-bad.spec.md"
    path.write_text("---\nformat: xls\n---\n正文\n", encoding="utf-8")
    with pytest.raises(specfiles.SpecError, match="format 应为"):
        specfiles.parse(path)
    answer = tmp_path / "91-bad.yaml"
    answer.write_text("source: 91-bad.spec.md\n", encoding="utf-8")
    with pytest.raises(CaseError, match=r"91-bad.yaml：无法由 91-bad.spec.md 生成原始文件"):
        load_case(answer)


def test_spec_source_is_built_once_into_the_cache(tmp_path: Path) -> None:
    source = spec(tmp_path, "= 2023年度某某\n# 存在问题\n*! 学习不够深入。\n")
    first = specfiles.build(source, tmp_path / "cache")
    stamp = first.stat().st_mtime_ns
    assert specfiles.build(source, tmp_path / "cache") == first and first.stat().st_mtime_ns == stamp
    source.write_text(source.read_text(encoding="utf-8") + "* 作风不够扎实。\n", encoding="utf-8")
    assert specfiles.build(source, tmp_path / "cache") != first  # a changed spec is built anew


def test_docx_paragraph_deleted_whole_takes_no_number(tmp_path: Path) -> None:
    body = "# 存在问题\n*! 学习不够深入。\n* {-阵地建设滞后。-}\n* 作风不够扎实。\n# 下一步打算\n*! 深化学习。\n"
    path = write_docx(specfiles.parse(spec(tmp_path, body)), tmp_path / "d.docx")
    lines = read_word(path).text.split("\n")
    assert lines == ["一、存在问题", "（一）学习不够深入。", "（二）作风不够扎实。", "二、下一步打算", "（一）深化学习。"]
    assert any("阵地建设滞后" in d for d in read_word(path).dropped)


def test_web_page_part_dropped_whole_is_listed_once() -> None:
    from shuzhi.read.webpage import read_html

    page = (
        "<html><body><div class='nav'><a href='/'>首页</a></div><div class='article'>"
        + "".join(f"<p>第{k}段：全年组织党员集中学习十二次，开展主题党日活动十次，党员参学率保持在九成以上。</p>" for k in range(3))
        + "</div><div class='comments'><h3>网友评论</h3><div class='comment-item'><p>求全文</p></div>"
        "<div class='reply'><p>写得好</p></div></div></body></html>"
    )
    source = read_html(page.encode("utf-8"))
    assert source.text.split("\n")[0].startswith("第0段")
    assert [d for d in source.dropped if "求全文" in d] == ["网页正文以外的部分：网友评论求全文写得好"]
    assert not any(d.endswith("：写得好") for d in source.dropped)


def _line(text: str, y: float, x0: float = 80.0, x1: float = 520.0):  # type: ignore[no-untyped-def]
    from shuzhi.read.pdfread import _Line

    return _Line(text, x0, y, x1, y + 16.0)


def test_pdf_numbered_paragraph_flush_left_after_a_full_line_starts_anew() -> None:
    from shuzhi.read.pdfread import _paragraphs

    # indented body paragraphs; Word's list paragraphs start flush left, and the line before is full
    page1 = [
        _line("段落首行缩进两字，这一行排满了整个版心的宽", 100, 112),
        _line("度，到此结束。", 124, 80, 200),
        _line("（一）理论学习与业务实践结合得还不够紧。支", 148),
        _line("部学习多以读文件为主，学用脱节的问题依然存在。", 172),
        _line("（二）党小组作用发挥不够均衡。有的党小组会", 196),
        _line("变成了工作布置会，活动时断时续，需要改进。", 220),
    ]
    page2 = [_line("（三）风险防控的信息化手段不足。个别环节的", 100), _line("防控还停留在制度层面。", 124, 80, 260)]
    paragraphs, _ = _paragraphs([(842.0, page1), (842.0, page2)], set())
    assert [p[:3] for p in paragraphs] == ["段落首", "（一）", "（二）", "（三）"]
    assert paragraphs[1].endswith("依然存在。") and paragraphs[3].endswith("制度层面。")
