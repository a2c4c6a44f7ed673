"""The evaluation: floors on the corpus (a regression fails CI) and unit tests of the scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from shuzhi.cli import main
from shuzhi.evaluate import CaseError, Tally, evaluate, load_case, score_case
from shuzhi.evaluate.score import heading_key, output_text

CORPUS = Path(__file__).parent / "corpus" / "cases"

#: (precision, recall) floors per field, set at or just below the last `make eval` (docs/accuracy.md)
FLOORS = {
    "title": (0.98, 0.98),
    "year": (0.98, 0.98),
    "org": (0.98, 0.98),
    "kind": (0.98, 0.98),
    "sections": (0.98, 0.98),
    "problems": (0.99, 0.99),
    "measures": (0.99, 0.99),
    "pairs": (0.99, 0.99),
    "removed": (0.99, 0.99),
    "body": (1.0, 1.0),
    "findings": (0.97, 0.97),
}


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return evaluate(CORPUS)


def test_corpus_is_readable(corpus) -> None:  # type: ignore[no-untyped-def]
    assert corpus.errors == []
    assert len(corpus.scores) >= 50
    assert not [s.case.name for s in corpus.scores if s.error]


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_corpus_floor(corpus, field: str) -> None:  # type: ignore[no-untyped-def]
    tally = corpus.fields[field]
    precision, recall = FLOORS[field]
    failures = [f for f in corpus.failures if f.field == field]
    assert (tally.precision or 0) >= precision, failures
    assert (tally.recall or 0) >= recall, failures


def test_corpus_chrome_gone_and_nothing_lost(corpus) -> None:  # type: ignore[no-untyped-def]
    assert corpus.body_loss == 0, [f for f in corpus.failures if f.field == "body"]


def test_corpus_problem_unfixed_false_alarms(corpus) -> None:  # type: ignore[no-untyped-def]
    assert corpus.unfixed_false_rate <= 0.02  # the target is 5%; measured 0


# -- the scorer -------------------------------------------------------------------------------

RAW = """当前位置：首页 > 范文 > 述职报告
2023年度青柳镇党委书记抓基层党建工作述职报告
发布时间：2024-01-10  来源：网友投稿  浏览：88次

2023年度青柳镇党委书记抓基层党建工作述职报告

2023年，我认真履行镇党委书记抓基层党建第一责任人职责，推动全镇党建工作取得新进展。现将有关情况报告如下。

一、履职情况
（一）压实责任。全年研究党建工作8次，走访村党组织20次，解决实际问题15个。……此处省略800字，开通会员查看全文……

二、存在问题
问题一：理论学习的系统性不够。学习多停留在读文件，结合实际思考不深。整改措施：完善学习制度，推动学用结合。每月开展一次专题研讨。
问题二：村级后备力量储备不足。部分村两委成员年龄偏大。整改措施：拓宽选人视野，建强后备梯队。每村储备2名后备干部。

以上述职，请予评议。

