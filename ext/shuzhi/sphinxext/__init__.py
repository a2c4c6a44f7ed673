"""The shuzhi Sphinx extension: one ``setup_<feature>`` per module, nothing else here.

=============  ==========================================================
settings       ``shuzhi_*`` config values, validated once
domain         per-report summaries and findings; whole-archive resolution
items          【P1】/【M1→P1】 markers → anchors and badges
linking        problem ↔ measure links on pages, 问题—措施 table, 整改台账 page
analytics      统计分析 pages, organisation timelines, _static/archive.json
archive        generated navigation stubs and the ``shuzhi-archive`` placeholder
listings       landing cards, year, organisation, kind/tag pages
quality        质量检查 page and the badge on each report page
rulesdoc       ``shuzhi-rules``: the rules reference from the registry
safety         reports published as text: no raw HTML, script links, outside files
theme          the ``shuzhi`` HTML theme (no global toctree)
search         Chinese search with the domain dictionary
memory         garbage collection paused/frozen around the loaded environment
buildlog       report warnings to a log file; the summary at the end of a build
=============  ==========================================================
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .analytics import setup_analytics
from .archive import setup_archive
from .buildlog import setup_buildlog
from .domain import setup_domain
from .items import setup_items
from .linking import setup_linking
from .listings import setup_listings
from .memory import setup_memory
from .quality import setup_quality
from .rulesdoc import setup_rulesdoc
from .safety import setup_safety
from .search import setup_search
from .settings import setup_settings
from .theme import setup_theme

#: bump when what the domain stores changes shape (forces a full re-read)
ENV_VERSION = 6


def setup(app: Sphinx) -> dict[str, Any]:
    from .. import __version__

    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    setup_settings(app)
    setup_memory(app)
    setup_domain(app)
    setup_items(app)
    setup_linking(app)
    setup_analytics(app)
    setup_archive(app)
    setup_listings(app)
    setup_quality(app)
    setup_rulesdoc(app)
    setup_safety(app)
    setup_theme(app)
    setup_search(app)
    setup_buildlog(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
