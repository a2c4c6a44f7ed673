# shuzhi 述职档案 —— 日常操作都在这里。`make help` 列出全部目标。
SHELL   := /bin/bash
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
VENV9   := .venv-sphinx9
STAMP9  := $(VENV9)/.installed
SPHINXOPTS ?=
BUILDDIR := _build

.DEFAULT_GOAL := help
.PHONY: help setup system html docs-check test test-sphinx9 wheel lint check pdf livehtml import new bench eval clean ledger

help: ## 列出所有目标
	@grep -E '^[a-z][a-zA-Z0-9_-]*:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*?## "}{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt ext/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e ./ext
	@touch $(STAMP)

setup: $(STAMP) ## 创建 .venv 并安装锁定版本的依赖（其他目标会自动执行）

# Sphinx prints its progress; the extension writes every warning to the log file, keeps the
# report findings off the terminal and ends with a summary. V=1: every warning on the terminal.
html: $(STAMP) ## 构建 HTML 站点到 _build/html：显示进度与小结，警告全文见 _build/html-warnings.log（V=1 逐条显示）
	$(BIN)/sphinx-build -b html $(if $(V),,-D shuzhi_warning_log=$(BUILDDIR)/html-warnings.log) $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/html

docs-check: $(STAMP) ## 严格检查手册页（-W，不含报告内容）
	$(BIN)/sphinx-build -W -q -t docs -b html . $(BUILDDIR)/docs

system: ## 安装测试和 PDF 需要的 Debian 软件包（缺少时；需 root）
	@bash .ci/install-system-packages browser pdf office

test: $(STAMP) system ## 运行全部测试（含浏览器测试；缺少的系统软件包先自动安装）
	node --test tests/js/
	$(BIN)/python -m pytest -q tests

$(STAMP9): requirements-sphinx9.txt ext/pyproject.toml
	@test -x $(VENV9)/bin/python || $(PYTHON) -m venv $(VENV9)
	$(VENV9)/bin/python -m pip install -q -r requirements-sphinx9.txt
	$(VENV9)/bin/python -m pip install -q --no-deps -e ./ext
	@touch $(STAMP9)

test-sphinx9: $(STAMP9) system ## 在 Sphinx 9 下运行全部测试（另建 .venv-sphinx9，版本锁定在 requirements-sphinx9.txt）
	$(VENV9)/bin/python -m pytest -q tests

wheel: $(STAMP) ## 构建扩展的发布包（wheel）到 _build/dist，供其他 Sphinx 项目 pip install
	@rm -rf ext/build  # setuptools keeps removed modules in its build folder: start clean
	$(BIN)/python -m build --wheel --no-isolation --outdir $(BUILDDIR)/dist ext

lint: $(STAMP) ## 检查 reports/ 下所有报告（不启动 Sphinx；只重新检查改动过的报告）
	$(BIN)/shuzhi lint --cache reports

check: $(STAMP) ## 代码检查：ruff 与 mypy
	$(BIN)/ruff check ext tests
	$(BIN)/mypy

pdf: $(STAMP) ## 生成年度 PDF 汇编到 _build/pdf（每年一册）；只要某年：make pdf ARGS="--year 2023"
	@bash .ci/install-system-packages pdf
	$(BIN)/shuzhi pdf --root . --out $(BUILDDIR)/pdf $(ARGS)

ledger: $(STAMP) ## 导出整改台账 Excel 到 _build/ledger/ledger.xlsx；只要一部分：make ledger ARGS="--year 2023 --status 整改后复现"
	$(BIN)/shuzhi ledger reports --format xlsx --out $(BUILDDIR)/ledger/ledger.xlsx $(ARGS)

livehtml: $(STAMP) ## 边写边看：修改后自动重建并刷新浏览器
	$(BIN)/shuzhi live --host 127.0.0.1 -d $(BUILDDIR)/doctrees . $(BUILDDIR)/html --ignore archive

import: $(STAMP) ## 导入原始报告：make import SRC=文件或目录 [ARGS="--year 2023"]
	@test -n "$(SRC)" || { echo "请用 SRC= 指定要导入的文件或目录，例如 make import SRC=seeds/"; exit 2; }
	$(BIN)/shuzhi import $(SRC) $(ARGS)

new: $(STAMP) ## 新建下一年度报告：make new ORG=单位 YEAR=2024 [KIND=述职报告]
	$(BIN)/shuzhi new --org "$(ORG)" --year "$(YEAR)" $(if $(KIND),--kind "$(KIND)")

bench: $(STAMP) ## 性能基准：合成 N 篇报告并计时（N="250 1000" 可改），及导入 10 页 PDF、15 页 Word 的用时
	$(BIN)/python -m shuzhi.bench --n $(or $(N),250 1000)
	$(BIN)/python -m shuzhi.bench.imports

eval: $(STAMP) ## 导入准确率评测：导入 tests/corpus/cases 并与人工答案比对，逐字段列出精确率与召回率
	$(BIN)/shuzhi eval tests/corpus/cases $(ARGS)

clean: ## 删除构建输出（保留 .venv）
	rm -rf $(BUILDDIR) archive