相关推荐：
村党支部书记述职报告范文
本站文章来源于网络，如有侵权请联系删除。
"""

ANSWER = {
    "source": "90-qingliu.txt",
    "forms": ["web-chrome", "paywall", "labelled-problem-measure", "title-twice"],
    "title": "2023年度青柳镇党委书记抓基层党建工作述职报告",
    "year": 2023,
    "org": "青柳镇党委",
    "kind": "述职报告",
    "sections": [{"heading": "履职情况", "canonical": "履职情况"}, {"heading": "存在问题", "canonical": "存在问题"}],
    "problems": ["理论学习的系统性不够", "村级后备力量储备不足"],
    "measures": ["完善学习制度，推动学用结合", "拓宽选人视野，建强后备梯队"],
    "pairs": [[1, 1], [2, 2]],
    "removed": ["当前位置：首页", "发布时间：2024-01-10", "此处省略800字", "相关推荐", "村党支部书记述职报告范文", "如有侵权"],
    "findings": ["truncated"],
}


def write_case(folder: Path, answer: dict, raw: str = RAW, name: str = "90-qingliu") -> Path:  # type: ignore[type-arg]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(raw, encoding="utf-8")
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(answer, allow_unicode=True), encoding="utf-8")
    return path


def test_a_right_answer_scores_everything_right(tmp_path: Path) -> None:
    score = score_case(load_case(write_case(tmp_path, ANSWER)))
    assert score.failures == []
    assert {name: (t.fp, t.fn) for name, t in score.tallies.items()} == {name: (0, 0) for name in score.tallies}
    assert score.tallies["problems"].tp == 2 and score.tallies["pairs"].tp == 2
    assert score.tallies["removed"].tp == 6 and score.tallies["findings"].tp == 1
    assert score.body_loss == 0


def test_wrong_answers_are_false_positives_and_negatives(tmp_path: Path) -> None:
    answer = dict(ANSWER, title="别的标题", year=2022, problems=["理论学习的系统性不够", "并不存在的问题文字"],
                  pairs=[[1, 2]], findings=["truncated", "placeholder"])
    score = score_case(load_case(write_case(tmp_path, answer)))
    t = score.tallies
    assert (t["title"].tp, t["title"].fp, t["title"].fn) == (0, 1, 1)
    assert (t["year"].fp, t["year"].fn) == (1, 1)
    # one problem found, one answer not found, one model problem not in the answer
    assert (t["problems"].tp, t["problems"].fp, t["problems"].fn) == (1, 1, 1)
    # the model links P1–M1 (judged [1, 2]) and P2–M2 (P2 is no judged problem)
    assert (t["pairs"].tp, t["pairs"].fp, t["pairs"].fn) == (0, 2, 1)
    # placeholder is missing, and so is problem-unfixed: the answer leaves its problem 2 without a measure
    assert (t["findings"].tp, t["findings"].fn) == (1, 2)
    assert {f.field for f in score.failures} == {"title", "year", "problems", "pairs", "findings"}


def test_text_left_in_and_text_lost_are_both_caught(tmp_path: Path) -> None:
    # the importer keeps this report line, so an answer calling it chrome fails on "removed"
    answer = dict(ANSWER, removed=[*ANSWER["removed"], "全年研究党建工作8次"])
    score = score_case(load_case(write_case(tmp_path, answer)))
    assert score.tallies["removed"].fn == 1
    # a removal no answer asks for is a false positive and counts as lost body text
    answer = dict(ANSWER, removed=["当前位置：首页", "此处省略800字", "相关推荐", "村党支部书记述职报告范文", "如有侵权"])
    score = score_case(load_case(write_case(tmp_path, answer)))
    assert score.tallies["removed"].fp == 1
    assert score.body_loss == len("发布时间：2024-01-10来源：网友投稿浏览：88次")
    assert score.tallies["body"].fn == 1


def test_problem_unfixed_false_alarm_counted(tmp_path: Path) -> None:
    raw = RAW.replace("整改措施：拓宽选人视野，建强后备梯队。每村储备2名后备干部。", "")
    answer = dict(ANSWER, measures=["完善学习制度，推动学用结合"], pairs=[[1, 1], [2, 1]])
    score = score_case(load_case(write_case(tmp_path, answer, raw)))
    # P2 has no measure in the output, the answer pairs it: one false problem-unfixed
    assert score.unfixed_false == 1
    assert any(f.field == "findings" and "problem-unfixed" in f.got for f in score.failures)


def test_helpers() -> None:
    assert heading_key("（三） 存在的 问题。") == "存在的问题"
    assert heading_key("2、下一步打算：") == "下一步打算"
    assert heading_key("6.2020年工作打算") == "2020年工作打算"
    md = "---\ntitle: x\n---\n\n# 标题\n\n## 一、存在问题\n\n【P1】一是学习\\*不够。\n\n% 原文不完整：x\n"
    assert output_text(md).split() == ["标题", "一、存在问题", "一是学习*不够。"]
    t = Tally(3, 1, 0)
    assert t.precision == 0.75 and t.recall == 1.0 and Tally().precision is None


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("- a\n", "YAML 映射"),
        ("source: missing.txt\n", "找不到原始文件"),
        ("source: 90-qingliu.txt\nyear: 二〇二三\n", "year 应为四位数字"),
        ("source: 90-qingliu.txt\nkind: 讲话\n", "kind「讲话」"),
        ("source: 90-qingliu.txt\nproblems: [a]\nmeasures: [b]\npairs: [[1, 3]]\n", "超出了"),
        ("source: 90-qingliu.txt\ntitle: [\n", "无法读取答案文件"),
    ],
)
def test_bad_answers_are_located_messages(tmp_path: Path, answer: str, message: str) -> None:
    (tmp_path / "90-qingliu.txt").write_text(RAW, encoding="utf-8")
    path = tmp_path / "90-qingliu.yaml"
    path.write_text(answer, encoding="utf-8")
    with pytest.raises(CaseError, match=message) as info:
        load_case(path)
    assert str(info.value).startswith(path.as_posix())


def test_cli_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_case(tmp_path, ANSWER)
    write_case(tmp_path, dict(ANSWER, year=2022), name="91-wrong-year")
    assert main(["eval", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| 年度（year） | 50.0% | 50.0% | 1 | 1 | 1 |" in out
    assert "91-wrong-year  year  2022 → 2023" in out
    assert main(["eval", str(tmp_path), "--format", "json", "--case", "91"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cases"] == 1 and data["fields"]["year"]["fp"] == 1
    assert data["forms"]["paywall"]["cases"] == 1
    assert data["failures"] == [{"case": "91-wrong-year", "field": "year", "expected": "2022", "got": "2023"}]


def test_cli_bad_folder_and_bad_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(tmp_path / "nowhere")]) == 2
    assert "找不到目录" in capsys.readouterr().err
    write_case(tmp_path, ANSWER)
    (tmp_path / "92-broken.yaml").write_text("source: none.txt\n", encoding="utf-8")
    assert main(["eval", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "92-broken.yaml：找不到原始文件" in captured.err and "案例 1 个" in captured.out
