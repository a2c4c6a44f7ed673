"""The follow-up status vocabulary (data/followup.yaml), each way, with negations."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from shuzhi.match.followup import RULES_PATH, classify, load_rules


@pytest.mark.parametrize("text", [
    "该问题已整改到位。", "各项任务已全部完成。", "该项问题已销号。", "通过专项治理，问题得到解决。",
    "相关制度已落实到位，并长期坚持。",
])
def test_rectified(text: str) -> None:
    assert classify(text).status == "rectified"


@pytest.mark.parametrize("text", [
    "此项工作正在推进。", "品牌创建持续推进。", "支部规范化水平逐步提升。", "整改初见成效。",
    "尚未完全整改到位。", "仍需进一步加强。", "已完成第一阶段任务，第二阶段正在推进。",
])
def test_in_progress(text: str) -> None:
    assert classify(text).status == "in-progress"


@pytest.mark.parametrize("text", ["该项工作未完成。", "培训计划尚未启动。", "由于经费原因，这项整改尚未完成。"])
def test_not_rectified(text: str) -> None:
    assert classify(text).status == "not-rectified"


@pytest.mark.parametrize("text, found", [
    ("整改任务并非全部完成。", "并非…全部完成"),
    ("问题没有完全整改到位。", "没有完全"),
    ("各支部并非都已整改到位。", "并非…已整改到位"),
    ("台账规范工作未全部完成。", "未…全部完成"),
])
def test_a_negated_rectified_phrase_is_in_progress(text: str, found: str) -> None:
    verdict = classify(text)
    assert verdict.status == "in-progress" and found in verdict.phrases


def test_a_negation_does_not_reach_across_punctuation() -> None:
    assert classify("问题没有拖延，已整改到位。").status == "rectified"


def test_both_done_and_not_started_is_in_progress() -> None:
    assert classify("制度修订已完成，培训尚未启动。").status == "in-progress"


def test_unclear_quotes_the_sentence() -> None:
    verdict = classify("建立了党建信息员队伍。全年编发党建信息40条。")
    assert verdict.status == "unclear" and verdict.sentence == "建立了党建信息员队伍。" and verdict.phrases == ()


def test_the_deciding_sentence_is_quoted() -> None:
    verdict = classify("一是建立学习小组。每月研讨一次，已整改到位。")
    assert verdict.sentence == "每月研讨一次，已整改到位。"


def test_vocabulary_file_is_checked(tmp_path: Path) -> None:
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    data["statuses"]["in-progress"]["phrases"].append("已完成")
    bad = tmp_path / "followup.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="同时列在"):
        load_rules(bad)
    bad.write_text("statuses: {rectified: {phrases: []}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="恰好包含"):
        load_rules(bad)
