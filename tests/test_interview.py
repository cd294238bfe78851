"""The questionnaire: answers files, missing answers without a terminal, a real terminal."""

from __future__ import annotations

import datetime as dt
import os
import sys

import pexpect
import yaml
from conftest import ROOT, run_cli

from generator.profile import load_profile

FULL = {
    "company": {"name": "North Shore Electric", "province": "BC", "workers": 15, "industry": "electrical"},
    "partner": "bccsa",
    "hazards": ["electrical_work", "ladders", "lockout_tagout"],
    "people": {"owner": {"name": "Sam Ortiz", "title": "Owner"}},
    "emergency": {"hospital": {"name": "Lions Gate Hospital"}},
}


def _write(path, data):
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_answers_file_makes_a_valid_profile(tmp_path, catalog):
    answers = _write(tmp_path / "answers.yaml", FULL)
    out = tmp_path / "profile.yaml"
    proc = run_cli("interview", "--answers", str(answers), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    profile = load_profile(out, catalog)
    assert profile.company.name == "North Shore Electric"
    assert profile.stream == "Small COR"  # advised: 15 workers is within BC's limit of 19
    assert profile.people.safety_contact.name == "Sam Ortiz"  # defaults to the owner
    assert out.read_text().startswith("# Health and safety manual profile")
    assert profile.document.date == dt.date.today()  # fixed, so later rebuilds print the same date


def test_missing_answers_without_terminal_names_them(tmp_path):
    partial = {k: v for k, v in FULL.items() if k not in ("people",)}
    partial["company"] = {k: v for k, v in FULL["company"].items() if k != "workers"}
    answers = _write(tmp_path / "answers.yaml", partial)
    out = tmp_path / "profile.yaml"
    proc = run_cli("interview", "--answers", str(answers), "-o", str(out), input="")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: no terminal to ask on, and the answers are missing: company.workers, people.owner.name"
        " (put them in the file given with --answers, or run in a terminal)"
    ]
    assert not out.exists()


def test_bad_answer_in_file_is_reported(tmp_path):
    data = dict(FULL, company=dict(FULL["company"], province="Alberta"))
    answers = _write(tmp_path / "answers.yaml", data)
    proc = run_cli("interview", "--answers", str(answers), "-o", str(tmp_path / "p.yaml"))
    assert proc.returncode == 2
    assert f"error: {answers}: company.province: 'Alberta' is not one of the choices" in proc.stderr


def test_existing_profile_is_not_overwritten(tmp_path):
    out = tmp_path / "profile.yaml"
    out.write_text("keep me")
    proc = run_cli("interview", "--answers", str(_write(tmp_path / "a.yaml", FULL)), "-o", str(out))
    assert proc.returncode == 2
    assert out.read_text() == "keep me"


def _spawn(args, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm", COLUMNS="120", LINES="40")
    return pexpect.spawn(
        sys.executable,
        ["-m", "generator", *args],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )


def test_interactive_questionnaire_in_a_terminal(tmp_path, catalog):
    """Drive the real questionary prompts through a pseudo-terminal."""
    # the file answers everything but five questions; blank answers skip optional ones
    answers = {
        "company": {
            "province": "BC",
            "industry": "electrical",
            "legal_name": "",
            "phone": "",
            "address": {"street": "", "city": "", "postal_code": ""},
        },
        "people": {
            "owner": {"name": "Sam Ortiz", "title": "Owner", "phone": ""},
            "safety_contact": {"name": "Sam Ortiz", "phone": ""},
        },
        "emergency": {
            "hospital": {"name": "Lions Gate Hospital", "address": ""},
            "muster_point": "Front gate",
            "first_aiders": [],
        },
        "document": {"program_start": ""},
        "operations": {
            "works_alone": "sometimes",
            "alone_when": ["client_sites"],
            "crews": "owner_leads",
            "owner_roles": ["supervisor"],
            "hires_out": ["gas"],
            "vehicles": ["pickup"],
            "access": "ladders_only",
            "locations": ["homes"],
            "shift_hours": 9,
            "travel": "local",
        },
    }
    _write(tmp_path / "answers.yaml", answers)
    child = _spawn(["interview", "--answers", "answers.yaml", "-o", "profile.yaml"], tmp_path)
    child.expect("What is your company's name")
    child.sendline("Coastline Electric & Sons")
    child.expect("How many workers")
    child.sendline("twelve")  # rejected: must be a whole number
    child.expect("must be a whole number")
    child.sendline("12")
    child.expect("Which certificate")
    child.send("\r")  # advised default: Small COR
    child.expect("Which certifying partner")
    child.send("\r")
    child.expect("Which hazards")
    child.send(" ")  # untick the first suggested hazard
    child.send("\r")
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    assert child.exitstatus == 0, child.before
    profile = load_profile(tmp_path / "profile.yaml", catalog)
    assert profile.company.name == "Coastline Electric & Sons"
    assert profile.company.workers == 12
    assert profile.partner == "bccsa" and profile.stream == "Small COR"
    suggested = catalog.industries["electrical"].hazards
    assert len(profile.hazards) == len(suggested) - 1


def test_ctrl_c_leaves_no_profile(tmp_path):
    child = _spawn(["interview", "-o", "profile.yaml"], tmp_path)
    child.expect("What is your company's name")
    child.send("Half typed")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "nothing was written" in child.before
    assert not (tmp_path / "profile.yaml").exists()
    assert list(tmp_path.iterdir()) == []
