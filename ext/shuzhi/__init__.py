"""shuzhi (述职档案): a documentation-as-code archive of Party duty reports."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point: ``extensions = ["shuzhi"]``."""
    from .sphinxext import setup as _setup

    return _setup(app)
