"""Inferring a report's metadata — title, year, org, author role, kind — with how sure we are.

Only what the text states is taken: the title first (高), then a clear statement
in the opening paragraphs (中), then a careful reading of the body (低). What is
not stated stays empty, with a note telling the user what to fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.ordinals import lead_ordinal
from ..model.schema import SectionSchema

HIGH, MEDIUM, LOW, UNSTATED = "高", "中", "低", "未写明"
KINDS = ("述职报告", "述责述廉报告", "工作总结")

_YEAR = r"((?:19|20)[0-9]{2})"
_TITLE_YEAR = re.compile(_YEAR + r"\s*年")
# 2018抓基层党建……: a year in a title without 年
_BARE_YEAR = re.compile(r"(?<![0-9])" + _YEAR + r"(?![0-9])")
#: a line that is a date alone (a signature's or a cover page's); full-width digits too, int() reads them
DATE_LINE = re.compile(r"^((?:19|20|１９|２０)[0-9０-９]{2})\s*年\s*([0-9０-９]{1,2})\s*月(?:\s*[0-9０-９]{1,2}\s*日)?$")
#: signature lines: 述职人：北湖社区党委书记陈晓雯 · 中共市中医院委员会 · 宁远县融媒体中心党支部
_SIGNED_BY = re.compile(r"^(?:述职人|报告人|汇报人)?[：:]?\s*(?P<org>.+?)(?:机关党委|党工委|党总支|党支部|党组|党委)副?书记\S{0,4}$")
_SIGNED_CPC = re.compile(r"^中共(?P<org>.+?)(?:总支部委员会|支部委员会|工作委员会|委员会|党组|总支|支部)$")
#: 2021年，城南实验小学党支部在区教育工委的领导下……: the unit opening the first sentence
_OPENING_ORG = re.compile(
    r"^(?:[0-9]{4}年度?[，,]|今年以来[，,]|一年来[，,])?(?:中共)?(?P<org>[\u4e00-\u9fff]{2,20}?)"
    r"(?:机关党委|党工委|党总支|党支部|党组|党委)(?:坚持|认真|紧紧|始终|围绕|以|在|把|按照)"
)
_SIGNED_BODY = re.compile(r"^(?P<org>.+?)(?:机关党委|党工委|党总支|党支部|党组|党委)$")
_INTRO_YEAR = re.compile(
    r"^(?:[^。]{0,12}?(?:现将|现就|回顾)\s*)?" + _YEAR + r"\s*年度?(?:以来|来|，|,|是|上半年|下半年|全年|中|里|期间|工作中|[0-9]{1,2}月)"
)
_PARTY_BODY = re.compile(r"(机关党委|党工委|党总支|党支部|党组织|党组|党委)")
_AUTHOR = re.compile(r"(?:机关)?(?:党组|党委|党工委|党总支|党支部|党组织|总支|支部)?副?书记")
_TEXT_AUTHOR = re.compile(r"(?:履行|作为|身为|担任)(?:好)?(?:我的)?((?:党组|党委|党工委|党总支|党支部|党组织|支部)副?书记)")
_ORG_SUFFIX = re.compile(
    r"(局|委|办|院|厅|部|镇|乡|街道|村|社区|公司|集团|中心|所|站|队|会|校|学校|学院|医院|处|科|馆|署|行|社|园|区|县|市|旗|省|委员会|办公室"
    r"|中学|小学|大学)$"
)
_ORG_CHARS = re.compile(r"^[\u4e00-\u9fffXxＸｘ*＊]+$")
_DOC_ORG = re.compile(r"《([^《》〈〉「」“”，。]{2,15}?)关于")
_SELF = re.compile(r"[我本]([局委办院厅部镇乡所站队校处科馆署行社])(?![们])")
_NOT_DUTY = re.compile(r"党课|讲稿|讲话|发言|调研报告|心得|体会|演讲|致辞|方案|计划|要点")
_TITLE_END = ("。", "；", ";", "，", ",", "：", ":")


@dataclass
class Guess:
    """One inferred field: the value, how sure (高/中/低/未写明) and where it came from."""

    value: str | int | None
    confidence: str
    source: str = ""  # 标题 / 正文 / 命令行

    def shown(self) -> str:
        if self.value in (None, ""):
            return f"（{UNSTATED}）"
        where = f"，{self.source}" if self.source else ""
        return f"{self.value}（{self.confidence}{where}）"


@dataclass
class Metadata:
    title: Guess
    year: Guess
    org: Guess
    author: Guess
    kind: Guess
    notes: list[str] = field(default_factory=list)
    #: what the title says the text is when it is not a duty report (党课, 讲话…), else ""
    other_kind: str = ""


def is_title_line(line: str, schema: SectionSchema) -> bool:
    """Whether the first line of a text is its title."""
    text = line.strip()
    return (
        0 < len(text) <= 80
        and not text.endswith(_TITLE_END)
        and lead_ordinal(text) is None
        and not schema.classify(text)
    )


_KIND_WORDS = re.compile(r"(报告|总结|讲稿|讲话|发言|汇报|材料|党课)[（(]?[^（）()]{0,8}[）)]?$")
#: navigation and page-title separators: 首页 > 述职报告, 范文大全 | 述职报告, 标题_某某网
_SEPARATORS = re.compile(r"[|｜>＞»›_]")
_TITLE_LOOK = re.compile(r"报告|总结|述职|述廉|讲话|讲稿|党课|发言|汇报")


def reads_like_title(line: str, schema: SectionSchema) -> bool:
    """A line that reads like a report's title: short, no final punctuation, names a kind of text."""
    return is_title_line(line, schema) and bool(_TITLE_LOOK.search(line)) and not _SEPARATORS.search(line)


