"""The shuzhi Sphinx extension (``setup`` in :mod:`.extension`), one module per feature.

Importing this package loads nothing of Sphinx: the templates and labels are used outside it.

===============  ============================================================
extension        ``setup()``: one ``setup_<feature>`` call per module below
settings         ``shuzhi_*`` config values, validated once
domain           per-report summaries and findings; whole-archive resolution
items            【P1】/【M1→P1】 markers → anchors and badges
link_pages       problem ↔ measure links on pages, 问题—措施 table
ledgerpage       整改台账 page and _static/ledger.xlsx
analytics_pages  统计分析 pages, organisation timelines, _static/archive.json
archive_pages    generated navigation stubs and the ``shuzhi-archive`` placeholder
listings         landing cards, year, organisation, kind/tag pages
quality          质量检查 page and the badge on each report page
rulesdoc         ``shuzhi-rules``: the rules reference from the registry
safety           reports published as text: no raw HTML, script links, outside files
theme_setup      the ``shuzhi`` HTML theme (no global toctree)
templates        the theme's Jinja page templates, also usable outside Sphinx
search_builder   Chinese search with the domain dictionary
memory           garbage collection paused/frozen around the loaded environment
buildlog         report warnings to a log file; the summary at the end of a build
live             ``shuzhi live`` (make livehtml): rebuilds forked from a resident process
===============  ============================================================
"""
