"""The wheel carries the data folders: an installed copy works from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT


def test_wheel_install_finds_its_data(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(wheels.glob("safety_manual-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))
    where = subprocess.run(
        [sys.executable, "-c", "import generator.paths as p; print(p.data_dir('manual_templates'))"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(target)), where.stdout
    script = target / "bin" / "safety-manual"
    proc = subprocess.run([str(script), "packs", "--json"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert any(p["id"] == "acsa-secor" for p in json.loads(proc.stdout))
    proc = subprocess.run(
        [str(script), "build", str(ROOT / "examples" / "alberta-landscaping.yaml"), "-o", "out", "--format", "docx"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert (elsewhere / "out" / "manual.docx").is_file()
    assert (elsewhere / "out" / "forms").is_dir()
