"""The 统计分析 pages, the organisation timeline and _static/archive.json, built by Sphinx."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from sphinxbuild import build

from shuzhi.publish.archive_export import validate

ROOTS = Path(__file__).parent / "roots"
FIXTURE = Path(__file__).parent / "fixtures" / "ledger" / "reports"


def _build(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-ledger", src)
    shutil.copytree(FIXTURE, src / "reports")
    app = build(src, tmp_path / "out")
    return Path(app.outdir)


def test_analytics_pages_and_export(tmp_path: Path) -> None:
    out = _build(tmp_path)
    overview = (out / "archive/analytics/overview.html").read_text(encoding="utf-8")
    assert "档案共收录报告 <strong>2</strong> 份" in overview or re.search(r"档案共收录报告\s*<[^>]+>2<", overview)
    assert "<svg" in overview and "<text" not in overview.split("<svg", 1)[1].split("</svg>", 1)[0]
    for name in ("categories", "recurring", "keywords", "quantities"):
        page = (out / f"archive/analytics/{name}.html").read_text(encoding="utf-8")
        assert "sz-analytics" in page
        assert 'href="overview.html"' in page  # breadcrumb up to 统计分析
    # counts link to the reports behind them
    categories = (out / "archive/analytics/categories.html").read_text(encoding="utf-8")
    assert 'href="../../reports/2023/shiju-shuzhi.html#P' in categories
    # the organisation page carries its problem timeline with ledger statuses
    org_pages = list((out / "archive/orgs").glob("*.html"))
    timeline = next(p.read_text(encoding="utf-8") for p in org_pages if "市局" in p.read_text(encoding="utf-8") and "index" not in p.name)
    # 2023 P1 answered without status words (待核实), P2 admitted again next year (再次出现)
    assert "问题与整改时间线" in timeline and "待核实" in timeline and "再次出现" in timeline
    # the machine-readable export validates against its documented schema, with exact figures
    doc = json.loads((out / "_static/archive.json").read_text(encoding="utf-8"))
    validate(doc)
    assert doc["format"] == "shuzhi-archive"
    assert sorted(r["ref"] for r in doc["reports"]) == ["2023/shiju-shuzhi", "2024/shiju-shuzhi"]
    problems = [p for r in doc["reports"] for p in r["problems"]]
    assert len(problems) == 5
    landing = (out / "index.html").read_text(encoding="utf-8")
    assert "archive/analytics/overview.html" in landing


def test_category_memo_belongs_to_its_taxonomy(tmp_path: Path) -> None:
    from shuzhi.analytics import load_taxonomy
    from shuzhi.config import Config
    from shuzhi.site.analytics_pages import CATEGORY_MEMO, _read_memo

    out = _build(tmp_path)
    memo = out.parent / "doctrees" / CATEGORY_MEMO
    package = load_taxonomy(None)
    remembered = _read_memo(memo, package)
    assert len(remembered) == 5 and set(remembered.values()) <= set(package.names)  # the archive's 5 problems
    # another taxonomy (shuzhi.yaml changed) does not take the answers of this one; nor does a broken file
    assert _read_memo(memo, load_taxonomy(Config(raw={"taxonomy": {"人员编制": ["编制"]}}))) == {}
    memo.write_bytes(b"not a pickle")
    assert _read_memo(memo, package) == {}
