"""Bad input: every broken report gets a located Chinese message, through ``shuzhi lint`` and
through one Sphinx build of the whole corpus; nothing raises, hangs, runs or drops another report.

The corpus is tests/bad/ (a Sphinx root) plus two generated cases: a 5 MB report
and one with 2,000 problems. See docs/bad-input.md for the table of cases.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from test_bad_input_helpers import EXPECTED, MANY, PWNED, UNREADABLE, YEAR, copy_corpus, many_problems

from shuzhi.check import check_report
from shuzhi.cli import main
from shuzhi.model import parse_report

REPO = Path(__file__).resolve().parent.parent
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING = re.compile(r"^(?P<path>.+?):(?P<line>\d+): WARNING: (?P<message>.*) \[shuzhi\.(?P<code>[\w-]+)\]$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the corpus; the working directory is a scratch folder (where a YAML tag would write)."""
    base = tmp_path_factory.mktemp("bad")
    scratch = base / "cwd"
    scratch.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(scratch)
        yield copy_corpus(base / "site")


@pytest.fixture(scope="module")
def linted(corpus: Path) -> tuple[int, list[dict[str, Any]], str, float]:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["lint", "--format", "json", "-j", "1", str(corpus / "reports")])
    return status, json.loads(out.getvalue()), err.getvalue(), time.perf_counter() - start


@pytest.fixture(scope="module")
def built(corpus: Path) -> Iterator[tuple[SphinxTestApp, str, float]]:
    start = time.perf_counter()
    app = SphinxTestApp("html", srcdir=corpus, builddir=corpus / "_build", freshenv=True)
    try:
        app.build()
        yield app, _ANSI.sub("", app.warning.getvalue()), time.perf_counter() - start
    finally:
        app.cleanup()


def _build_findings(warnings: str) -> list[tuple[str, int, str, str]]:
    found = []
    for line in warnings.splitlines():
        m = _WARNING.match(line)
        if m:
            name = Path(m["path"]).stem
            found.append((name, int(m["line"]), m["code"], m["message"]))
    return found


def _lint_findings(rows: list[dict[str, Any]]) -> list[tuple[str, int, str, str]]:
    return [(Path(r["path"]).stem, r["line"], r["code"], r["message"]) for r in rows]


def _missing(found: list[tuple[str, int, str, str]], case: str) -> list[tuple[int, str, str]]:
    return [
        (line, code, fragment)
        for line, code, fragment in EXPECTED[case]
        if not any(n == case and ln == line and c == code and fragment in msg for n, ln, c, msg in found)
    ]


# -- shuzhi lint ------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_lint_locates_each_case(linted: tuple[int, list[dict[str, Any]], str, float], case: str) -> None:
    _status, rows, _err, _seconds = linted
    assert _missing(_lint_findings(rows), case) == []


def test_lint_checks_everything_without_traceback(linted: tuple[int, list[dict[str, Any]], str, float], corpus: Path) -> None:
    status, rows, err, seconds = linted
    assert status == 1  # errors (unreadable, duplicate ids, …) but no crash
    assert "Traceback" not in err
    names = {Path(r["path"]).stem for r in rows}
    assert "good" not in names  # the good report stays clean next to the bad ones
    assert set(EXPECTED) <= names
    assert {"huge", "many-problems"} <= {p.stem for p in (corpus / YEAR).glob("*.md")}
    assert seconds < 120, f"lint of the corpus took {seconds:.1f}s"
    for r in rows:  # every finding is inside its file
        text = (corpus / YEAR / Path(r["path"]).name).read_bytes()
        assert 1 <= r["line"] <= text.replace(b"\r\n", b"\n").count(b"\n") + 1


def test_lint_many_problems(linted: tuple[int, list[dict[str, Any]], str, float]) -> None:
    _status, rows, _err, _seconds = linted
    many = [r for r in rows if r["path"].endswith("many-problems.md")]
    # every problem and measure is checked and located; none is silently lost
    unfixed = {r["line"] for r in many if r["code"] == "problem-unfixed"}
    orphans = {r["line"] for r in many if r["code"] == "measure-orphan"}
    assert len(unfixed) + len(orphans) <= 2 * MANY
    assert all(r["code"] in {"problem-unfixed", "measure-orphan"} for r in many)


