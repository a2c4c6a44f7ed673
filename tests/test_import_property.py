"""Property tests: the importer never crashes, never loses text, and round-trips."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import_helpers import assert_markers_consistent, assert_nothing_lost

from shuzhi.importer import ImportFailure, import_text

FRAGMENTS = [
    "X局2023年度党建工作总结", "党组书记述职报告", "一、", "二、", "三、", "（一）", "（二）", "1.", "2、", "（1）",
    "一是", "二是", "三是", "一要", "二要", "第一，", "存在问题", "存在问题及下一步打算", "下一步工作打算",
    "问题整改落实情况", "履职情况", "原因分析：", "究其主要原因，", "针对上述问题，", "反馈",
    "学习不够深入。", "创新意识不强。", "强化责任落实，全面提升工作质效。", "党建工作", "x次", "**区",
    "##paidbegin##", "##paidend##", "仅供学习 禁止外传 用后删除", "酷乐文行整理，咨询QQ123456", "酷乐文行",
    "【P1】", "【M2→P1】", "# ", "- ", "1. ", "> ", "---", "```", ":::", "%", "|", "<b>", "_", "*", "`", "[", "]",
    "\\", "&amp;", "(x)=", "。", "，", "；", "：", " ", "　", "\t", "\n", "\n", "\n", "\r\n", "\ufeff",
]

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
