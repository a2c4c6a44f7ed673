"""Sphinx configuration of the 述职档案 site.

``make html`` builds the whole archive: reports' content findings are logged as
warnings by severity (see docs/rules.md) and never fail the build.
``sphinx-build -W -t docs . _build/docs`` checks the handbook and the generated
navigation strictly, with the reports left out (``-t docs``): any warning fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "ext"))  # works before `pip install -e ext`

project = "述职档案"
author = "述职档案编辑组"
copyright = "述职档案编辑组"
language = "zh_CN"

extensions = ["myst_parser", "sphinx_design", "shuzhi"]
source_suffix = {".md": "markdown"}
root_doc = "index"

exclude_patterns = [
    ".venv", ".venv-*", "_build", "seeds", "tests", "ext", ".ci", "README.md",
    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", "**/.pytest_cache", "**/__pycache__", ".git",
]

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]
myst_heading_anchors = 3
# our front-matter check reports malformed YAML in Chinese, located; MyST would repeat it in English
suppress_warnings = ["myst.topmatter"]

html_theme = "shuzhi"
html_title = project
html_short_title = project
html_show_sourcelink = True
html_copy_source = True
html_last_updated_fmt = "%Y-%m-%d"

# shuzhi: where reports live and where the generated navigation pages go
shuzhi_reports_dir = "reports"
shuzhi_archive_dir = "archive"

if tags.has("docs"):  # type: ignore[name-defined]  # noqa: F821 - injected by Sphinx
    # the strict docs check: handbook + navigation only, reports left out
    shuzhi_reports_dir = ""
    exclude_patterns.append("reports")
