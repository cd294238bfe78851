"""The practice audit: the pass rule, questions for every element, a golden audit, the terminal."""

from __future__ import annotations

import datetime as dt
import os
import sys
from fractions import Fraction

import pexpect
import pytest
import yaml
from conftest import ROOT, docx_text, libreoffice_convert_all, pdf_text, run_cli

from generator.audit import run_audit
from generator.audit_docs import gap_document
from generator.audit_questions import QuestionBank, default_questions, elements_lacking_questions
from generator.audit_score import gap_status, passes, score_audit
from generator.cli import main
from generator.content_models import PassMarks
from generator.document import section_text
from generator.review_notes import audit_notes
from generator.timeline import audit_deadlines, certification_plan

MARKS = PassMarks(overall=80, per_element=50)

# An Alberta cleaning company of 6 working toward AASP SECOR: data gathering at most 15 days,
# submission within 21 days after it, a corrective action plan for every "no".
PROFILE = {
    "company": {"name": "Bright Shine Cleaning Ltd.", "province": "AB", "workers": 6, "industry": "cleaning"},
    "partner": "aasp",
    "stream": "SECOR",
    "hazards": ["cleaning_chemicals", "slips_trips_falls", "manual_handling"],
    "people": {
        "owner": {"name": "Lena Park", "title": "Owner"},
        "safety_contact": {"name": "Omar Haddad", "title": "Operations lead"},
        "supervisors": ["Omar Haddad"],
    },
    "emergency": {"hospital": {"name": "Foothills Medical Centre"}},
    "document": {"revision": 1, "date": "2026-02-15", "program_start": "2026-03-01"},
}
SHORT = {"participation_set_up": "no", "concerns_answered": "partly", "drills_held": "no", "training_records": "partly"}


def _answers(**changes: str) -> dict[str, str]:
    answers = {q.id: "yes" for q in default_questions().questions}
    answers.update(changes)
    return answers


def _write(path, data):
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# ----------------------------------------------------------------- pass rule
def test_high_overall_fails_with_one_element_under_half():
    assert not passes(Fraction(85), [Fraction(90), Fraction(45), Fraction(100)], MARKS)


def test_eighty_overall_passes_with_every_element_at_least_half():
    assert passes(Fraction(80), [Fraction(50), Fraction(95), Fraction(80)], MARKS)
    assert not passes(Fraction(7999, 100), [Fraction(100)], MARKS)


def test_pack_pass_marks_are_used(catalog):
    strict = PassMarks(overall=80, per_element=60)
    assert not passes(Fraction(85), [Fraction(55)], strict)
    score = score_audit(catalog.packs["aasp-secor"], default_questions(), _answers())
    assert score.marks == catalog.packs["aasp-secor"].requirements.pass_marks


def test_scored_audit_fails_on_one_empty_element(catalog):
    pack = catalog.packs["aasp-secor"]
    bank = default_questions()
    committee = next(e for e in pack.elements if "committee" in e.topics)
    answers = _answers(**{q.id: "no" for q in bank.for_element(committee)})
    score = score_audit(pack, bank, answers)
    assert score.overall is not None and score.overall > 90
    assert not score.passed
    assert [e.element.id for e in score.below_element_mark()] == [committee.id]


def test_not_applicable_leaves_numerator_and_denominator(catalog):
    pack = catalog.packs["aasp-secor"]
    bank = default_questions()
    full = score_audit(pack, bank, _answers(working_alone_checks="no"))
    left_out = score_audit(pack, bank, _answers(working_alone_checks="na"))
    element = next(e for e in pack.elements if "working_alone" in e.topics)
    before = next(e for e in full.elements if e.element.id == element.id)
    after = next(e for e in left_out.elements if e.element.id == element.id)
    assert after.possible == before.possible - 5  # the question's weight left the denominator
    assert after.earned == before.earned  # and earned nothing either way
    assert after.score == 100 and before.score < 100
    assert left_out.possible == full.possible - 5


# ------------------------------------------------- questions for every element
def test_every_element_of_every_bundled_pack_has_questions(catalog):
    assert elements_lacking_questions(catalog.packs) == []
    bank = default_questions()
    for pack in catalog.packs.values():
        for element in pack.elements:
            assert bank.for_element(element), (pack.id, element.id)


def test_elements_lacking_questions_are_named(catalog):
    only_policy = QuestionBank(sampling={}, questions=[q for q in default_questions().questions if q.topic == "policy"])
    problems = elements_lacking_questions({"acsa-secor": catalog.packs["acsa-secor"]}, only_policy)
    assert len(problems) == len(catalog.packs["acsa-secor"].elements) - 1
    assert str(problems[0]) == (
        "acsa-secor/pack.yaml: elements.e2: element 2 'Public, Visitors and Contracted Employers' has no "
        "practice-audit questions (topics: contractors_visitors, procurement)"
    )


