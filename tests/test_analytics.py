"""Analytics figures, exact, on a small archive of our own plus the ledger fixture.

The archive (tests/fixtures/analytics/reports + tests/fixtures/ledger/reports):

- 2022/nongyeju-shuzhi   农业局 述职报告   P1 理论学习, P2 警示教育; quantities 12次, 430家
- 2023/nongyeju-shuzhi   农业局 述职报告   R1→2022 P1; P1 宣传, P2 警示教育 again, P3 形式主义 (no measure);
                         placeholders x次, 某某
- 2023/jiaoyuju-zongjie  教育局 工作总结   no 下一步打算 (section-missing); P1 宣传, P2 融合; placeholder 20xx年
- 2023/weijiwei-shuzelian 卫健委 述责述廉报告 P1 警示教育, P2 编制 (其他)
- 2023/shiju-shuzhi, 2024/shiju-shuzhi  市局 (see tests/test_ledger.py)
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest

from shuzhi.analytics import OTHER, Analytics, analyse, load_taxonomy, stats
from shuzhi.analytics.clusters import _vectors, similar_pairs
from shuzhi.config import Config
from shuzhi.match.ledger import ledger_terms as _terms
from shuzhi.model import Report, parse_report, summarise

FIXTURES = Path(__file__).parent / "fixtures"
ROOTS = (FIXTURES / "analytics" / "reports", FIXTURES / "ledger" / "reports")


@lru_cache(maxsize=1)
def reports() -> tuple[Report, ...]:
    return tuple(parse_report(p.read_text(encoding="utf-8"), str(p)) for r in ROOTS for p in sorted(r.rglob("*.md")))


@lru_cache(maxsize=1)
def archive() -> Analytics:
    from shuzhi.check import check_report

    rs = reports()
    findings = [f for r in rs for f in check_report(r)]
    return analyse([summarise(r) for r in rs], [stats(r) for r in rs], findings)


def test_counts_per_year_org_kind() -> None:
    a = archive()
    assert a.total == 6 and a.problems == 14
    assert a.by_year == ((2022, 1), (2023, 4), (2024, 1))
    assert a.by_kind == (("述职报告", 4), ("述责述廉报告", 1), ("工作总结", 1))
    assert a.by_org == (("农业局", 2), ("市局", 2), ("卫健委", 1), ("教育局", 1))
    assert a.by_year_kind == (
        (2022, "述职报告", 1),
        (2023, "工作总结", 1),
        (2023, "述职报告", 2),
        (2023, "述责述廉报告", 1),
        (2024, "述职报告", 1),
    )


def test_completeness_shares() -> None:
    sections, paired, followed = archive().completeness
    assert (sections.label, sections.passed, sections.total, sections.failing) == (
        "必备章节齐全", 5, 6, ("2023/jiaoyuju-zongjie",))
    assert round(sections.percent or 0, 1) == 83.3
    assert (paired.passed, paired.total) == (4, 6)
    assert set(paired.failing) == {"2023/nongyeju-shuzhi", "2023/jiaoyuju-zongjie"}
    # 农业局 2023 answers 2022 P1 only (P2 is admitted again, not followed up); 市局 2024 skips 2023 P3
    assert (followed.passed, followed.total, followed.failing) == (0, 2, ("2023/nongyeju-shuzhi", "2024/shiju-shuzhi"))


def test_sections_judged_from_stats_without_findings() -> None:
    rs = reports()
    a = analyse([summarise(r) for r in rs], [stats(r) for r in rs])
    assert a.completeness[0].failing == ("2023/jiaoyuju-zongjie",)


def test_problems_by_category_and_year_keep_their_sources() -> None:
    a = archive()
    category = dict(a.category_of)
    assert category[("2022/nongyeju-shuzhi", "P1")] == "思想政治建设"
    assert category[("2022/nongyeju-shuzhi", "P2")] == "党风廉政建设"
    assert category[("2023/nongyeju-shuzhi", "P3")] == "作风建设"
    assert category[("2023/jiaoyuju-zongjie", "P2")] == "党建与业务融合"
    assert category[("2024/shiju-shuzhi", "P2")] == "组织建设"
    assert category[("2023/weijiwei-shuzelian", "P2")] == OTHER
    assert a.cell("宣传与品牌", 2023) == (
        ("2023/nongyeju-shuzhi", "P1"),
        ("2023/shiju-shuzhi", "P1"),
        ("2023/shiju-shuzhi", "P2"),
        ("2023/jiaoyuju-zongjie", "P1"),
    )
    assert a.cell("党风廉政建设", 2023) == (("2023/nongyeju-shuzhi", "P2"), ("2023/weijiwei-shuzelian", "P1"))
    assert a.cell("作风建设", 2022) == ()
    assert sum(len(refs) for _, _, refs in a.category_cells) == a.problems
    assert a.categories[-1] == OTHER and a.categories[0] == "思想政治建设"


def test_taxonomy_overridable_from_shuzhi_yaml() -> None:
    config = Config(raw={"taxonomy": {"人员编制": ["编制"], "作风建设": None}})
    taxonomy = load_taxonomy(config)
    assert "作风建设" not in taxonomy.names and taxonomy.names[-2:] == ("人员编制", OTHER)
    rs = reports()
    a = analyse([summarise(r) for r in rs], [stats(r) for r in rs], taxonomy=taxonomy)
    category = dict(a.category_of)
    assert category[("2023/weijiwei-shuzelian", "P2")] == "人员编制"
    assert category[("2023/nongyeju-shuzhi", "P3")] == OTHER
    with pytest.raises(ValueError, match="关键词应为文字列表"):
        load_taxonomy(Config(raw={"taxonomy": {"作风建设": "作风"}}))


def test_categories_remembered_across_builds_answer_as_the_taxonomy_does() -> None:
    rs = reports()
    summaries, figures = [summarise(r) for r in rs], [stats(r) for r in rs]
    memo: dict[bytes, str] = {}
    first = analyse(summaries, figures, categorised=memo)
    assert first.category_of == archive().category_of and len(memo) == archive().problems
    # a memo answers without classifying: a planted answer shows (so the memo is what is used) …
    key = next(k for k, v in memo.items() if v == "作风建设")
    planted = dict(memo) | {key: "组织建设"}
    again = dict(analyse(summaries, figures, categorised=planted).category_of)
    assert again[("2023/nongyeju-shuzhi", "P3")] == "组织建设"
    # … and a problem whose text changed is classified again, under a key of its own
    edited = [replace(s, items=tuple(replace(i, lead=i.lead + "，形式主义") if i.kind == "problem" else i
                                     for i in s.items)) for s in summaries]
    grown = dict(memo)
    analyse(edited, figures, categorised=grown)
    assert len(grown) > len(memo)


def test_recurring_clusters_across_orgs_and_years() -> None:
    clusters = archive().clusters
    got = [(c.label, [(m.ref, m.problem_id) for m in c.members]) for c in clusters]
    assert got == [
        (
            "党建宣传力度不够",
            [("2023/nongyeju-shuzhi", "P1"), ("2023/shiju-shuzhi", "P2"), ("2023/jiaoyuju-zongjie", "P1"), ("2024/shiju-shuzhi", "P1")],
        ),
        ("廉政警示教育开展不够经常", [("2022/nongyeju-shuzhi", "P2"), ("2023/nongyeju-shuzhi", "P2"), ("2023/weijiwei-shuzelian", "P1")]),
        ("理论学习不够深入", [("2022/nongyeju-shuzhi", "P1"), ("2023/shiju-shuzhi", "P3")]),
    ]
    assert clusters[0].orgs == ("农业局", "市局", "教育局") and clusters[0].years == (2023, 2024)
    assert clusters[1].orgs == ("农业局", "卫健委") and clusters[1].years == (2022, 2023)
    assert "宣传" in clusters[0].terms and "警示教育" in clusters[1].terms


def test_cluster_threshold_and_inverted_index_matches_all_pairs() -> None:
    rs = reports()
    summaries = [summarise(r) for r in rs]
    # the 警示教育 problems of 2022 and 2023 differ a little (0.967); 宣传 ones not at all
    strict = analyse(summaries, [stats(r) for r in rs], threshold=0.99)
    assert [len(c.members) for c in strict.clusters] == [3, 2]
    assert analyse(summaries, [stats(r) for r in rs], threshold=1.01).clusters == ()
    problems = [p for s in summaries for p in s.problems]
    vectors, df = _vectors([_terms(p) for p in problems])
    brute = {
        (i, j): round(sum(v * vectors[j].get(t, 0.0) for t, v in vectors[i].items()), 3)
        for i in range(len(vectors))
        for j in range(i + 1, len(vectors))
    }
    for threshold in (0.1, 0.3, 0.5, 0.97):
        assert similar_pairs(vectors, df, threshold) == {k: v for k, v in brute.items() if v >= threshold}


def test_keywords_per_year_exclude_domain_stop_words() -> None:
    keywords = dict(archive().keywords)
    assert set(keywords) == {2022, 2023, 2024}
    for words in keywords.values():
        terms = {k.term for k in words}
        assert not terms & {"习近平", "党建", "工作", "党建工作", "新时代", "一年来"}
        assert all(not t.isdigit() for t in terms)
    assert [k.term for k in keywords[2022][:2]] == ["学习", "警示教育"]
    assert keywords[2022][0].count == 3
    assert keywords[2023][0].term == "宣传" and keywords[2023][0].count == 7
    assert keywords[2024][0].term == "组织生活"


def test_quantities_with_their_sentence() -> None:
    by_year = {yq.year: yq for yq in archive().quantities}
    got = [(ref, q.text, q.number, q.unit, q.line) for ref, q in by_year[2022].quantities]
    assert got == [("2022/nongyeju-shuzhi", "12次", 12.0, "次", 14), ("2022/nongyeju-shuzhi", "430家", 430.0, "家", 14)]
    assert by_year[2022].quantities[1][1].sentence == "一年来，我带头落实“第一议题”制度，全年召开党组会议12次，带队走访企业430家，帮助解决实际困难。"
    got = {q.text: (q.number, q.unit, q.sentence) for _, q in by_year[2023].quantities}
    assert got["3229万人次"] == (32_290_000.0, "人次", "一年来，组织开展主题党日x次，农产品质量检测3229万人次。")
    assert got["1,200人次"][:2] == (1200.0, "人次")
    assert sorted(got) == ["1,200人次", "25人次", "3229万人次", "36场"]
    assert by_year[2024].quantities == ()


def test_quantities_skip_years_ordinals_and_placeholders() -> None:
    text = "---\nyear: 2023\n---\n\n## 一、履职情况\n\n2023年第3次会议召开x次，发展党员5名。\n"
    found = [q.text for q in stats(parse_report(text, "reports/2023/t.md")).quantities]
    assert found == ["5名"]


def test_placeholders_per_year() -> None:
    by_year = {yq.year: yq for yq in archive().quantities}
    assert [yq.placeholders for yq in archive().quantities] == [0, 3, 0]
    assert by_year[2023].placeholder_refs == (("2023/nongyeju-shuzhi", 2), ("2023/jiaoyuju-zongjie", 1))


def test_organisation_timeline_with_ledger_status() -> None:
    timeline = archive().timeline("农业局")
    assert [(y, [(e.problem_id, e.status) for e in entries]) for y, entries in timeline] == [
        (2022, [("P1", "unclear"), ("P2", "no-follow-up")]),  # P1's follow-up has no status words
        (2023, [("P1", "awaiting"), ("P2", "awaiting"), ("P3", "awaiting")]),
    ]
    p2 = archive().timeline("农业局")[0][1][1]
    assert [(r.ref, r.item_id) for r in p2.recurs_in] == [("2023/nongyeju-shuzhi", "P2")]
    assert archive().ledger.counts() == {"awaiting": 9, "no-follow-up": 3, "unclear": 2}


def test_stats_are_small_and_picklable() -> None:
    import pickle

    st = stats(reports()[0])
    assert pickle.loads(pickle.dumps(st)) == st
    assert st.front["org"] == "农业局"
    assert st.measures_of() == {"P1": ["M1"], "P2": ["M2"]}
