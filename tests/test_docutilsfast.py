"""docutils' ``Node.document`` as a loop gives the same value and the same pages."""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinxbuild import build

from shuzhi.site import docutilsfast

ROOTS = Path(__file__).parent / "roots"


def _ours(log: str) -> str:
    """shuzhi's warnings (Sphinx warns of re-registered nodes only in the first app of a process)."""
    return "\n".join(line for line in log.splitlines() if "[shuzhi." in line)


def _pages(out: Path) -> dict[str, bytes]:
    html = out / "html"
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()}


def test_the_same_document_as_docutils_gives() -> None:
    docutilsfast.patch()
    doc = nodes.document(None, None)  # type: ignore[arg-type]
    section, para, text, loose = nodes.section(), nodes.paragraph(), nodes.Text("字"), nodes.paragraph()
    doc += section
    section += para
    para += text
    inner = nodes.emphasis()
    inner.document = doc  # set by hand on a node not in the tree: it wins over its parent's
    loose += inner
    cases = [doc, section, para, text, loose, inner, nodes.paragraph(), nodes.Text("x")]
    fast = [n.document for n in cases]
    with docutilsfast.unpatched():
        assert type(nodes.Node.__dict__["document"].fget).__name__ == "function"
        plain = [n.document for n in cases]
    assert fast == plain
    assert [d is doc for d in fast] == [True, True, True, True, False, True, False, False]


def test_the_same_pages_with_and_without_the_speed_up(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive", src)
    fast = build(src, tmp_path / "fast")
    assert docutilsfast._ORIGINAL, "docutils' Node no longer has the property replaced"
    with docutilsfast.unpatched():
        plain = build(src, tmp_path / "plain")
    assert _ours(plain.warning.getvalue()), "the test root gives warnings to compare"
    assert _ours(fast.warning.getvalue()).replace("fast", "plain") == _ours(plain.warning.getvalue())
    fast_pages, plain_pages = _pages(tmp_path / "fast"), _pages(tmp_path / "plain")
    assert fast_pages.keys() == plain_pages.keys()
    assert [p for p in fast_pages if fast_pages[p] != plain_pages[p]] == []
