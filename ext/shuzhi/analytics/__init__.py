"""Analytics: what the archive says, at a glance (issue 9).

Pure Python: :func:`stats` per report at read time, :func:`analyse` once per
build over the whole archive, :mod:`.charts` for SVG, :mod:`.export` for
``archive.json`` and :mod:`.pages` for the HTML fragments the Sphinx extension
places on the 统计分析 pages. Nothing here imports Sphinx or docutils.
"""

from __future__ import annotations

from .analyse import Analytics, Keyword, Share, YearQuantities, analyse
from .clusters import Cluster, Member, find_clusters
from .stats import LinkStat, Quantity, ReportStats, SectionStat, stats
from .taxonomy import OTHER, Taxonomy, load_taxonomy

__all__ = [
    "OTHER",
    "Analytics",
    "Cluster",
    "Keyword",
    "LinkStat",
    "Member",
    "Quantity",
    "ReportStats",
    "SectionStat",
    "Share",
    "Taxonomy",
    "YearQuantities",
    "analyse",
    "find_clusters",
    "load_taxonomy",
    "stats",
]
