"""Two per-document costs of MyST-Parser that produce nothing, removed.

Profiling a full build showed two fixed costs per document inside MyST-Parser
(``myst_parser.mdit_to_docutils.base``), about 0.75 ms a page together (4 s at 5,000 reports),
which a plain Sphinx + MyST build pays as well:

- ``setup_render`` evaluates ``options.get("document", make_document())``: a whole new docutils
  document, with default settings built from scratch by docutils' option parser (2 ms), is made for
  every page and thrown away, because Sphinx always passes the document (0.5 ms). Here the default settings
  are built once and each such document gets a copy of them.
- ``render_front_matter`` reads the YAML front matter with PyYAML's pure-Python loader. Here the
  module sees a ``yaml`` whose ``safe_load`` uses libyaml (``CSafeLoader``) when PyYAML has it —
  the same loader shuzhi reads front matter with, building the same objects — and everything else
  of PyYAML unchanged (the error classes MyST catches).

Both replace a name inside that one MyST module, nothing global; :func:`unpatched` restores them
(the tests build the same pages both ways and compare every byte). MyST is pinned in
``requirements.txt``; if a new version no longer has these names, nothing is replaced.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import yaml
from myst_parser.mdit_to_docutils import base as _base

from ..model.frontmatter import safe_yaml

_ORIGINAL: dict[str, Any] = {}


class _Yaml:
    """PyYAML as MyST's renderer uses it, with the libyaml loader for ``safe_load``."""

    safe_load = staticmethod(safe_yaml)

    def __getattr__(self, name: str) -> Any:
        return getattr(yaml, name)


@cache
def _defaults(parser_cls: Any) -> Any:
    return _ORIGINAL["get_default_settings"](parser_cls)


def _default_settings(*components: Any) -> Any:
    """docutils' default settings for ``components``, built once, a copy each time."""
    return copy.copy(_defaults(*components)) if len(components) == 1 else _ORIGINAL["get_default_settings"](*components)


def patch() -> None:
    if _ORIGINAL:
        return
    if callable(getattr(_base, "get_default_settings", None)) and getattr(_base, "yaml", None) is yaml:
        _ORIGINAL.update(get_default_settings=_base.get_default_settings, yaml=_base.yaml)
        setattr(_base, "get_default_settings", _default_settings)  # noqa: B010 - a name in MyST's module
        setattr(_base, "yaml", _Yaml())  # noqa: B010


@contextmanager
def unpatched() -> Iterator[None]:
    """MyST as it comes, inside the block."""
    saved = dict(_ORIGINAL)
    for name, value in saved.items():
        setattr(_base, name, value)
    _ORIGINAL.clear()
    try:
        yield
    finally:
        patch()
