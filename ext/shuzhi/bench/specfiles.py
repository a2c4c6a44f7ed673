"""Office files built from a readable spec, for the evaluation corpus (tests/corpus/formats/).

A spec is YAML front matter (``format``: docx | pdf | html | doc, and the page
furniture) then the report, one block a line:

``= text`` a title line (two lines: a title over two lines) · ``# text`` level 1
(一、) · ``## text`` level 2 (（一）) · ``### text`` level 3 (1.) · ``*! text``
an item that (re)starts a （一） item list · ``* text`` the next item of that
list · ``| a | b |`` a table row · ``> text`` a right-aligned line (落款, date)
· any other line a body paragraph. Inline: ``{+text+}`` a tracked insertion,
``{-text-}`` a tracked deletion, ``[^text]`` a footnote.

In a .docx every ordinal comes from Word's list numbering (never typed); a PDF
or a web page shows it typed. :func:`build` writes the file into a cache folder
keyed by the spec's and this module's text, so a corpus run builds each file once.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import officefiles
from .officefiles import _tex

FORMATS = ("docx", "pdf", "html", "doc")
_INLINE = re.compile(r"(\{\+.*?\+\}|\{-.*?-\}|\[\^.*?\])")
_MARKS = (("*!", "restart"), ("###", "h3"), ("##", "h2"), ("#", "h1"), ("*", "item"), ("=", "title"), (">", "right"))


class SpecError(ValueError):
    """A spec that cannot be built (bad front matter, unknown format, missing tool)."""


@dataclass(frozen=True)
class Line:
    kind: str  # title | h1 | h2 | h3 | item | restart | right | row | p
    text: str


@dataclass
class Spec:
    name: str
    format: str
    options: dict[str, Any]
    lines: list[Line] = field(default_factory=list)

    @property
    def title(self) -> list[str]:
        return [ln.text for ln in self.lines if ln.kind == "title"]


def parse(path: Path) -> Spec:
    text = path.read_text(encoding="utf-8")
    where = path.as_posix()
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        raise SpecError(f"{where}：第 1 行应以 --- 开始 YAML 头（format: docx|pdf|html|doc），再以 --- 结束。")
    head, body = text[4:].split("\n---\n", 1)
    try:
        options = yaml.safe_load(head) or {}
    except yaml.YAMLError:
        raise SpecError(f"{where}：YAML 头写法有误。") from None
    if not isinstance(options, dict) or options.get("format") not in FORMATS:
        raise SpecError(f"{where}：YAML 头的 format 应为 {'、'.join(FORMATS)} 之一。")
    spec = Spec(path.name.split(".")[0], str(options["format"]), options)
    for raw in body.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("|"):
            spec.lines.append(Line("row", line))
            continue
        for mark, kind in _MARKS:
            if line.startswith(mark + " "):
                spec.lines.append(Line(kind, line[len(mark) + 1 :].strip()))
                break
        else:
            spec.lines.append(Line("p", line))
    return spec


def plain(text: str, *, notes: bool = True) -> str:
    """The text as shown once accepted: insertions kept, deletions gone, footnote marks out."""
    text = re.sub(r"\{-.*?-\}", "", text)
    text = re.sub(r"\{\+(.*?)\+\}", r"\1", text)
    return re.sub(r"\[\^(.*?)\]", r"\1" if notes else "", text)


def cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def typed_ordinals(lines: list[Line]) -> list[str]:
    """The ordinal each line shows when it is typed (PDF, web page): GB/T 9704 levels."""
    # a paragraph deleted as a tracked change shows no number
    kinds = (line.kind if plain(line.text).strip() else "" for line in lines)
    return officefiles.gbt_ordinals(kinds, h1_restarts_items=False)


# -- cache ------------------------------------------------------------------------------


def cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "shuzhi-corpus"


def build(spec_path: Path, folder: Path | None = None) -> Path:
    """The file the spec describes, built once per spec text (and generator version) into ``folder``."""
    spec = parse(spec_path)
    digest = hashlib.sha256(spec_path.read_bytes())
    for module in (__file__, officefiles.__file__, Path(__file__).with_name("specdocx.py")):
        digest.update(Path(module).read_bytes())
    folder = folder or cache_dir()
    target = folder / digest.hexdigest()[:16] / f"{spec.name}.{spec.format}"
    if target.is_file() and target.stat().st_size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shuzhi-spec-", dir=target.parent) as tmp:
        made = _make(spec, Path(tmp))
        made.replace(target)  # atomic: a concurrent run sees the whole file or none
    return target


def _make(spec: Spec, tmp: Path) -> Path:
    if spec.format == "html":
        out = tmp / f"{spec.name}.html"
        out.write_bytes(page(spec).encode(str(spec.options.get("encoding", "utf-8"))))
        return out
    if spec.format == "pdf" and spec.options.get("via") != "office":
        return write_tex_pdf(spec, tmp / f"{spec.name}.pdf")
    from .specdocx import write_docx

    docx = write_docx(spec, tmp / f"{spec.name}.docx")
    if spec.format == "docx":
        return docx
    try:
        return officefiles.convert_with_office(docx, spec.format, tmp)
    except (RuntimeError, subprocess.SubprocessError) as exc:
        raise SpecError(f"{spec.name}：LibreOffice 无法生成 .{spec.format}（{exc}）。") from None


# -- PDF (XeLaTeX) ------------------------------------------------------------------------

_TEX_PREAMBLE = r"""\documentclass[UTF8]{ctexart}
\usepackage[a4paper,top=3.7cm,bottom=3.5cm,left=2.8cm,right=2.6cm,headsep=1cm,footskip=1.2cm]{geometry}
\usepackage{fancyhdr}
\pagestyle{fancy}\fancyhf{}
\fancyhead[C]{\zihao{5}%(header)s}
\fancyfoot[C]{\zihao{4}%(footer)s}
\renewcommand{\headrulewidth}{0pt}
\setlength{\parindent}{2em}
\begin{document}
\zihao{3}\linespread{1.25}\selectfont
"""


def latex(spec: Spec) -> str:
    footer = str(spec.options.get("footer", "— {page} —")).replace("{page}", r"\thepage{}")
    out = [_TEX_PREAMBLE.replace("%(header)s", _tex(str(spec.options.get("header", "")))).replace("%(footer)s", footer)]
    title = spec.title
    if title:
        out.append(r"\thispagestyle{fancy}{\centering\zihao{2}\heiti " + r"\\".join(map(_tex, title)) + r"\par}\vspace{1em}")
    for line, ordinal in zip(spec.lines, typed_ordinals(spec.lines), strict=True):
        text = _tex(ordinal + plain(line.text, notes=False))
        note = "".join(r"\footnote{" + _tex(n) + "}" for n in re.findall(r"\[\^(.*?)\]", line.text))
        if line.kind in ("h1", "h2", "right"):
            out.append(officefiles.tex_paragraph(line.kind, text))
        elif line.kind == "row":
            out.append(r"\noindent " + _tex("　".join(cells(line.text))) + r"\par")
        elif line.kind != "title" and text:
            out.append(officefiles.tex_paragraph("p", text + note))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def write_tex_pdf(spec: Spec, path: Path) -> Path:
    xelatex = shutil.which("xelatex")
    if xelatex is None:
        raise SpecError(f"{spec.name}：生成 PDF 需要 xelatex（texlive-xetex 与 texlive-lang-chinese）。")
    with tempfile.TemporaryDirectory(prefix="shuzhi-tex-") as tmp:
        (Path(tmp) / "r.tex").write_text(latex(spec), encoding="utf-8")
        done = subprocess.run(
            [xelatex, "-interaction=nonstopmode", "-halt-on-error", "r.tex"],
            cwd=tmp, capture_output=True, text=True, timeout=300, check=False,
        )
        if done.returncode != 0:
            raise SpecError(f"{spec.name}：xelatex 失败：" + done.stdout[-1500:])
        shutil.copyfile(Path(tmp) / "r.pdf", path)
    return path


# -- a saved web page -----------------------------------------------------------------------


def _list(options: dict[str, Any], key: str) -> list[str]:
    return [str(v) for v in options.get(key) or []]


def page(spec: Spec) -> str:
    """The report inside a 范文 site's page: navigation, breadcrumb, meta line, related links, comments."""
    o = spec.options
    e = html.escape
    title = "".join(spec.title)
    body = []
    for line, ordinal in zip(spec.lines, typed_ordinals(spec.lines), strict=True):
        if line.kind == "title" or not plain(line.text).strip():
            continue
        text = e(ordinal + plain(line.text))
        if line.kind in ("h1", "h2", "h3"):
            body.append(f"<p><strong>{text}</strong></p>")
        elif line.kind == "right":
            body.append(f'<p style="text-align:right">{text}</p>')
        else:
            body.append(f"<p>{text}</p>")
    inside_top = "".join(f'<div class="info">{e(x)}</div>' for x in _list(o, "meta"))
    lead = "".join(f"<p>{e(x)}</p>" for x in _list(o, "lead"))  # inside the article's text, as sites put it
    inside_end = "".join(f"<p>{e(x)}</p>" for x in _list(o, "tail"))
    nav = "".join(f'<li><a href="/{k}/">{e(x)}</a></li>' for k, x in enumerate(_list(o, "nav")))
    related = "".join(f'<li><a href="/r/{k}.html">{e(x)}</a></li>' for k, x in enumerate(_list(o, "related")))
    comments = "".join(f'<div class="comment-item"><p>{e(x)}</p></div>' for x in _list(o, "comments"))
    charset = e(str(o.get("encoding", "utf-8")))
    site = e(str(o.get("site", "")))
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>{e(title)}_{site}</title>'
        '<script>var _hmt = _hmt || [];</script></head>\n<body>\n'
        f'<div class="top-nav"><ul>{nav}</ul></div>\n'
        f'<div class="breadcrumb">{e(str(o.get("crumb", "")))}</div>\n'
        f'<div class="main"><div class="article"><h1>{e(title)}</h1>{inside_top}\n'
        f'<div class="content">{lead}\n' + "\n".join(body) + f"\n{inside_end}</div></div>\n"
        f'<div class="related"><h3>相关推荐</h3><ul>{related}</ul></div>\n'
        f'<div class="comments"><h3>网友评论</h3>{comments}</div></div>\n'
        f'<div class="footer">{e(str(o.get("copyright", "")))}</div>\n</body></html>\n'
    )
