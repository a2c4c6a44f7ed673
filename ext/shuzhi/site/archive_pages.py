"""Archive navigation generated from front matter: nobody edits a toctree.

At ``builder-inited`` the front matter of ``reports/**/*.md`` is scanned (cheap: YAML only, and only
of the files changed since the last build) and small stub pages are written into the gitignored
``archive/`` folder — one per year, one per organisation, the organisation index, the kind/tag index
and the 质量检查 page — each rewritten only when its text changes, so incremental builds stay
incremental. A stub holds its title, a ``shuzhi-archive`` placeholder and, where the page is a
parent in the breadcrumb tree, a hidden toctree. Placeholders are filled at ``doctree-resolved``
from the domain (the sphinx.ext.todo pattern) by the renderer registered for the page kind in
:data:`RENDERERS` (collection paused meanwhile: see :mod:`..publish.collector`); a new page kind
(the ledger, say) is one more renderer and one more stub.

The root page holds ``{shuzhi-archive} landing``, which adds the year pages to its hidden toctree at
read time and depends on ``archive/_nav.txt``: the root is re-read exactly when the set of years or index pages changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.matching import Matcher

from ..labels import ANALYTICS_TITLES, INDEX_TITLES, org_label, year_title
from ..model import frontmatter
from ..publish.collector import paused
from ..slug import slugify
from .domain import UNDATED, archive_config, sort_key, year_key
from .settings import settings
from .state import build_state

logger = logging.getLogger(__name__)

NAV_FILE = "_nav.txt"
#: the index pages under the landing page, in order
INDEX_PAGES = tuple(INDEX_TITLES)
#: the 统计分析 pages: overview first, the others below it
ANALYTICS_PAGES = ANALYTICS_TITLES
UNKNOWN_ORG = "unknown"


@dataclass(frozen=True)
class Entry:
    """One report as the front-matter scan sees it."""

    docname: str
    title: str
    year: str  # year key
    org: str
    kind: str
    tags: tuple[str, ...] = ()


@dataclass
class Scan:
    entries: list[Entry] = field(default_factory=list)
    org_slugs: dict[str, str] = field(default_factory=dict)  # org ("" = unknown) -> slug
    archive_dir: str = "archive"
    kinds: tuple[str, ...] = ()  # the archive's kinds, in its order

    def years(self) -> list[str]:
        keys = {e.year for e in self.entries}
        return sorted(keys - {UNDATED}, reverse=True) + ([UNDATED] if UNDATED in keys else [])

    def org_doc(self, org: str) -> str:
        slug = self.org_slugs.get(org) or _slug(org)
        return f"{self.archive_dir}/orgs/{slug}"

    def year_doc(self, key: str) -> str:
        return f"{self.archive_dir}/years/{key}"

    def page(self, name: str) -> str:
        return f"{self.archive_dir}/{name}"


def whole_archive_pages(scan: Scan) -> list[str]:
    """Generated pages that summarise the whole archive (rewritten whenever any report changes)."""
    return [scan.page(p) for p in INDEX_PAGES] + [scan.page(f"analytics/{name}") for name in ANALYTICS_PAGES]


def get_scan(app: Sphinx) -> Scan:
    return build_state(app).scan or Scan(archive_dir=settings(app).archive_dir)


#: org -> slug computed by an earlier build (pypinyin takes most of a second to load)
_SLUG_CACHE: dict[str, str] = {}


def _slug(org: str) -> str:
    if not org:
        return UNKNOWN_ORG
    if org in _SLUG_CACHE:
        return _SLUG_CACHE[org]
    _SLUG_CACHE[org] = _pinyin_slug(org)
    return _SLUG_CACHE[org]


def _pinyin_slug(org: str) -> str:
    return slugify(org) or "org"


def _slugs(orgs: set[str]) -> dict[str, str]:
    slugs: dict[str, str] = {}
    taken: dict[str, str] = {}
    for org in sorted(orgs):
        slug = _slug(org)
        if slug in taken and taken[slug] != org:  # same pinyin, different characters
            slug = f"{slug}-{hashlib.sha1(org.encode()).hexdigest()[:6]}"
        taken[slug] = org
        slugs[org] = slug
    return slugs


#: bump when what the scan keeps of a report changes (older caches are then ignored)
SCAN_CACHE_VERSION = 1
SCAN_CACHE = "shuzhi-scan.pickle"  # beside the doctrees
_Stamp = tuple[int, int]  # (mtime_ns, size) of a report file


def report_files(srcdir: Path, reports_dir: str) -> list[tuple[str, os.stat_result]]:
    """Every ``.md`` file under the reports folder (symbolic links to folders not followed, as
    :meth:`Path.rglob`): its path relative to ``srcdir`` (POSIX) and its ``stat``, in path order.
    One pass per build, shared by the encoding check and the scan (``os.walk``: a third of the
    time ``rglob`` and ``Path.stat`` took over 5,000 reports)."""
    found: list[tuple[str, os.stat_result]] = []
    for dirpath, _, names in os.walk(os.path.join(srcdir, reports_dir)):
        for name in names:
            if name.endswith(".md"):
                full = os.path.join(dirpath, name)
                try:
                    found.append((os.path.relpath(full, srcdir).replace(os.sep, "/"), os.stat(full)))
                except OSError:
                    continue
    found.sort(key=lambda f: f[0].split("/"))
    return found


def scan_reports(srcdir: Path, reports_dir: str, archive_dir: str, exclude: list[str],
                 kinds: tuple[str, ...], cache: Path | None = None,
                 files: list[tuple[str, os.stat_result]] | None = None) -> Scan:
    """The front matter of every report. With ``cache`` (a file beside the doctrees), a report
    whose size and modification time are unchanged since the last build is not read again.
    ``files``: :func:`report_files`, if the build has them already."""
    scan = Scan(archive_dir=archive_dir, kinds=kinds)
    if not reports_dir or not (srcdir / reports_dir).is_dir():
        return scan
    known = _read_scan_cache(cache, kinds)
    seen: dict[str, tuple[_Stamp, Entry]] = {}
    excluded = Matcher(exclude)
    for rel, st in report_files(srcdir, reports_dir) if files is None else files:
        if excluded(rel):
            continue
        stamp = (st.st_mtime_ns, st.st_size)
        docname = rel.removesuffix(".md")
        hit = known.get(docname)
        if hit is not None and hit[0] == stamp:
            entry = hit[1]
        else:
            try:
                text = (srcdir / rel).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue  # the read phase reports it, located
            fm = frontmatter.parse(text.replace("\r\n", "\n"), kinds)
            entry = Entry(docname, fm.get_str("title") or docname, year_key(fm.year), fm.get_str("org"),
                          fm.get_str("kind"), tuple(fm.tags))
        seen[docname] = (stamp, entry)
        scan.entries.append(entry)
    scan.org_slugs = _slugs({e.org for e in scan.entries})
    if cache is not None and seen != known:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_bytes(pickle.dumps((SCAN_CACHE_VERSION, kinds, seen), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # only a cache
    return scan


def scanned_stamps(cache: Path) -> dict[str, _Stamp]:
    """docname -> (mtime_ns, size) of each report the last build scanned: each was UTF-8 text then."""
    return {d: v[0] for d, v in _scan_cache(cache)[1].items()}


def _read_scan_cache(cache: Path | None, kinds: tuple[str, ...]) -> dict[str, tuple[_Stamp, Entry]]:
    if cache is None:
        return {}
    cached_kinds, entries = _scan_cache(cache)
    return entries if cached_kinds == kinds else {}


def _scan_cache(cache: Path) -> tuple[tuple[str, ...] | None, dict[str, tuple[_Stamp, Entry]]]:
    """The kinds the last scan was made for and its entries (none if the file is missing or unusable)."""
    try:
        version, kinds, entries = pickle.loads(cache.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None, {}
    if version != SCAN_CACHE_VERSION or not isinstance(entries, dict):
        return None, {}
    return kinds, entries


# -- stubs ----------------------------------------------------------------------------


def _toctree(docnames: list[str]) -> str:
    if not docnames:
        return ""
    lines = "\n".join(f"/{d}" for d in docnames)
    return f"\n```{{toctree}}\n:hidden:\n\n{lines}\n```\n"


_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def _md_text(text: str) -> str:
    """Front-matter text as literal Markdown on one line: an org named <img onerror=…> stays text."""
    return _MD_PUNCT.sub(r"\\\1", " ".join(text.splitlines()))


def _stub(title: str, kind: str, key: str | None = None, children: list[str] | None = None) -> str:
    option = f":key: {' '.join(key.splitlines())}\n" if key is not None else ""
    return (
        # listings repeat report titles: keep them out of the search index (nosearch)
        "---\nnosearch: true\n---\n\n% 本文件由 shuzhi 根据报告元数据自动生成，请勿手工编辑。\n\n"
        f"# {_md_text(title)}\n\n```{{shuzhi-archive}} {kind}\n{option}```\n" + _toctree(children or [])
    )


def stubs(scan: Scan) -> dict[str, str]:
    """Relative path (inside the archive folder) -> page text."""
    pages: dict[str, str] = {}
    for year in scan.years():
        entries = sorted((e for e in scan.entries if e.year == year),
                         key=lambda e: sort_key(e.kind, e.org, e.title, e.docname, scan.kinds))
        pages[f"years/{year}.md"] = _stub(year_title(year), "year", year, [e.docname for e in entries])
    orgs = sorted(scan.org_slugs, key=lambda o: (o == "", o))
    pages["orgs/index.md"] = _stub(INDEX_TITLES["orgs/index"], "orgs", None, [scan.org_doc(o) for o in orgs])
    for org in orgs:
        pages[f"orgs/{scan.org_slugs[org]}.md"] = _stub(org_label(org), "org", org or '""')
    for name in ("kinds", "quality", "ledger"):
        pages[f"{name}.md"] = _stub(INDEX_TITLES[name], name)
    subpages = [scan.page(f"analytics/{name}") for name in ANALYTICS_PAGES if name != "overview"]
    for name, title in ANALYTICS_PAGES.items():
        children = subpages if name == "overview" else None
        pages[f"analytics/{name}.md"] = _stub(title, "analytics", name, children)
    nav = [scan.year_doc(y) for y in scan.years()] + [scan.page(p) for p in INDEX_PAGES]
    pages[NAV_FILE] = "\n".join(nav) + "\n"
    return pages


def write_stubs(folder: Path, pages: dict[str, str]) -> list[str]:
    """Write pages whose text changed, delete stale ones; return what was written."""
    written = []
    for rel, text in pages.items():
        path = folder / rel
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    if folder.is_dir():
        for path in folder.rglob("*"):
            if path.is_file() and path.relative_to(folder).as_posix() not in pages:
                path.unlink()
    return written


def _builder_inited(app: Sphinx) -> None:
    conf = settings(app)
    cache = Path(app.doctreedir) / "shuzhi-slugs.json"
    try:
        loaded = json.loads(cache.read_text(encoding="utf-8"))
        # slugs become file names: take back only what _pinyin_slug could have made
        _SLUG_CACHE.update({k: v for k, v in loaded.items()
                            if isinstance(k, str) and isinstance(v, str) and re.fullmatch(r"[a-z0-9-]+", v)})
    except (OSError, ValueError):
        pass
    known = len(_SLUG_CACHE)
    scan = scan_reports(Path(app.srcdir), conf.reports_dir, conf.archive_dir,
                        list(app.config.exclude_patterns), archive_config(app).kinds,
                        cache=Path(app.doctreedir) / SCAN_CACHE, files=build_state(app).report_files)
    if len(_SLUG_CACHE) != known:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(_SLUG_CACHE, ensure_ascii=False), encoding="utf-8")
    build_state(app).scan = scan
    write_stubs(Path(app.srcdir) / conf.archive_dir, stubs(scan))


# -- the placeholder ------------------------------------------------------------------


class archive_page(nodes.General, nodes.Element):
    """Placeholder for generated content, replaced at doctree-resolved."""


class ArchiveDirective(SphinxDirective):
    """``{shuzhi-archive} <kind>``: a generated listing (landing, year, org, …)."""

    required_arguments = 1
    option_spec = {"key": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        if kind not in RENDERERS:
            logger.warning(f"未知的档案页面类型「{kind}」，可用：{'、'.join(RENDERERS)}。",
                           type="shuzhi", subtype="directive", location=self.get_location())
            return []
        key = self.options.get("key", "")
        node = archive_page(kind=kind, key="" if key == '""' else key)
        self.set_source_info(node)
        return [node]


def _landing_toctrees(app: Sphinx, doctree: nodes.document) -> None:
    """The landing page's hidden toctree of year and index pages, added at ``doctree-read`` before
    Sphinx's toctree collector (priority 500) notes it. Done here, not in the directive: it needs
    the application's scan, which directives reach only through ``env.app`` (deprecated in Sphinx 9)."""
    for node in list(doctree.findall(archive_page)):
        if node["kind"] == "landing":
            node.parent.insert(node.parent.index(node) + 1, _landing_toctree(app, node))


