"""Problem ↔ measure links within a report, the matcher, and `shuzhi links`."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from shuzhi.cli import main
from shuzhi.match.links import match_report, resolve_links
from shuzhi.model import parse_report

HEAD = """---
title: 测试报告
year: 2023
org: 测试局
author: 党组书记
kind: 述职报告
status: draft
---

# 测试报告

## 一、履职情况

一年来，我认真履行职责。

"""

PROBLEMS_000 = [
    "一是基层党建发展不平均衡。因局机关办公用房紧张，局属单位在外单独办公，导致各党支部党建发展不均衡。",
    "二是党建品牌特色不突出。虽然在党建品牌打造方面进行了积极探索，但缺乏久久为功的韧劲，导致党建品牌不够响亮、特色不够突出。",
    "三是党建宣传力度有待加强。业务工作宣传多，党建信息、网评文章撰写相对较少。",
]
MEASURES_000 = [
    "（一）强化责任落实，全面提升工作质效。进一步加大对局属党支部党建工作督查指导力度，定期研究党建重点工作，全面提升党建工作质量。",
    "（二）深化两务融合，聚力打造党建品牌。深入推进“一支部一特色，一支部一品牌”创建活动，着力打造一两个“有特色、叫得响、立得住”的党建品牌。",
    "（三）强化工作举措，扎实做好党建宣传。建立党建信息宣传制度，担任党建信息员和网评员，将党建信息宣传、网评文章撰写纳入绩效考核内容。",
]


def report(problems: list[str], measures: list[str], extra: str = "") -> str:
    body = HEAD + "## 二、存在的问题\n\n" + "\n\n".join(problems) + "\n\n"
    body += "## 三、下一步打算\n\n" + "\n\n".join(measures) + "\n" + extra
    return body


def pairs_by_lead(text: str) -> dict[str, str]:
    rep = parse_report(text, "r.md")
    leads = {i.id: i.lead for i in rep.items}
    return {leads[p.problem_id]: leads[p.measure_id] for p in match_report(rep)}


def test_matcher_pairs_by_meaning() -> None:
    pairs = pairs_by_lead(report(PROBLEMS_000, MEASURES_000))
    assert pairs["二是党建品牌特色不突出"] == "（二）深化两务融合，聚力打造党建品牌"
    assert pairs["三是党建宣传力度有待加强"] == "（三）强化工作举措，扎实做好党建宣传"


def test_matcher_is_not_fooled_by_order() -> None:
    expected = pairs_by_lead(report(PROBLEMS_000, MEASURES_000))
    rng = random.Random(7)
    for _ in range(5):
        measures = MEASURES_000[:]
        rng.shuffle(measures)
        # renumber the ordinals so position carries no hint
        measures = [f"（{'一二三'[k]}）{m[3:]}" for k, m in enumerate(measures)]
        got = pairs_by_lead(report(PROBLEMS_000, measures))
        assert {p: m[3:] for p, m in got.items()} == {p: m[3:] for p, m in expected.items()}


def test_explicit_links_win_over_the_matcher() -> None:
    problems = [f"【P{k + 1}】{p}" for k, p in enumerate(PROBLEMS_000)]
    # deliberately "wrong" by similarity: a human said M1 answers P2
    measures = [f"【M1→P2】{MEASURES_000[0]}", f"【M2】{MEASURES_000[1]}", f"【M3→P3、P1】{MEASURES_000[2]}"]
    links = resolve_links(parse_report(report(problems, measures), "r.md"))
    assert links.explicit_mode
    assert [m.id for m in links.by_problem["P2"]] == ["M1"]
    assert [m.id for m in links.by_problem["P1"]] == ["M3"]
    assert all(m.source == "explicit" for ms in links.by_problem.values() for m in ms)
    assert links.orphans == ["M2"]
    assert links.unknown == []


def test_unknown_and_self_links_are_reported() -> None:
    problems = [f"【P{k + 1}】{p}" for k, p in enumerate(PROBLEMS_000)]
    measures = [f"【M1→P9】{MEASURES_000[0]}", f"【M2→M2】{MEASURES_000[1]}", f"【M3→P3】{MEASURES_000[2]}"]
    rep = parse_report(report(problems, measures), "r.md")
    links = resolve_links(rep)
    assert [(item, target) for _line, item, target in links.unknown] == [("M1", "P9"), ("M2", "M2")]
    line = links.unknown[0][0]
    assert rep.text.split("\n")[line - 1].startswith("【M1→P9】")
    assert links.by_problem["P1"] == [] and links.by_problem["P2"] == []


def test_links_cli_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.md"
    path.write_text(report(PROBLEMS_000, MEASURES_000), encoding="utf-8")
    assert main(["links", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["problem_id"] for r in rows] == ["P1", "P2", "P3"]
    assert set(rows[1]) == {"path", "problem_id", "problem", "measures"}
    assert rows[1]["problem"] == "二是党建品牌特色不突出"
    measure = rows[1]["measures"][0]
    assert set(measure) == {"id", "text", "source", "score"}
    assert measure == {"id": "M2", "text": "（二）深化两务融合，聚力打造党建品牌", "source": "auto", "score": measure["score"]}
    assert 0 < measure["score"] <= 1


def test_links_cli_text_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.md"
    path.write_text(report(PROBLEMS_000, MEASURES_000), encoding="utf-8")
    assert main(["links", str(path), str(tmp_path / "none.md")]) == 1
    out, err = capsys.readouterr()
    assert "P2 二是党建品牌特色不突出" in out and "→ M2 （二）深化两务融合，聚力打造党建品牌（自动" in out
    assert "找不到文件" in err and "Traceback" not in err
