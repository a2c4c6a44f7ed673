"""``shuzhi join``: year-slices built as separate Sphinx projects, joined, equal the whole archive's build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sphinxbuild import build

from shuzhi.bench.generate import generate, load_samples, org_name
from shuzhi.cli import main
from shuzhi.publish.archive_export import validate

ROOT = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).parent / "roots"
YEARS = range(2019, 2024)
SPLIT = 2022  # slice a: 2019-2021, slice b: 2022-2023
RENAMED = org_name(1)  # reported under its former name up to 2021: a unit joined through shuzhi.yaml
FORMER = "原" + RENAMED
NO_RECTIFICATION = "2022/org0002"  # its 整改落实 section removed: only the whole archive sees it missing


def _archive(gen: Path) -> None:
    generate(load_samples(ROOT / "reports"), 20, gen, seed=3)  # 4 organisations x 5 years
    for year in range(2019, SPLIT):
        path = gen / str(year) / "org0001.md"
        path.write_text(path.read_text(encoding="utf-8").replace(f"org: {RENAMED}\n", f"org: {FORMER}\n"), encoding="utf-8")
    path = gen / f"{NO_RECTIFICATION}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^## 上年问题整改落实情况\n(?:(?!## ).*\n)*", "", text, flags=re.M), encoding="utf-8")


def _project(work: Path, gen: Path, name: str, years: range) -> tuple[Path, Path]:
    """A Sphinx project of the given years (same conf.py and shuzhi.yaml), built: (source, HTML output)."""
    src = work / name
    shutil.copytree(ROOTS / "test-ledger", src)
    (src / "shuzhi.yaml").write_text(f"orgs:\n  aliases:\n    {RENAMED}: [{FORMER}]\n", encoding="utf-8")
    for year in years:
        shutil.copytree(gen / str(year), src / "reports" / str(year))
    return src, Path(build(src, work / f"{name}-out").outdir)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("join")
    gen = work / "gen"
    _archive(gen)
    whole_src, whole = _project(work, gen, "whole", YEARS)
    _, a = _project(work, gen, "a", range(2019, SPLIT))
    _, b = _project(work, gen, "b", range(SPLIT, 2024))
    return {"root": whole_src, "whole": whole, "a": a, "b": b, "work": work}


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _cells(path: Path) -> list[list[Any]]:
    return [[c.value for c in row] for row in load_workbook(path)["整改台账"].iter_rows()]


def _ledger(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["ref"], p["id"]): p["ledger"] for r in doc["reports"] for p in r["problems"]}


def _findings(doc: dict[str, Any], ref: str, code: str) -> list[dict[str, Any]]:
    return [f for r in doc["reports"] if r["ref"].startswith(ref) for f in r["findings"] if f["code"] == code]


def _join(built: dict[str, Path], out: Path, *slices: Path, extra: tuple[str, ...] = ()) -> int:
    return main(["join", "--root", str(built["root"]), *extra, str(out), *(str(s) for s in slices)])


def test_joined_slices_equal_the_whole_build(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "joined"
    # a slice may be given as its HTML folder or as its archive.json
    assert _join(built, out, built["a"], built["b"] / "_static" / "archive.json") == 0
    whole = built["whole"] / "_static"
    joined = _json(out / "archive.json")
    validate(joined)
    assert (out / "archive.json").read_text(encoding="utf-8") == (whole / "archive.json").read_text(encoding="utf-8")
    # the ledger, row for row and cell for cell, as the whole build's _static/ledger.xlsx
    assert _cells(out / "ledger.xlsx") == _cells(whole / "ledger.xlsx")
    rows = _json(out / "ledger.json")
    assert len(rows) == len(_cells(whole / "ledger.xlsx")) - 1 == len(_ledger(joined))
    # the problem cell links to the report's page in its slice's HTML output
    link = load_workbook(out / "ledger.xlsx")["整改台账"].cell(2, 3).hyperlink
    assert link is not None and re.fullmatch(r"\.\./.+-out/html/reports/20\d\d/org\d{4}\.html#P\d+", link.target)
    assert (out / link.target.split("#")[0]).is_file()


def test_join_resolves_what_spans_the_slices(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "joined"
    assert _join(built, out, built["a"], built["b"]) == 0
    joined, a, b = (_json(p) for p in (out / "archive.json", built["a"] / "_static/archive.json",
                                       built["b"] / "_static/archive.json"))
    ledger, alone = _ledger(joined), _ledger(a)
    # 2021's problems: waiting for a later report in their slice, followed up in 2022 once joined
    crossing = [k for k, e in ledger.items() if k[0].startswith("2021/") and (e["follow_up"] or "").startswith("2022/")]
    assert crossing and all(alone[k]["status"] == "awaiting" and ledger[k]["status"] != "awaiting" for k in crossing)
    # the renamed unit: its former name's problems followed up under the current name
    assert any(k[0] == "2021/org0001" for k in crossing)
    assert all(e["unit"] == RENAMED for k, e in ledger.items() if k[0].endswith("/org0001"))
    # recurrences across the boundary, both ways
    later = [(k, r["ref"]) for k, e in ledger.items() for r in e["recurs_in"] if k[0] < "2022" <= r["ref"]]
    assert later and all(any(o["ref"] == k[0] for o in ledger[(ref, r)]["recurrence_of"])
                         for k, ref in later for r in [next(x["item_id"] for x in ledger[k]["recurs_in"] if x["ref"] == ref)])
    # slice b could not see 2021: its links to 2021 are unknown there, resolved once joined
    assert _findings(b, "2022/", "link-unknown") and not _findings(joined, "", "link-unknown")
    # the 整改落实 section missing after a year of the other slice: found only once joined, at the title line
    missing = [f for f in _findings(joined, NO_RECTIFICATION, "section-missing") if "整改落实" in f["message"]]
    assert len(missing) == 1 and not [f for f in _findings(b, NO_RECTIFICATION, "section-missing") if "整改落实" in f["message"]]
    lines = (built["root"] / f"reports/{NO_RECTIFICATION}.md").read_text(encoding="utf-8").splitlines()
    assert missing[0]["line"] == 1 + next(k for k, line in enumerate(lines) if line.startswith("# "))


def _copy_slice(built: dict[str, Path], tmp_path: Path, name: str = "bad") -> Path:
    target = tmp_path / name / "_static" / "archive.json"
    target.parent.mkdir(parents=True)
    shutil.copy(built["b"] / "_static" / "archive.json", target)
    return target


def _error(capsys: pytest.CaptureFixture[str], code: int, out: Path, *parts: str) -> str:
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and all(p in err for p in parts), err
    assert not out.exists()  # nothing written
    return err


def test_report_in_two_slices(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _copy_slice(built, tmp_path)
    out = tmp_path / "out"
    code = _join(built, out, built["a"], built["b"], copy.parent.parent)
    _error(capsys, code, out, str(copy), "报告 2022/", "已在", "只能属于一个年度项目")


def test_other_version(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _copy_slice(built, tmp_path)
    doc = _json(copy)
    doc["version"] = 1
    copy.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    _error(capsys, _join(built, out, built["a"], copy), out, str(copy), "版本为 1", "重新构建")


def test_truncated_and_foreign_files(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _copy_slice(built, tmp_path)
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text[: len(text) // 2], encoding="utf-8")
    out = tmp_path / "out"
    _error(capsys, _join(built, out, built["a"], copy), out, f"{copy}:1:", "不是合法的 JSON")
    copy.write_text(json.dumps({"reports": []}), encoding="utf-8")
    _error(capsys, _join(built, out, built["a"], copy), out, str(copy), "不是 shuzhi 导出的 archive.json")
    doc = json.loads(text)
    del doc["reports"][1]["problems"]
    copy.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    _error(capsys, _join(built, out, built["a"], copy), out, str(copy), "第 2 篇报告", "problems")


def test_missing_slice(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _error(capsys, _join(built, out, built["a"], tmp_path / "nowhere"), out, "nowhere", "没有这个文件或目录")
    (tmp_path / "empty").mkdir()
    _error(capsys, _join(built, out, built["a"], tmp_path / "empty"), out, "empty", "_static/archive.json")


def test_existing_outputs_kept_without_force(built: dict[str, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "ledger.xlsx").write_bytes(b"keep")
    code = _join(built, out, built["a"], built["b"])
    err = capsys.readouterr().err
    assert code == 2 and "ledger.xlsx 已存在，未覆盖" in err and "--force" in err
    assert (out / "ledger.xlsx").read_bytes() == b"keep" and not (out / "archive.json").exists()
    assert _join(built, out, built["a"], built["b"], extra=("--force",)) == 0
    assert (out / "ledger.xlsx").read_bytes() != b"keep" and (out / "archive.json").is_file()


def test_finding_only_the_join_sees_is_located_in_the_source(tmp_path: Path) -> None:
    """Two reports of one organisation, year and kind in two slices: each slice alone sees one, the join both,
    at their ``org:`` line read from the sources under --root (archive.json has no front-matter lines)."""
    from shuzhi.check.lint import collect, read_report
    from shuzhi.config import load_config
    from shuzhi.model import parse_report
    from shuzhi.publish.archive_export import dumps, export_reports

    root = tmp_path / "project"
    generate(load_samples(ROOT / "reports"), 4, root / "reports", seed=5, years=2)  # 2 organisations x 2 years
    twin = root / "reports/2020/org0000-twin.md"
    text = (root / "reports/2020/org0000.md").read_text(encoding="utf-8")
    twin.write_text(text.replace("---\ntitle:", "---\n# 同一单位同一年度的第二份\ntitle:", 1), encoding="utf-8")
    config = load_config(root)
    files, _ = collect([str(root / "reports")])
    reports = {p.name: parse_report(read_report(p)[0] or "", p.relative_to(root).as_posix(), config.schema, config.kinds)
               for p in files}
    for name, chosen in (("one", [r for n, r in reports.items() if n != twin.name]), ("two", [reports[twin.name]])):
        target = tmp_path / name / "_static/archive.json"
        target.parent.mkdir(parents=True)
        target.write_text(dumps(export_reports(chosen, config)), encoding="utf-8")
    out = tmp_path / "joined"
    # slices of archive.json alone (no HTML build, no searchindex.js): --no-search
    assert main(["join", "--root", str(root), "--no-search", str(out), str(tmp_path / "one"), str(tmp_path / "two")]) == 0
    assert not (out / "searchindex.js").exists()
    joined = _json(out / "archive.json")
    dup = {r["path"]: [f["line"] for f in r["findings"] if f["code"] == "duplicate-report"] for r in joined["reports"]}
    for path in (root / "reports/2020/org0000.md", twin):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert dup[path.relative_to(root).as_posix()] == [1 + next(k for k, x in enumerate(lines) if x.startswith("org:"))]
    assert dup["reports/2020/org0000.md"] != dup["reports/2020/org0000-twin.md"]  # the twin's org: comes a line later
    for name in ("one", "two"):
        alone = _json(tmp_path / name / "_static/archive.json")
        assert not [f for r in alone["reports"] for f in r["findings"] if f["code"] == "duplicate-report"]
    # the same findings, ledger and clusters as the export of all reports at once
    assert joined == json.loads(dumps(export_reports(list(reports.values()), config)))


# the cross-year search: the slices' searchindex.js merged


def _index(path: Path) -> dict[str, Any]:
    """A searchindex.js decoded: pages by name, each with title, file, sections, facets and terms."""
    from shuzhi.search.index import parse
    from shuzhi.search.postings import decode

    index = parse(path.read_text(encoding="utf-8"))
    names = index["docnames"]
    pages: dict[str, Any] = {name: {"title": index["titles"][i], "file": index["filenames"][i], "report": None,
                                    "heads": [(index["headtitles"][t], a) for t, a in index["heads"][i]],
                                    "terms": set()} for i, name in enumerate(names)}
    for page, year, org, kind in index["reports"]:
        pages[names[page]]["report"] = (year, index["orgs"][org], index["kinds"][kind])
    for term, code in index["terms"].items():
        for i in decode(code):
            pages[names[i]]["terms"].add(term)
    return {"pages": pages, "orgs": index["orgs"], "kinds": index["kinds"]}


def _served_otherwise(built: dict[str, Path], slices: dict[str, Any]) -> set[str]:
    """The pages the overlaid site serves (a shared page from the last slice) other than the whole build does."""
    def owner(name: str) -> Path:
        return built["b" if name in slices["b"]["pages"] else "a"]
    return {name for name in {*slices["a"]["pages"], *slices["b"]["pages"]}
            if (owner(name) / f"{name}.html").read_bytes() != (built["whole"] / f"{name}.html").read_bytes()}


def test_joined_search_equals_the_whole_build_where_the_pages_do(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "joined"
    assert _join(built, out, built["a"], built["b"]) == 0
    joined, whole = _index(out / "searchindex.js"), _index(built["whole"] / "searchindex.js")
    slices = {k: _index(built[k] / "searchindex.js") for k in ("a", "b")}
    # every page of the whole build, once, with its title, sections and facets; the same organisations and kinds
    assert list(joined["pages"]) == list(whole["pages"])  # numbered alike (Sphinx sorts the page names)
    assert (joined["orgs"], joined["kinds"]) == (whole["orgs"], whole["kinds"]) and FORMER in joined["orgs"]
    assert [{k: v for k, v in p.items() if k != "terms"} for p in joined["pages"].values()] == \
           [{k: v for k, v in p.items() if k != "terms"} for p in whole["pages"].values()]
    assert {p["report"][0] for p in joined["pages"].values() if p["report"]} == set(YEARS)
    # each page's terms: those of the page served, i.e. of the last slice holding it...
    for name, page in joined["pages"].items():
        owner = "b" if name in slices["b"]["pages"] else "a"
        assert page["terms"] == slices[owner]["pages"][name]["terms"], name
    # ...and the whole build's wherever that page is the whole build's page. The others are report pages
    # showing their own slice's ledger only (the joined ledger is not written back into the pages)
    otherwise = _served_otherwise(built, slices)
    compared = [name for name, p in joined["pages"].items() if p["report"] and name not in otherwise]
    assert {joined["pages"][n]["report"][0] >= SPLIT for n in compared} == {False, True}  # reports of both slices
    for name in joined["pages"].keys() - otherwise:
        assert joined["pages"][name]["terms"] == whole["pages"][name]["terms"], name
    # one slice alone: its own index, byte for byte (the build's serialiser, Sphinx's page order)
    assert _join(built, tmp_path / "one", built["a"]) == 0
    assert (tmp_path / "one/searchindex.js").read_bytes() == (built["a"] / "searchindex.js").read_bytes()


_QUERY = """
const fs = require("fs");
const core = require(process.argv[1]);
const load = (path) => {
  let search = null;
  new Function("ShuzhiSearch", fs.readFileSync(path, "utf8"))({setIndex: (data) => { search = core.createSearch(data); }});
  return search;
};
const [whole, joined] = [load(process.argv[2]), load(process.argv[3])];
const skip = new Set(JSON.parse(process.argv[5]));
const answer = (s, q, facets) => s.query(q, facets).results.filter((r) => !skip.has(r.name))
  .map((r) => [r.name, r.title, r.tier, r.head && r.head[1], r.report]);
