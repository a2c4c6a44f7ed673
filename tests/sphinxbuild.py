"""A Sphinx HTML build of a test root into a folder of the test's own, for builds run twice
(incremental) or side by side (serial against ``-j 2``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.testing.util import SphinxTestApp


def build(srcdir: Path, outdir: Path, **kwargs: Any) -> SphinxTestApp:
    """Build ``srcdir`` into ``outdir`` (``outdir/html``); the app stays readable after cleanup."""
    app = SphinxTestApp("html", srcdir=srcdir, builddir=outdir, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    return app
