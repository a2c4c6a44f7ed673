"""A Sphinx HTML build of a test root into a folder of the test's own, for builds run twice
(incremental) or side by side (serial against ``-j 2``)."""

from __future__ import annotations

import hashlib
import re
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


def outputs(html: Path) -> dict[str, str]:
    """What a build published, for comparing two builds: every page, the search index, the archive
    export, and the Excel ledger's digest (reproducible byte for byte); asset version stamps left out."""
    files = [*html.rglob("*.html"), html / "searchindex.js", html / "_static" / "archive.json"]
    out = {p.relative_to(html).as_posix(): re.sub(r"\?v=[0-9a-f]+", "", p.read_text(encoding="utf-8"))
           for p in sorted(files)}
    out["_static/ledger.xlsx"] = hashlib.sha256((html / "_static" / "ledger.xlsx").read_bytes()).hexdigest()
    return out
