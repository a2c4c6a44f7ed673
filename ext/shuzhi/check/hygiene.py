"""Report hygiene: unfilled template values, advert/watermark leftovers, personal data.

All three read the report line by line, outside its fenced blocks as the model
found them (front matter included: a title can hold XX too), on the text a reader
sees (Markdown escapes removed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import plain
from ..model.findings import Code, Note
from ..read.literals import may_match
from .context import ReportContext
from .rule_settings import Settings

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{1,2}")
_ESCAPED_STARS = re.compile(r"(?:\\\*){2,}")
_STARS = re.compile(r"(?<![\\*])\*{2,}(?!\*)")
_WORD_HEAD = re.compile(r"[\u4e00-\u9fff%％]?")
#: what a line must hold for a PII pattern to match (each needs a run of 3+ digits, or an @);
#: written to start with a character class, so a search skips ahead (an alternation here is 7x slower)
_PII_DIGITS = re.compile(r"[0-9][0-9]{2}")

_MOBILE_NUMBER = r"1[3-9][0-9](?:[-\s]?[0-9]{4}){2}"
_ID_NUMBER = r"[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
_MOBILE = re.compile(rf"(?<![0-9A-Za-z])(?:(?:\+|＋)?86[-\s]?)?({_MOBILE_NUMBER})(?![0-9])")
_ID_CARD = re.compile(rf"(?<![0-9A-Za-z])({_ID_NUMBER})(?![0-9A-Za-z])")
#: the numbers alone: every match of _MOBILE / _ID_CARD holds one, and without the lookbehind in
#: front a search skips ahead instead of trying every position, so these are tried first
_MOBILE_HINT = re.compile(_MOBILE_NUMBER)
_ID_HINT = re.compile(_ID_NUMBER)
_QQ = re.compile(r"(?:QQ|qq|Qq|ＱＱ|扣扣)(?:号码?|群号?)?\s*[：:]?\s*([1-9][0-9]{4,10})(?![0-9])")
_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
PII_LABELS = {"mobile": "手机号", "id_card": "身份证号", "qq": "QQ 号", "email": "电子邮箱"}


def _snippet(text: str, start: int, end: int) -> str:
    """The match with the unit after it (x次, XX大, X%), as the editor will search for it."""
    right = _WORD_HEAD.match(text, end)
    return text[start:end] + (right.group(0) if right else "")


# -- placeholder ----------------------------------------------------------------------


def placeholder_tokens(line: str, settings: Settings) -> list[str]:
    """The unfilled template values in one raw Markdown line, as a reader would see them."""
    if not settings.placeholders and "*" not in line:
        return []  # settings narrowed to a report without template values (ReportContext.line_settings)
    found: list[tuple[int, str]] = [] if "*" not in line else _star_tokens(line)
    text = plain(line)
    excluded: list[tuple[int, int]] | None = None  # computed for the first candidate only
    for spec in settings.placeholders:
        if not may_match(spec.pattern, text):
            continue
        for m in spec.pattern.finditer(text):
            if excluded is None:
                excluded = [(x.start(), x.end()) for p in settings.exceptions for x in p.finditer(text)]
            if any(s <= m.start() < e for s, e in excluded):
                continue
            if spec.context is not None:
                before = text[m.start() - 1 : m.start()] if m.start() else ""
                next_char = text[m.end() : m.end() + 1]
                if not (spec.context.fullmatch(before or "\n") or spec.context.fullmatch(next_char or "\n")):
                    continue
            found.append((len(line) + m.start(), _snippet(text, m.start(), m.end())))
    tokens: list[str] = []
    for _pos, token in sorted(found):
        if token not in tokens:
            tokens.append(token)
    return tokens


def _star_tokens(line: str) -> list[tuple[int, str]]:
    """**区, \\*\\*人次: star placeholders, with their offsets in the line."""
    found: list[tuple[int, str]] = []
    # \*\*区: the importer escapes literal asterisks, so escaped ones are template stars
    for m in _ESCAPED_STARS.finditer(line):
        stars = "*" * (len(m.group(0)) // 2)
        after = _CJK_RUN.match(line, m.end())
        found.append((m.start(), stars + (after.group(0) if after else "")))
    # unescaped ** are bold markup when paired; an odd one out is a template value
    bare_line = _ESCAPED_STARS.sub("", line)
    bare = list(_STARS.finditer(bare_line))
    if len(bare) % 2 == 1:
        for m in bare:
            after = _CJK_RUN.match(bare_line, m.end())
            if after:
                found.append((m.start(), m.group(0) + after.group(0)))
    return found


def check_placeholder(ctx: ReportContext) -> Iterator[Note]:
    report, settings = ctx.report, ctx.line_settings
    for number, raw in report.text_lines:
        tokens = placeholder_tokens(raw, settings)
        if tokens:
            shown = "、".join(f"「{t}」" for t in tokens[:5])
            if len(tokens) > 5:
                shown += f"等 {len(tokens)} 种"
            yield Note(number, Code.PLACEHOLDER, f"未填写的模板占位符{shown}，请填入实际数字或名称。")


# -- watermark ------------------------------------------------------------------------


def check_watermark(ctx: ReportContext) -> Iterator[Note]:
    report, settings = ctx.report, ctx.line_settings
    patterns = settings.adverts
    body = report.front.length
    lines = [(n, raw) for n, raw in report.text_lines if n > body]
    names = patterns.distributors("\n".join(plain(raw) for _n, raw in lines))
    if not (patterns.line or patterns.inline or names):
        return  # nothing left to find in this report (ReportContext.line_settings)
    for number, raw in lines:
        text = plain(raw)
        hit = patterns.line_match(text) or (patterns.line_match(raw) if raw != text else None)
        if hit is not None:
            yield Note(number, Code.WATERMARK, f"疑似广告或水印「{_short(text.strip())}」，请删除这一行。")
            continue
        inline = patterns.inline_matches(text)
        if inline:
            yield Note(number, Code.WATERMARK, f"段落中夹有广告或水印「{_short(inline[0].group(0))}」，请删除这一片段。")
            continue
        name = next((n for n in sorted(names) if n and n in text), None)
        if name is not None:
            yield Note(number, Code.WATERMARK, f"含有资料分销者「{name}」的署名，疑似水印，请删除。")


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[:width] + "…"


# -- pii --------------------------------------------------------------------------------


def id_checksum_ok(number: str) -> bool:
    """Whether an 18-character ID card number has a valid GB 11643 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def mask(value: str) -> str:
    """138****5678: enough to find it in the file, without repeating it in the output."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = value.replace(" ", "").replace("-", "")
    keep = 3 if len(digits) > 8 else 2
    return digits[:keep] + "*" * max(1, len(digits) - 2 * keep) + digits[-keep:]


def pii_matches(text: str, settings: Settings) -> list[tuple[str, str]]:
    """(kind, value) of personal data in one line of text."""
    found: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, m: re.Match[str]) -> None:
        value = m.group(1)
        if any(p.fullmatch(value) for p in settings.pii_allow):
            return
        if any(s < m.end(1) and m.start(1) < e for s, e in taken):
            return
        taken.append((m.start(1), m.end(1)))
        found.append((kind, value))

    if "id_card" in settings.pii and _ID_HINT.search(text):
        for m in _ID_CARD.finditer(text):
            if id_checksum_ok(m.group(1)):
                add("id_card", m)
    if "mobile" in settings.pii and _MOBILE_HINT.search(text):
        for m in _MOBILE.finditer(text):
            add("mobile", m)
    if "qq" in settings.pii:
        for m in _QQ.finditer(text):
            add("qq", m)
    if "email" in settings.pii and "@" in text:
        for m in _EMAIL.finditer(text):
            add("email", m)
    return found


def check_pii(ctx: ReportContext) -> Iterator[Note]:
    report, settings = ctx.report, ctx.settings
    if not settings.pii:
        return
    for number, raw in report.text_lines:
        if "@" not in raw and not _PII_DIGITS.search(raw):
            continue
        for kind, value in pii_matches(plain(raw), settings):
            yield Note(
                number,
                Code.PII,
                f"疑似个人信息（{PII_LABELS[kind]}）「{mask(value)}」，公开发布前请删除或打码；公开的办公联系方式可在 shuzhi.yaml 的 pii.allow 中列出。",
            )
