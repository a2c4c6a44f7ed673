"""unsafe-html: raw HTML, ``{raw}`` blocks and script addresses in a report, found without a build.

Reports are pasted from web pages, and a pasted ``<div style=…>``, ``<script>`` or
``<a href="javascript:…">`` is published as literal text by the build (see
:mod:`shuzhi.site.safety`, which neutralises it). This rule finds the same
markup where the build finds it — in the model's blocks, read by MyST's own
Markdown parser configured as the build configures it — so that ``shuzhi lint``
names it too, at its line, with the build's message. The inline pass runs only on
blocks holding a ``<``, a ``{raw}`` or a scheme such as ``javascript:``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Block
from ..model.findings import Code, Note
from .context import ReportContext

#: addresses that run code or smuggle a document in; browsers ignore case, blanks and control characters
_UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript):", re.IGNORECASE)
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);", re.IGNORECASE)
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
#: what a report must contain for the parser to be worth running
_SUSPECT = re.compile(r"<|\{raw\}|(?:javascript|vbscript|data|livescript)\s*:", re.IGNORECASE)
_SPACE = re.compile(r"\s")
#: the longest scheme of _SUSPECT
_SCHEME_MAX = len("javascript")


def suspect(text: str) -> bool:
    """Whether ``_SUSPECT`` matches somewhere in ``text``, tried only where a match can start.

    A case-insensitive search runs the pattern at every position (a quarter of a
    millisecond for a report); a match is a ``<``, or starts at a ``{``, or is a scheme
    ending just before the blanks that precede a ``:``, so those few places are tried.
    """
    if "<" in text:
        return True
    brace = text.find("{")
    while brace >= 0:
        if _SUSPECT.match(text, brace):
            return True
        brace = text.find("{", brace + 1)
    colon = text.find(":")
    while colon >= 0:
        end = colon  # where the scheme ends: before the blanks in front of the colon
        while end > 0 and _SPACE.match(text, end - 1):
            end -= 1
        if any(_SUSPECT.match(text, start) for start in range(max(0, end - _SCHEME_MAX), end)):
            return True
        colon = text.find(":", colon + 1)
    return False


def unsafe_uri(uri: str, image: bool = False) -> bool:
    """Whether a link or image address would run script (or load a document) in the browser."""
    squeezed = _IGNORED.sub("", uri)
    if image and _SAFE_DATA_IMAGE.match(squeezed):
        return False
    return bool(_UNSAFE_SCHEME.match(squeezed))


def short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width] + "…"


def raw_message(fmt: str, text: str) -> str:
    return f"报告中的 {fmt or 'raw'} 标记「{short(text)}」按原文显示，不会在页面上生效；请改用 Markdown 写法，或删除。"


def link_message(uri: str) -> str:
    return f"链接地址「{short(uri)}」会在读者的浏览器中执行脚本，已删除地址、只保留文字；请改为 http(s) 链接。"


def image_message(uri: str) -> str:
    return f"图片地址「{short(uri)}」不安全，已删除；请改用 reports/ 下的图片文件。"


def _line_of(text: str, lines: list[str], start: int, end: int) -> int:
    """The 1-based line, between block lines start and end (1-based, inclusive), where text begins."""
    head = text.strip().splitlines()[0] if text.strip() else ""
    for number in range(start, min(end, len(lines)) + 1):
        if head and head in lines[number - 1]:
            return number
    return start


def check_markup(ctx: ReportContext) -> Iterator[Note]:
    """Raw HTML, ``{raw}`` blocks and unsafe link or image addresses, with the build's messages."""
    report = ctx.report
    if not suspect(report.text):
        return
    lines = report.lines
    for block in report.blocks:
        if block.html and block.text.strip():
            yield Note(block.line, Code.UNSAFE_HTML, raw_message("html", block.text))
        elif block.fenced and block.info.startswith("{raw}"):
            fmt = block.info[len("{raw}"):].strip()
            body = "\n".join(line for line in block.text.splitlines() if not line.startswith(":"))
            if body.strip():
                yield Note(block.line, Code.UNSAFE_HTML, raw_message(fmt, body))
        elif block.inline and _suspect(block):
            yield from _inline_notes(block, lines)


def _inline_notes(block: Block, lines: list[str]) -> Iterator[Note]:
    for child in block.children():
        if child.type == "html_inline" and child.content.strip():
            yield Note(_line_of(child.content, lines, block.line, block.end_line), Code.UNSAFE_HTML,
                       raw_message("html", child.content))
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            if href and unsafe_uri(href):
                yield Note(_line_of(href, lines, block.line, block.end_line), Code.UNSAFE_HTML, link_message(href))
        elif child.type == "image":
            src = str(child.attrGet("src") or "")
            if src and unsafe_uri(src, image=True):
                yield Note(_line_of(src, lines, block.line, block.end_line), Code.UNSAFE_HTML, image_message(src))


def _suspect(block: Block) -> bool:
    """Whether the block's inline pass can find anything: markup, a scheme, or a reference link."""
    text = "\n".join(token.content for token in block.inline)
    references = block.source is not None and block.source.env.get("references")
    return bool(suspect(text) or (references and "]" in text))
