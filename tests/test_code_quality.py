"""ruff and mypy stay clean (the project's style rules, checked like any other test)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "ruff", "check", "generator", "tests", "benchmarks"],
        [sys.executable, "-m", "ruff", "format", "--check", "generator", "tests", "benchmarks"],
        [sys.executable, "-m", "mypy", "generator"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_clean(command):
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
