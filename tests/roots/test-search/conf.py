extensions = ["myst_parser", "sphinx_design", "shuzhi"]
project = "搜索测试档案"
language = "zh_CN"
html_theme = "shuzhi"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3
