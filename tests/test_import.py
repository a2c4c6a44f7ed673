"""The importer: golden tests on the five seeds, nothing lost, encodings, .docx, the CLI."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from test_import_helpers import assert_markers_consistent, assert_nothing_lost, body_of

from shuzhi.cli import main
from shuzhi.model import parse_report
from shuzhi.read import ImportFailure, import_file, import_text
from shuzhi.read.decode import decode_bytes
from shuzhi.read.write import escape_line, make_slug, output_path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIXTURES = Path(__file__).parent / "fixtures" / "import"


def seed(n: int) -> Path:
    return SEEDS[n]


def imported(n: int):  # type: ignore[no-untyped-def]
    return import_file(seed(n), f"seeds/{seed(n).name}")


def sections(result) -> list[tuple[str, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    return [(s.title, s.canonical) for s in result.report.top_sections]


def ids(result, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.id for i in result.report.items if i.kind == kind]


# -- golden tests on the seeds --------------------------------------------------------

GOLDEN = {
    0: dict(
        title="2023年局党组书记抓基层党建工作述职报告", year=2023, org="", author="党组书记", kind="述职报告",
        canon=[("整改落实",), ("履职情况",), ("存在问题", "原因分析"), ("下一步打算",)],
        problems=3, measures=3, rect=2, path="2023/judangzushujizhuajicengdangjian-shuzhi.md",
    ),
    1: dict(
        title="党组书记2022年抓党建述职报告", year=2022, org="区发改委", author="党组书记", kind="述职报告",
        canon=[("履职情况",), ("整改落实",), ("存在问题",), ("下一步打算",)],
        problems=3, measures=5, rect=0, path="2022/fagaiwei-shuzhi.md",
    ),
    2: dict(
        title="2022年党组织书记抓基层党建及述责述廉述职报告", year=2022, org="", author="党组织书记",
        kind="述责述廉报告", canon=[("履职情况",), ("存在问题",), ("下一步打算",)],
        problems=3, measures=3, rect=0, path="2022/dangzuzhishujizhuajicengdang-shuzelian.md",
    ),
    3: dict(
        title="X局2023年度党建工作总结", year=2023, org="X局", author="", kind="工作总结",
        canon=[("履职情况",)] * 4 + [("存在问题", "下一步打算")],
        problems=3, measures=3, rect=0, path="2023/xju-zongjie.md",
    ),
    4: dict(
        title="X区政务局党组书记抓基层党建工作述职报告", year=None, org="X区政务局", author="党组书记",
        kind="述职报告", canon=[("履职情况",), ("存在问题", "原因分析"), ("下一步打算",)],
        problems=5, measures=6, rect=0, path="undated/zhengwuju-shuzhi.md",
    ),
}


@pytest.mark.parametrize("n", sorted(GOLDEN))
def test_seed_golden(n: int) -> None:
    want = GOLDEN[n]
    result = imported(n)
    m = result.meta
    assert m.title.value == want["title"]
    assert m.year.value == want["year"]
    assert (m.org.value or "") == want["org"]
    assert (m.author.value or "") == want["author"]
    assert m.kind.value == want["kind"]
    assert [c for _, c in sections(result)] == want["canon"]
    assert ids(result, "problem") == [f"P{k}" for k in range(1, want["problems"] + 1)]  # type: ignore[operator]
    assert ids(result, "measure") == [f"M{k}" for k in range(1, want["measures"] + 1)]  # type: ignore[operator]
    assert ids(result, "rectification") == [f"R{k}" for k in range(1, want["rect"] + 1)]  # type: ignore[operator]
    assert output_path(Path("reports"), m.year.value, result.slug).as_posix() == "reports/" + str(want["path"])
    front = parse_report(result.markdown).front
    assert not [n for n in front.notes if "缺少" not in n.message], front.notes  # only empty keys are noted
    if want["year"] is None:
        assert any("未写明年份" in note for note in result.notes)
    if not want["org"]:
        assert any("org" in note for note in result.notes)


@pytest.mark.parametrize("n", range(len(SEEDS)))
def test_seed_nothing_lost(n: int) -> None:
    result = imported(n)
    assert_nothing_lost(seed(n).read_text(encoding="utf-8"), result)
    assert_markers_consistent(result)


@pytest.mark.parametrize("n", range(len(SEEDS)))
def test_seed_round_trip(n: int) -> None:
    assert imported(n).markdown == imported(n).markdown


def test_seed_000_structure() -> None:
    md = imported(0).markdown
    assert "### （一）强化政治担当，从严从实扛牢主体责任。\n\n一年来，我" in md
    assert "【R1→反馈】一是坚持定期到局属各党支部" in md
    assert "【P1】一是基层党建发展不平均衡。" in md
    assert "\n原因分析：客观原因" in md  # a reason paragraph, not an item
    assert "paidbegin" not in md and "paidend" not in md
    assert "《习近平关于xx工作重要论述选编》" in md  # inline marker gone, text joined


def test_seed_001_levels_and_defects_kept() -> None:
    md = imported(1).markdown
    assert "## 一、履行职责情况" in md
    assert "### 1.突出“忠”字狠抓政治建设，坚持常抓常新。" in md  # 1. under 一、 is level 3, no space added
    assert md.count("## 三、") == 2  # the duplicated 三、 stays for the numbering rule to flag
    assert "【M5】六是抓好意识形态工作。" in md
    assert "“两个确立”" in md and "“两个 确立”" not in md  # space between Chinese removed
    assert "\\*\\*区" in md and "**区" not in md.replace("\\*\\*区", "")


def test_seed_002_nested_runins_stay_inside() -> None:
    result = imported(2)
    m2 = result.report.item("M2")
    assert m2 is not None and m2.text.startswith("二是坚持把问题导向贯穿始终")
    assert "一是抓基础促提升" in m2.text and "三是抓创新促发展" in m2.text


def test_seed_003_combined_section() -> None:
    md = imported(3).markdown
    assert "\n针对存在的问题，将重点抓好以下几方面工作：\n" in md
    assert "【P3】三是加强机关党建工作长效机制" in md
    assert "【M1" in md and "一是强化主体责任" in md


def test_seed_004_adverts_removed() -> None:
    result = imported(4)
    removed = [r.text for r in result.removed]
    for text in ("仅供学习 禁止外传 用后删除", "酷乐文行", "自建平台、实时分享", "根据实际需求和形式任务不断迭代", "【打击倒卖活动】"):
        assert text in removed
    assert [r.line for r in result.removed] == [1, 2, 3, 6, 29, 30, 31, 32, 33, 34, 35, 36]
    body = body_of(result.markdown)
    assert "酷乐" not in body and "QQ" not in body and "会员" not in body
    assert body.startswith("\n# X区政务局党组书记抓基层党建工作述职报告\n")
    assert "究其主要原因" in body and "【P5】（五）党员队伍发挥作用不够明显。" in body
    # every pair the matcher made is written on the measure's marker (the pairing itself is the matcher's)
    for pid, mid, _score, _confident in result.pairs:
        measure = result.report.item(mid)
        assert measure is not None and pid in measure.targets


# -- encodings and formats -------------------------------------------------------------

SAMPLE = "X局2023年度党建工作总结\r\n一、存在问题\r\n一是学习不够深入。二是创新不足。\r\n二、下一步打算\r\n一是加强学习。二是大胆创新。\r\n"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("utf-16-le"),
        SAMPLE.encode("gb18030"),
        SAMPLE.encode("gbk"),
        SAMPLE.replace("\r\n", "\n").encode("gbk"),
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "utf16le-nobom", "gb18030", "gbk", "gbk-lf"],
)
def test_encodings(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    result = import_file(path)
    assert result.meta.title.value == "X局2023年度党建工作总结"
    assert result.meta.year.value == 2023
    assert ids(result, "problem") == ["P1", "P2"] and ids(result, "measure") == ["M1", "M2"]
    assert "\r" not in result.markdown and "\ufeff" not in result.markdown


def test_docx(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in SAMPLE.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "表格单元"
    table.rows[0].cells[1].text = "第二格"
    document.add_paragraph("三是表格之后的段落。")
    path = tmp_path / "report.docx"
    document.save(str(path))
    result = import_file(path)
    assert result.meta.title.value == "X局2023年度党建工作总结"
    assert ids(result, "measure") == ["M1", "M2", "M3"]
    assert "表格单元" in result.markdown and "第二格" in result.markdown


def test_hard_wrapped_text_rejoined() -> None:
    source = (FIXTURES / "wrapped.txt").read_text(encoding="utf-8")
    result = import_text(source)
    assert result.cleaned.joined >= 5
    md = result.markdown
    assert "认真履行党建工作第一责任人职责，将党建工作与业务工作同部署、同要求、同推进。" in md
    assert "## 一、履职情况" in md and "## 二、存在问题" in md
    assert ids(result, "problem") == ["P1", "P2"]
    assert_nothing_lost(source, result)


def test_space_separated_text_rejoined() -> None:
    source = (FIXTURES / "spaced.txt").read_text(encoding="utf-8")
    result = import_text(source)
    md = result.markdown
    assert "党组书记抓基层党建工作述职报告" in md
    assert "一是党建品牌特色不突出。" in md
    assert "Windows XP" in md  # spaces between Latin words stay
    assert_nothing_lost(source, result)


def test_markdown_escaping() -> None:
    assert escape_line("**区发改委") == "\\*\\*区发改委"
    assert escape_line("1. Word版") == "1\\. Word版"
    assert escape_line("# 标题") == "\\# 标题"
    assert escape_line("<script>a_b</script>") == "\\<script>a\\_b\\</script>"
    assert escape_line("[链接](x)") == "\\[链接\\](x)"
    source = "标题报告\n一、存在问题\n<img src=x onerror=alert(1)> 与 `代码` 及 [链接](javascript:x)\n"
    result = import_text(source)
    assert "<img" not in result.markdown.replace("\\<img", "")
    assert_nothing_lost(source, result)


def test_ordinal_space_removed_not_added() -> None:
    result = import_text("述职报告\n一、履职情况\n1. 加强学习。我们做了很多工作，取得了一定成效。\n")
    assert "1.加强学习。" in result.markdown and "1. " not in result.markdown


def test_cli_adverts_from_archive_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shuzhi.yaml").write_text("adverts:\n  line: ['^本站独家']\n", encoding="utf-8")
    src = tmp_path / "a.txt"
    src.write_text("局党组书记述职报告\n本站独家原创范文\n一、履职情况\n做了工作。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run_cli("a.txt", "--out", "reports") == 0
    out = capsys.readouterr().out
    assert "第 2 行（整行，广告）：本站独家原创范文" in out
    written = next((tmp_path / "reports").rglob("*.md")).read_text(encoding="utf-8")
    assert "本站独家" not in written and "source: a.txt\n" in written


def test_pii_reported() -> None:
    result = import_text("局党组书记述职报告\n一、履职情况\n联系电话13812345678，邮箱 someone@example.com。\n")
    summary = "\n".join(result.summary())
    assert "手机号「138" in summary and "13812345678" not in summary and "电子邮箱" in summary


def test_other_kind_flagged() -> None:
    result = import_text("在全局党员大会上的党课讲稿\n同志们：今天我讲三点意见。我认为我们要学习。\n")
    assert result.meta.kind.confidence == "低"
    assert any("党课" in note for note in result.notes)


def test_year_from_opening() -> None:
    result = import_text("局党组书记述职报告\n2022年以来，我局坚持党建引领。\n一、履职情况\n做了工作。\n")
    assert result.meta.year.value == 2022 and result.meta.year.confidence == "中"


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "为空"),
        (b"   \r\n\t\n", "为空"),
        (b"\x00\x01\x02\x03binary\x00", "二进制"),
        (bytes(range(256)) * 4, "二进制"),
    ],
)
def test_bad_bytes(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        decode_bytes(data)


def test_only_adverts_is_an_error() -> None:
    with pytest.raises(ImportFailure):
        import_text("##paidbegin##\n仅供学习 禁止外传 用后删除\n")


def test_slug_is_ascii_and_bounded() -> None:
    for org, title in [("", "2023年局党组书记抓基层党建工作述职报告" * 3), ("../../etc", ""), ("区发改委", ""), ("", "")]:
        slug = make_slug(org, title, "述职报告")
        assert slug.isascii() and len(slug) <= 40 and all(c.isalnum() or c == "-" for c in slug)
        assert slug == slug.lower() and ".." not in slug and "/" not in slug


# -- the command -------------------------------------------------------------------------


def run_cli(*args: str) -> int:
    return main(["import", *args])


def test_cli_writes_and_refuses_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    assert run_cli(str(seed(0)), "--out", str(out)) == 0
    written = out / "2023" / "judangzushujizhuajicengdangjian-shuzhi.md"
    assert written.is_file()
    stdout = capsys.readouterr().out
    assert stdout.splitlines()[0] == written.as_posix()
    assert "  年度：2023（高，标题）" in stdout and "  类型：述职报告（高，标题）" in stdout
    written.write_text("edited by hand", encoding="utf-8")
    assert run_cli(str(seed(0)), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "已存在" in err and "--force" in err and "Traceback" not in err
    assert written.read_text(encoding="utf-8") == "edited by hand"
    assert run_cli(str(seed(0)), "--out", str(out), "--force") == 0
    assert written.read_text(encoding="utf-8").startswith("---\ntitle: 2023年")


def test_cli_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    assert run_cli(str(ROOT / "seeds"), "--out", str(out), "--dry-run") == 0
    assert not out.exists()
    stdout = capsys.readouterr().out
    assert stdout.count("（预览，未写入）") == 5
    assert "第 31 行（整行，广告区块）：自建平台、实时分享" in stdout


def test_cli_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r"
    assert run_cli(str(seed(4)), "--out", str(out), "--year", "2021", "--org", "揭阳市揭东区政务服务管理局", "--kind", "述责述廉报告") == 0
    written = out / "2021" / "jieyangshijiedongquzhengwufuwu-shuzelian.md"
    assert written.is_file(), list(out.rglob("*"))
    text = written.read_text(encoding="utf-8")
    assert "year: 2021\n" in text and "org: 揭阳市揭东区政务服务管理局\n" in text and "kind: 述责述廉报告\n" in text


def test_cli_path_traversal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    src = tmp_path / "evil.txt"
    src.write_text("../../etc/passwd述职报告\n一、履职情况\n做了工作。\n", encoding="utf-8")
    assert run_cli(str(src), "--out", str(out), "--org", "../../etc") == 0
    files = [p for p in tmp_path.rglob("*.md")]
    assert files and all(p.resolve().is_relative_to(out.resolve()) for p in files)
    assert "org: ../../etc" in files[0].read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        output_path(out, 2023, "../x")


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("empty.txt", b"", "为空"),
        ("blank.txt", b" \n\n \t", "为空"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制"),
        ("fake.docx", b"not a zip at all", ".docx"),
        ("report.pdf", b"%PDF-1.4", "PDF"),
        ("report.xls", b"PK", "不支持"),
    ],
)
def test_cli_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, message: str) -> None:
    src = tmp_path / name
    src.write_bytes(data)
    assert run_cli(str(src), "--out", str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_cli_missing_file_and_continue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run_cli(str(tmp_path / "nope.txt"), str(seed(3)), "--out", str(out)) == 1
    captured = capsys.readouterr()
    assert "不存在" in captured.err
    assert (out / "2023" / "xju-zongjie.md").is_file()  # the other file is still imported


def test_bare_ordinal_outside_items_takes_its_text_from_the_next_line() -> None:
    """（一） alone on a line (Word list numbering, a PDF line break) reads as the one-line form: no empty heading."""
    items = ["压实责任链条。全年主持召开党工委会议研究党建工作11次，列出责任清单86项。",
             "夯实社区阵地。新建和改造社区党群服务站5个，全年接待居民咨询2300余人次。"]
    split = import_text("述职报告\n一、履职情况\n（一）\n" + items[0] + "\n（二）\n" + items[1] + "\n二、存在问题\n（一）\n")
    whole = import_text("述职报告\n一、履职情况\n（一）" + items[0] + "\n（二）" + items[1] + "\n二、存在问题\n（一）\n")
    assert split.markdown == whole.markdown
    assert "### （一）压实责任链条。" in split.markdown and "### （二）夯实社区阵地。" in split.markdown
    assert "### （一）\n" not in split.markdown.split("二、存在问题")[0]
