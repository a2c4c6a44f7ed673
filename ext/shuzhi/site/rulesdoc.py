"""``{shuzhi-rules}``: the rules reference, rendered from the rule registry.

The registry (``shuzhi.check.REGISTRY``) is the single description of every
rule; docs/rules.md only places this directive, so the reference can never
drift from what ``shuzhi lint`` and the build check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

LEVEL = {"error": "错误", "warning": "警告", "info": "提示", "off": "关闭"}


def registry() -> dict[str, Any]:
    try:
        from ..check import REGISTRY
    except ImportError:  # the rules package is still landing
        return {}
    return dict(REGISTRY)


def rule_title(code: str) -> str:
    rule = registry().get(code)
    return str(rule.title) if rule is not None else ""


def _field(name: str, body: nodes.Node) -> nodes.field:
    return nodes.field("", nodes.field_name("", name), nodes.field_body("", body))


class RulesDirective(SphinxDirective):
    """Render every rule: code, title, default severities, what it finds, example, fix."""

    def run(self) -> list[nodes.Node]:
        from ..check import registry as registry_module
        # the page is re-read when the registry changes (an upgrade of shuzhi), like an included file
        self.env.note_dependency(str(Path(registry_module.__file__).resolve()))
        rules = registry()
        if not rules:
            return [nodes.paragraph("", "规则模块尚未安装，暂无规则说明。")]
        out: list[nodes.Node] = []
        summary = nodes.bullet_list(classes=["sz-codes"])
        for code, rule in rules.items():
            para = nodes.paragraph()
            para += nodes.reference("", "", nodes.literal("", code), internal=True, refid=code)
            para += nodes.Text(f" {rule.title}")
            summary += nodes.list_item("", para)
        out.append(summary)
        for code, rule in rules.items():
            box = nodes.container(ids=[code], classes=["sz-rule"])
            head = nodes.paragraph(classes=["sz-rule-head"])
            head += nodes.literal("", code)
            head += nodes.strong("", f" {rule.title}")
            box += head
            fields = nodes.field_list()
            fields += _field("查什么", nodes.paragraph("", rule.description))
            level = f"草稿（draft）：{LEVEL.get(rule.draft, rule.draft)}；定稿（final）：{LEVEL.get(rule.final, rule.final)}"
            fields += _field("默认级别", nodes.paragraph("", level))
            fields += _field("范围", nodes.paragraph("", "跨报告检查" if getattr(rule, "scope", "report") == "archive" else "逐篇检查"))
            fields += _field("示例", nodes.literal_block(rule.example, rule.example))
            fields += _field("修改方法", nodes.paragraph("", rule.fix))
            silence = nodes.paragraph()
            silence += nodes.Text("构建时屏蔽：在 conf.py 的 suppress_warnings 中加入 ")
            silence += nodes.literal("", f'"shuzhi.{code}"')
            silence += nodes.Text("；调整级别：在 shuzhi.yaml 中写 ")
            silence += nodes.literal("", f"severities: {{{code}: off}}")
            silence += nodes.Text("。")
            fields += _field("屏蔽或调整", silence)
            box += fields
            out.append(box)
        return out


def setup_rulesdoc(app: Sphinx) -> None:
    app.add_directive("shuzhi-rules", RulesDirective)
