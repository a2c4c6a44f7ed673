"""Item markers on report pages: 【P1】 / 【M2→P1、P3】 become anchors with a badge.

The report's record (stored in the domain by the ``source-read`` handler, just before
this transform runs) says which lines hold items; this transform gives each such paragraph the
item's id as its HTML anchor (``id="P1"``) and replaces a written marker with a
small badge (问题 P1, 措施 M2 → P1、P3, 整改 R1 → 反馈). Local targets link to their
anchors. The problem↔measure links of the ledger build on these anchors.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..model import Item, ItemSummary
from ..model.ordinals import ITEM_MARKER as MARKER

LABEL = {"problem": "问题", "measure": "措施", "rectification": "整改"}


def item_badge(item: Item | ItemSummary) -> nodes.inline:
    """The badge that stands where the written marker was."""
    badge = nodes.inline("", "", classes=["sz-item", f"sz-item-{item.kind}"])
    badge += nodes.inline("", f"{LABEL.get(item.kind, '')} {item.id}", classes=["sz-item-id"])
    if item.targets:
        badge += nodes.inline("", " → ", classes=["sz-item-arrow"])
        for i, target in enumerate(item.targets):
            if i:
                badge += nodes.Text("、")
            if "#" not in target and target != "反馈":
                badge += nodes.reference("", target, internal=True, refid=target)
            else:
                badge += nodes.inline("", target)
    return badge


class ItemMarkers(SphinxTransform):
    """Anchor and badge every item paragraph of a report."""

    default_priority = 400

    def apply(self, **kwargs: object) -> None:
        from .domain import get_domain

        summary = get_domain(self.env).summary(self.env.docname)
        if summary is None or not summary.items:
            return
        by_line = {item.line: item for item in summary.items}
        by_id = {item.id: item for item in summary.items if item.explicit}
        for para in list(self.document.findall(nodes.paragraph)):
            first = para[0] if para.children else None
            marker = MARKER.match(str(first)) if isinstance(first, nodes.Text) else None
            item = by_id.get(marker.group("id")) if marker else by_line.get(para.line or -1)
            if item is None:
                continue
            if item.id not in self.document.ids:
                para["ids"].append(item.id)
                self.document.ids[item.id] = para
            para["classes"].append(f"sz-{item.kind}")
            if marker and first is not None:
                para.replace(first, nodes.Text(str(first)[marker.end():]))
                para.insert(0, item_badge(item))


def setup_items(app: Sphinx) -> None:
    app.add_transform(ItemMarkers)
