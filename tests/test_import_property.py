"""Property tests: the importer never crashes, never loses text, and round-trips."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_import_helpers import assert_markers_consistent, assert_nothing_lost

from shuzhi.read import ImportFailure, import_text

FRAGMENTS = [
    "X局2023年度党建工作总结", "党组书记述职报告", "一、", "二、", "三、", "（一）", "（二）", "1.", "2、", "（1）",
    "一是", "二是", "三是", "一要", "二要", "第一，", "存在问题", "存在问题及下一步打算", "下一步工作打算",
    "问题整改落实情况", "履职情况", "原因分析：", "究其主要原因，", "针对上述问题，", "反馈",
    "学习不够深入。", "创新意识不强。", "强化责任落实，全面提升工作质效。", "党建工作", "x次", "**区",
    "##paidbegin##", "##paidend##", "仅供学习 禁止外传 用后删除", "酷乐文行整理，咨询QQ123456", "酷乐文行",
    "【P1】", "【M2→P1】", "# ", "- ", "1. ", "> ", "---", "```", ":::", "%", "|", "<b>", "_", "*", "`", "[", "]",
    "\\", "&amp;", "(x)=", "。", "，", "；", "：", " ", "　", "\t", "\n", "\n", "\n", "\r\n", "\ufeff",
    # site chrome, vendor text and omission notes (issue 15)
    "当前位置：首页 > 范文 > 述职报告", "发布时间：2024-01-18 10:22  来源：网友投稿  浏览：1356次", "全文共3200字，可编辑",
    "下面是小编为大家整理的述职报告，供大家参考。", "相关推荐：", "· 村党支部书记述职报告范文", "如有侵权请联系删除。",
    "Copyright © 2015-2023 某某范文网", "上传日期：2023-01-09 | 文件大小：38KB | 页数：6页", "述职报告.pdf",
    "免费QQ群：613580294", "关注微信公众号“某某材料库”", "（更多精品范文请搜索公众号：某某）", "——————",
    "……此处省略1200字，开通会员查看全文……", "（未完，全文请下载）", "此处隐藏800字", "— 3 —", "第3页",
    "问题一：学习不够深入。", "整改措施：强化学习，提升能力。", "存在问题：一是", "对策建议",
]

CHROME_PAGE = """当前位置：首页 > 工作报告 > 述职报告
2023年度某镇党委书记抓基层党建工作述职报告 - 某某范文网
发布时间：2024-01-18 10:22  来源：网友投稿  浏览：1356次
下面是小编为大家整理的述职报告，供大家参考，希望对大家有所帮助。
【笔杆子】原创公文每日更新，会员专享，盗版必究

2023年度某镇党委书记抓基层党建工作述职报告

2023年度某镇党委书记抓基层党建工作述职报告

2023年，我认真履行抓基层党建第一责任人职责，推动全镇建立流动党员微信学习群12个，来源于群众的意见全部办结。
一、履职情况
（一）压实责任。全年研究党建工作9次（更多精品范文请搜索公众号：某某材料库）。……此处省略1600字，开通会员即可阅读全文……
— 2 —
二、存在问题及整改措施
问题一：抓党建的系统思维不够强。统筹谋划不够。整改措施：强化统筹谋划，健全责任闭环。每月召开例会。

以上述职，请予评议。

相关推荐：
村党支部书记述职报告（精选5篇）
本站部分文章来自网络，如有侵权请联系删除。笔耕范文网 版权所有
"""

structured = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
anything = st.text(max_size=300)
mixed = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30).map("".join)


def check(text: str) -> None:
    try:
        result = import_text(text, "fuzz.txt")
    except ImportFailure:
        return
    assert_nothing_lost(text, result)
    assert_markers_consistent(result)
    assert import_text(text, "fuzz.txt").markdown == result.markdown
    assert result.slug.isascii() and len(result.slug) <= 40


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(structured, anything, mixed))
def test_import_never_crashes_and_loses_nothing(text: str) -> None:
    check(text)


def test_regressions() -> None:
    for text in ["一、存在问题\n【P1】一是问题。", "# \n---\n- 1. > %|", "\ufeff标题\r\n一、存在问题\r二是。三是。"]:
        check(text)


def test_chrome_listed_and_nothing_else_lost() -> None:
    result = import_text(CHROME_PAGE, "page.txt")
    check(CHROME_PAGE)
    removed = {r.text for r in result.removed}
    lines = CHROME_PAGE.split("\n")
    chrome = [*lines[:5], lines[8], lines[13], *lines[-4:-1]]
    for line in chrome:
        assert line.strip() in removed, line
    assert "（更多精品范文请搜索公众号：某某材料库）" in removed
    assert "……此处省略1600字，开通会员即可阅读全文……" in removed
    # the same words inside the report stay
    assert "流动党员微信学习群12个，来源于群众" in result.markdown
    summary = "\n".join(result.summary())
    assert all(r.text in summary for r in result.removed)
    assert "% 原文不完整：" in result.markdown
    assert [(i.id, i.kind, i.targets) for i in result.report.items] == [("P1", "problem", []), ("M1", "measure", ["P1"])]


CHROME_FRAGMENTS = [f for f in FRAGMENTS if any("\u4e00" <= c <= "\u9fff" for c in f)]
#: removals allowed anywhere: explicit advert lines, distributor signatures, page numbers and headers
ANYWHERE = {"广告", "分销者署名", "页码页眉"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(CHROME_FRAGMENTS), min_size=1, max_size=3).map("".join), max_size=5))
@example(["存在问题", "（一）", "原因分析："])  # a two-line paragraph once shifted every later item's line
def test_chrome_shapes_inside_the_report_stay(middle: list[str]) -> None:
    lines = ["某局党组书记述职报告", "一、履职情况", *middle, "二、存在问题", "一是学习不够。", "三、下一步打算", "（一）加强学习。"]
    text = "\n".join(lines) + "\n"
    check(text)
    result = import_text(text, "fuzz.txt")
    inside = [r for r in result.removed if r.whole_line and 2 < r.line < len(lines) and r.reason not in ANYWHERE]
    assert inside == []
