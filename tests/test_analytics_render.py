"""Charts (SVG with glyphs as paths and a text alternative), page fragments, the export."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_analytics import archive, reports

from shuzhi.analytics import charts, pages
from shuzhi.model import parse_report, summarise
from shuzhi.publish.archive_export import export_archive, export_reports, schema, validate

SVG = "{http://www.w3.org/2000/svg}"


def url_for(ref: str, item_id: str | None = None) -> str:
    return f"/r/{ref}.html" + (f"#{item_id}" if item_id else "")


def test_chart_is_valid_svg_with_paths_and_text_alternative() -> None:
    svg = charts.bar_chart(
        ["2022年", "2023年"], [("述职报告", [1, 2]), ("工作总结", [0, 1])],
        title="各年度报告数（份）", description="2022年 1 份；2023年 3 份", chart_id="t1", stacked=True,
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "t1-title t1-desc"
    assert root.find(f"{SVG}title").text == "各年度报告数（份）"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "2022年 1 份；2023年 3 份"  # type: ignore[union-attr]
    assert not list(root.iter(f"{SVG}text"))  # every glyph is a path: no font needed
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert ids and all(i.startswith("t1-") for i in ids) and len(ids) == len(set(ids))
    assert len(svg) < 60_000


def test_no_cjk_font_message_names_the_installer(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    charts.cjk_font.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    try:
        with pytest.raises(charts.NoCJKFont, match=r"\.ci/install-system-packages browser"):
            charts.cjk_font()
    finally:
        charts.cjk_font.cache_clear()


def test_cjk_font_installed_after_the_font_cache_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """The font list cached before fonts-noto-cjk was installed holds no CJK font: scan again."""
    from matplotlib import font_manager

    cjk_files = [f for f in font_manager.findSystemFonts() if "CJK" in Path(f).name]
    assert cjk_files, "fonts-noto-cjk is installed by .ci/install-system-packages"
    stale = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    try:
        assert "CJK" in charts.cjk_font()
    finally:
        charts.cjk_font.cache_clear()


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")


def _parse(html: str) -> _Collect:
    c = _Collect()
    c.feed(html)
    return c


def test_pages_render_with_links_tables_and_charts() -> None:
    rendered = {p.name: p for p in pages.render_pages(archive(), url_for)}
    assert [p.title for p in rendered.values()] == ["统计分析", "问题分类", "反复出现的问题", "关键词", "数量与占位符"]
    overview = _parse(rendered["overview"].html)
    assert overview.tags.count("svg") == 1 and "table" in overview.tags
    assert "/r/2023/jiaoyuju-zongjie.html" in overview.links  # fails 必备章节齐全
    categories = rendered["categories"].html
    # each count links to the list of the problems behind it, each linking to its report item
    assert '<a href="#sz-cat-5-2023">4</a>' in categories  # 宣传与品牌 · 2023
    assert "/r/2023/jiaoyuju-zongjie.html#P1" in _parse(categories).links
    assert "/r/2024/shiju-shuzhi.html#P1" in _parse(rendered["recurring"].html).links
    assert "<mark>3229万人次</mark>" in rendered["quantities"].html
    keywords = rendered["keywords"].html
    assert keywords.index("2024年") < keywords.index("2023年") < keywords.index("2022年")
    assert all("sz-analytics" in p.html for p in rendered.values())


def test_pages_without_charts() -> None:
    for page in pages.render_pages(archive(), url_for, charts=False):
        assert "<svg" not in page.html


def test_timeline_fragment() -> None:
    html = pages.org_timeline(archive(), "农业局", url_for)
    assert html.count('class="sz-analytics-year"') == 2
    assert "待核实" in html and "未提及" in html and "再次出现" in html and "待跟进" in html
    assert "/r/2023/nongyeju-shuzhi.html#R1" in _parse(html).links
    assert "尚未列出存在问题" in pages.org_timeline(archive(), "无此单位", url_for)


def test_everything_from_reports_is_escaped() -> None:
    from shuzhi.analytics import analyse, stats

    text = (
        '---\ntitle: "<script>alert(1)</script>"\nyear: 2023\norg: "A&B<i>"\nkind: 述职报告\nstatus: draft\n---\n\n'
        "## 二、存在的问题\n\n【P1】一是<b>宣传</b>不够。走访企业3家<img src=x>。\n"
    )
    r = parse_report(text, "reports/2023/evil.md")
    a = analyse([summarise(r)], [stats(r)])
    html = "".join(p.html for p in pages.render_pages(a, url_for, charts=False)) + pages.org_timeline(a, "A&B<i>", url_for)
    assert "<script>" not in html and "<b>" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html


def test_export_validates_against_schema() -> None:
    doc = export_reports(list(reports()))
    validate(doc)
    json.dumps(doc, ensure_ascii=False)
    by_ref = {r["ref"]: r for r in doc["reports"]}
    assert len(by_ref) == 6
    nong = by_ref["2022/nongyeju-shuzhi"]
    assert nong["front_matter"]["org"] == "农业局" and nong["sections"][0]["canonical"] == ["履职情况"]
    p2 = nong["problems"][1]
    assert (p2["id"], p2["category"], p2["ledger"]["status"]) == ("P2", "党风廉政建设", "no-follow-up")
    assert p2["measures"] == [{"id": "M2", "source": "explicit", "score": 1.0}]
    assert p2["ledger"]["recurs_in"][0]["ref"] == "2023/nongyeju-shuzhi"
    assert nong["measures"][0]["problems"] == ["P1"]
    assert [q["text"] for q in nong["quantities"]] == ["12次", "430家"]
    jiao = by_ref["2023/jiaoyuju-zongjie"]
    assert {f["code"] for f in jiao["findings"]} >= {"section-missing", "placeholder"}
    assert jiao["placeholders"] == [{"line": 14, "token": "20xx年"}]
    assert by_ref["2024/shiju-shuzhi"]["rectifications"][0]["targets"] == ["2023/shiju-shuzhi#P1"]
    assert {s["code"]: s["count"] for s in doc["ledger_statuses"]}["unclear"] == 2
    p1 = nong["problems"][0]["ledger"]
    assert (p1["reported"], p1["rectified_by"][0]["item_id"], p1["unit"]) == ("unclear", "R1", "农业局")
    assert p1["sentence"] == "一是深化理论学习。"
    assert len(doc["recurring"]) == 3
    assert "generated" not in doc and export_reports(list(reports()), generated="2024-01-01T00:00:00")["generated"]


def test_schema_rejects_malformed_exports() -> None:
    import jsonschema

    doc = export_archive(archive(), [], [])
    validate(doc)  # without stats the reports still validate (no sections, quantities …)
    for breaks in (
        lambda d: d["reports"][0].pop("problems"),
        lambda d: d["reports"][0]["problems"][0].update(id="X1"),
        lambda d: d["reports"][0]["problems"][0]["ledger"].update(status="done"),
        lambda d: d.update(version=1),
    ):
        bad = copy.deepcopy(doc)
        breaks(bad)
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)
    assert schema()["title"].startswith("述职档案导出")


def test_export_written_part_by_part_is_the_text_of_dumps(tmp_path: Path) -> None:
    from shuzhi.analytics.stats import stats
    from shuzhi.check import check_report
    from shuzhi.publish.archive_export import dumps, write_export

    rs = reports()
    findings = [f for r in rs for f in check_report(r)]
    a, st = archive(), [stats(r) for r in rs]
    expected = dumps(export_archive(a, st, findings)).encode("utf-8")
    target = tmp_path / "archive.json"
    target.write_text("上一次构建的文件", encoding="utf-8")
    write_export(target, a, st, findings)
    assert expected.count(b'"ref"') >= 6 and expected.endswith(b"]}\n")
    assert target.read_bytes() == expected
    assert [p.name for p in tmp_path.iterdir()] == ["archive.json"]
