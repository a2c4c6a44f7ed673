"""The structural model of a report: sections, ordinal items, problems, measures.

One parser for everything: the importer, the rules, the lint CLI, the matcher and
the Sphinx extension all call :func:`parse_report`. The source is tokenised once,
by MyST's own markdown-it parser configured as the archive's build configures it
(:mod:`shuzhi.model.tokens`); sections, items and blocks are built from the tokens and
their line maps, so the model sees the headings, paragraphs and fences the published
page has. It knows nothing of Sphinx or docutils; every element keeps its 1-based
line in the file so findings and page anchors can be located.

Item markers (see docs/howto/links.md)::

    【P1】一是……                  problem P1
    【M2→P1、P3】（二）……          measure M2, addressing problems P1 and P3
    【R1→2022/fagaiwei#P2】一是……  rectification of problem P2 of another report
    【R2→反馈】……                  rectification of a review-feedback item
"""

from __future__ import annotations

from .parse import parse_report
from .report import FEEDBACK, ITEM_PREFIX, PREFIX_KIND, Item, OrdinalRun, Report, Section, default_schema, plain
from .summary import ItemSummary, ReportSummary, report_ref, summarise
from .tokens import Block

__all__ = [
    "FEEDBACK", "ITEM_PREFIX", "PREFIX_KIND", "Block", "Item", "ItemSummary", "OrdinalRun", "Report", "ReportSummary",
    "Section", "default_schema", "parse_report", "plain", "report_ref", "summarise",
]
