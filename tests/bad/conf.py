# The bad-input corpus as a Sphinx root: every broken report next to one good one.
# tests/test_bad_input.py copies it, adds the generated cases (5 MB, 2,000 problems)
# and builds it once.
extensions = ["myst_parser", "sphinx_design", "shuzhi"]
project = "坏输入档案"
language = "zh_CN"
html_theme = "shuzhi"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
# the project's MyST extensions (conf.py), so the vectors meet the same parser
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]
myst_heading_anchors = 3
