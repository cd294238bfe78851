"""Malformed profiles: one clear line per problem, non-zero exit, no traceback, no output."""

from __future__ import annotations

import json
import textwrap

from conftest import run_cli

GOOD = textwrap.dedent(
    """\
    company:
      name: Test Landscaping
      province: AB
      workers: 8
      industry: landscaping
    partner: acsa
    hazards:
      - lawn_mowers
      - chainsaws
    people:
      owner:
        name: Pat Owner
    """
)


def _build(tmp_path, text):
    profile = tmp_path / "profile.yaml"
    profile.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("build", str(profile), "-o", str(out), "--format", "docx")
    return proc, out


def _assert_refused(proc, out, expected_lines):
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines == expected_lines
    assert not out.exists(), "nothing may be written for a bad profile"


def test_bad_yaml(tmp_path):
    proc, out = _build(tmp_path, GOOD.replace("  - chainsaws", "  - [chainsaws"))
    _assert_refused(proc, out, [f"error: {tmp_path}/profile.yaml:10: invalid YAML: expected ',' or ']', but got ':'"])


def test_unknown_province(tmp_path):
    proc, out = _build(tmp_path, GOOD.replace("province: AB", "province: XX"))
    _assert_refused(
        proc,
        out,
        [
            f"error: {tmp_path}/profile.yaml:3: company.province: must be one of 'AB', 'BC', 'SK', 'MB', 'ON', 'NB', 'NS', 'PE' or 'NL' (got 'XX')"
        ],
    )


def test_unknown_hazard_with_hint(tmp_path):
    proc, out = _build(tmp_path, GOOD.replace("- chainsaws", "- chainsaw"))
    _assert_refused(
        proc,
        out,
        [f"error: {tmp_path}/profile.yaml:9: hazards[1]: unknown hazard 'chainsaw': did you mean 'chainsaws'?"],
    )


def test_negative_workers(tmp_path):
    proc, out = _build(tmp_path, GOOD.replace("workers: 8", "workers: -3"))
    _assert_refused(proc, out, [f"error: {tmp_path}/profile.yaml:4: company.workers: must be at least 1 (got -3)"])


def test_missing_company_name(tmp_path):
    proc, out = _build(tmp_path, GOOD.replace("  name: Test Landscaping\n", ""))
    _assert_refused(proc, out, [f"error: {tmp_path}/profile.yaml:1: company.name: is required"])


def test_every_problem_reported_at_once(tmp_path):
    text = (
        GOOD.replace("province: AB", "province: XX")
        .replace("- chainsaws", "- chainsaw")
        .replace("workers: 8", "workers: -3")
    )
    text = text.replace("  name: Test Landscaping\n", "")
    proc, out = _build(tmp_path, text)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 3  # name, province, workers; hazards checked after
    assert "company.name: is required" in proc.stderr
    assert "company.province" in proc.stderr and "company.workers" in proc.stderr
    assert not out.exists()


def test_unknown_key_gets_a_hint(tmp_path):
    proc, out = _build(tmp_path, GOOD.replace("  workers: 8", "  workers: 8\n  worker_count: 9"))
    _assert_refused(
        proc, out, [f"error: {tmp_path}/profile.yaml:5: company.worker_count: unknown key: did you mean 'workers'?"]
    )


def test_partner_must_serve_province(tmp_path):
    proc, out = _build(tmp_path, GOOD.replace("partner: acsa", "partner: ihsa"))
    _assert_refused(
        proc, out, [f"error: {tmp_path}/profile.yaml:6: partner: IHSA does not certify employers in AB (it serves ON)"]
    )


def test_alias_bomb_refused(tmp_path):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n" + GOOD
    proc, out = _build(tmp_path, bomb)
    _assert_refused(
        proc,
        out,
        [f"error: {tmp_path}/profile.yaml:2: YAML aliases (*name) are not allowed; write the value out in full"],
    )


def test_missing_file(tmp_path):
    proc = run_cli("build", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {tmp_path}/nope.yaml: file not found"


def test_bad_profile_keeps_previous_outputs(tmp_path, example_build):
    """A failed rebuild must not touch a good earlier build in the same folder."""
    out, _ = example_build
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    profile = tmp_path / "profile.yaml"
    profile.write_text(GOOD.replace("workers: 8", "workers: -1"), encoding="utf-8")
    proc = run_cli("build", str(profile), "-o", str(out))
    assert proc.returncode == 2
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert json.loads((out / "build.json").read_text())["company"] == "Prairie Green Landscaping Ltd."
