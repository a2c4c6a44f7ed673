# The fixture archive's site configuration, as a real archive has one. The PDF
# build reads it (MyST settings, author) but leaves the site extension out.
project = "述职档案（测试）"
author = "测试编辑组"
language = "zh_CN"
extensions = ["myst_parser", "shuzhi"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]
shuzhi_reports_dir = "reports"
