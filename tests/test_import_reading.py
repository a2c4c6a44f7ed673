"""Reading unseen layouts: titles, metadata, unnumbered and labelled structure, page furniture."""

from __future__ import annotations

from shuzhi.match.links import resolve_links
from shuzhi.read import import_text


def items(text: str) -> list[tuple[str, str, list[str]]]:
    report = import_text(text, "t.txt").report
    return [(i.id, i.text[:8], i.targets) for i in report.items]


def test_wrapped_title_joined_and_year_without_nian() -> None:
    result = import_text("东关街道党工委书记\n2018抓基层党建工作述职报告\n一年来，我认真履行职责。\n", "t.txt")
    assert result.meta.title.value == "东关街道党工委书记2018抓基层党建工作述职报告"
    assert (result.meta.year.value, result.meta.year.confidence) == (2018, "高")
    assert result.meta.org.value == "东关街道"


def test_year_and_org_from_the_signature() -> None:
    text = "社区党委书记抓基层党建工作述职报告\n今年以来，我认真履行职责。\n以上述职，请予评议。\n述职人：北湖社区党委书记陈晓雯\n2024年1月9日\n"
    meta = import_text(text, "t.txt").meta
    assert (meta.year.value, meta.year.confidence) == (2023, "低")  # dated January: the 2023 report
    assert (meta.org.value, meta.org.confidence) == ("北湖社区", "中")
    later = import_text(text.replace("2024年1月9日", "2024年6月30日"), "t.txt").meta
    assert later.year.value == 2024


def test_other_kinds_are_flagged() -> None:
    meta = import_text("关于小区物业服务的调研报告\n一、基本情况\n社区有小区8个。\n", "t.txt").meta
    assert meta.other_kind == "调研报告"
    assert import_text("某局党组书记述职报告\n正文。\n", "t.txt").meta.other_kind == ""


def test_unnumbered_sections_and_unnumbered_items() -> None:
    text = (
        "某集团党委2021年党建工作总结\n2021年，集团党委扎实工作。\n"
        "抓思想，铸忠诚\n全年学习12次，研讨4次。\n"
        "存在的不足\n一年来，仍存在一些问题。\n"
        "基层党建发展还不够平衡。新组建企业起步晚。\n党建与经营融合的深度不够。考核结合不紧。\n"
        "下一步工作思路\n2022年，集团党委将重点抓好以下工作。\n"
        "补齐基层党建短板，推进发展平衡。年内实现达标。\n突出价值创造，推动党建与经营深度融合。设立党员突击队。\n"
        "以上总结，请予审阅。\n"
    )
    report = import_text(text, "t.txt").report
    assert [(s.title, s.canonical) for s in report.top_sections] == [
        ("抓思想，铸忠诚", ("履职情况",)), ("存在的不足", ("存在问题",)), ("下一步工作思路", ("下一步打算",))]
    assert [(i.id, i.lead) for i in report.items] == [
        ("P1", "基层党建发展还不够平衡"), ("P2", "党建与经营融合的深度不够"), ("M1", "补齐基层党建短板，推进发展平衡"), ("M2", "突出价值创造，推动党建与经营深度融合")]
    links = resolve_links(report)
    assert links.by_measure == {"M1": ["P1"], "M2": ["P2"]}


def test_unit_and_date_under_the_title_are_not_headings() -> None:
    """A cover page or byline (the unit, the month) between the title and the text: body lines, kept."""
    text = (
        "某县统计局党组书记2023年度述职报告\n中共某县统计局党组\n二〇二四年一月\n2024年1月\n"
        "2023年，我认真履行党建第一责任人职责。\n抓思想，铸忠诚\n全年学习12次，研讨4次。\n"
        "存在的不足\n党建与业务融合不够。\n"
    )
    result = import_text(text, "t.txt")
    assert [s.title for s in result.report.top_sections] == ["抓思想，铸忠诚", "存在的不足"]
    assert "中共某县统计局党组" in result.markdown and "2024年1月" in result.markdown
    # the same line after the first heading is a heading as before
    later = import_text("某局党组书记述职报告\n一、工作情况\n做了工作。\n某县统计局党组\n全年学习12次，研讨4次。\n", "t.txt")
    assert "某县统计局党组" in [s.title for s in later.report.sections]


def test_labelled_problem_and_measure_are_linked_explicitly() -> None:
    text = (
        "某校党支部书记述职报告\n一、存在问题及整改措施\n"
        "问题一：理论学习不够深入。学习停留在读文件。整改措施：健全学习制度，推动学用结合。每月研讨一次。\n"
        "问题二：支部活动形式单一。整改措施：创新活动载体，增强吸引力。开展主题党日。\n"
    )
    assert items(text) == [("P1", "问题一：理论学习", []), ("M1", "整改措施：健全学", ["P1"]),
                           ("P2", "问题二：支部活动", []), ("M2", "整改措施：创新活", ["P2"])]


