"""The bad-input corpus (tests/bad/) and what each case must produce, shared by the lint and build tests.

tests/bad/ is a Sphinx root: one good report next to every broken one. Two cases
are generated rather than committed: a 5 MB report and a report with 2,000
problems (:func:`generate`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

CORPUS = Path(__file__).parent / "bad"
YEAR = "reports/2023"

HEAD = """---
title: {title}
year: 2023
org: {org}
author: 局长
kind: 述职报告
status: draft
---

# {title}

"""
TOPICS = ("理论学习", "组织建设", "作风建设", "廉政建设", "宣传思想", "意识形态", "数据治理", "安全管理", "队伍建设", "制度执行")
PARAGRAPH = "全年坚持以习近平新时代中国特色社会主义思想为指导，认真履行党建工作第一责任人职责，推动全面从严治党向纵深发展。"
HUGE_BYTES = 5 * 1024 * 1024
MANY = 2000

#: case (file stem) -> [(line, code, a fragment of the Chinese message)], the same for lint and the build
EXPECTED: dict[str, list[tuple[int, str, str]]] = {
    "yaml-invalid": [(4, "front-matter", "不是合法的 YAML")],  # the line of the unclosed "["
    "yaml-not-mapping": [(1, "front-matter", "“键: 值”的映射")],
    "missing-keys": [(1, "front-matter", f"缺少「{k}」") for k in ("author", "kind", "org", "status")],
    "year-chinese": [(3, "front-matter", "四位阿拉伯数字年份"), (8, "front-matter", "「tags」应为文字列表")],
    "yaml-tag": [(2, "front-matter", "不允许的 YAML 标签「!!python/object/apply:os.system」（未执行）")],
    "empty": [(1, "front-matter", "缺少文首元数据")],
    "binary": [(1, "unreadable", "二进制文件")],
    "gbk": [(2, "unreadable", "疑为 GBK/GB18030 编码（第 2 行起无法解码）")],
    "duplicate-ids": [(20, "duplicate-id", "条目编号 P1 与第 18 行重复"), (28, "duplicate-id", "条目编号 M1 与第 26 行重复")],
    "unknown-links": [
        (24, "link-unknown", "M1 链接的问题「P9」在本报告中不存在"),
        (26, "link-unknown", "M2 链接的报告「2021/nowhere」不在档案中"),
        (28, "link-unknown", "无法识别的链接目标「Q7」"),
    ],
    "self-link": [
        (24, "link-self", "「2023/self-link#P1」是本报告自己，已按本报告的 P1 处理"),
        (26, "link-self", "「2023/self-link#P5」是本报告自己"),
        (26, "link-unknown", "M2 链接的问题「P5」在本报告中不存在"),
    ],
    "mixed-ordinals": [
        (18, "numbering", "「(二)」与前面的「（一）」混用了全角/半角"),
        (26, "numbering", "「2.」与前面的「1．」混用了全角/半角"),
        (34, "numbering", "「(二)」与前面的「（一）」混用了全角/半角"),
    ],
    "duplicate-a": [(4, "duplicate-report", "duplicate-b.md 重复：单位「区统计局」2023 年的述职报告有 2 份")],
    "duplicate-b": [(4, "duplicate-report", "duplicate-a.md 重复：单位「区统计局」2023 年的述职报告有 2 份")],
    "html-vectors": [
        (14, "unsafe-html", "html 标记「<script>」按原文显示"),
        (16, "unsafe-html", "标记「<script>window.__pwned = \"block-script\";…」按原文显示"),
        (22, "unsafe-html", "标记「<a href=\"javascript:window.__pwned='a-hr…」按原文显示"),
    ],
    "pii": [
        (14, "pii", "（手机号）「138*****678」"),
        (16, "pii", "（身份证号）「110************02X」"),
        (18, "pii", "（QQ 号）「123***789」"),
        (18, "pii", "（电子邮箱）「z***@example.com」"),
    ],
}
#: not published (left out of the build with one located warning each)
UNREADABLE = ("binary", "gbk")
#: files the YAML-tag case would create if its tags ran
PWNED = ("SHUZHI_PWNED", "SHUZHI_PWNED_EXEC")


def huge_report() -> str:
    """A well-formed report of at least 5 MB: many sections of long paragraphs."""
    out = [HEAD.format(title="区大数据局2023年度述职报告", org="区大数据局"), "## 一、履职情况\n\n"]
    size = len(out[0].encode()) + len(out[1].encode())
    k = 0
    while size < HUGE_BYTES:
        k += 1
        piece = f"### （{k}）第{k}方面工作\n\n" if k % 40 == 1 else PARAGRAPH * 4 + f"（第{k}段）\n\n"
        out.append(piece)
        size += len(piece.encode())
    out.append("## 二、存在问题\n\n一是理论学习不够深入。\n\n原因分析：重业务轻学习。\n\n"
               "## 三、下一步打算\n\n（一）加强理论学习，提升学习实效。最后一段。\n")
    return "".join(out)


def many_problems(n: int = MANY) -> str:
    """A report with n problems and n measures, none linked: the matcher has to pair all of them.

    Markers without targets: plain ordinals stop at 199 (larger numbers are years, amounts).
    """
    out = [HEAD.format(title="区档案局2023年度述职报告", org="区档案局"), "## 一、履职情况\n\n全年推进档案工作。\n\n## 二、存在问题\n\n"]
    for i in range(1, n + 1):
        topic = TOPICS[i % len(TOPICS)]
        out.append(f"【P{i}】{topic}第{i}项工作抓得不够实，{topic}的力度有待加强。\n\n")
    out.append("原因分析：重业务轻党建。\n\n## 三、下一步打算\n\n")
    for i in range(1, n + 1):
        topic = TOPICS[i % len(TOPICS)]
        out.append(f"【M{i}】加强{topic}第{i}项工作，提升{topic}实效。\n\n")
    return "".join(out)


def generate(reports: Path) -> None:
    (reports / "huge.md").write_text(huge_report(), encoding="utf-8")
    (reports / "many-problems.md").write_text(many_problems(), encoding="utf-8")


def copy_corpus(dest: Path) -> Path:
    """tests/bad/ plus the generated cases, in a fresh folder (the corpus is never built in place)."""
    shutil.copytree(CORPUS, dest, ignore=shutil.ignore_patterns("_build", "archive"))
    generate(dest / YEAR)
    return dest
