"""The rules: each one's code, description, severities and the checks it owns, listed once.

The docs' rules reference page is rendered from :data:`REGISTRY`, and the runner
(:mod:`shuzhi.check.apply`) calls each rule's ``checks`` (one report at a time) and
``archive_checks`` (across reports), so this is the single place a rule is
described and wired. Adding a rule: a :class:`~shuzhi.model.findings.Code` member, one
``Rule(...)`` below, its check function(s) taking a
:class:`~shuzhi.check.context.ReportContext`.

Severities differ by report status: a ``final`` report is held to a stricter
standard than a ``draft``. An archive overrides them per code in ``shuzhi.yaml``
(``severities: {placeholder: off}``); ``off`` drops the rule's findings. Some
codes are found outside the rule checks — ``unreadable`` by whoever reads the
file, ``unsafe-file`` and the build's side of ``unsafe-html`` by the Sphinx
extension — and are described here all the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..model.findings import Code
from . import archive, hygiene, linking, markup, numbering, sections, truncated
from .context import ArchiveCheck, ReportCheck, model_notes

LEVELS = ("error", "warning", "info", "off")


@dataclass(frozen=True)
class Rule:
    code: Code
    title: str  # short Chinese name
    description: str  # what it finds
    example: str  # a line that triggers it
    fix: str  # how to fix it (or silence it)
    draft: str = "warning"  # severity for status: draft
    final: str = "error"  # severity for status: final
    scope: str = "report"  # report: one file at a time | archive: across reports
    checks: tuple[ReportCheck, ...] = ()  # one report at a time
    archive_checks: tuple[ArchiveCheck, ...] = ()  # across reports


_RULES: list[Rule] = [
    Rule(Code.FRONT_MATTER, "文首元数据", "文首 YAML 元数据缺失、不是合法 YAML、不是映射、缺少必填键、键名未知或类型不对（如 year: 二〇二三）。",
         "year: 二〇二三", "按写作指南补全 title、year、org、author、kind、status；year 写四位阿拉伯数字，status 写 draft 或 final。",
         checks=(model_notes(Code.FRONT_MATTER),)),
    Rule(Code.UNREADABLE, "无法读取", "文件无法按 UTF-8 文本读取：二进制文件、GBK 等其他编码、权限不足。其他报告照常检查。",
         "（用 GBK 编码保存的 reports/2023/a.md）", "把文件另存为 UTF-8 编码；原始文件请用 shuzhi import 导入，它会识别编码。",
         "error", "error"),
    Rule(Code.SECTION_MISSING, "缺少必备章节", "报告缺少其类型必备的规范章节（述职报告：履职情况、存在问题、原因分析、下一步打算）；"
         "同一单位上一年度的报告列有问题时，还须有“整改落实”章节。",
         "（全文没有“存在问题”一类的标题）", "补写该章节，标题可用规则参考中列出的任一别名；原因分析也可写成“存在问题”中以“原因分析：”开头的一段。",
         checks=(sections.check_missing,), archive_checks=(archive.check_rectification,)),
    Rule(Code.SECTION_ORDER, "章节顺序", "规范章节的先后顺序不对，如“下一步打算”出现在“存在问题”之前。",
         "## 一、下一步工作打算 …… ## 二、存在的问题", "调整章节顺序：整改落实、履职情况、存在问题、原因分析、下一步打算。",
         "warning", "warning",
         checks=(sections.check_order,)),
    Rule(Code.SECTION_EMPTY, "空章节", "章节标题下没有任何正文，也没有下级标题。", "## 三、存在问题（下面直接是下一个标题）",
         "补写正文，或删除该标题。",
         checks=(sections.check_empty,)),
    Rule(Code.NUMBERING, "序号错误", "同一层级的序号跳号、重号、倒序或混用样式：三、后又是三、；四是后接六是；（一）（二）（四）；"
         "（一）后接 3.；同一列表中（一）与 (一)、1. 与 1、混用。",
         "四是抓好党风廉政建设。……六是抓好意识形态工作。", "按顺序改正序号；同一层级使用同一种序号样式（GB/T 9704：一、（一）1.（1））。",
         checks=(numbering.check_runs,)),
    Rule(Code.PLACEHOLDER, "未填写的占位符", "模板中未填写的值：x次、X个、X%、XX大、xx工作、**区、**人次、20xx年、XXX、某某。"
         "2023年、X光、Windows XP、X-ray 等不算。", "全年累计召开党建工作专题会议x次",
         "填入实际数字或名称；确属正文的写法可在 shuzhi.yaml 的 placeholder.exceptions 中加入例外。",
         checks=(hygiene.check_placeholder,)),
    Rule(Code.WATERMARK, "广告水印", "从网页复制带入的广告、水印或付费标记（##paidbegin##、咨询QQ、会员群、仅供学习 禁止外传……）。",
         "酷乐文行整理，咨询QQ206157060", "删除该行或该片段；重新导入时导入器会自动删除。其他广告写法可在 shuzhi.yaml 的 adverts 下补充。",
         "error", "error",
         checks=(hygiene.check_watermark,)),
    Rule(Code.UNSAFE_HTML, "网页标记", "报告中的原始 HTML（从网页粘贴带入的 <div style=…>、<span>、<script> 等）、{raw} 块，"
         "以及会执行脚本的链接或图片地址（javascript:、vbscript:、data:）。发布时按原文显示或删除地址，不会在读者的浏览器中生效。",
         '<span style="color:red">重点工作</span>', "改用 Markdown 写法（加粗用 **重点工作**），或删除该标记；链接改为 http(s) 地址。"
         "确属可信编辑者的档案可在 conf.py 中设 shuzhi_trusted_html = True。", "warning", "warning",
         checks=(markup.check_markup,)),
    Rule(Code.UNSAFE_FILE, "目录外文件", "图片或附件指向报告目录（reports/）以外的文件，如 ../../.git/config、/etc/passwd："
         "构建时不复制、不发布（只在构建时检查）。", "![](../../conf.py)",
         "把图片、附件放在 reports/ 下，用相对路径引用。", "warning", "warning"),
    Rule(Code.TRUNCATED, "原文不完整", "原文是付费网页或预览页，正文中有付费、省略提示（……此处省略1200字，开通会员查看全文……、"
         "（未完，全文请下载）、此处隐藏N字）：档案收的是一份不完整的报告。导入时删去提示，在原处留下“% 原文不完整：……”注释；"
         "报告中仍留有提示文字时也会报告。注明了缺失字数时一并给出。",
         "……（此处省略1200字，开通会员查看全文）……", "找到完整原文，补全这一段，再删除注释或提示。", "error", "error",
         checks=(truncated.check_truncated,)),
    Rule(Code.PII, "个人信息", "不宜公开的个人信息：大陆手机号、18 位身份证号（校验位正确）、QQ 号、电子邮箱。",
         "联系人：张三，电话 13812345678", "删除或打码（如 138****5678）；公开的办公电话、邮箱可在 shuzhi.yaml 的 pii.allow 中列出。",
         checks=(hygiene.check_pii,)),
    Rule(Code.DUPLICATE_REPORT, "重复报告", "同一单位、同一年度、同一类型有两份报告。", "reports/2023/a.md 与 reports/2023/b.md 的 org、year、kind 相同",
         "合并或删除其中一份，或改正其元数据。", "error", "error", "archive",
         archive_checks=(archive.check_duplicates,)),
    Rule(Code.DUPLICATE_ID, "条目编号重复", "同一报告中两个条目使用了同一个编号（如两个【P1】）。", "【P1】一是……  【P1】二是……",
         "把其中一个改为未用过的编号。", "error", "error",
         checks=(model_notes(Code.DUPLICATE_ID),)),
    Rule(Code.PROBLEM_UNFIXED, "问题无对应措施", "“存在问题”中的一条问题没有任何整改措施与之对应（显式链接或自动匹配都没有）。",
         "【P3】三是党建宣传力度有待加强。", "在“下一步打算”中补写措施，并写上【M3→P3】。",
         checks=(linking.check_unfixed,)),
    Rule(Code.LINK_UNKNOWN, "链接目标不存在", "条目链接指向不存在的编号或报告，或链接写法无法识别。", "【M2→P9】",
         "改正编号，或写成 年份/报告名#P1 指向别的报告、写“反馈”指向评议反馈的问题。", "error", "error",
         checks=(model_notes(Code.LINK_UNKNOWN), linking.check_unknown_targets),
         archive_checks=(archive.check_cross_links,)),
    Rule(Code.LINK_SELF, "链接指向本报告", "条目链接写成了本报告自己的路径（如 2023/本报告#P1）：按本报告中的编号处理。"
         "整改条目应指向上一年度的报告。", "【M1→2023/本报告#P1】",
         "直接写本报告中的编号，如【M1→P1】；整改条目写成【R1→2022/上年报告#P1】。", "warning", "warning",
         checks=(model_notes(Code.LINK_SELF),)),
    Rule(Code.MEASURE_ORPHAN, "措施无对应问题", "一条措施没有对应任何问题（这并不一定是错误）。", "【M5】（五）加大投入，抓好党建阵地建设。",
         "如该措施针对某个问题，写上【M5→P2】。", "info", "info",
         checks=(linking.check_orphans,)),
]

#: code → rule, in the order of the rules reference
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
