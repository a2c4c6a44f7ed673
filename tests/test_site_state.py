"""Typed state: one frozen record per report and one archive view in the domain, nothing on the app."""

from __future__ import annotations

import ast
import dataclasses
import shutil
from pathlib import Path

import pytest
from sphinxbuild import build

from shuzhi.site.domain import get_domain
from shuzhi.site.state import ArchiveView, DocRecord, build_state

PACKAGE = Path(__file__).resolve().parent.parent / "ext" / "shuzhi"
ROOTS = Path(__file__).parent / "roots"


def test_build_leaves_records_and_one_view(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive", src)
    app = build(src, tmp_path / "out", parallel=2)
    domain = get_domain(app.env)
    assert set(domain.data) - {"version"} == {"records", "view"}
    records = domain.records
    assert records and all(isinstance(r, DocRecord) for r in records.values())
    record = next(iter(records.values()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.findings = ()  # type: ignore[misc]
    # the record is what the report's page and the summary pages are made of
    with_problems = [r for r in records.values() if r.summary.problems]
    assert with_problems and all(r.features and r.stats.ref == r.summary.ref for r in with_problems)
    view = domain.view
    assert isinstance(view, ArchiveView)
    assert {e.ref for e in view.ledger} == {r.summary.ref for r in with_problems}
    assert set(view.pages) == set(records) and set(view.listing) == set(records)
    # per-build bookkeeping lives in one typed state, not as attributes on the application
    assert not [name for name in vars(app) if name.startswith("shuzhi")]
    state = build_state(app)
    assert state.touched == frozenset(records) and state.scan is not None


def _attribute_writes(tree: ast.AST) -> list[str]:
    """``app.shuzhi_x = …`` / ``setattr(app, "shuzhi_x", …)`` and ``temp_data["shuzhi_…"]`` in one module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("shuzhi_") and isinstance(node.value, ast.Name) \
                and node.value.id in ("app", "self", "env"):
            found.append(f"{node.value.id}.{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr == "temp_data":
            found.append("temp_data")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "setattr") \
                and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) \
                and isinstance(node.args[0], ast.Name) and node.args[0].id in ("app", "self", "env") \
                and str(node.args[1].value).startswith("shuzhi_"):
            found.append(f"{node.func.id}(…, {node.args[1].value!r})")
    return found


def test_no_handler_hands_state_through_the_app_or_temp_data() -> None:
    offenders = {}
    for path in sorted((PACKAGE / "site").rglob("*.py")):
        found = _attribute_writes(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[path.name] = found
    assert offenders == {}


def test_the_check_finds_a_handoff() -> None:
    code = 'def f(app, env):\n    app.shuzhi_scan = 1\n    env.temp_data["shuzhi_report"] = 2\n    getattr(app, "shuzhi_x", None)\n'
    assert sorted(_attribute_writes(ast.parse(code))) == ["app.shuzhi_scan", "getattr(…, 'shuzhi_x')", "temp_data"]