# ---------------------------------------------------------------------- dates
def test_partner_deadlines(catalog):
    aasp = audit_deadlines(catalog.packs["aasp-secor"], dt.date(2026, 11, 2))
    assert aasp.gathering_ends == dt.date(2026, 11, 16)  # 15 days, the first one counted
    assert aasp.submit_by == dt.date(2026, 12, 7)  # 21 days after the last day of data gathering
    acsa = audit_deadlines(catalog.packs["acsa-secor"], dt.date(2026, 11, 2), completed=dt.date(2026, 11, 20))
    assert acsa.gathering_ends is None
    assert acsa.submit_by == dt.date(2027, 1, 4)  # 45 days after completion


def test_certification_plan_appendix_uses_the_same_dates(catalog, golden_manual):
    facts, manual = golden_manual(ROOT / "tests" / "cases" / "ab-landscaping")
    plan = certification_plan(facts.pack, facts.profile.document.program_start)
    appendix = next(s for s in manual.sections if s.key == "appendix/certification_plan")
    text = section_text(appendix)
    assert f"Earliest audit | {plan.earliest_audit.isoformat()}" in text
    for year in plan.years:
        assert f"| {year.due.isoformat()}" in text


# ------------------------------------------------------------- golden audit
@pytest.fixture(scope="module")
def golden_audit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    profile = _write(folder / "bright-shine.yaml", PROFILE)
    answers = _answers(working_alone_checks="na", **SHORT)
    sheet = {"date": "2026-11-02", "completed": "2026-11-12", "auditor": "Omar Haddad", "answers": answers}
    answers_file = _write(folder / "answers.yaml", sheet)
    out = folder / "out"
    proc = run_cli("audit", str(profile), "--answers", str(answers_file), "-o", str(out), input="")
    return proc, out


def test_golden_audit_scores(golden_audit, catalog):
    proc, out = golden_audit
    assert proc.returncode == 0, proc.stderr
    # 290 points possible, 5 left out (not applicable); 10 + 2.5 + 5 + 5 short
    assert proc.stdout.splitlines() == [
        "Practice audit: 92.1% overall; does not pass (80% overall and 50% in every element).",
        "  element 3 Health and Safety Committees / Health and Safety Representatives: 16.6%",
        "4 actions in the action plan.",
        f"Wrote the report, the workbook and audit-answers.yaml to {out}/",
        f"{len(audit_notes(catalog.packs['aasp-secor']))} partner rules to check before relying on the result:"
        f" see {out}/review-notes.md",
    ]
    # the hidden lock file belongs to the tool; the listing is what the user gets
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "audit-answers.yaml",
        "audit-report.docx",
        "audit-report.pdf",
        "audit-workbook.docx",
        "audit-workbook.pdf",
        "review-notes.md",
    ]
    notes = (out / "review-notes.md").read_text()
    assert "Pass mark: 80% overall, 50% in every element" in notes  # AASP SECOR's pass mark is unverified
    report = docx_text(out / "audit-report.docx")
    assert "unverified" not in report.lower() and "Source:" not in report  # never in the client's report


def test_golden_audit_report(golden_audit):
    _, out = golden_audit
    text = docx_text(out / "audit-report.docx")
    assert "Overall score 92.1% (262.5 of 285 points)" in text
    assert "this practice audit does not pass" in text
    # the action plan: what, who, by when; "no" answers first, each with its corrective action plan
    plan = [line for line in text.splitlines() if "(owner)" in line or "(safety contact)" in line]
    assert plan == [
        "Lena Park (owner)",
        "Omar Haddad (safety contact)",
        "Omar Haddad (safety contact)",
        "Omar Haddad (safety contact)",
    ]
    assert (
        "Set up worker participation as the committee section of the manual describes. "
        "(corrective action plan required)"
    ) in text
    assert text.count("(corrective action plan required)") == 2
    for due in ("2026-12-02", "2027-01-01"):
        assert due in text
    # evidence resolves to the manual's numbered sections and the forms the company uses
    assert "Form F-11 Emergency Drill and Response Evaluation" in text
    assert "Manual section 3.1 " in text
    # the partner's dates
    assert "Data gathering ends (at most 15 days)" in text and "2026-11-16" in text
    assert "Submission deadline (within 21 days after the last day of data gathering)" in text
    assert "2026-12-03" in text  # data gathering ended on 2026-11-12, when the audit was completed
    pdf = pdf_text(out / "audit-report.pdf")
    assert "92.1%" in pdf and "Action plan" in pdf


def test_golden_audit_workbook_is_fillable(golden_audit):
    from pypdf import PdfReader

    _, out = golden_audit
    reader = PdfReader(out / "audit-workbook.pdf")
    fields = reader.get_fields() or {}
    assert len(fields) > 100
    text = pdf_text(out / "audit-workbook.pdf")
    for heading in (
        "Dates that matter",
        "Sampling plan",
        "Interview sheet: workers",
        "Interview sheet: supervisors",
        "Auditor's declaration",
        "Element 6: Hazard Control",
    ):
        assert heading in text
    words = docx_text(out / "audit-workbook.docx")
    assert "3 workers interviewed" in words  # 6 workers: the sample for 5 to 10
    assert "What would you do if you were asked to do work you believed was unsafe?" in words
    assert "2027-03-01" in words  # first audit due once 12 months of records exist