def _landing_toctree(app: Sphinx, node: archive_page) -> nodes.Node:
    env = app.env
    folder = settings(app).archive_dir
    env.note_dependency(str(Path(env.srcdir) / folder / NAV_FILE))
    scan = get_scan(app)
    docnames = [scan.year_doc(y) for y in scan.years()]
    docnames += [scan.page(p) for p in INDEX_PAGES]
    toctree = addnodes.toctree()
    toctree["parent"] = env.docname
    toctree["entries"] = [(None, d) for d in docnames]
    toctree["includefiles"] = docnames
    for key, value in (("maxdepth", -1), ("caption", None), ("glob", False), ("hidden", True),
                       ("includehidden", False), ("numbered", 0), ("titlesonly", False)):
        toctree[key] = value
    toctree.source, toctree.line = node.source, node.line
    wrapper = nodes.compound(classes=["toctree-wrapper"])
    wrapper += toctree
    return wrapper


Renderer = Callable[[Sphinx, str, str], list[nodes.Node]]
#: page kind -> renderer(app, fromdocname, key); filled by the feature modules
RENDERERS: dict[str, Renderer] = {}


@paused()  # a whole-archive page: many acyclic objects, 10 full collections (2.9 s) at 5,000 reports
def _fill(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    for node in list(doctree.findall(archive_page)):
        render = RENDERERS.get(node["kind"])
        node.replace_self(render(app, fromdocname, node["key"]) if render else [])


def setup_archive(app: Sphinx) -> None:
    app.add_node(archive_page)
    app.add_directive("shuzhi-archive", ArchiveDirective)
    app.connect("builder-inited", _builder_inited)
    app.connect("doctree-read", _landing_toctrees, priority=400)
    app.connect("doctree-resolved", _fill)
