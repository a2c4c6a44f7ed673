"""Every label the site shows for a value: one place, so that no two pages disagree.

A report without a year is 年份待定 on the landing page, the year pages, the
统计分析 pages, the ledger and the search page alike; the kinds are the
archive's (``shuzhi.yaml``'s ``kinds``, in that order). The search page reads
the same labels (:func:`search_labels`, written into the page as JSON).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: the year key of a report without a year (a folder name and a URL part, not shown)
UNDATED = "undated"

NO_YEAR = "年份待定"
NO_ORG = "单位待定"
NO_KIND = "类型待定"

STATUS = {"draft": "草稿", "final": "定稿"}
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}

#: the generated index pages (path inside the archive folder -> title), in the landing page's order
INDEX_TITLES = {
    "orgs/index": "单位索引",
    "kinds": "类型与标签",
    "quality": "质量检查",
    "ledger": "问题整改台账",
    "analytics/overview": "统计分析",
}
#: the 统计分析 pages: overview first, the others below it
ANALYTICS_TITLES = {
    "overview": "统计分析",
    "categories": "问题分类",
    "recurring": "反复出现的问题",
    "keywords": "关键词",
    "quantities": "数量与占位符",
}
#: Sphinx's own pages, by page name
SPECIAL_TITLES = {"search": "搜索", "genindex": "索引"}
HANDBOOK = "使用手册"


def year_label(year: int | None) -> str:
    """2023 → 2023年; no year → 年份待定."""
    return f"{year}年" if year is not None else NO_YEAR


def year_title(key: str) -> str:
    """A year key ("2023" or "undated") as shown."""
    return NO_YEAR if key == UNDATED else f"{key}年"


def org_label(org: str) -> str:
    return org or NO_ORG


def kind_label(kind: str) -> str:
    return kind or NO_KIND


def status_label(status: str) -> str:
    return STATUS.get(status, status)


def severity_label(severity: str) -> str:
    return SEVERITY.get(severity, severity)


def kind_rank(kind: str, kinds: Sequence[str]) -> int:
    """The position of ``kind`` among the archive's kinds; others (and no kind) after them."""
    return kinds.index(kind) if kind in kinds else len(kinds)


def ordered_kinds(present: Iterable[str], kinds: Sequence[str]) -> list[str]:
    """The kinds present, the archive's first in its order, then any others by name."""
    found = set(present)
    return [k for k in kinds if k in found] + sorted(found - set(kinds))


def search_labels() -> dict[str, str]:
    """What the search page needs to name a facet value the index leaves empty."""
    return {"undated": NO_YEAR, "org": NO_ORG, "kind": NO_KIND, "handbook": HANDBOOK}
