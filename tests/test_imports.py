"""The modules' imports follow the flow of data: no cycles among the project's modules, and importing any
module creates no file (no `./var` at test collection)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "models", "worker", "web", "bench", "synth")
RUNTIME = ("ingest", "models", "worker", "web")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules `name` imports, at module level or inside functions (a lazy import still couples)."""
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                out.add(target)
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_among_the_projects_modules() -> None:
    modules = _modules()
    # A package's __init__ re-exporting its own submodules is not a cycle of the data flow.
    graph = {
        n: {m for m in _imports(n, p, set(modules)) if not m.startswith(n + ".")} for n, p in modules.items()
    }
    assert _cycles(graph) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_creates_no_file(tmp_path: Path, package: str) -> None:
    names = sorted(n for n in _modules() if n.split(".")[0] == package)
    code = "import importlib, sys\nfor n in sys.argv[1:]:\n    importlib.import_module(n)\n"
    done = subprocess.run(
        [sys.executable, "-c", code, *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_runtime_never_imports_the_test_data_tools() -> None:
    modules = _modules()
    runtime = {n: p for n, p in modules.items() if n.split(".")[0] in RUNTIME}
    # `ingest synth` is the one door, and it opens it only when the command runs (ingest/commands/synth.py).
    reaching = {
        n
        for n, p in runtime.items()
        if any(m.split(".")[0] in ("synth", "bench", "tests") for m in _imports(n, p, set(modules)))
    }
    assert reaching == {"ingest.commands.synth"}
