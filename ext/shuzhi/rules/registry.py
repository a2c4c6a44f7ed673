"""Rule metadata: code, what it finds, an example, how to fix or silence it, severities.

The docs' rules reference page is rendered from :data:`REGISTRY`, so this is the
single place a rule is described. Severities differ by report status: a ``final``
report is held to a stricter standard than a ``draft``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # short Chinese name
    description: str  # what it finds
    example: str  # a line that triggers it
    fix: str  # how to fix it (or silence it)
    draft: str = "warning"  # severity for status: draft
    final: str = "error"  # severity for status: final


_RULES = [
    Rule("front-matter", "文首元数据", "文首 YAML 元数据缺失、不是合法 YAML、缺少必填键或类型不对（如 year: 二〇二三）。",
         "year: 二〇二三", "按 docs 写作指南补全 title、year、org、author、kind、status；year 写四位阿拉伯数字。"),
    Rule("section-missing", "缺少必备章节", "报告缺少其类型必备的规范章节（履职情况、存在问题、原因分析、下一步打算；上年有问题时还需整改落实）。",
         "（全文没有“存在问题”一类的标题）", "补写该章节，标题可用规则参考中列出的任一别名。"),
    Rule("section-order", "章节顺序", "规范章节的先后顺序不对，如“下一步打算”出现在“存在问题”之前。",
         "## 一、下一步工作打算 …… ## 二、存在的问题", "调整章节顺序：整改落实、履职情况、存在问题、原因分析、下一步打算。", "warning", "warning"),
    Rule("section-empty", "空章节", "章节标题下没有正文。", "## 三、存在问题（下面直接是下一个标题）", "补写正文，或删除该标题。"),
    Rule("numbering", "序号错误", "同一层级的序号跳号、重号或混用样式：三、后又是三、；四是后接六是；（一）（二）（四）。",
         "四是抓好党风廉政建设。……六是抓好意识形态工作。", "按顺序改正序号；同一层级使用同一种序号样式。"),
    Rule("placeholder", "未填写的占位符", "模板中未填写的值：x次、X个、XX、xx工作、**区、20xx年、X%、某某。",
         "全年累计召开党建工作专题会议x次", "填入实际数字或名称。"),
    Rule("watermark", "广告水印", "从网页复制带入的广告、水印或付费标记（##paidbegin##、咨询QQ、会员群……）。",
         "酷乐文行整理，咨询QQ206157060", "删除该行或该片段；重新导入时导入器会自动删除。", "error", "error"),
    Rule("duplicate-report", "重复报告", "同一单位、同一年度、同一类型有两份报告。",
         "reports/2023/a.md 与 reports/2023/b.md 的 org、year、kind 相同", "合并或删除其中一份，或改正其元数据。", "error", "error"),
    Rule("duplicate-id", "条目编号重复", "同一报告中两个条目使用了同一个编号（如两个【P1】）。",
         "【P1】一是……  【P1】二是……", "把其中一个改为未用过的编号。", "error", "error"),
    Rule("problem-unfixed", "问题无对应措施", "“存在问题”中的一条问题没有任何整改措施与之对应（显式链接或自动匹配都没有）。",
         "【P3】三是党建宣传力度有待加强。", "在“下一步打算”中补写措施，并写上【M3→P3】。"),
    Rule("link-unknown", "链接目标不存在", "条目链接指向不存在的编号或报告。", "【M2→P9】", "改正编号，或写成 年份/报告名#P1 指向别的报告。", "error", "error"),
    Rule("measure-orphan", "措施无对应问题", "一条措施没有对应任何问题（这并不一定是错误）。", "【M5】（五）加大投入，抓好党建阵地建设。",
         "如该措施针对某个问题，写上【M5→P2】。", "info", "info"),
]

REGISTRY: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def severity(code: str, status: str, config: Config | None = None) -> str:
    """The severity of a code for a report of this status: error | warning | info | off."""
    status = "final" if status == "final" else "draft"
    if config is not None and code in config.severities:
        override = config.severities[code].get(status)
        if override:
            return override
    rule = REGISTRY.get(code)
    if rule is None:
        return "warning"
    return rule.final if status == "final" else rule.draft
