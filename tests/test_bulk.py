"""Generated HTML written past docutils' writer gives the same pages as a raw node."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinxbuild import build

from shuzhi.site import bulk

ROOTS = Path(__file__).parent / "roots"


def _pages(out: Path) -> dict[str, bytes]:
    html = out / "html"
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in sorted(html.rglob("*.html"))}


def test_the_same_pages_as_raw_nodes_give(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive", src)
    placed = build(src, tmp_path / "placed")
    with monkeypatch.context() as m:  # the fragment written by docutils' own visit_raw
        m.setattr(bulk, "_visit_html", lambda translator, node: translator.visit_raw(node))
        raw = build(src, tmp_path / "raw")
    assert "[shuzhi.output]" not in placed.warning.getvalue()
    ours, theirs = _pages(tmp_path / "placed"), _pages(tmp_path / "raw")
    assert ours.keys() == theirs.keys()
    assert [p for p in ours if ours[p] != theirs[p]] == []
    assert [p for p, page in ours.items() if b"shuzhi-bulk" in page] == []
    ledger = ours["archive/ledger.html"].decode()
    assert ledger.count("<tr") > 3  # the rows are there, not a placeholder
    assert 'class="sz-report-line' in ours["archive/quality.html"].decode()
    assert _ours(placed.warning.getvalue()) == _ours(raw.warning.getvalue())


def _ours(log: str) -> list[str]:
    """shuzhi's warnings (Sphinx warns of re-registered nodes only in the first app of a process)."""
    return [line for line in log.splitlines() if "[shuzhi." in line]


def test_a_placeholder_another_extension_removed_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive", src)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + """

def _strip(app, pagename, templatename, context, doctree):
    if pagename == "archive/ledger":
        context["body"] = "<p>改写后的正文</p>"


def setup(app):
    app.connect("html-page-context", _strip, priority=0)
""", encoding="utf-8")
    app = build(src, tmp_path / "out")
    warnings = app.warning.getvalue()
    assert "archive/ledger" in warnings and "占位标记不在正文中" in warnings and "[shuzhi.output]" in warnings
