"""Each rule: what it must find and what it must not, on small hand-written reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shuzhi.check import REGISTRY, check_archive, check_report, severity
from shuzhi.check.context import ReportContext
from shuzhi.check.hygiene import id_checksum_ok, mask, pii_matches, placeholder_tokens
from shuzhi.check.rule_settings import settings
from shuzhi.config import Config, load_config
from shuzhi.model import parse_report, summarise
from shuzhi.model.findings import Code, Finding

REPO = Path(__file__).resolve().parent.parent

FRONT = """---
title: {title}
year: {year}
org: {org}
author: 党组书记
kind: {kind}
status: {status}
---
"""

BODY = """# 测试局党组书记抓基层党建工作述职报告

## 一、履职情况

（一）强化政治担当。一是学习。二是落实。三是督促。

（二）抓好队伍建设。一是培训。二是考核。

## 二、存在问题

【P1】一是理论学习不够深入，学习方式单一。

【P2】二是党建宣传力度有待加强，宣传阵地不多。

原因分析：思想重视不够，抓党建的办法不多。

## 三、下一步打算

【M1→P1】（一）加强理论学习，提升学习质效。

【M2→P2】（二）强化宣传阵地，扎实做好党建宣传。
"""


def make(body: str = BODY, *, year: int = 2023, org: str = "测试局", kind: str = "述职报告", status: str = "draft",
         title: str = "测试局党组书记述职报告", path: str = "reports/2023/test.md") -> str:
    return FRONT.format(title=title, year=year, org=org, kind=kind, status=status) + body


def check(text: str, path: str = "reports/2023/test.md", config: Config | None = None) -> list[Finding]:
    return check_report(parse_report(text, path), config)


def codes(findings: list[Finding], code: str | None = None) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in findings if code is None or f.code == code]


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_clean_report_has_no_findings() -> None:
    assert check(make()) == []


# -- front-matter / duplicate-id (notes of the model) ------------------------------------


def test_front_matter_findings_are_located() -> None:
    text = make().replace("year: 2023", "year: 二〇二三")
    found = [f for f in check(text) if f.code == "front-matter"]
    assert [(f.line, f.severity) for f in found] == [(3, "warning")]
    assert "year" in found[0].message


def test_missing_front_matter() -> None:
    found = check(BODY)
    assert codes(found, "front-matter") == [(1, "front-matter")]


def test_duplicate_id() -> None:
    text = make(BODY.replace("【P2】二是", "【P1】二是"))
    found = codes(check(text), "duplicate-id")
    assert found == [(line_of(text, "【P1】二是"), "duplicate-id")]


# -- sections ------------------------------------------------------------------------------


def test_section_missing_with_alias_hint() -> None:
    body = BODY.replace("## 二、存在问题", "## 二、工作体会").replace("原因分析：", "")
    text = make(body)
    found = [f for f in check(text) if f.code == "section-missing"]
    assert sorted(f.message.split("，")[0] for f in found) == ["缺少必备章节「原因分析」", "缺少必备章节「存在问题」"]
    assert any("可用标题：存在问题、存在的问题" in f.message for f in found)
    # located where the section belongs: at the next canonical section
    assert {f.line for f in found} == {line_of(text, "## 三、下一步打算")}


def test_reason_heading_or_labelled_paragraph_counts() -> None:
    labelled = make(BODY.replace("原因分析：", "究其原因，"))
    assert codes(check(labelled), "section-missing") == []
    heading = make(BODY.replace("原因分析：思想", "## 三、原因分析\n\n思想").replace("## 三、下一步打算", "## 四、下一步打算"))
    assert codes(check(heading), "section-missing") == []


def test_section_aliases_are_recognised() -> None:
    body = (BODY.replace("一、履职情况", "一、履职尽责情况").replace("二、存在问题", "二、存在的主要问题及原因")
            .replace("三、下一步打算", "三、下步工作思路和主要措施"))
    assert codes(check(make(body)), "section-missing") == []


def test_work_summary_topic_sections_count_as_duties() -> None:
    body = BODY.replace("## 一、履职情况", "## 一、抓思想建设，筑牢理想信念").replace("原因分析：", "")
    found = check(make(body, kind="工作总结"))
    assert codes(found, "section-missing") == []  # 工作总结 does not require 原因分析


def test_unknown_kind_is_not_a_section_finding() -> None:
    found = check(make("# 党课讲稿\n\n正文。\n", kind="党课讲稿"))
    assert codes(found, "section-missing") == []
    assert "front-matter" in {f.code for f in found}


def test_section_order() -> None:
    body = """# 述职报告

