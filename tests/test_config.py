"""shuzhi.yaml is checked whole when it is loaded: one located Chinese error, before any report is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from shuzhi.check import check_report
from shuzhi.config import load_config
from shuzhi.model import parse_report

GOOD = """\
kinds: [述职报告, 述责述廉报告, 工作总结, 党课讲稿]
severities:
  section-order: {draft: info, final: warning}
match:
  - [存在问题, '短板弱项']
measure_intro: ['^对此']
placeholder:
  patterns:
    - '某单位'
    - {name: 待填, regex: '〔待填〕', context: '.'}
  exceptions: ['X光机']
pii:
  qq: false
  allow: ['dangban@example\\.gov\\.cn']
adverts:
  line: ['^本文来自某某网']
  distributor: ['^(?P<name>\\S+)整理']
  names: [某某文库]
taxonomy:
  阵地建设: [阵地, 活动室]
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "shuzhi.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_every_documented_key_is_accepted_and_used(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert "党课讲稿" in config.kinds
    text = "---\ntitle: t\nyear: 2023\norg: o\nauthor: a\nkind: 述职报告\nstatus: draft\n---\n# t\n\n## 一、履职情况\n\n某单位召开会议。\n"
    found = check_report(parse_report(text, "reports/2023/t.md", config.schema, config.kinds, config.myst), config)
    assert [f.message for f in found if f.code == "placeholder"] == ["未填写的模板占位符「某单位召」，请填入实际数字或名称。"]


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("kinds: [述职报告]\nplaceholder:\n  patterns: x次\n",
         "shuzhi.yaml:3: placeholder.patterns 应为列表（[…] 或每行一个“- …”），现为 'x次'。"),
        ("match:\n  - [存在问题, '短板']\n  - [存在问题, '(问题']\n",
         "shuzhi.yaml:3: match[1][1] 的正则「(问题」有误"),
        ("placeholders:\n  patterns: ['某单位']\n",
         "shuzhi.yaml:1: placeholders 是未知的键，是否应为「placeholder」？"),
        ("pii:\n  qq: 关\n", "shuzhi.yaml:2: pii.qq 应为 true 或 false，现为 '关'。"),
        ("adverts:\n  distributor:\n    - '^(\\S+)整理'\n", "shuzhi.yaml:3: adverts.distributor[0] 的正则「^(\\S+)整理」应含有名为 name 的分组"),
        ("placeholder:\n  patterns:\n    - {name: 待填}\n", "shuzhi.yaml:3: placeholder.patterns[0] 缺少「regex」。"),
        ("items:\n  存在问题: problems\n", "shuzhi.yaml:2: items.存在问题 应为 problem、measure、rectification 之一"),
        ("sections:\n  存在问题:\n    aliases: 存在的问题\n", "shuzhi.yaml:3: sections.存在问题.aliases 应为列表"),
    ],
)
def test_a_wrong_type_or_pattern_is_one_located_error(tmp_path: Path, yaml_text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        load_config(write(tmp_path, yaml_text))
    assert str(caught.value).startswith(message), str(caught.value)


def test_the_build_stops_at_config_inited(tmp_path: Path) -> None:
    """A bad shuzhi.yaml is Sphinx's configuration error when the build starts, not a traceback at the first report."""
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "shuzhi"]\n', encoding="utf-8")
    (tmp_path / "index.md").write_text("# 首页\n", encoding="utf-8")
    write(tmp_path, "kinds: [述职报告]\nmeasure_intro: ['(下一步']\n")
    with pytest.raises(ConfigError, match=r"shuzhi.yaml:2: measure_intro\[0\] 的正则「\(下一步」有误"):
        Sphinx(str(tmp_path), str(tmp_path), str(tmp_path / "_build"), str(tmp_path / "_doctrees"), "html",
               status=None, warning=None)