def test_golden_audit_word_files_open_in_libreoffice(golden_audit, tmp_path):
    _, out = golden_audit
    converted = libreoffice_convert_all([out / "audit-report.docx", out / "audit-workbook.docx"], tmp_path)
    assert "Action plan" in pdf_text(converted[0])
    assert "Auditor's declaration" in pdf_text(converted[1])


def test_saved_answers_replay(golden_audit, tmp_path):
    _, out = golden_audit
    saved = yaml.safe_load((out / "audit-answers.yaml").read_text())
    assert saved["date"] == "2026-11-02"
    assert {k: saved["answers"][k] for k in SHORT} == SHORT


# ------------------------------------------------------------------ bad input
def test_bad_answers_are_all_reported(tmp_path, capsys):
    profile = _write(tmp_path / "p.yaml", PROFILE)
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        'date: "2026-11-31"\nanswers:\n  policy_signd: yes\n  drills_held: partly\n  policy_known: maybe\n',
        encoding="utf-8",
    )
    assert main(["audit", str(profile), "--answers", str(answers), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: {answers}:3: answers.policy_signd: unknown question: did you mean 'policy_signed'?",
        f"error: {answers}:4: answers.drills_held: 'partly' is not one of yes, no, na"
        " (this question is met or not: no part marks)",
        f"error: {answers}:5: answers.policy_known: 'maybe' is not one of yes, partly, no, na",
        f"error: {answers}:1: date: must be a date written YYYY-MM-DD (got '2026-11-31')",
    ]
    assert not (tmp_path / "out").exists()


def test_missing_answers_without_terminal(tmp_path, capsys):
    profile = _write(tmp_path / "p.yaml", PROFILE)
    answers = _answers()
    del answers["policy_signed"], answers["yearly_review"]
    answers_file = _write(tmp_path / "a.yaml", {"answers": answers})
    assert main(["audit", str(profile), "--answers", str(answers_file), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: no terminal to ask on, and these audit questions have no answer: policy_signed, yearly_review"
        " (put them under answers: in the file given with --answers, or run in a terminal)"
    ]
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------- terminal
def test_interactive_audit_in_a_terminal(tmp_path):
    """The real questionary prompts: two questions left out of the file are asked."""
    _write(tmp_path / "p.yaml", PROFILE)
    answers = _answers()
    del answers["policy_signed"], answers["drills_held"]
    _write(tmp_path / "a.yaml", {"date": "2026-11-02", "answers": answers})
    env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm", COLUMNS="120", LINES="40")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "generator", "audit", "p.yaml", "--answers", "a.yaml", "-o", "out", "--format", "docx"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    child.expect("Element 1 Management Leadership and Commitment")
    child.expect("Verified by: documents")
    child.expect("signed and dated by the current owner")
    child.send("\r")  # Yes
    child.expect("Sample: 5 records from the last 12 months")
    child.expect("Have drills been held")
    child.send("\x1b[B")  # down to No: the partner gives no part marks for this question
    child.send("\r")
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "1 actions in the action plan." in child.before
    saved = yaml.safe_load((tmp_path / "out" / "audit-answers.yaml").read_text())
    assert saved["answers"]["policy_signed"] == "yes"
    assert saved["answers"]["drills_held"] == "no"


def test_gap_assessment(tmp_path, catalog):
    profile = _write(tmp_path / "p.yaml", PROFILE)
    bank = default_questions()
    answers = {q.id: "no" for q in bank.questions}
    answers.update(policy_signed="yes", policy_known="yes", policy_reviewed="yes", duties_written="yes")
    answers.update(duties_held="yes", rights_known="yes", law_available="yes", rules_discipline="yes")
    answers.update(flha_used="partly")
    answers_file = _write(tmp_path / "a.yaml", {"date": "2026-11-02", "answers": answers})
    result = run_audit(profile, catalog, answers_file, None, gap=True)
    assert [gap_status(e) for e in result.score.elements] == ["keep", "missing", "missing", "missing", "fix"] + [
        "missing"
    ] * 5
    document = gap_document(result)
    text = "\n".join(section_text(s) for s in document.sections)
    assert "Of the 10 AASP SECOR elements: 1 keep, 1 fix, 8 missing." in text
    first = text.index("What to do first")
    # a missing element's heaviest question comes before the element to fix
    assert text.index("Set up worker participation", first) < text.index("Start every job with a field-level", first)


def test_advisor_gives_the_plan_dates(catalog, capsys):
    from generator.advisor import advise

    start = dt.date(2026, 3, 1)
    advice = advise(catalog, "AB", 8, "landscaping", start)
    for pack in advice.packs:
        plan = certification_plan(pack, start)
        assert advice.dates(pack) == {
            "earliest_audit": plan.earliest_audit.isoformat(),
            "full_records_audit": plan.full_audit.isoformat(),
        }
    assert main(["stream", "--province", "AB", "--workers", "8", "--start", "2026-03-01", "--json"]) == 0
    partners = yaml.safe_load(capsys.readouterr().out)["partners"]
    assert partners[0]["earliest_audit"] == "2026-06-01" and partners[0]["full_records_audit"] == "2027-03-01"