const out = [];
for (const q of JSON.parse(process.argv[4])) out.push([q, answer(whole, q, {}), answer(joined, q, {})]);
skip.clear();  // facets alone: every report
for (const dim of core.DIMS) {
  out.push([dim, whole.facetValues(dim), joined.facetValues(dim)]);
  for (const v of whole.facetValues(dim)) out.push([`${dim}=${v}`, answer(whole, "", {[dim]: v}), answer(joined, "", {[dim]: v})]);
}
skip.clear();  // one search box: the reports found in the joined index, unfiltered
console.log(JSON.stringify({out, every: answer(joined, process.argv[6], {}).map((r) => r[4] && r[4].year)}));
"""


def test_joined_search_answers_as_the_whole_build(built: dict[str, Path], tmp_path: Path) -> None:
    """The site's search code (shuzhi-search-core.js, under Node) loads the merged index and answers every report's
    title and every section heading as over the whole build's index on the pages served as the whole build's
    (see above), every facet on every page."""
    import subprocess

    out = tmp_path / "joined"
    assert _join(built, out, built["a"], built["b"]) == 0
    whole = _index(built["whole"] / "searchindex.js")["pages"]
    otherwise = _served_otherwise(built, {k: _index(built[k] / "searchindex.js") for k in ("a", "b")})
    queries = sorted({p["title"] for p in whole.values() if p["report"]} | {t for p in whole.values() for t, _ in p["heads"]})
    heads = [(t, p["report"][0]) for p in whole.values() if p["report"] for t, _ in p["heads"]]
    common = next(t for t, _ in sorted(heads) if {y for h, y in heads if h == t} == set(YEARS))  # in every year
    core = ROOT / "ext/shuzhi/site/theme/shuzhi/static/shuzhi-search-core.js"
    run = subprocess.run(["node", "-e", _QUERY, str(core), str(built["whole"] / "searchindex.js"), str(out / "searchindex.js"),
                          json.dumps(queries, ensure_ascii=False), json.dumps(sorted(otherwise)), common], capture_output=True, text=True, check=True)
    answers, every = (json.loads(run.stdout)[k] for k in ("out", "every"))
    assert len(answers) > len(queries) + 10
    for query, expected, got in answers:
        assert got == expected, query
    assert set(every) == set(YEARS), every  # one search box, hits in every year


def test_shared_pages_come_from_the_last_slice(built: dict[str, Path], tmp_path: Path) -> None:
    from shuzhi.search.merge import merge, read_index
    from shuzhi.search.postings import encode

    pa, pb = built["a"] / "searchindex.js", built["b"] / "searchindex.js"
    a, b = read_index(pa), read_index(pb)
    page = a["docnames"].index("index")
    a["titles"][page] = "改过的首页"
    a["terms"]["甲乙"] = encode([page])
    for order, title, found in (([(pa, a), (pb, b)], b["titles"][b["docnames"].index("index")], False),
                                ([(pb, b), (pa, a)], "改过的首页", True)):
        out = tmp_path / "searchindex.js"
        out.write_text(merge(order), encoding="utf-8")
        merged = _index(out)["pages"]
        assert merged["index"]["title"] == title and ("甲乙" in merged["index"]["terms"]) is found
        assert list(merged) == sorted(set(a["docnames"]) | set(b["docnames"]))


def _slice_with_index(built: dict[str, Path], tmp_path: Path, text: str | None) -> Path:
    """A copy of slice b's archive.json in an HTML folder with the given searchindex.js (None: none)."""
    folder = _copy_slice(built, tmp_path).parent.parent
    if text is not None:
        (folder / "searchindex.js").write_text(text, encoding="utf-8")
    return folder


