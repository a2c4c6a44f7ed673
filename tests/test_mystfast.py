"""MyST with its two per-page wastes removed writes the same pages as MyST as it comes."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinxbuild import build

from shuzhi.site import mystfast

ROOTS = Path(__file__).parent / "roots"


def _pages(out: Path) -> dict[str, bytes]:
    html = out / "html"
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()}


def test_the_same_pages_with_and_without_the_speed_up(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive", src)
    # a report whose front matter has every YAML shape the archive uses (lists, dates, quoted text)
    (src / "reports" / "2023" / "yaml-shapes.md").write_text(
        "---\ntitle: \"测试单位2023年述职报告：'引号'与冒号\"\norg: 测试单位\nyear: 2023\nkind: 述职报告\n"
        "tags: [基准测试, 新增]\ndate: 2024-01-15\nauthor: |\n  张三\n  李四\n---\n\n# 测试单位2023年述职报告\n\n正文。\n",
        encoding="utf-8")
    fast = build(src, tmp_path / "fast")
    assert mystfast._ORIGINAL, "the MyST module no longer has the names replaced"
    with mystfast.unpatched():
        plain = build(src, tmp_path / "plain")
    assert "Traceback" not in fast.warning.getvalue()
    assert fast.warning.getvalue().replace("fast", "plain") == plain.warning.getvalue()
    fast_pages, plain_pages = _pages(tmp_path / "fast"), _pages(tmp_path / "plain")
    assert fast_pages.keys() == plain_pages.keys()
    assert [p for p in fast_pages if fast_pages[p] != plain_pages[p]] == []


def test_the_yaml_seen_by_myst_reads_like_pyyaml() -> None:
    from myst_parser.mdit_to_docutils import base

    text = "a: 1\nb: [x, '是']\nc: 2024-01-15\nd: null\ne: |\n  多行\n  文字\n"
    assert base.yaml.safe_load(text) == __import__("yaml").safe_load(text)
    assert base.yaml.YAMLError is __import__("yaml").YAMLError
