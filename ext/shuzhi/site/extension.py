"""The extension's ``setup()``: one ``setup_<feature>`` call per module of :mod:`shuzhi.site`."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .analytics_pages import setup_analytics
from .archive_pages import setup_archive
from .background import setup_background
from .buildlog import setup_buildlog
from .bulk import setup_bulk
from .docutilsfast import patch as speed_up_docutils
from .domain import setup_domain
from .items import setup_items
from .link_pages import setup_linking
from .listings import setup_listings
from .memory import setup_memory
from .mystfast import patch as speed_up_myst
from .prune import setup_prune
from .quality import setup_quality
from .resolve import setup_resolve
from .rulesdoc import setup_rulesdoc
from .safety import setup_safety
from .search_builder import setup_search
from .settings import setup_settings
from .theme_setup import setup_theme
from .toctree_purge import setup_toctree_purge

#: bump when what the domain stores changes shape (forces a full re-read)
ENV_VERSION = 9  # 9: the archive view keeps the ledger memo


def setup(app: Sphinx) -> dict[str, Any]:
    from .. import __version__

    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    speed_up_myst()
    speed_up_docutils()
    setup_toctree_purge(app)
    setup_settings(app)
    setup_domain(app)
    setup_resolve(app)  # adds shuzhi-archive-resolved, which memory and background connect to
    setup_memory(app)
    setup_background(app)
    setup_items(app)
    setup_linking(app)
    setup_analytics(app)
    setup_archive(app)
    setup_prune(app)
    setup_listings(app)
    setup_quality(app)
    setup_rulesdoc(app)
    setup_safety(app)
    setup_theme(app)
    setup_bulk(app)
    setup_search(app)
    setup_buildlog(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
