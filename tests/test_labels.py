"""One label per value (shuzhi.labels) and one slug (shuzhi.slug)."""

from __future__ import annotations

from shuzhi import labels
from shuzhi.read.write import make_slug
from shuzhi.slug import slugify


def test_an_undated_report_has_one_label() -> None:
    assert labels.year_label(None) == labels.year_title(labels.UNDATED) == "年份待定"
    assert labels.year_label(2023) == labels.year_title("2023") == "2023年"
    assert labels.search_labels()["undated"] == labels.NO_YEAR


def test_kinds_follow_the_archive_order_then_others_by_name() -> None:
    kinds = ("工作总结", "述职报告")  # a shuzhi.yaml listing them in this order
    assert labels.ordered_kinds(["述职报告", "其他", "工作总结", "", "述职报告"], kinds) == ["工作总结", "述职报告", "", "其他"]
    assert labels.kind_rank("述职报告", kinds) == 1 and labels.kind_rank("其他", kinds) == 2
    assert labels.kind_label("") == "类型待定" and labels.org_label("") == "单位待定"


def test_slug_is_pinyin_of_whole_syllables() -> None:
    assert slugify("区发改委") == "qu-fa-gai-wei"
    assert slugify("A&B 12局") == "a-b-12-ju"
    assert slugify("区委办", sep="", limit=5) == "quwei"
    assert slugify("、、") == ""


def test_the_importer_and_the_site_share_the_transliteration() -> None:
    assert make_slug("市发改委", "", "述职报告") == slugify("发改委", sep="") + "-shuzhi"