def title_rows(rows: list[str], schema: SectionSchema) -> tuple[int, int]:
    """(index, number of lines) of the title among the first lines; (0, 0) when there is none.

    The cleaner has removed the chrome above it, so the title is the first line;
    a title wrapped over two lines (the unit on the first, 2022年度抓……述职报告 on
    the second; or a subtitle ——……讲稿) is joined. When something the cleaner did
    not recognise stands above it (a disclaimer, a note), the title is still found
    among the first three lines, and those lines stay above it.
    """
    for k in range(min(len(rows), 3)):
        first, nxt = rows[k], rows[k + 1] if k + 1 < len(rows) else ""
        if (
            nxt
            and is_title_line(first, schema)
            and not _KIND_WORDS.search(first)
            and reads_like_title(nxt, schema)
            and (_KIND_WORDS.search(nxt) or nxt.startswith(("—", "-")))
            and len(first) + len(nxt) <= 80
        ):
            return k, 2
        if reads_like_title(first, schema):
            return k, 1
        if lead_ordinal(first) is not None:
            break  # the body has begun
    return (0, 1) if rows and is_title_line(rows[0], schema) else (0, 0)


def infer(
    title: str,
    intro: list[str],
    body: str,
    *,
    year: int | None = None,
    org: str | None = None,
    kind: str | None = None,
) -> Metadata:
    """Infer metadata from the title, the opening paragraphs and the whole body."""
    notes: list[str] = []
    title_guess = Guess(title, HIGH, "标题") if title else Guess("", UNSTATED)
    if not title:
        notes.append("原文没有标题行，请补写 title（以及正文开头的一级标题）。")
    closing = [line.strip() for line in body.split("\n")[-5:] if line.strip()]
    year_guess = _infer_year(title, intro, closing, notes) if year is None else Guess(year, HIGH, "命令行")
    opening = intro[0] if intro else ""
    org_guess = _infer_org(title, body, (opening, closing), notes) if org is None else Guess(org, HIGH, "命令行")
    kind_guess = _infer_kind(title, body, notes) if kind is None else Guess(kind, HIGH, "命令行")
    author_guess = _infer_author(title, body, str(kind_guess.value), notes)
    other = _NOT_DUTY.search(title) if kind is None and kind_guess.confidence == LOW else None
    return Metadata(title_guess, year_guess, org_guess, author_guess, kind_guess, notes, other.group(0) if other else "")


def _infer_year(title: str, intro: list[str], closing: list[str], notes: list[str]) -> Guess:
    m = _TITLE_YEAR.search(title) or _BARE_YEAR.search(title)
    if m:
        return Guess(int(m.group(1)), HIGH, "标题")
    for paragraph in intro[:3]:
        m = _INTRO_YEAR.search(paragraph)
        if m:
            stated = paragraph[m.start(1) : m.end()]
            notes.append(f"年份 {m.group(1)} 取自正文开头「{stated}」，请核对。")
            return Guess(int(m.group(1)), MEDIUM, "正文开头")
    for line in reversed(closing):
        d = DATE_LINE.match(line)
        if d:
            # a report dated January–March is the previous year's report
            dated, month = int(d.group(1)), int(d.group(2))
            found = dated - 1 if month <= 3 else dated
            notes.append(f"年份 {found} 由文末日期「{line}」推断（年初落款的是上一年度的报告），请核对。")
            return Guess(found, LOW, "文末日期")
    notes.append("原文未写明年份，请补写 year（或导入时用 --year 指定）。")
    return Guess(None, UNSTATED)


def valid_org(name: str) -> bool:
    """A name that can stand for an organisation (X区政务局 yes; 局, **党委, 2023年 no)."""
    m = _ORG_SUFFIX.search(name)
    return bool(_ORG_CHARS.match(name) and m and m.start() > 0 and re.search(r"[\u4e00-\u9fffXxＸｘ]", name[: m.start()]))


