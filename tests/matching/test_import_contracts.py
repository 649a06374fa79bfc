"""The import contracts of pyproject.toml ([tool.importlinter]) hold: matching is a one-way
pipeline and imports no framework or app code, and catalog_app's layers point down
(orchestration → features → shared floor → models). Run here so that `make test` and CI fail
on a violation, with lint-imports' own report as the message."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_lint_imports_keeps_every_contract():
    if os.environ.get("CI") != "true":
        pytest.importorskip("importlinter", reason="pip install -e '.[test]' brings import-linter")
    exe = Path(sys.executable).with_name("lint-imports")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c",
                                           "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"]
    r = subprocess.run(cmd + ["--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout
    assert "catalog_app: orchestration above features above the shared floor above models KEPT" in r.stdout
