"""The templates of the generated pages (``pages/*.html`` in the ``shuzhi`` theme).

Sphinx renders them with the builder's template engine
(:func:`shuzhi.site.theme_setup.render_fragment`); outside Sphinx (the analytics
pages' tests, other tools) :func:`render` uses a Jinja environment over the same
folder. Either way they are autoescaped: a value from a report is always text.
The theme's own templates (``layout.html``, …) keep Sphinx's settings.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

#: the ``shuzhi`` HTML theme
THEME_DIR = Path(__file__).resolve().parent / "theme" / "shuzhi"
#: the folder of the generated pages' templates inside the theme
PAGES = "pages/"

Render = Callable[[str, dict[str, Any]], str]  # (template name, context) -> HTML


def autoescape_pages(previous: Callable[[str | None], bool] | bool) -> Callable[[str | None], bool]:
    """Jinja's ``autoescape`` setting: on for ``pages/…``, as before for every other template."""

    def autoescape(name: str | None) -> bool:
        if name is not None and name.startswith(PAGES):
            return True
        return previous(name) if callable(previous) else bool(previous)

    return autoescape


@cache
def _environment() -> Any:
    from jinja2 import FileSystemLoader
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(loader=FileSystemLoader(str(THEME_DIR)), autoescape=autoescape_pages(False))


def render(template: str, context: dict[str, Any]) -> str:
    """``template`` (``pages/…``) rendered outside Sphinx, autoescaped."""
    if not template.startswith(PAGES):
        raise ValueError(f"{template} is not a page template")
    return str(_environment().get_template(template).render(context))
