"""Publishing safety: no script from a report runs in the reader's browser.

A small site (the good report and tests/bad/reports/2023/html-vectors.md, which
holds every vector: <script>, onerror=, <iframe>, javascript: links in Markdown,
HTML and reST, {raw} html, :file: includes, files from outside the archive, and
HTML in the front matter) is built and every page is loaded in headless
Chromium. Each vector would set ``window.__pwned`` or ``document.title``.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium, serve
from sphinx.testing.util import SphinxTestApp
from sphinxbuild import build
from test_bad_input_helpers import CORPUS, YEAR

from shuzhi.check.markup import unsafe_uri

REPO = Path(__file__).resolve().parent.parent
VECTORS = "html-vectors"


def _site(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("conf.py", "index.md"):
        shutil.copy(CORPUS / name, dest / name)
    (dest / YEAR).mkdir(parents=True)
    for stem in ("good", VECTORS):
        shutil.copy(CORPUS / YEAR / f"{stem}.md", dest / YEAR / f"{stem}.md")
    return dest


def _build(srcdir: Path, **overrides: object) -> SphinxTestApp:
    app = build(srcdir, srcdir / "_build", freshenv=True, confoverrides=overrides)
    return app


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SphinxTestApp, Path]]:
    app = _build(_site(tmp_path_factory.mktemp("safety") / "site"))
    yield app, Path(app.outdir)


def _pages(out: Path) -> list[str]:
    skip = ("_static", "_sources", "_images", "_downloads")
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                  if not p.relative_to(out).as_posix().startswith(skip) and p.name not in ("search.html", "genindex.html"))


# run in the page: everything a report's markup could have left behind
_PROBE = """
const bad = [];
if (window.__pwned !== undefined) bad.push('ran: ' + window.__pwned);
if (document.title === 'pwned') bad.push('title: ' + document.title);
for (const s of document.querySelectorAll('script')) {
  if ((s.textContent || '').includes('__pwned') || (s.src || '').startsWith('data:')) bad.push('script: ' + s.outerHTML.slice(0, 80));
}
for (const el of document.querySelectorAll('*')) {
  for (const a of el.attributes) {
    const v = a.value.replace(/[\\s\\u0000-\\u001f]+/g, '').toLowerCase();
    // on a report page no handler at all; the site's own pages have a few (the ledger's filter form)
    if (a.name.startsWith('on') && (arguments[0] || v.includes('pwned'))) bad.push('handler: ' + el.tagName + ' ' + a.name);
    if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(a.name)
        && (v.startsWith('javascript:') || v.startsWith('vbscript:') || v.startsWith('data:text'))) bad.push('uri: ' + el.tagName + ' ' + a.value);
  }
}
if (arguments[0]) {  // a report page: no embedded documents at all (archive pages draw SVG charts)
  for (const tag of ['iframe', 'object', 'embed', 'svg', 'frame', 'base', 'form']) {
    for (const el of document.querySelectorAll('[role=main] ' + tag + ', .body ' + tag)) bad.push('element: ' + tag);
  }
}
return bad;
"""


def test_no_report_script_runs_in_the_browser(site: tuple[SphinxTestApp, Path]) -> None:
    _app, out = site
    pages = _pages(out)
    assert f"{YEAR}/{VECTORS}.html" in pages and any(p.startswith("archive/orgs/") for p in pages)
    with serve(out) as base, chromium() as driver:
        for page in pages:
            driver.get(f"{base}/{page}")
            time.sleep(0.3)  # <img src=x onerror> fires once the image has failed to load
            assert driver.execute_script(_PROBE, page.startswith("reports/")) == [], page
        # the reader still sees what was written, as text
        driver.get(f"{base}/{YEAR}/{VECTORS}.html")
        text = driver.find_element("css selector", "body").text
        for shown in ('<script>window.__pwned = "block-script"', "<img src=x onerror=", "<iframe src=", "点击领取",
                      "全年推进网络安全工作", "加强网络安全教育", "reST 链接"):
            assert shown in text, shown


def test_vectors_are_located_warnings(site: tuple[SphinxTestApp, Path]) -> None:
    app, out = site
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    located = {(int(m[1]), m[2]) for m in re.finditer(rf"{VECTORS}\.md:(\d+): WARNING: .* \[shuzhi\.(unsafe-[a-z]+)\]", warnings)}
    source = (CORPUS / YEAR / f"{VECTORS}.md").read_text(encoding="utf-8").split("\n")

    def line_of(needle: str) -> int:
        return next(i for i, text in enumerate(source, start=1) if needle in text)

    def near(needle: str, code: str) -> bool:  # a directive's block may be located at its fence
        return (line_of(needle), code) in located or (line_of(needle) - 1, code) in located

    for needle in ("inline-script", "block-script", "img-onerror", "<iframe", "a-href", "raw-directive",
                   "svg-onload", ".. raw:: html", "onmouseover", "rst-link"):
        assert near(needle, "unsafe-html"), needle
    assert (line_of("{image}"), "unsafe-file") in located and (line_of("附件："), "unsafe-file") in located
    # nothing from outside the archive was copied into the site, nothing was included
    assert not list(out.glob("_images/hostname")) and not list(out.glob("_downloads/*/hostname"))
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip() if Path("/etc/hostname").is_file() else ""
    page = (out / YEAR / f"{VECTORS}.html").read_text(encoding="utf-8")
    if hostname:
        assert f">{hostname}<" not in page and f"\n{hostname}\n" not in page
    assert "Traceback" not in warnings


def test_lint_finds_the_markdown_vectors_and_the_build_reports_each_once(site: tuple[SphinxTestApp, Path]) -> None:
    """``shuzhi lint`` names the raw HTML and {raw} blocks without a build, with the build's own messages;
    the build reports each element once (the rule's finding, or the transform's for what only the parsed
    document shows: reST, {eval-rst}), and the 质量检查 page lists them."""
    from shuzhi.check.lint import check_file
    from shuzhi.config import load_config

    app, out = site
    path = CORPUS / YEAR / f"{VECTORS}.md"
    linted = [f for f in check_file(path, load_config())[0] if f.code == "unsafe-html"]
    source = path.read_text(encoding="utf-8").split("\n")
    for needle in ("inline-script", "block-script", "img-onerror", "<iframe", "a-href", "onmouseover"):
        line = next(i for i, text in enumerate(source, start=1) if needle in text)
        assert any(f.line == line for f in linted), needle
    for needle in ("raw-directive", "svg-onload"):  # ```{raw} html and :::{raw} html, at their fence or body
        line = next(i for i, text in enumerate(source, start=1) if needle in text)
        assert any(f.line in (line - 1, line) for f in linted), needle
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    built = re.findall(rf"{VECTORS}\.md:(\d+): WARNING: (.*) \[shuzhi\.unsafe-html\]", warnings)
    assert len(built) == len(set(built))  # no element twice
    messages = {message for _line, message in built}
    assert {f.message for f in linted} <= messages
    assert len(messages) > len({f.message for f in linted})  # the build also sees {eval-rst}
    quality = (out / "archive" / "quality.html").read_text(encoding="utf-8")
    assert quality.count("unsafe-html") >= len(built)


def test_trusted_archive_publishes_html(tmp_path: Path) -> None:
    """The documented opt-in: shuzhi_trusted_html = True publishes raw HTML as written.

    Also proves the probe: on the trusted build it sees the scripts run.
    """
    app = _build(_site(tmp_path / "site"), shuzhi_trusted_html=True)
    out = Path(app.outdir)
    page = (out / YEAR / f"{VECTORS}.html").read_text(encoding="utf-8")
    assert '<script>window.__pwned = "block-script"' in page
    assert "unsafe-html" not in app.warning.getvalue()
    with serve(out) as base, chromium() as driver:
        driver.get(f"{base}/{YEAR}/{VECTORS}.html")
        time.sleep(0.3)
        found = driver.execute_script(_PROBE, True)
    assert any(f.startswith("ran: ") for f in found) and any(f.startswith("handler: ") for f in found), found


def test_trusted_html_is_validated(tmp_path: Path) -> None:
    from sphinx.errors import ConfigError

    src = _site(tmp_path / "site")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('shuzhi_trusted_html = "yes"\n')
    with pytest.raises(ConfigError, match="shuzhi_trusted_html 应为 True 或 False"):
        SphinxTestApp("html", srcdir=src)


@pytest.mark.parametrize(
    "uri,image,unsafe",
    [
        ("javascript:alert(1)", False, True),
        ("JaVaScRiPt:alert(1)", False, True),
        ("  java\tscript:alert(1)", False, True),
        ("vbscript:msgbox", False, True),
        ("data:text/html;base64,PHNjcmlwdD4=", False, True),
        ("data:image/svg+xml;base64,PHN2Zz4=", True, True),
        ("data:image/png;base64,iVBORw0KGgo=", True, False),
        ("https://example.org/javascript:x", False, False),
        ("../2022/fagaiwei.html#P1", False, False),
        ("mailto:office@example.org", False, False),
    ],
)
def test_unsafe_uri(uri: str, image: bool, unsafe: bool) -> None:
    assert unsafe_uri(uri, image=image) is unsafe


def test_yaml_is_only_ever_loaded_safely() -> None:
    """Front matter, shuzhi.yaml and the data files: safe loaders only (safe_load, or the C SafeLoader)."""
    offenders = []
    for path in (REPO / "ext" / "shuzhi").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            unsafe_call = re.search(r"yaml\.(?:load|unsafe_load|full_load|load_all)\(|Loader\s*=", line)
            unsafe_class = re.search(r"yaml\.C?(?:Unsafe|Full)?Loader\b", line)
            if unsafe_call or unsafe_class:
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []
