"""The layers hold: no import cycle among catalog_app's packages, no function-level import
outside the factory and the CLI, and ruff finds nothing.

The import-linter contracts (tests/matching/test_import_contracts.py) say which layer may
import which; this module checks what they cannot see: a cycle hidden in a function body
(import-linter counts those imports too, but only between the layers it is told about) and
a function-level import that would come back to hide the next one.
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "catalog_app"
# The factory and the CLI wire every feature by design; wsgi and the Celery app build the app.
WIRING = {"__init__.py", "wsgi.py", "celery_app.py", "cli.py"}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts == ("__init__.py",) or path.name in WIRING - {"__init__.py"}:
            continue
        yield path, rel


def _imported(path: Path, rel: Path, node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if not node.level:
            return [node.module or ""]
        package = ["catalog_app", *rel.parts[:-1]]
        base = package[: len(package) - (node.level - 1)]
        if node.module:
            return [".".join([*base, node.module])]
        return [".".join([*base, alias.name]) for alias in node.names]
    return []


def _function_level(tree: ast.AST) -> set[int]:
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return {id(x) for fn in functions for x in ast.walk(fn) if isinstance(x, (ast.Import, ast.ImportFrom))}


def _package_of(rel: Path) -> str:
    return rel.parts[0].removesuffix(".py")


def package_graph() -> tuple[dict[str, set[str]], list[str]]:
    """Edges package -> package from every import (function-level ones too), and where the
    function-level imports of catalog_app modules are."""
    edges: dict[str, set[str]] = defaultdict(set)
    local = []
    for path, rel in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inner = _function_level(tree)
        for node in ast.walk(tree):
            for name in _imported(path, rel, node):
                parts = name.split(".")
                if parts[0] != "catalog_app" or len(parts) < 2:
                    continue
                if id(node) in inner:
                    local.append(f"{rel}:{node.lineno} {name}")
                if parts[1] != _package_of(rel):
                    edges[_package_of(rel)].add(parts[1])
    return edges, local


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one package (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_among_catalog_app_packages():
    edges, _ = package_graph()
    assert cycles(edges) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"moderation": {"notifications"}, "notifications": {"catalog"}, "catalog": {"moderation"}}) == [
        ["catalog", "moderation", "notifications"]]


def test_no_function_level_import_outside_the_factory_and_the_cli():
    _, local = package_graph()
    assert local == []


def test_features_do_not_import_the_orchestration_layer():
    edges, _ = package_graph()
    orchestration = {"publishing", "search"}
    climbing = {package: sorted(targets & orchestration) for package, targets in edges.items()
                if targets & orchestration and package not in orchestration | {"home", "api", "workbench", "demo"}}
    assert climbing == {}


def test_ruff_check_passes():
    exe = Path(sys.executable).with_name("ruff")
    ruff = str(exe) if exe.exists() else shutil.which("ruff")
    if ruff is None:
        if os.environ.get("CI") == "true":
            pytest.fail("ruff is missing: pip install -e '.[test]'")
        pytest.skip("pip install -e '.[test]' brings ruff")
    result = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