def test_yaml_tags_do_not_run(linted: tuple[int, list[dict[str, Any]], str, float], built: Any) -> None:
    for name in PWNED:
        assert not Path(name).exists(), f"a YAML tag ran: {name}"
        assert not (REPO / name).exists()


# -- 2,000 problems: linear, not quadratic ------------------------------------------------


def test_many_problems_scale_linearly() -> None:
    def seconds(n: int) -> float:
        text = many_problems(n)
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            report = parse_report(text, "reports/2023/many.md")
            check_report(report)
            best = min(best, time.perf_counter() - start)
        assert len(report.problems) == n and len(report.measures) == n
        return best

    small, large = seconds(MANY // 4), seconds(MANY)
    # four times the items; quadratic would be sixteen times the time
    assert large < 8 * small + 1.0, (small, large)
    assert large < 20


def test_runins_in_one_long_paragraph_are_linear() -> None:
    """Run-in offsets used to be mapped back with a plain() of every prefix (quadratic)."""
    from shuzhi.model.ordinals import int_to_cn

    body = "".join(f"{int_to_cn(i)}是第\\*{i}项问题不够深入；" for i in range(1, 100)) * 20
    text = "---\ntitle: t\n---\n\n## 一、存在问题\n\n" + body + "\n"
    start = time.perf_counter()
    report = parse_report(text, "reports/2023/x.md")
    assert time.perf_counter() - start < 5
    assert report.problems and all(p.line == 7 for p in report.problems)


# -- one Sphinx build of the whole corpus -------------------------------------------------


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_build_locates_each_case(built: tuple[SphinxTestApp, str, float], case: str) -> None:
    _app, warnings, _seconds = built
    assert _missing(_build_findings(warnings), case) == []


def test_build_drops_no_report(built: tuple[SphinxTestApp, str, float], corpus: Path) -> None:
    app, warnings, seconds = built
    out = Path(app.outdir)
    assert "Traceback" not in warnings and "Exception" not in app.status.getvalue()
    reports = sorted(p.stem for p in (corpus / YEAR).glob("*.md"))
    published = {p.stem for p in (out / YEAR).glob("*.html")}
    assert published == set(reports) - set(UNREADABLE)
    # every published report is in the domain and listed on a year page
    domain = app.env.get_domain("shuzhi")
    assert {d.rsplit("/", 1)[-1] for d in domain.reports} == published  # type: ignore[attr-defined]
    listed = "".join(p.read_text(encoding="utf-8") for p in (out / "archive" / "years").glob("*.html"))
    for stem in published:
        assert f"{stem}.html" in listed, stem
    # an unreadable file is one located warning, not mojibake nor a warning per byte
    assert "undecodable source characters" not in warnings
    assert "toc.not_included" not in warnings
    assert seconds < 300


def test_build_good_report_complete(built: tuple[SphinxTestApp, str, float]) -> None:
    app, warnings, _seconds = built
    assert not [f for f in _build_findings(warnings) if f[0] == "good"]
    page = (Path(app.outdir) / YEAR / "good.html").read_text(encoding="utf-8")
    for text in ("区教育局2023年度党建工作总结", "抓思想，夯实理论根基", "理论学习深度不够", "个别支部活动不经常",
                 "深化理论武装，提升学习实效", "开展支部达标创建", 'id="P1"', 'id="P2"', 'id="M1"', 'id="M2"'):
        assert text in page, text
    domain = app.env.get_domain("shuzhi")
    assert domain.findings("reports/2023/good") == ()  # type: ignore[attr-defined]


def test_build_generated_cases_complete(built: tuple[SphinxTestApp, str, float]) -> None:
    app, _warnings, _seconds = built
    out = Path(app.outdir) / YEAR
    assert "最后一段" in (out / "huge.html").read_text(encoding="utf-8")
    many = (out / "many-problems.html").read_text(encoding="utf-8")
    assert f'id="P{MANY}"' in many and f'id="M{MANY}"' in many
