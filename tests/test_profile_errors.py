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
            f"error: {tmp_path}/profile.yaml:3: company.province: unknown province 'XX': use one of AB, BC, MB, NB, NL,"
            " NS, ON, PE, SK. safety-manual covers these nine provinces only, because a manual needs the province's"
            " law and a certifying partner's audit pack, and Quebec and the territories have none in it yet"
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
    assert len(proc.stderr.strip().splitlines()) == 4  # name, province, workers and the hazard, in one run
    assert "company.name: is required" in proc.stderr
    assert "hazards[1]: unknown hazard 'chainsaw': did you mean 'chainsaws'?" in proc.stderr
    assert "company.province" in proc.stderr and "company.workers" in proc.stderr
    assert not out.exists()


def test_five_mistakes_five_located_lines_in_one_run(tmp_path):
    text = (
        GOOD.replace("province: AB", "province: Alberta")
        .replace("workers: 8", "workers: eight")
        .replace("industry: landscaping", "industry: landscape")
        .replace("partner: acsa", "partner: acssa")
        .replace("- chainsaws", "- power_lines")
    )
    proc, out = _build(tmp_path, text)
    where = f"error: {tmp_path}/profile.yaml"
    _assert_refused(
        proc,
        out,
        [
            f"{where}:3: company.province: unknown province 'Alberta': did you mean 'AB'? (write the two-letter code:"
            " AB, BC, MB, NB, NL, NS, ON, PE, SK)",
            f"{where}:4: company.workers: must be a whole number (got 'eight')",
            f"{where}:5: company.industry: unknown industry 'landscape': did you mean 'landscaping'?",
            f"{where}:6: partner: unknown certifying partner 'acssa': did you mean 'acsa'?",
            f"{where}:9: hazards[1]: unknown hazard 'power_lines': did you mean 'overhead_powerlines'?",
        ],
    )


def test_quebec_and_yukon_explained():
    for province in ("QC", "YT"):
        proc = run_cli("stream", "--province", province, "--workers", "8")
        assert proc.returncode == 2
        assert proc.stderr.startswith(f"error: unknown province '{province}': use one of AB, BC, MB, NB, NL, NS, ON")
        assert "covers these nine provinces only, because" in proc.stderr


def test_latin1_file_names_the_line_and_the_fix(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_bytes(GOOD.replace("Pat Owner", "Ren\u00e9 Owner").encode("latin-1"))
    proc = run_cli("build", str(profile), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"error: {profile}:12: not UTF-8 text (byte 0xe9 cannot be read, often an accented letter saved as"
        " Latin-1 or Windows-1252): open the file in your editor and save it again with the encoding UTF-8"
    )


def test_tab_indentation_explained(tmp_path):
    proc, out = _build(tmp_path, GOOD.replace("  name: Test Landscaping", "\tname: Test Landscaping"))
    _assert_refused(
        proc,
        out,
        [
            f"error: {tmp_path}/profile.yaml:2: a tab character is used for indentation; YAML needs spaces:"
            " replace the tab with spaces"
        ],
    )


def test_output_naming_a_file_is_explained(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text(GOOD, encoding="utf-8")
    target = tmp_path / "manual.pdf"
    target.write_text("not a folder")
    proc = run_cli("build", str(profile), "-o", str(target))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"error: -o: {target} is a file; -o names the folder the manual and forms are written to,"
        f" e.g. {tmp_path}/profile-manual"
    )
    assert target.read_text() == "not a folder"


def test_secor_above_the_limit_suggests_cor(tmp_path):
    proc, out = _build(
        tmp_path, GOOD.replace("workers: 8", "workers: 12").replace("partner: acsa", "partner: acsa\nstream: SECOR")
    )
    _assert_refused(
        proc,
        out,
        [
            f"error: {tmp_path}/profile.yaml:6: partner: ACSA SECOR is for employers with 10 or fewer workers"
            " (profile has 12): use stream: COR (or leave stream out and the advisor chooses)"
        ],
    )


def test_unknown_key_gets_a_hint(tmp_path):
    proc, out = _build(tmp_path, GOOD.replace("  workers: 8", "  workers: 8\n  worker_count: 9"))
    _assert_refused(
        proc, out, [f"error: {tmp_path}/profile.yaml:5: company.worker_count: unknown key: did you mean 'workers'?"]
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
