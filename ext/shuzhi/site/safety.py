"""Publishing safety: nothing in a report runs in a reader's browser or leaks the build machine's files.

A report is edited by many hands, often pasted from web pages, and published on
the web. Unless the archive says it trusts its editors (``shuzhi_trusted_html =
True``), report documents are published as text:

* raw markup (MyST's ``html_block``/``html_inline``, ``{raw}``, ``.. raw::`` in
  ``{eval-rst}``, any format) is shown as escaped literal text, so the editor
  sees what was pasted and the reader's browser runs none of it;
* links and images with ``javascript:``, ``vbscript:`` or ``data:`` addresses
  (``data:image/…`` images excepted) lose their address and keep their text;
* images and downloads must come from the reports folder: a path to
  ``/etc/passwd`` or ``../../.git/config`` is not copied into the site;
* file insertion (``{include}``, ``{literalinclude}``, ``{raw}``/``{csv-table}``
  with ``:file:``/``:url:``) is disabled while a report is read.

Each neutralised element is one located warning ``shuzhi.unsafe-html`` or
``shuzhi.unsafe-file``. A report file that is not UTF-8 text (binary, GBK) is
left out of the build before reading, with one located ``shuzhi.unreadable``
warning, instead of being published as mojibake.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config as SphinxConfig
from sphinx.util import logging

from ..check.lint import read_report
from ..check.markup import image_message, link_message, raw_message, short, unsafe_uri
from ..check.registry import severity
from ..model.findings import Finding
from .archive_pages import SCAN_CACHE, report_files, scanned_stamps
from .domain import archive_config, emit, get_domain, is_report
from .settings import settings
from .state import build_state

logger = logging.getLogger(__name__)

_EXTERNAL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


class SanitiseReport:
    """Report documents: raw markup → literal text, unsafe addresses and outside files dropped.

    Run at ``doctree-read`` ahead of Sphinx's collectors (priority 500), which copy images and
    downloads: docutils has resolved named hyperlink targets by then. An event handler rather
    than a transform: it is handed the application (``SphinxTransform.app`` and ``env.app`` are
    deprecated since Sphinx 9).
    """

    def __init__(self, app: Sphinx, document: nodes.document) -> None:
        self.app, self.env, self.document = app, app.env, document

    def apply(self) -> None:
        app = self.app
        docname = self.env.docname
        if settings(app).trusted_html or not is_report(app, docname):
            return
        for raw in list(self.document.findall(nodes.raw)):
            self._raw(raw)
        for ref in list(self.document.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            if uri and unsafe_uri(uri):
                self._warn(ref, "unsafe-html", link_message(uri))
                ref.replace_self(nodes.inline("", "", *ref.children, classes=["sz-unsafe"]))
        for image in list(self.document.findall(nodes.image)):
            self._image(image)
        for download in list(self.document.findall(addnodes.download_reference)):
            target = download.get("reftarget", "")
            if target and not _EXTERNAL.match(target) and not self._inside_reports(target):
                self._warn(download, "unsafe-file", f"链接的文件「{short(target)}」不在报告目录中，未发布；附件请放在 reports/ 下。")
                download.replace_self(nodes.inline("", "", *download.children, classes=["sz-unsafe"]))

    def _raw(self, raw: nodes.raw) -> None:
        text = raw.astext()
        fmt = raw.get("format", "")
        if text.strip():
            self._warn(raw, "unsafe-html", raw_message(fmt, text))
        if isinstance(raw.parent, nodes.TextElement):
            replacement: nodes.Element = nodes.literal(text, text, classes=["sz-raw"])
        else:
            replacement = nodes.literal_block(text, text, classes=["sz-raw"])
            replacement["language"] = "html" if "html" in fmt.split() else "text"
        replacement.source, replacement.line = raw.source, raw.line
        raw.replace_self(replacement)

    def _image(self, image: nodes.image) -> None:
        uri = image.get("uri", "")
        if unsafe_uri(uri, image=True):
            problem = image_message(uri)
        elif uri and not _EXTERNAL.match(uri) and not self._inside_reports(uri):
            problem = f"图片「{short(uri)}」不在报告目录中，未发布；图片请放在 reports/ 下。"
        else:
            return
        self._warn(image, "unsafe-file" if "不在报告目录" in problem else "unsafe-html", problem)
        alt = image.get("alt", "") or uri
        holder: nodes.Element = nodes.inline if isinstance(image.parent, nodes.TextElement) else nodes.paragraph
        image.replace_self(holder("", alt, classes=["sz-unsafe"]))

    def _inside_reports(self, target: str) -> bool:
        folder = (Path(self.env.srcdir) / settings(self.app).reports_dir).resolve()
        _rel, full = self.env.relfn2path(target.split("?", 1)[0].split("#", 1)[0], self.env.docname)
        return Path(full).resolve().is_relative_to(folder)

    def _warn(self, node: nodes.Node, code: str, message: str) -> None:
        """One finding of the report, unless the unsafe-html rule already found the same markup while
        checking the source (it finds what Markdown makes raw; this transform also sees reST and {eval-rst})."""
        docname = self.env.docname
        domain = get_domain(self.env)
        record = domain.records.get(docname)
        known: tuple[Finding, ...] = record.findings if record is not None else ()
        if any(f.code == code and f.message == message for f in known):
            return
        summary = record.summary if record is not None else None
        level = severity(code, summary.status if summary else "draft", archive_config(self.app))
        if level == "off":
            return
        line = getattr(node, "line", None) or _line_of(node) or 1
        finding = Finding(summary.path if summary else docname, line, code, level, message)
        domain.add_finding(docname, finding)
        emit(self.app, docname, [finding])


def _sanitise(app: Sphinx, doctree: nodes.document) -> None:
    SanitiseReport(app, doctree).apply()


def _line_of(node: nodes.Node) -> int | None:
    """The nearest line docutils recorded (inline nodes often have none)."""
    current: nodes.Node | None = node
    while current is not None:
        if getattr(current, "line", None):
            return current.line
        current = current.parent
    return None


# -- while a report is read: no file insertion -------------------------------------------


def _report_parser(app: Sphinx) -> type:
    """MyST's parser, disabling {include}, {literalinclude} and :file:/:url: options for reports.

    docutils reads these flags from the document's settings when a directive runs. The parser
    is handed each document (and its settings) just before parsing it, on every Sphinx version:
    set the flag per document, and put back what the project configured for any other page
    (Sphinx 8 shares one settings object between the documents of a file type).
    """
    from myst_parser.parsers.sphinx_ import MystParser

    class ReportParser(MystParser):
        def parse(self, inputstring: str, document: nodes.document) -> None:
            values = document.settings
            allowed = settings(app).trusted_html or not is_report(app, values.env.docname)
            configured = values.__dict__.setdefault("shuzhi_file_insertion", getattr(values, "file_insertion_enabled", True))
            values.file_insertion_enabled = bool(configured) and allowed
            super().parse(inputstring, document)

    return ReportParser


# -- before reading: files that are not text --------------------------------------------------


class Unreadable(NamedTuple):
    """A report file left out of the build."""

    path: str  # relative to the source folder
    line: int
    severity: str
    message: str


def unreadable_files(app: Sphinx) -> list[Unreadable]:
    """The report files this build left out because they are not UTF-8 text."""
    return list(build_state(app).unreadable)


def _exclude_unreadable(app: Sphinx, config: SphinxConfig) -> None:
    """Leave binary and non-UTF-8 report files out of the build, with one located warning each.

    Read as UTF-8 by Sphinx they would be published as mojibake with one English
    warning per undecodable byte. Done at ``config-inited`` so that the pickled
    environment sees the same ``exclude_patterns`` on the next build.
    """
    folder = settings(app).reports_dir
    root = Path(app.srcdir)
    if not folder or not (root / folder).is_dir():
        return
    level = severity("unreadable", "final", archive_config(app))
    excluded: list[str] = []
    unreadable: list[Unreadable] = []
    # a file unchanged since the last build's scan was text then: not read again (5,000 files: 0.3 s)
    known = scanned_stamps(Path(app.doctreedir) / SCAN_CACHE)
    files = build_state(app).report_files = report_files(root, folder)
    for rel, st in files:
        if not stat.S_ISREG(st.st_mode) or known.get(rel.removesuffix(".md")) == (st.st_mtime_ns, st.st_size):
            continue
        path = root / rel
        _text, problem = read_report(path)
        if problem is None:
            continue
        excluded.append(rel)
        if level != "off":
            unreadable.append(Unreadable(rel, problem[0], level, f"{problem[1]}该文件未发布。"))
            prefix = "错误：" if level == "error" else ""
            logger.warning(f"{prefix}{problem[1]}该文件未发布。", type="shuzhi", subtype="unreadable",
                           location=f"{path}:{problem[0]}")
    build_state(app).unreadable = tuple(unreadable)  # listed on the 质量检查 page
    if excluded:
        config.exclude_patterns = [*config.exclude_patterns, *excluded]


def setup_safety(app: Sphinx) -> None:
    app.connect("doctree-read", _sanitise, priority=100)
    app.add_source_parser(_report_parser(app), override=True)
    app.connect("config-inited", _exclude_unreadable, priority=600)