def _strip_year(text: str) -> str:
    return re.sub(_YEAR + r"\s*年度?", "", text).strip()


def _signed_org(closing: list[str]) -> str:
    """The unit named in the signature at the end (述职人：某某党委书记张三, 中共某某委员会)."""
    for line in reversed(closing):
        org = _line_org(line)
        if org:
            return org
    return ""


def _line_org(line: str) -> str:
    """The unit a signature or byline line names alone, else ''."""
    text = re.sub(r"\s+", "", line)
    for pattern in (_SIGNED_BY, _SIGNED_CPC, _SIGNED_BODY):
        m = pattern.match(text)
        if m and valid_org(m.group("org")):
            return m.group("org")
    return ""


def is_byline(line: str) -> bool:
    """A line that only names the reporting unit or signer, or only dates the report: a cover's or a
    signature's line (中共某某局党组 · 某某党委书记 张三 · 2024年1月), never a heading."""
    return bool(DATE_LINE.match(line.strip()) or _line_org(line))


def _infer_org(title: str, body: str, ends: tuple[str, list[str]], notes: list[str]) -> Guess:
    """From the title, else the opening sentence (城南小学党支部在……), else the signature."""
    opening, closing = ends
    candidates: list[str] = []
    m = _PARTY_BODY.search(title)
    if m:
        # 守护城市记忆——市档案馆党支部书记……: the unit is the words just before the party body
        candidates.append(_strip_year(re.split(r"[—\-\s，,、：:]+", title[: m.start()])[-1]))
    y = _TITLE_YEAR.search(title)
    if y and y.start() > 0:
        candidates.append(title[: y.start()].strip())
    for candidate in candidates:
        candidate = re.sub(r"^(中共|中国共产党)|(机关)$", "", candidate)
        if valid_org(candidate):
            return Guess(candidate, HIGH, "标题")
    m = _OPENING_ORG.match(re.sub(r"\s+", "", opening))
    if m and valid_org(m.group("org")):
        notes.append(f"单位名称「{m.group('org')}」取自正文开头，请核对。")
        return Guess(m.group("org"), MEDIUM, "正文开头")
    signed = _signed_org(closing)
    if signed:
        notes.append(f"单位名称「{signed}」取自文末署名，请核对。")
        return Guess(signed, MEDIUM, "署名")
    selves = {s.group(1) for s in _SELF.finditer(body)}
    for doc in _DOC_ORG.finditer(body):
        name = doc.group(1)
        if valid_org(name) and name[-1] in selves:
            notes.append(f"单位名称「{name}」由正文推断（《{name}关于……》，文中自称“我{name[-1]}”），请核对。")
            return Guess(name, LOW, "正文")
    said = next((c for c in candidates if c), "")
    if said:
        notes.append(f"原文未写明单位全称（标题只写了「{said}」），请补写 org（或导入时用 --org 指定）。")
    else:
        notes.append("原文未写明单位名称，请补写 org（或导入时用 --org 指定）。")
    return Guess("", UNSTATED)


def _infer_kind(title: str, body: str, notes: list[str]) -> Guess:
    if "述责述廉" in title or ("述廉" in title and "述职" in title):
        return Guess("述责述廉报告", HIGH, "标题")
    if "述职" in title:
        return Guess("述职报告", HIGH, "标题")
    if "总结" in title:
        return Guess("工作总结", HIGH, "标题")
    first_person = body.count("我") > body.count("我局") + body.count("我们") + 3
    closest = "述职报告" if first_person else "工作总结"
    other = _NOT_DUTY.search(title)
    if other:
        notes.append(
            f"标题含「{other.group(0)}」，这可能不是述职报告或工作总结；暂按「{closest}」导入，请确认是否应收入档案，并核对 kind。"
        )
    else:
        notes.append(f"标题未写明报告类型，暂按「{closest}」导入，请核对 kind（或导入时用 --kind 指定）。")
    return Guess(closest, LOW, "推断")


def _infer_author(title: str, body: str, kind: str, notes: list[str]) -> Guess:
    found = [m.group(0) for m in _AUTHOR.finditer(title)]
    if found:
        return Guess(max(found, key=len), HIGH, "标题")
    m = _TEXT_AUTHOR.search(body)
    if m:
        notes.append(f"述职人职务「{m.group(1)}」取自正文，请核对。")
        return Guess(m.group(1), MEDIUM, "正文")
    if kind == "工作总结":
        notes.append("工作总结以单位名义撰写，原文未写明署名，请补写 author（如 局党组）。")
    else:
        notes.append("原文未写明述职人职务，请补写 author（如 党组书记）。")
    return Guess("", UNSTATED)
