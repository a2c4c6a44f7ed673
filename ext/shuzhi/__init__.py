"""shuzhi (述职档案): a documentation-as-code archive of Party duty reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"
#: the vocabularies and the archive.json schema, shipped with the package
DATA_DIR = Path(__file__).resolve().parent / "data"


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point: ``extensions = ["shuzhi"]``."""
    from .site.extension import setup as _setup

    return _setup(app)