def test_missing_or_corrupt_search_index(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    folder = _slice_with_index(built, tmp_path, None)
    index = folder / "searchindex.js"
    _error(capsys, _join(built, out, built["a"], folder), out, str(index), "找不到搜索索引", "--no-search")
    assert _join(built, out, built["a"], folder, extra=("--no-search",)) == 0  # the archive and ledger only
    assert (out / "archive.json").is_file() and not (out / "searchindex.js").exists()
    shutil.rmtree(out)
    text = (built["b"] / "searchindex.js").read_text(encoding="utf-8")
    for broken, parts in (
        (text[: len(text) // 2], ("搜索索引不完整",)),
        ('Search.setIndex({"docnames":[]});\n', (f"{index}:1:1:", "不是 shuzhi 写出的搜索索引")),
        (text.replace('"docnames":[', '"docnames":[,', 1), (f"{index}:1:", "不是合法的 JSON")),
        (text.replace("shuzhi-bigram-3", "shuzhi-bigram-2", 1), ("格式为 shuzhi-bigram-2", "重新构建")),
        (text.replace('"headtitles":[', '"headtitles":[1,', 1).replace('"heads":[', '"heads":[[[99999,"x"]],', 1),
         ("数据不完整或格式不对",)),
        (re.sub(r'("terms":\{"[^"]+":")[^"]+"', r'\1@@"', text, count=1), ("页面列表无法解码",)),
    ):
        (folder / "searchindex.js").write_text(broken, encoding="utf-8")
        _error(capsys, _join(built, out, built["a"], folder), out, str(index), *parts)
    # given as an archive.json outside an HTML folder: no index to find
    other = tmp_path / "elsewhere.json"
    shutil.copy(folder / "_static/archive.json", other)
    _error(capsys, _join(built, out, built["a"], other), out, str(other), "searchindex.js", "--no-search")


def test_existing_search_index_kept_without_force(built: dict[str, Path], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "searchindex.js").write_text("keep", encoding="utf-8")
    code = _join(built, out, built["a"], built["b"])
    assert code == 2 and "searchindex.js 已存在，未覆盖" in capsys.readouterr().err
    assert (out / "searchindex.js").read_text(encoding="utf-8") == "keep" and not (out / "archive.json").exists()
    assert _join(built, out, built["a"], built["b"], extra=("--no-search",)) == 0  # not written: not in the way
    assert (out / "searchindex.js").read_text(encoding="utf-8") == "keep"
