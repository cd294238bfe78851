"""The questionnaire: answers files, missing answers without a terminal, a real terminal."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import sys
import time

import pexpect
import yaml
from conftest import ROOT, run_cli

from generator.profile import load_profile

# how the company works: answered in the files so the terminal tests reach the questions they test
OPERATIONS = {
    "works_alone": "sometimes",
    "alone_when": ["client_sites"],
    "crews": "owner_leads",
    "owner_roles": ["supervisor"],
    "hires_out": ["gas"],
    "vehicles": ["pickup"],
    "access": "ladders_only",
    "locations": ["client_sites"],
    "shift_hours": 8,
    "travel": "local",
}


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
    # the closing hint names a command this shell can run, even when safety-manual is not on PATH
    hint = proc.stdout.strip().split("Build the manual with: ")[1]
    program, *rest = shlex.split(hint)
    assert rest == ["build", str(out)]
    assert shutil.which(program, path=os.environ.get("PATH")) or os.path.isfile(program), hint


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


def _accept_hazard_list(child):
    """Press Enter on the hazard checklist once it is drawn and ready for keys.

    The list has 65 entries; a key sent while prompt_toolkit is still setting it up is lost,
    so the test waits for the end of the drawing and a moment more.
    """
    child.expect("Which hazards")
    child.expect(r"\?7h")
    time.sleep(0.5)
    child.send("\r")


def _spawn(args, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm", COLUMNS="120", LINES="100", PROMPT_TOOLKIT_NO_CPR="1")
    return pexpect.spawn(
        sys.executable,
        ["-m", "generator", *args],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(100, 120),  # the hazard list (65 hazards) fits on one screen
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
        "operations": dict(OPERATIONS, locations=["homes"], shift_hours=9),
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


# ------------------------------------------------------------------ answers checked at the question

REST = {  # everything after the certification questions, so terminal tests stay short
    "company": {"legal_name": "", "phone": "", "address": {"street": "", "city": "", "postal_code": ""}},
    "people": {
        "owner": {"name": "Dana Roy", "title": "Owner", "phone": ""},
        "safety_contact": {"name": "Dana Roy", "phone": ""},
    },
    "emergency": {"hospital": {"name": "General Hospital", "address": ""}, "muster_point": "", "first_aiders": []},
    "document": {"program_start": ""},
    "operations": OPERATIONS,
}


def _answers(tmp_path, file="answers.yaml", **company):
    data = yaml.safe_load(yaml.safe_dump(REST))
    data["company"].update(company)
    return _write(tmp_path / file, data)


def _finish(child, status):
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == status, child.before


def test_no_partner_fits_says_who_to_ask_then_stop_or_save(tmp_path, catalog):
    """BC retail, 6 workers: no bundled partner serves it; the board is named, nothing crashes."""
    _answers(tmp_path, name="Corner Store", province="BC", workers=6, industry="retail")
    child = _spawn(["interview", "--answers", "answers.yaml", "-o", "profile.yaml"], tmp_path)
    child.expect("Which certificate")
    child.send("\r")  # Small COR, advised
    child.expect("No certifying partner in safety-manual serves retail and wholesale in British Columbia")
    child.expect("ask WorkSafeBC which certifying partner covers it")
    child.expect("Which certifying partner")
    child.expect("Stop here and keep my answers in a draft")
    time.sleep(0.5)
    child.send("\x1b[A\r")  # up, round to the last choice: "Stop here"
    child.expect(r"Your answers are kept in profile\.yaml\.draft")
    _finish(child, 1)
    assert not (tmp_path / "profile.yaml").exists()
    draft = yaml.safe_load((tmp_path / "profile.yaml.draft").read_text())
    assert draft["company"]["industry"] == "retail" and draft["stream"] == "Small COR"

    # the next interview offers the draft; saving with the closest partner then works
    child = _spawn(["interview", "--answers", "answers.yaml", "-o", "profile.yaml"], tmp_path)
    child.expect(r"Resume the \d+ answers kept in profile\.yaml\.draft")
    child.send("\r")
    child.expect("Which certifying partner")
    child.expect(r"BCCSA.*closest available")
    child.send("\r")
    _accept_hazard_list(child)
    child.expect("Profile written to profile.yaml")
    _finish(child, 0)
    profile = load_profile(tmp_path / "profile.yaml", catalog)
    assert profile.partner == "bccsa" and profile.company.industry == "retail"
    assert not (tmp_path / "profile.yaml.draft").exists()


def test_no_partner_fits_without_terminal_names_the_board(tmp_path):
    answers = _answers(tmp_path, name="Corner Store", province="BC", workers=6, industry="retail")
    proc = run_cli("interview", "--answers", str(answers), "-o", str(tmp_path / "p.yaml"), input="")
    assert proc.returncode == 2
    assert (
        "error: partner: No certifying partner in safety-manual serves retail and wholesale in British Columbia for Small COR"
        " at 6 workers: ask WorkSafeBC which certifying partner covers it; or name the closest general partner"
        " (e.g. bccsa) in the answers file"
    ) in proc.stderr
    assert "internal error" not in proc.stderr


def test_secor_for_twelve_in_manitoba_is_refused_at_the_question(tmp_path, catalog):
    answers = _answers(tmp_path, name="Prairie Roofing", province="MB", workers=12, industry="roofing")
    data = yaml.safe_load(answers.read_text())
    data["stream"] = "SECOR"  # as an owner told "you need SECOR" would answer
    data["hazards"] = ["roof_work", "ladders"]
    _write(answers, data)
    child = _spawn(["interview", "--answers", "answers.yaml", "-o", "profile.yaml"], tmp_path)
    child.expect(r"SECOR in Manitoba is for employers with 9 or fewer workers \(you have 12\): choose COR")
    child.expect("Which certificate")
    child.send("\r")  # the only stream offered: COR, with the advisor's reason
    child.expect("Which certifying partner")
    child.send("\r")
    child.expect("Profile written to profile.yaml")
    _finish(child, 0)
    profile = load_profile(tmp_path / "profile.yaml", catalog)
    assert profile.stream == "COR" and profile.partner == "csam"

    # without a terminal the same answer is one located line, naming the real file
    proc = run_cli("interview", "--answers", str(answers), "-o", str(tmp_path / "p2.yaml"), input="")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[0] == (
        f"error: {answers}: stream: SECOR in Manitoba is for employers with 9 or fewer workers (you have 12): choose COR"
    )


def test_profile_keeps_an_unticked_hazard_unticked(tmp_path, catalog):
    """Enter through every prompt of `interview --profile`: nothing changes, nothing is re-ticked."""
    from generator.questionnaire import load_questionnaires

    suggested = catalog.industries["electrical"].hazards
    data = dict(FULL, hazards=suggested[1:])  # the user unticked the first suggestion
    _write(tmp_path / "answers.yaml", data)
    proc = run_cli("interview", "--answers", str(tmp_path / "answers.yaml"), "-o", str(tmp_path / "p.yaml"))
    assert proc.returncode == 0, proc.stderr
    before = (tmp_path / "p.yaml").read_text()
    child = _spawn(["interview", "--profile", "p.yaml"], tmp_path)
    # Enter on every question asked (a question whose condition does not hold is skipped),
    # until the interview says nothing changed
    prompts = [q.prompt for questionnaire in load_questionnaires() for q in questionnaire.questions]
    done = "No answers changed; p.yaml stays at revision 1"
    while child.expect_exact([done, *prompts]) != 0:
        time.sleep(0.5)  # a long list needs a moment after it is drawn before it takes keys
        child.send("\r")
    _finish(child, 0)
    assert (tmp_path / "p.yaml").read_text() == before
    assert load_profile(tmp_path / "p.yaml", catalog).hazards == suggested[1:]


def test_ctrl_c_after_five_answers_then_resume(tmp_path, catalog):
    child = _spawn(["interview", "-o", "profile.yaml"], tmp_path)
    child.expect("What is your company's name")
    child.sendline("Acme Framing")
    child.expect("Legal name")
    child.sendline("Acme Framing Ltd.")
    child.expect("Which province")
    child.send("\r")  # AB, the first
    child.expect("How many workers")
    child.sendline("8")
    child.expect("Which industry")
    child.send("\r")  # the first industry
    child.expect("Street address")
    child.sendcontrol("c")
    child.expect(r"interrupted: your 5 answers are kept in profile\.yaml\.draft")
    _finish(child, 130)
    assert not (tmp_path / "profile.yaml").exists()

    rest = yaml.safe_load(yaml.safe_dump(REST))
    rest.update(partner="aasp", hazards=["ladders"])
    _write(tmp_path / "rest.yaml", rest)
    child = _spawn(["interview", "--answers", "rest.yaml", "-o", "profile.yaml"], tmp_path)
    child.expect(r"Resume the 5 answers kept in profile\.yaml\.draft")
    child.send("\r")
    child.expect("Which certificate")  # the first question the draft and file leave open
    child.send("\r")
    child.expect("Profile written to profile.yaml")
    _finish(child, 0)
    profile = load_profile(tmp_path / "profile.yaml", catalog)
    assert profile.company.name == "Acme Framing" and profile.company.legal_name == "Acme Framing Ltd."
    assert profile.company.workers == 8 and profile.company.province == "AB"
    assert not (tmp_path / "profile.yaml.draft").exists()


def test_typed_default_is_replaced_not_appended(tmp_path, catalog):
    data = yaml.safe_load(yaml.safe_dump(FULL))
    data["people"]["owner"] = {"name": "Sam Ortiz"}  # title and phone asked in the terminal
    data["stream"] = "Small COR"
    data["company"].update(REST["company"])
    data["people"]["safety_contact"] = {"name": "Sam Ortiz", "phone": ""}
    data["emergency"] = REST["emergency"]
    data["document"] = REST["document"]
    data["operations"] = REST["operations"]
    _write(tmp_path / "answers.yaml", data)
    child = _spawn(["interview", "--answers", "answers.yaml", "-o", "profile.yaml"], tmp_path)
    child.expect("Their job title")
    child.sendline("Owner")  # typed over the suggested "Owner"
    child.expect("Their phone number")
    child.sendline("")
    child.expect("Profile written to profile.yaml")
    _finish(child, 0)
    assert load_profile(tmp_path / "profile.yaml", catalog).people.owner.title == "Owner"


def test_saved_stream_that_no_longer_fits_is_explained_and_replaced(catalog):
    """`interview --profile` after raising workers from 4 to 11 in Alberta: SECOR is not kept."""
    from generator.questionnaire import Interview, load_questionnaires

    saved = {
        "company": {"name": "Test Co", "province": "AB", "workers": 4, "industry": "roofing"},
        "partner": "acsa",
        "stream": "SECOR",
        "hazards": ["ladders"],
        "people": {"owner": {"name": "Pat"}},
    }
    shown: dict[str, str] = {}

    def asker(question, choices, default):
        shown[question.id] = question.help
        if question.id == "company.workers":
            return "11"
        if question.id == "stream":
            assert [c.value for c in choices] == ["COR"]
        if default is None and question.required:
            return "General Hospital"  # the only required question the saved profile leaves open
        return default

    result = Interview(catalog, load_questionnaires(), {}, saved=saved).run(asker)
    assert result["stream"] == "COR" and result["partner"] == "acsa"
    assert shown["stream"].startswith(
        "Your saved answer 'SECOR' no longer fits: SECOR in Alberta is for employers with 10 or fewer workers"
        " (you have 11): choose COR."
    )


def test_a_refusal_at_the_end_keeps_the_other_answers_in_a_draft(tmp_path, catalog):
    """An answer only the whole profile can refuse: the lines name the answer, not a file called "answers"."""
    import pytest

    from generator.commands import _profile_from_answers
    from generator.errors import UserError

    answers = yaml.safe_load(yaml.safe_dump(FULL))
    answers["company"]["workers"] = 0  # the profile needs at least one worker
    output = tmp_path / "profile.yaml"
    with pytest.raises(UserError) as info:
        _profile_from_answers(catalog, answers, None, output, "safety-manual interview -o profile.yaml")
    assert info.value.lines == [
        "company.workers: must be at least 1 (got 0)",
        f"your other answers are kept in {output}.draft; run `safety-manual interview -o profile.yaml` to resume",
    ]
    draft = yaml.safe_load((tmp_path / "profile.yaml.draft").read_text())
    assert "workers" not in draft["company"] and draft["company"]["name"] == "North Shore Electric"
    assert not output.exists()