def test_items_under_a_measures_subsection_are_measures() -> None:
    text = (
        "某委党组书记述职报告\n三、存在问题及整改措施\n（一）存在问题\n一是学习不够深入。二是创新意识不强。\n"
        "（二）整改措施\n一是强化理论学习。二是大力推进创新。\n"
    )
    report = import_text(text, "t.txt").report
    assert [s.title for s in report.top_sections] == ["三、存在问题及整改措施"]
    assert [(i.id, i.kind) for i in report.items] == [("P1", "problem"), ("P2", "problem"), ("M1", "measure"), ("M2", "measure")]


def test_page_numbers_and_running_header_removed() -> None:
    text = (
        "某街道党工委书记述职报告\n一、履职情况\n全年研究党建工作9次，走访社区12次。\n某街道党建述职材料汇编\n— 2 —\n"
        "全年发展党员21名，其中青年党员18名。\n某街道党建述职材料汇编\n— 3 —\n二、存在问题\n一是学习不够。\n"
    )
    result = import_text(text, "t.txt")
    assert [(r.line, r.reason) for r in result.removed] == [(4, "页码页眉"), (5, "页码页眉"), (7, "页码页眉"), (8, "页码页眉")]
    assert "全年发展党员21名" in result.markdown


def test_chrome_words_inside_the_report_stay() -> None:
    text = (
        "某村党支部书记述职报告\n一、履职情况\n建立党员微信学习群3个，关注群众来源反映的问题；全文共分三个部分。\n"
        "二、存在问题\n一是学习不够深入。\n"
    )
    result = import_text(text, "t.txt")
    assert result.removed == []
    assert "建立党员微信学习群3个" in result.markdown


def test_a_last_numbered_paragraph_is_never_chrome() -> None:
    text = (
        "某局党组书记述职报告\n一、存在问题\n一是宣传阵地建设不够。\n二、下一步打算\n"
        "（一）加强宣传，关注群众诉求。办好支部微信公众号，查处侵权行为，转载请注明出处的要求写进制度。\n"
    )
    result = import_text(text, "t.txt")
    assert result.removed == []
    assert "办好支部微信公众号" in result.markdown


def test_title_found_below_an_unrecognised_line_which_stays_above_it() -> None:
    from test_import_helpers import assert_nothing_lost

    text = "本材料经单位同意后印发。\n2023年度某局党组书记述职报告\n一、履职情况\n全年研究党建工作8次。\n"
    result = import_text(text, "t.txt")
    assert result.meta.title.value == "2023年度某局党组书记述职报告"
    body = result.markdown.split("---\n")[-1]
    assert body.index("本材料经单位同意后印发。") < body.index("# 2023年度某局党组书记述职报告")
    assert result.report.title == "2023年度某局党组书记述职报告"
    assert_nothing_lost(text, result)


def test_a_volume_header_next_to_the_only_page_number_is_removed() -> None:
    text = (
        "某中心党支部书记述职报告\n一、履职情况\n全年研究党建工作9次。\n某中心党建资料汇编\n— 2 —\n"
        "全年发展党员2名。\n二、存在问题\n抓思想，强堡垒\n— 3 —\n一是学习不够。\n"
    )
    result = import_text(text, "t.txt")
    assert [(r.line, r.text) for r in result.removed] == [(4, "某中心党建资料汇编"), (5, "— 2 —"), (9, "— 3 —")]
    assert "抓思想，强堡垒" in result.markdown  # a short line by a page number is not a header by itself


def test_chrome_shapes_between_the_first_and_last_heading_stay() -> None:
    text = (
        "某局党组书记述职报告\n一、履职情况\n流程 > 审批 > 办结\n发布时间：2023-05-01 的通知已落实\n——————\n"
        "二、存在问题\n一是学习不够。\n三、下一步打算\n（一）加强学习。\n"
    )
    result = import_text(text, "t.txt")
    assert result.removed == []
    for line in ("流程 > 审批 > 办结", "发布时间：2023-05-01 的通知已落实", "——————"):
        assert line.replace(" ", "") in result.markdown.replace(" ", "").replace("\\", "")


def test_org_from_the_opening_sentence() -> None:
    text = "2021年党建工作总结\n2021年，城南实验小学党支部在区教育工委的领导下扎实工作。\n一、主要工作\n全年学习12次。\n"
    meta = import_text(text, "t.txt").meta
    assert (meta.org.value, meta.org.confidence, meta.org.source) == ("城南实验小学", "中", "正文开头")
    # 集团党委 names no unit: the signature is read instead
    text = "2021年党建工作总结\n2021年，集团党委在国资委的领导下扎实工作。\n一、主要工作\n全年学习12次。\n市城投集团党委\n2021年12月28日\n"
    assert import_text(text, "t.txt").meta.org.value == "市城投集团"
