"""Outputs are written atomically: a killed build leaves the previous outputs whole, and
nothing is written outside the chosen output folder."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import yaml
from conftest import EXAMPLE, ROOT

from generator.yamlio import load_yaml


def _digests(out):
    manifest = json.loads((out / "build.json").read_text())
    return {f["path"]: f["sha256"] for f in manifest["files"]}


def _actual(out, paths):
    return {p: hashlib.sha256((out / p).read_bytes()).hexdigest() for p in paths}


def test_killed_build_leaves_previous_outputs_whole(tmp_path, example_build):
    _, _ = example_build
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "generator", "build", str(EXAMPLE), "-o", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    before = _digests(out)
    # rebuild a changed profile and kill it while it writes
    data = load_yaml(EXAMPLE).data
    data["company"]["name"] = "Renamed While Building Ltd."
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(changed), "-o", str(out)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(".staging-*/manual.*")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _actual(out, before) == before, "a killed build changed the previous outputs"
    assert json.loads((out / "build.json").read_text())["company"] == "Prairie Green Landscaping Ltd."
    # the next build clears the staging folder the killed one left behind
    subprocess.run(
        [sys.executable, "-m", "generator", "build", str(changed), "-o", str(out), "--format", "docx"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert not list(out.glob(".staging-*"))


def test_nothing_written_outside_the_output_folder(tmp_path, catalog):
    from generator.build import build

    data = load_yaml(EXAMPLE).data
    data["company"]["name"] = "../../escape/../../etc/passwd"
    data["sites"] = [{"name": "/tmp/evil", "description": "..\\\\..\\\\windows"}]
    profile = tmp_path / "in" / "profile.yaml"
    profile.parent.mkdir()
    profile.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out"
    result = build(profile, out, catalog, formats=("docx",))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
    assert [p.name for p in (tmp_path / "in").iterdir()] == ["profile.yaml"]
    for relative in result.files:
        assert (out / relative).resolve().is_relative_to(out.resolve())
