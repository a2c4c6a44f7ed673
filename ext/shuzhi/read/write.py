"""Rendering MyST Markdown, the slug and a safe output path.

The text must render as written: Markdown-active characters are escaped
(``**区`` must not turn bold), never dropped, and nothing is added but markup.
The output path is built only from the slug (``[a-z0-9-]``) and the year's
digits, and checked to stay inside the output folder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from ..slug import slugify
from .infer import Metadata
from .structure import Document

KIND_CODES = {"述职报告": "shuzhi", "述责述廉报告": "shuzelian", "工作总结": "zongjie"}
SLUG_MAX = 40
UNDATED = "undated"

_INLINE = re.compile(r"([\\`*_\[\]<~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]{1,32};)")
_LINE_START = re.compile(r"^([#>+\-=|%:])")
_LIST_NUMBER = re.compile(r"^([0-9]{1,9})([.)])(?=\s|$)")
_LABEL = re.compile(r"^\((?=.*\)=\s*$)")
_MARKER_LIKE = re.compile(r"^【[PMRpmr]")
_ADMIN_PREFIX = re.compile(r"^(?:[XxＸｘ*＊某]*[省市区县旗镇乡]|[XxＸｘ*＊]+)(?=..)")
_TITLE_NOISE = re.compile(
    r"((?:19|20)[0-9]{2}\s*年度?|述责述廉|述职述廉|述职报告|工作总结|述职|报告|总结|关于|及|和|的)"
)


def escape_line(line: str) -> str:
    """One line of paragraph text, escaped so that it renders as written."""
    out = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", line))
    m = _LIST_NUMBER.match(out)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{out[m.end():]}"
    out = _LABEL.sub(r"\\(", out)
    return _LINE_START.sub(r"\\\1", out)


def escape_paragraph(text: str) -> str:
    escaped = "\n".join(escape_line(line.strip()) for line in text.split("\n"))
    if _MARKER_LIKE.match(escaped):
        # text that looks like an item marker 【P1】 must not be read as one
        escaped = "\u200b" + escaped
    return escaped


def escape_heading(text: str) -> str:
    out = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    if out.endswith("#"):
        out = out[:-1] + "\\#"  # a trailing # would close the ATX heading
    return out


def _scalar(key: str, value: object) -> str:
    if value is None or value == "":
        return f"{key}:"
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10**6)
    return dumped.rstrip("\n")


def front_matter(meta: Metadata, source: str, notes: Sequence[str]) -> list[str]:
    lines = ["---"]
    for key, guess in (
        ("title", meta.title),
        ("year", meta.year),
        ("org", meta.org),
        ("author", meta.author),
        ("kind", meta.kind),
    ):
        lines.append(_scalar(key, guess.value))
    lines.append("status: draft")
    lines.append(_scalar("source", source))
    if notes:
        dumped = yaml.safe_dump({"notes": list(notes)}, allow_unicode=True, sort_keys=False, width=10**6)
        lines.extend(dumped.rstrip("\n").split("\n"))
    lines.append("---")
    return lines


def render(
    doc: Document, meta: Metadata, source: str, notes: Sequence[str], markers: dict[int, str] | None = None
) -> tuple[str, dict[int, int]]:
    """The Markdown of a document and, per rendered paragraph line, its node index.

    ``markers`` maps node indexes to item markers (``【M2→P1】``) to put in front.
    """
    markers = markers or {}
    out = front_matter(meta, source, notes)
    out.append("")
    for line in doc.preface:
        out.append(escape_paragraph(line.text))  # text above the title: kept where it was
        out.append("")
    if doc.title:
        out.append("# " + escape_heading(doc.title))
        out.append("")
    where: dict[int, int] = {}
    written = sum(entry.count("\n") + 1 for entry in out)  # lines written so far (entries may span lines)
    for index, node in enumerate(doc.nodes):
        if node.kind == "heading":
            out.append("#" * node.level + " " + escape_heading(node.text))
        elif node.kind == "comment":
            out.append(node.text)  # a MyST comment the importer wrote (原文不完整), not source text
        else:
            where[written + 1] = index
            out.append(markers.get(index, "") + escape_paragraph(node.text))
        written += out[-1].count("\n") + 2  # the entry and the blank line after it
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n", where


def make_slug(org: str, title: str, kind: str) -> str:
    """ASCII slug: pinyin of the org (or of the title's key words) plus a kind code."""
    code = KIND_CODES.get(kind, "baogao")
    name = _ADMIN_PREFIX.sub("", org.strip()) if org.strip() else _TITLE_NOISE.sub("", title)
    base = slugify(name, sep="", limit=SLUG_MAX - len(code) - 1)
    return f"{base}-{code}" if base else code


def output_path(out_dir: Path, year: int | None, slug: str) -> Path:
    """``out_dir/<year>/<slug>.md``; refuses anything that would land outside ``out_dir``."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,60}", slug):
        raise ValueError(f"非法的文件名「{slug}」。")
    folder = str(year) if isinstance(year, int) and 1000 <= year <= 9999 else UNDATED
    path = out_dir / folder / f"{slug}.md"
    if not path.resolve().is_relative_to(out_dir.resolve()):
        raise ValueError("输出路径超出了输出目录，已拒绝写入。")
    return path
