"""The ``shuzhi lint`` verb: text and JSON output, exit status, bad files, configuration."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from shuzhi.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
ARCHIVE = FIXTURES / "archive"

EXPECTED = [
    (
        "2023/fagaiwei.md", 9, "warning", "section-missing",
    ),
    ("2023/fagaiwei.md", 13, "warning", "placeholder"),
    ("2023/fagaiwei.md", 15, "warning", "numbering"),
    ("2023/jiwei.md", 23, "error", "watermark"),
]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(ARCHIVE, root / "reports")
    (root / "shuzhi.yaml").write_text("# test archive\n", encoding="utf-8")
    return root


def _rows(out: str, root: Path) -> list[tuple[str, int, str, str]]:
    rows = []
    for line in out.strip().splitlines():
        location, severity_code, _message = line.split(": ", 2)
        path, number = location.rsplit(":", 1)
        severity, code = severity_code.split(" ")
        rows.append((Path(path).relative_to(root / "reports").as_posix(), int(number), severity, code))
    return rows


def test_text_output_sorted_with_summary(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["lint", str(archive / "reports")])
    out, err = capsys.readouterr()
    assert status == 1
    assert _rows(out, archive) == EXPECTED
    assert err.strip().splitlines()[-1] == "检查了 3 份报告：1 个错误，3 个警告。"


def test_json_output(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["lint", "--format", "json", str(archive / "reports")])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert status == 1
    assert all(set(row) == {"path", "line", "code", "severity", "message"} for row in data)
    assert [
        (Path(r["path"]).relative_to(archive / "reports").as_posix(), r["line"], r["severity"], r["code"]) for r in data
    ] == EXPECTED
    assert "序号跳号" in data[2]["message"]
    assert err == ""


def test_exit_zero_without_errors(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["lint", str(archive / "reports" / "2023" / "fagaiwei.md"), str(archive / "reports" / "2022")])
    out, err = capsys.readouterr()
    assert status == 0
    assert "warning placeholder" in out and ": error " not in out
    assert "检查了 2 份报告：0 个错误" in err


def test_default_path_is_reports(archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(archive)
    assert main(["lint"]) == 1
    out, _err = capsys.readouterr()
    assert out.splitlines()[0].startswith("reports/2023/fagaiwei.md:9: warning section-missing:")


def test_config_override_from_shuzhi_yaml(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (archive / "shuzhi.yaml").write_text(
        'severities:\n  watermark: "off"\n  numbering: {draft: error}\nplaceholder:\n  exceptions: ["x次"]\n', encoding="utf-8"
    )
    status = main(["lint", "--format", "json", str(archive / "reports")])
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    assert [(r["code"], r["severity"]) for r in data] == [("section-missing", "warning"), ("numbering", "error")]


def test_bad_files_are_located_and_others_still_checked(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reports = archive / "reports" / "2023"
    (reports / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (reports / "gbk.md").write_bytes("---\ntitle: 测试\n---\n正文\n".encode("gbk"))
    (reports / "empty.md").write_text("", encoding="utf-8")
    (reports / "yaml.md").write_text("---\ntitle: [\nyear: !!python/object:os.system 1\n---\n", encoding="utf-8")
    status = main(["lint", "--format", "json", str(archive / "reports")])
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    by_file = {}
    for r in data:
        by_file.setdefault(Path(r["path"]).name, []).append((r["line"], r["code"]))
    assert by_file["binary.md"] == [(1, "unreadable")]
    assert by_file["gbk.md"] == [(2, "unreadable")]
    assert by_file["empty.md"] == [(1, "front-matter")]
    assert by_file["yaml.md"] == [(2, "front-matter")]  # the line of the unclosed "["
    gbk = next(r for r in data if r["path"].endswith("gbk.md"))
    assert "GBK" in gbk["message"]
    assert "jiwei.md" in by_file and "fagaiwei.md" in by_file


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(tmp_path / "nothing")]) == 2
    assert "找不到" in capsys.readouterr().err


def test_parallel_equals_serial(archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import shuzhi.check.lint

    # copies of one report, one per worker chunk: each duplicate-report message lists the others
    # in the order the reports were checked, so results joined out of order would change it
    source = archive / "reports" / "2023" / "fagaiwei.md"
    for k in range(5):
        shutil.copy(source, source.with_name(f"copy{k}.md"))
    main(["lint", "--format", "json", "-j", "1", str(archive / "reports")])
    serial = capsys.readouterr().out
    assert sum(row["code"] == "duplicate-report" for row in json.loads(serial)) == 6
    monkeypatch.setattr(shuzhi.check.lint, "PARALLEL_MIN", 1)
    main(["lint", "--format", "json", "-j", "2", str(archive / "reports")])
    assert capsys.readouterr().out == serial


def test_lint_does_not_import_sphinx(archive: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from shuzhi.cli import main; main(['lint', '-j', '1', sys.argv[1]]); "
        "print('sphinx' in sys.modules, 'jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(archive / "reports")], capture_output=True, text=True).stdout
    # explicitly linked reports need neither Sphinx nor the matcher's jieba
    assert out.strip().splitlines()[-1] == "False False"


def test_lint_never_raises_on_arbitrary_bytes(tmp_path: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    import shuzhi.check.lint
    from shuzhi.config import Config

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8"))))
    def run(data: bytes) -> None:
        path = tmp_path / "x.md"
        path.write_bytes(data)
        findings, count = shuzhi.check.lint.lint([path], Config())
        assert count == 1
        normalised = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = normalised.count(b"\n") + 1
        for f in findings:
            assert 1 <= f.line <= lines, f

    run()


def test_json_is_exactly_what_json_dumps_writes() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from shuzhi.model.findings import Code, Finding, findings_json

    text = st.text(max_size=20)
    finding = st.builds(Finding, text, st.integers(min_value=0, max_value=10**6), st.sampled_from(list(Code)) | text,
                         st.sampled_from(["error", "warning", "info"]), text)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(finding, max_size=5))
    def run(findings: list[Finding]) -> None:
        assert findings_json(findings) == json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)

    run()


def test_collect_lists_each_file_once_through_links(tmp_path: Path) -> None:
    from shuzhi.check.lint import collect

    reports = tmp_path / "reports"
    (reports / "2023").mkdir(parents=True)
    (reports / "2023" / "a.md").write_text("a", encoding="utf-8")
    (reports / "2023" / "b.md").write_text("b", encoding="utf-8")
    (reports / "2023" / "notes.md").mkdir()  # a folder named like a report is not one
    (reports / "link.md").symlink_to(reports / "2023" / "a.md")
    (reports / "dangling.md").symlink_to(reports / "nowhere.md")
    (tmp_path / "alias").symlink_to(reports / "2023", target_is_directory=True)
    files, missing = collect([str(reports), str(tmp_path / "alias" / "b.md"), str(tmp_path / "none")])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["reports/2023/a.md", "reports/2023/b.md"]
    assert missing == [str(tmp_path / "none")]


def test_parser_debug_is_skipped_only_when_nobody_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from shuzhi.check.lint import quiet_parser_debug
    from shuzhi.model.tokens import tokenise

    tokenise("# 标题\n\n正文。\n")  # the parser and its loggers exist
    heard = logging.getLogger("markdown_it.rules_block.heading")
    quiet = logging.getLogger("markdown_it.rules_block.paragraph")
    for logger in (heard, quiet):
        vars(logger).pop("debug", None)  # undo an earlier run in this process
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    monkeypatch.setattr(heard, "handlers", [handler])
    heard.setLevel(logging.DEBUG)
    try:
        quiet_parser_debug()
        assert "debug" in vars(quiet) and "debug" not in vars(heard)
        tokenise("# 另一个标题\n")
    finally:
        heard.setLevel(logging.NOTSET)
        vars(quiet).pop("debug", None)
    assert any(r.name == heard.name for r in records)


def test_cache_keeps_the_output_and_checks_only_what_changed(
    archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shuzhi.check.lint

    reports = str(archive / "reports")
    checked: list[str] = []
    real = shuzhi.check.lint.check_file

    def counting(path: Path, config: object) -> object:
        checked.append(path.name)
        return real(path, config)  # type: ignore[arg-type]

    monkeypatch.setattr(shuzhi.check.lint, "check_file", counting)

    def run(*extra: str) -> str:
        checked.clear()
        assert main(["lint", "--format", "json", *extra, reports]) == 1
        return capsys.readouterr().out

    fresh = run()
    assert run("--cache") == fresh and len(checked) == 3
    assert (archive / "_build" / "lint-cache.pickle").is_file()
    assert run("--cache") == fresh and checked == []
    # one report edited: only it is checked again, and the output is what a fresh run gives
    edited = archive / "reports" / "2023" / "jiwei.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("。", "。XX", 1), encoding="utf-8")
    fresh = run()
    assert run("--cache") == fresh and checked == ["jiwei.md"]
    # the configuration changed: everything is checked again
    (archive / "shuzhi.yaml").write_text("severities: {placeholder: off}\n", encoding="utf-8")
    fresh = run()
    assert run("--cache") == fresh and len(checked) == 3
    # a damaged cache file is ignored and replaced
    (archive / "_build" / "lint-cache.pickle").write_bytes(b"not a pickle")
    assert run("--cache") == fresh and len(checked) == 3
    assert run("--cache") == fresh and checked == []


def _lint_outputs(paths: list[str], capsys: pytest.CaptureFixture[str], *extra: str) -> list[tuple[int, str, str]]:
    """(exit status, stdout, stderr) of the JSON and the text output."""
    outputs = []
    for form in ("json", "text"):
        status = main(["lint", "--format", form, *extra, *paths])
        captured = capsys.readouterr()
        outputs.append((status, captured.out, captured.err))
    return outputs


def test_parallel_equals_serial_on_a_generated_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shuzhi.check.lint
    from shuzhi.bench.generate import generate, load_samples

    reports = tmp_path / "site" / "reports"
    generate(load_samples(Path(__file__).resolve().parents[1] / "reports"), 160, reports)
    (tmp_path / "site" / "shuzhi.yaml").write_text("# generated\n", encoding="utf-8")
    serial = _lint_outputs([str(reports)], capsys, "-j", "1")
    assert serial[0][0] == 1 and len(json.loads(serial[0][1])) > 160  # the generated reports have findings
    monkeypatch.setattr(shuzhi.check.lint, "PARALLEL_MIN", 1)
    assert _lint_outputs([str(reports)], capsys, "-j", "2") == serial
    assert _lint_outputs([str(reports)], capsys, "-j", "3") == serial
    # where processes cannot be forked, each worker loads the configuration itself
    monkeypatch.setattr(shuzhi.check.lint.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert _lint_outputs([str(reports)], capsys, "-j", "2") == serial


def test_one_processor_checks_in_this_process(
    archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shuzhi.check.lint

    serial = _lint_outputs([str(archive / "reports")], capsys, "-j", "1")

    def no_pool(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("no worker processes on one processor")

    monkeypatch.setattr(shuzhi.check.lint, "PARALLEL_MIN", 1)
    monkeypatch.setattr(shuzhi.check.lint, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr(shuzhi.check.lint.os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert shuzhi.check.lint.cpu_count() == 1
    assert _lint_outputs([str(archive / "reports")], capsys) == serial


def test_listing_finds_what_rglob_finds_in_path_order(tmp_path: Path) -> None:
    from shuzhi.check.lint import _markdown_files

    root = tmp_path / "reports"
    for name in ("a/b.md", "a-b/c.md", "a.b/d.md", "2023/报告.md", "2023/Z.md", "2023/a.md", ".hidden/e.md",
                 "2023/sub/deep/f.md", "g.md", "X.MD", "note.txt", "2023/.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    (root / "folder.md").mkdir()
    (root / "link.md").symlink_to(root / "g.md")
    (root / "dangling.md").symlink_to(root / "nowhere.md")
    (root / "alias").symlink_to(root / "2023", target_is_directory=True)  # rglob does not enter it
    listed = _markdown_files(root)
    assert [p for p, _link in listed] == sorted(p for p in root.rglob("*.md") if p.is_file())
    assert [p.name for p, link in listed if link] == ["link.md"]
    assert _markdown_files(tmp_path / "reports" / "a") == [(root / "a" / "b.md", False)]


def test_collector_is_paused_and_each_chunk_swept(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import shuzhi.check.lint as lint_module
    from shuzhi.config import load_config

    freed: list[int] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            freed.append(1)

    original = lint_module.check_file

    def leaving_a_cycle(path: Path, config: object) -> object:
        assert not gc.isenabled()  # paused while reports are checked
        Cycle()
        return original(path, config)  # type: ignore[arg-type]

    monkeypatch.setattr(lint_module, "check_file", leaving_a_cycle)
    monkeypatch.setattr(lint_module, "SWEEP_EVERY", 1)
    files, _missing = lint_module.collect([str(archive / "reports")])
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    lint_module.lint(files, load_config(archive), jobs=1)
    assert len(freed) == len(files) > 1  # the cycles each chunk left were collected by its sweep
    assert (gc.isenabled(), gc.get_freeze_count()) == (enabled, frozen)