## 一、下一步工作打算

（一）加强学习。

## 二、履职情况

正文。

## 三、存在的问题

一是学习不够。究其原因，重视不够。
"""
    text = make(body)
    found = [f for f in check(text) if f.code == "section-order"]
    assert [f.line for f in found] == [line_of(text, "二、履职情况"), line_of(text, "三、存在的问题")]
    assert "应在「一、下一步工作打算」之前" in found[0].message
    assert found[0].severity == "warning"


def test_section_order_combined_heading_is_fine() -> None:
    body = BODY.replace("## 二、存在问题", "## 二、存在问题及下一步打算").replace("## 三、下一步打算\n", "")
    assert codes(check(make(body)), "section-order") == []


def test_rectification_before_or_after_duties_is_fine() -> None:
    after = BODY.replace("## 二、存在问题", "## 二、上年问题整改落实情况\n\n已全部整改。\n\n## 二、存在问题")
    assert codes(check(make(after)), "section-order") == []
    late = BODY + "\n## 四、上年问题整改落实情况\n\n已全部整改。\n"
    text = make(late)
    assert codes(check(text), "section-order") == [(line_of(text, "## 四、上年问题"), "section-order")]


def test_section_empty() -> None:
    body = BODY.replace("（二）抓好队伍建设。一是培训。二是考核。\n", "## 二、作风建设\n")
    body = body.replace("二、存在问题", "三、存在问题").replace("三、下一步打算", "四、下一步打算")
    text = make(body)
    assert codes(check(text), "section-empty") == [(line_of(text, "## 二、作风建设"), "section-empty")]


def test_section_with_subsections_only_is_not_empty() -> None:
    body = BODY.replace("## 一、履职情况\n", "## 一、履职情况\n\n### （一）政治建设\n")
    body = body.replace("（一）强化政治担当。", "强化政治担当。").replace("（二）抓好队伍建设。", "### （二）队伍建设\n\n抓好队伍建设。")
    assert codes(check(make(body)), "section-empty") == []


# -- numbering ---------------------------------------------------------------------------------


def test_numbering_repeated_heading() -> None:
    text = make(BODY.replace("## 三、下一步打算", "## 二、下一步打算"))
    found = [f for f in check(text) if f.code == "numbering"]
    assert [f.line for f in found] == [line_of(text, "## 二、下一步打算")]
    assert "序号重复：「二、」" in found[0].message and "应为「三、」" in found[0].message


def test_numbering_runin_skip_across_paragraphs() -> None:
    body = BODY.replace(
        "【M2→P2】（二）强化宣传阵地，扎实做好党建宣传。",
        "【M2→P2】（二）强化宣传阵地，扎实做好党建宣传。\n\n一是强化担当。\n\n二是抓好学习。三是抓好党建。\n\n"
        "四是抓好党风廉政建设。严格落实规定。六是抓好意识形态工作。",
    )
    text = make(body)
    found = [f for f in check(text) if f.code == "numbering"]
    assert [f.line for f in found] == [line_of(text, "四是抓好党风廉政建设")]
    assert "「四是」之后是「六是」，缺少「五是」" in found[0].message


def test_numbering_paren_skip() -> None:
    text = make(BODY.replace("【M2→P2】（二）", "【M2→P2】（四）"))
    found = [f for f in check(text) if f.code == "numbering"]
    assert [f.line for f in found] == [line_of(text, "（四）强化宣传")]
    assert "缺少「（二）」、「（三）」" in found[0].message


def test_numbering_mixed_styles_and_widths() -> None:
    body = BODY.replace("【M2→P2】（二）", "【M2→P2】2.")
    text = make(body)
    found = [f for f in check(text) if f.code == "numbering"]
    assert [f.line for f in found] == [line_of(text, "2.强化")]
    assert "序号样式混用" in found[0].message
    half = make(BODY.replace("【M2→P2】（二）", "【M2→P2】(二)"))
    found = [f for f in check(half) if f.code == "numbering"]
    assert [f.line for f in found] == [line_of(half, "(二)强化")]
    assert "全角/半角" in found[0].message


def test_no_numbering_false_positives() -> None:
    # nested 一是 lists inside （一）（二）, the same ordinals in different sections,
    # numbered lists restarting under each paragraph item
    body = BODY.replace(
        "（二）抓好队伍建设。一是培训。二是考核。",
        "（二）抓好队伍建设。一是培训，其中一要学习，二要实践。二是考核。\n\n1.制度建设。\n\n（1）完善制度。\n\n（2）执行制度。\n\n"
        "2.队伍建设。\n\n（1）培训。",
    )
    found = check(make(body))
    assert codes(found, "numbering") == []


def test_no_numbering_false_positive_in_combined_section() -> None:
    # 存在问题及下一步打算: problems 一是…三是, then the measures start again at 一是
    body = BODY.replace("## 二、存在问题", "## 二、存在问题及下一步打算").replace("## 三、下一步打算\n", "")
    body = body.replace("【P2】二是党建宣传力度有待加强，宣传阵地不多。", "【P2】二是党建宣传力度有待加强。\n\n【P3】三是作风不实。")
    body = body.replace("【M1→P1】（一）", "针对存在的问题，将重点抓好以下工作：\n\n【M1→P1】一是").replace("【M2→P2】（二）", "【M2→P2、P3】二是")
    assert codes(check(make(body)), "numbering") == []


def test_numbering_fullwidth_digits_are_one_style() -> None:
    body = BODY.replace("【M1→P1】（一）", "【M1→P1】１．").replace("【M2→P2】（二）", "【M2→P2】２．")
    assert codes(check(make(body)), "numbering") == []


# -- placeholder ----------------------------------------------------------------------------------

PLACEHOLDERS = ["召开会议x次", "发展党员X个", "完成率X%", "党的XX大", "抓好xx工作", r"涉及\*\*区", "20xx年", "XXX同志",
                "某某同志", "增长x.x%", "涉及**人次", "第X届", "××局"]
NOT_PLACEHOLDERS = ["2023年", "X光检查", "Windows XP系统", "学习X-ray技术", "十九届五中全会", "TeX排版", "Xbox",
                    "3x3篮球", "**加粗**文字", "我**强调**了", "实现了 X 的目标", "XXL码", "box", "x"]


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholder_found(text: str) -> None:
    assert placeholder_tokens(text, settings(None)), text


@pytest.mark.parametrize("text", NOT_PLACEHOLDERS)
def test_placeholder_not_found(text: str) -> None:
    assert placeholder_tokens(text, settings(None)) == [], text


def test_placeholder_finding_in_report() -> None:
    body = BODY.replace("一是学习。", r"一是学习，全年召开会议x次，覆盖\*\*区。")
    text = make(body)
    found = [f for f in check(text) if f.code == "placeholder"]
    assert [f.line for f in found] == [line_of(text, "会议x次")]
    assert "「**区」" in found[0].message and "x次" in found[0].message


def test_placeholder_in_code_fence_is_ignored() -> None:
    body = BODY + "\n```text\n会议x次\n```\n"
    assert codes(check(make(body)), "placeholder") == []


def test_placeholder_config_extends_patterns_and_exceptions() -> None:
    config = Config(raw={"placeholder": {"patterns": [{"name": "某单位", "regex": "某单位"}], "exceptions": ["X个"]}})
    rules = settings(config)
    assert placeholder_tokens("来自某单位", rules)
    assert placeholder_tokens("发展党员X个", rules) == []


# -- watermark ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "advert",
    ["##paidbegin##", "仅供学习 禁止外传 用后删除", "酷乐文行整理，咨询QQ206157060", "会员群：123 免费QQ群：456", "现在订阅立享优惠"],
)
def test_watermark_found(advert: str) -> None:
    text = make(BODY.replace("## 二、存在问题", f"{advert}\n\n## 二、存在问题"))
    found = codes(check(text), "watermark")
    assert found == [(line_of(text, advert), "watermark")]


def test_watermark_inline_and_distributor_name() -> None:
    body = BODY.replace("一是学习。", "一是学习。##paidend##").replace(
        "## 三、下一步打算", "酷乐文行整理，咨询QQ206157060\n\n本文由酷乐文行提供\n\n## 三、下一步打算"
    )
    text = make(body)
    lines = [f.line for f in check(text) if f.code == "watermark"]
    assert lines == [line_of(text, "##paidend##"), line_of(text, "咨询QQ"), line_of(text, "本文由酷乐文行提供")]


def test_watermark_not_on_ordinary_text() -> None:
    body = BODY.replace("一是学习。", "一是学习，组织党员下载学习强国，开展会员发展工作。")
    assert codes(check(make(body)), "watermark") == []


def test_watermark_config_adverts() -> None:
    config = Config(raw={"adverts": {"line": ["^本文来自某某文库"]}})
    text = make(BODY.replace("## 二、存在问题", "本文来自某某文库\n\n## 二、存在问题"))
    assert line_of(text, "本文来自") in [f.line for f in check(text, config=config) if f.code == "watermark"]


# -- pii ----------------------------------------------------------------------------------------------------


def test_id_checksum() -> None:
    assert id_checksum_ok("11010519491231002X")
    assert not id_checksum_ok("110105194912310021")


@pytest.mark.parametrize(
    "text,kind",
    [("电话13812345678", "mobile"), ("手机 +86 138-1234-5678", "mobile"), ("身份证11010519491231002X", "id_card"),
     ("QQ：123456789", "qq"), ("qq号 12345", "qq"), ("邮箱 zhang.san@example.com", "email")],
)
def test_pii_found(text: str, kind: str) -> None:
    assert [k for k, _v in pii_matches(text, settings(None))] == [kind]


@pytest.mark.parametrize(
    "text",
    ["2023年13个支部", "身份证110105194912310021", "编号12345678901234567890", "电话010-12345678", "完成率100%",
     "服务群众13万人次", "12345", "138****5678", "a@b"],
)
def test_pii_not_found(text: str) -> None:
    assert pii_matches(text, settings(None)) == []


def test_pii_finding_masks_the_value_and_allow_list() -> None:
    text = make(BODY.replace("一是学习。", "一是学习，联系人电话13812345678，邮箱 dangban@example.gov.cn。"))
    found = [f for f in check(text) if f.code == "pii"]
    assert [f.line for f in found] == [line_of(text, "13812345678")] * 2
    assert all("13812345678" not in f.message for f in found)
    assert "138*****678" in found[0].message or "138*****678" in found[1].message
    config = Config(raw={"pii": {"allow": [r"dangban@example\.gov\.cn"], "mobile": False}})
    assert codes(check(text, config=config), "pii") == []


def test_mask() -> None:
    assert mask("13812345678") == "138*****678"
    assert mask("zhang@example.com") == "z***@example.com"


# -- problem-unfixed / measure-orphan / link-unknown (local) --------------------------------------------------------


def test_problem_unfixed_and_orphan_with_explicit_links() -> None:
    body = BODY.replace("【M2→P2】", "【M2】")
    text = make(body)
    found = check(text)
    assert codes(found, "problem-unfixed") == [(line_of(text, "【P2】"), "problem-unfixed")]
    assert codes(found, "measure-orphan") == [(line_of(text, "【M2】"), "measure-orphan")]
    assert [f.severity for f in found if f.code == "measure-orphan"] == ["info"]


def test_link_unknown_local() -> None:
    text = make(BODY.replace("【M2→P2】", "【M2→P2、P7】"))
    found = [f for f in check(text) if f.code == "link-unknown"]
    assert [f.line for f in found] == [line_of(text, "【M2→P2、P7】")]
    assert "「P7」" in found[0].message


def test_link_to_a_measure_is_unknown() -> None:
    text = make(BODY.replace("【M2→P2】", "【M2→P2、M1】"))
    found = [f for f in check(text) if f.code == "link-unknown"]
    assert len(found) == 1 and "是一条措施" in found[0].message


def test_malformed_marker_is_one_finding() -> None:
    text = make(BODY.replace("【M2→P2】", "【M2→P2、第三条】"))
    found = [f for f in check(text) if f.code == "link-unknown"]
    assert len(found) == 1


def test_auto_matched_report_has_no_unfixed() -> None:
    body = BODY.replace("【P1】", "").replace("【P2】", "").replace("【M1→P1】", "").replace("【M2→P2】", "")
    found = check(make(body))
    assert codes(found, "problem-unfixed") == []
    assert codes(found, "measure-orphan") == []


# -- severities -----------------------------------------------------------------------------------------------------------


def test_severity_stricter_for_final() -> None:
    body = BODY.replace("一是学习。", "一是学习，全年召开会议x次。")
    draft = [f.severity for f in check(make(body)) if f.code == "placeholder"]
    final = [f.severity for f in check(make(body, status="final")) if f.code == "placeholder"]
    assert (draft, final) == (["warning"], ["error"])
    for rule in REGISTRY.values():
        order = ["info", "warning", "error"]
        assert order.index(rule.final) >= order.index(rule.draft), rule.code


def test_severity_config_override_and_off(tmp_path: Path) -> None:
    (tmp_path / "shuzhi.yaml").write_text(
        "severities:\n  placeholder: {draft: error, final: error}\n  section-empty: \"off\"\n", encoding="utf-8"
    )
    config = load_config(tmp_path)
    assert severity("placeholder", "draft", config) == "error"
    body = BODY.replace("一是学习。", "一是学习，全年召开会议x次。") + "\n## 四、附件\n"
    found = check(make(body), config=config)
    assert [f.severity for f in found if f.code == "placeholder"] == ["error"]
    assert codes(found, "section-empty") == []


def test_severities_name_only_known_codes(tmp_path: Path) -> None:
    (tmp_path / "shuzhi.yaml").write_text("severities:\n  unsafe-htm: \"off\"\n", encoding="utf-8")
    with pytest.raises(ValueError, match="规则代码「unsafe-htm」不存在，是否应为「unsafe-html」"):
        load_config(tmp_path)
    (tmp_path / "shuzhi.yaml").write_text("severities:\n  spelling: \"off\"\n", encoding="utf-8")
    with pytest.raises(ValueError, match="可用的代码见规则参考"):
        load_config(tmp_path)


def test_registry_describes_every_code() -> None:
    wanted = {"front-matter", "unreadable", "section-missing", "section-order", "section-empty", "numbering",
              "placeholder", "watermark", "pii", "duplicate-report", "duplicate-id", "problem-unfixed",
              "link-unknown", "link-self", "measure-orphan", "unsafe-html", "unsafe-file"}
    assert wanted <= set(REGISTRY)
    # one rule per code, listed once, in the order of the rules reference
    assert list(REGISTRY) == list(Code) and all(REGISTRY[c].code is c for c in Code)
    # every code a rule or the build's sanitising transform reports is a Code (and so described, configurable)
    source = "".join(p.read_text(encoding="utf-8") for p in (REPO / "ext" / "shuzhi").rglob("*.py"))
    literal = set(re.findall(r'(?:Note|_warn)\([^,()]+(?:\([^()]*\))?, "([a-z-]+)"', source))
    named = set(re.findall(r"(?:Note|_warn)\([^,()]+(?:\([^()]*\))?, Code\.([A-Z_]+)", source))
    assert {"unsafe-html", "unsafe-file"} <= literal | {Code[n] for n in named}
    assert {"FRONT_MATTER", "WATERMARK", "PLACEHOLDER", "DUPLICATE_ID", "LINK_SELF"} <= named
    assert literal <= set(REGISTRY), literal - set(REGISTRY)
    for rule in REGISTRY.values():
        assert rule.title and rule.description and rule.example and rule.fix
        assert rule.draft in ("error", "warning", "info") and rule.final in ("error", "warning", "info")
        assert (rule.scope == "archive") == (bool(rule.archive_checks) and not rule.checks)


def test_every_check_belongs_to_one_rule_and_yields_its_code() -> None:
    """The runner calls each rule's own checks; a check yields notes of its rule's code only."""
    checks = [(rule.code, check) for rule in REGISTRY.values() for check in rule.checks]
    assert len({id(check) for _code, check in checks}) == len(checks)
    body = BODY.replace("一是学习。", "一是学习，全年召开会议x次，电话13812345678。") + "\n## 四、附件\n"
    text = make(body).replace("【M2→P2】", "【M2→P9】").replace("【P2】", "【P1】", 1).replace("year: 2023", "year: 二〇二三")
    report = parse_report(text, "reports/2023/test.md")
    ctx = ReportContext(report)
    seen = set()
    for code, check in checks:
        notes = list(check(ctx))
        assert all(n.code == code for n in notes), (code, check)
        seen |= {code} if notes else set()
    assert {"front-matter", "placeholder", "pii", "section-empty", "duplicate-id", "link-unknown"} <= seen
    # what the model notes while reading reaches the findings through the rule of its code
    model_source = "".join((REPO / "ext" / "shuzhi" / "model" / name).read_text(encoding="utf-8") for name in ("parse.py", "report.py", "frontmatter.py"))
    noted = {Code[n] for n in re.findall(r"Note\([^,()]+(?:\([^()]*\))?, Code\.([A-Z_]+)", model_source)}
    noted |= set(re.findall(r'Note\([^,()]+(?:\([^()]*\))?, "([a-z-]+)"', model_source))
    owners = {code for code, check in checks if check.__name__ == f"model_notes[{code}]"}
    assert noted and noted == owners


# -- archive ------------------------------------------------------------------------------------------------------------------


def summary(text: str, path: str):  # type: ignore[no-untyped-def]
    return summarise(parse_report(text, path))


def test_duplicate_report() -> None:
    a = summary(make(), "reports/2023/a.md")
    b = summary(make(), "reports/2023/b.md")
    c = summary(make(kind="工作总结"), "reports/2023/c.md")
    found = [f for f in check_archive([a, b, c]) if f.code == "duplicate-report"]
    assert [(f.path, f.line) for f in found] == [("reports/2023/a.md", 4), ("reports/2023/b.md", 4)]
    assert "reports/2023/b.md" in found[0].message


def test_rectification_required_after_a_year_with_problems() -> None:
    last = summary(make(year=2022), "reports/2022/a.md")
    this = summary(make(year=2023), "reports/2023/a.md")
    found = check_archive([last, this])
    assert [(f.path, f.code) for f in found] == [("reports/2023/a.md", "section-missing")]
    assert "整改落实" in found[0].message or "整改" in found[0].message
    # with a 整改落实 section it is fine, and another organisation is not concerned
    fixed = make(year=2023, body=BODY.replace("## 一、履职情况", "## 一、上年问题整改落实情况\n\n【R1→2022/a#P1】已整改。\n\n## 二、履职情况"))
    assert check_archive([last, summary(fixed, "reports/2023/a.md")]) == []
    other = summary(make(year=2023, org="别的局"), "reports/2023/b.md")
    assert check_archive([last, other]) == []


def test_cross_report_links() -> None:
    last = summary(make(year=2022), "reports/2022/a.md")
    body = BODY.replace("## 一、履职情况", "## 一、上年问题整改落实情况\n\n【R1→2022/a#P1】已整改。\n\n【R2→2022/a#P9】已整改。\n\n"
                        "【R3→2021/nothing#P1】已整改。\n\n【R4→反馈】已整改。\n\n## 二、履职情况")
    text = make(year=2023, body=body)
    found = [f for f in check_archive([last, summary(text, "reports/2023/a.md")]) if f.code == "link-unknown"]
    assert [f.line for f in found] == [line_of(text, "【R2→"), line_of(text, "【R3→")]
    assert "没有编号 P9" in found[0].message and "不在档案中" in found[1].message
    # nor does check_report report them as local unknowns
    assert codes(check(text), "link-unknown") == []


def test_lines_always_inside_the_file() -> None:
    for text in ["", "---\n", "# 标题\n## 一、存在问题\n", make("## 一、存在问题\n"), make()]:
        report = parse_report(text, "x.md")
        for f in check_report(report):
            assert 1 <= f.line <= report.line_count, f
