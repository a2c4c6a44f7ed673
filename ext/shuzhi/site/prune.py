"""Pages of removed reports leave the site.

Sphinx leaves the output of a removed document in place. At ``build-finished`` every HTML page
and copied source under the reports and archive folders of the output that no document produces
any more is deleted, with the folders this leaves empty.

Looking costs a walk of both folders (0.4 s at 5,000 reports), so it is done only when something
can be stale: when this build removed documents, or started from a fresh environment (``-E``, a
first build, an unreadable environment: the old output is unknown), or when an earlier build that
had to did not finish it. A marker file in the doctree folder says so from the moment the need is
known (``env-get-outdated``) until the pruning is done.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .settings import settings

logger = logging.getLogger(__name__)

#: in the doctree folder while the output may hold pages of removed documents
PENDING = "shuzhi-prune-pending"


def _prune_output(app: Sphinx, exception: BaseException | None) -> None:
    """Delete the HTML (and copied source) of reports and generated pages that no longer exist.

    Sphinx leaves the output of a removed document in place, so a deleted or
    renamed report would stay on the published site, reachable by its old
    address. The reports and archive folders of the output are generated from
    documents only, so anything there without a document is stale — after an
    incremental build or a ``-E`` one alike.
    """
    builder = app.builder
    if exception is not None or not isinstance(builder, StandaloneHTMLBuilder):
        return
    pending = Path(app.doctreedir) / PENDING
    if not pending.exists():
        return
    conf = settings(app)
    outdir = os.fspath(builder.outdir)
    folders = [f for f in (conf.reports_dir, conf.archive_dir) if f]
    # paths as strings: hashing 5,000 Path objects and walking with rglob took 0.6 s of every build
    expected = {os.path.normpath(builder.get_outfilename(d)) for d in app.env.all_docs}
    removed = failed = 0
    for folder in folders:
        for path in _files(os.path.join(outdir, folder)):
            if path.endswith(builder.out_suffix) and path not in expected:
                if _remove(Path(path)):
                    removed += 1
                else:
                    failed += 1
    sources = os.path.join(outdir, "_sources")
    suffixes = sorted(app.config.source_suffix, key=len, reverse=True)
    for folder in folders:
        for path in _files(os.path.join(sources, folder)):
            name = Path(os.path.relpath(path, sources)).as_posix().removesuffix(app.config.html_sourcelink_suffix)
            docname = next((name.removesuffix(s) for s in suffixes if name.endswith(s)), name)
            if docname not in app.env.all_docs and not _remove(Path(path)):
                failed += 1
    for root in [os.path.join(outdir, f) for f in folders] + [os.path.join(sources, f) for f in folders]:
        for dirpath, _, _ in sorted(os.walk(root, topdown=False), reverse=True):
            if dirpath != root and not os.listdir(dirpath):
                _remove(Path(dirpath))
    if removed:
        logger.info(f"已删除 {removed} 个不再存在的报告或档案页面的旧 HTML 文件。")
    if not failed:  # otherwise the next build tries again
        pending.unlink(missing_ok=True)


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Before anything is written: whether this build's output may hold stale pages (see the module)."""
    if removed or app.fresh_env_used is not False:
        pending = Path(app.doctreedir) / PENDING
        try:
            pending.parent.mkdir(parents=True, exist_ok=True)
            pending.touch()
        except OSError:
            pass  # the doctree folder is not writable: Sphinx says so when it saves the environment
    return []


def _files(root: str) -> list[str]:
    """Every file under ``root`` (none if it does not exist), as normalised paths, in sorted order."""
    return sorted(os.path.normpath(os.path.join(d, name)) for d, _, names in os.walk(root) for name in names)


def _remove(path: Path) -> bool:
    try:
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink()
    except OSError as exc:
        logger.warning(f"无法删除已不存在的页面留下的旧文件 {path}（{exc.strerror}），请手工删除。",
                       type="shuzhi", subtype="output")
        return False
    return True


def setup_prune(app: Sphinx) -> None:
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _prune_output)
