"""The package's shape, as docs/architecture.md describes it: folders that name the flow, no two
modules of one name, no module over 400 lines, no function over 60, no import cycle."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ext" / "shuzhi"
FOLDERS = {"read", "model", "check", "match", "site", "publish", "search", "analytics", "evaluate", "bench"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "theme" not in p.parts)


def dotted(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_folders_name_the_flow() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders == FOLDERS
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "cli", "config", "confshape", "labels", "slug"}


def test_no_two_modules_share_a_name() -> None:
    names = Counter(p.stem for p in modules() if p.stem not in ("__init__", "__main__"))
    assert [name for name, n in names.items() if n > 1] == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_and_function_sizes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} 行)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def _imports(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports when it is loaded (not inside functions, not for
    type checking only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = dotted(path) if path.name == "__init__.py" else dotted(path).rpartition(".")[0]
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in [node] if not isinstance(node, ast.Try) else node.body:
            if isinstance(sub, ast.ImportFrom):
                base = sub.module or ""
                if sub.level:
                    base = ".".join([*package.split(".")[: len(package.split(".")) - sub.level + 1], *([base] if base else [])])
                if base.startswith("shuzhi"):
                    out.add(base)
                    out.update(f"{base}.{a.name}" for a in sub.names)
            elif isinstance(sub, ast.Import):
                out.update(a.name for a in sub.names if a.name.startswith("shuzhi"))
    return out


def test_no_import_cycles() -> None:
    known = {dotted(p): p for p in modules()}
    graph = {name: {m for m in _imports(path) if m in known and m != name} for name, path in known.items()}
    # a package's __init__ importing its own submodules is how a package is made, not a cycle
    for name in graph:
        graph[name] = {m for m in graph[name] if not m.startswith(name + ".")}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []
