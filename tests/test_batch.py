"""Batch builds: parallel, a summary table, bad profiles reported without stopping."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_cli

CASES = Path(__file__).parent / "cases"


def test_batch_builds_good_profiles_and_reports_bad_ones(tmp_path):
    folder = tmp_path / "clients"
    folder.mkdir()
    shutil.copy(CASES / "ab-roofing" / "profile.yaml", folder / "summit.yaml")
    shutil.copy(CASES / "on-renovation" / "profile.yaml", folder / "maple.yaml")
    (folder / "broken.yaml").write_text("company: {name: Broken Co, province: AB, workers: -2}\n")
    out = tmp_path / "out"
    proc = run_cli("batch", str(folder), "-o", str(out), "--jobs", "2", "--format", "docx")
    assert proc.returncode == 1
    assert "Summit Ridge Roofing Inc." in proc.stdout and "Maple Leaf Home Renovations" in proc.stdout
    assert "FAILED" in proc.stdout
    assert (
        f"error: broken.yaml: {folder}/broken.yaml:1: company.workers: must be at least 1 (got -2) (+4 more)"
        in proc.stderr
    )
    assert (out / "summit" / "manual.docx").is_file()
    assert (out / "maple" / "manual.docx").is_file()
    assert not (out / "broken" / "manual.docx").exists()
    header = next(line for line in proc.stdout.splitlines() if "client" in line and "status" in line)
    for column in ("client", "stream", "partner", "pages", "seconds", "status"):
        assert column in header


def test_batch_all_good_exits_zero(tmp_path):
    folder = tmp_path / "clients"
    folder.mkdir()
    shutil.copy(CASES / "mb-framing" / "profile.yaml", folder / "redriver.yaml")
    proc = run_cli("batch", str(folder), "-o", str(tmp_path / "out"), "--jobs", "1", "--format", "docx")
    assert proc.returncode == 0, proc.stderr
    assert "CSAM" in proc.stdout
    assert "unchanged" not in proc.stdout
    files = len(list((tmp_path / "out" / "redriver").rglob("*.docx")))
    again = run_cli("batch", str(folder), "-o", str(tmp_path / "out"), "--jobs", "1", "--format", "docx")
    assert again.returncode == 0, again.stderr
    assert f"ok ({files} files unchanged)" in again.stdout


def test_batch_empty_folder(tmp_path):
    proc = run_cli("batch", str(tmp_path), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {tmp_path}: no profiles (*.yaml) found"
