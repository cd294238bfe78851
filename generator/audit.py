"""``safety-manual audit``: a practice audit (or, with ``--gap``, a gap assessment).

Answers come from an answers file first, then from the terminal; without a terminal the
missing ones are named all at once. The report and the internal-audit workbook are built as
document trees and written with the build's writers through a staging folder, so a failed
run leaves the previous outputs whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.assemble import assemble_manual, gather_facts
from generator.audit_questions import CREDIT, AuditQuestion, QuestionBank, default_questions
from generator.audit_score import ActionItem, AuditScore, action_plan, score_audit
from generator.catalog import Catalog
from generator.context import BuildFacts
from generator.errors import Problem, UserError
from generator.profile import load_profile
from generator.timeline import AuditDeadlines, CertificationPlan, audit_deadlines, certification_plan
from generator.validation import suggest
from generator.yamlio import Located, dump_yaml, load_yaml

ANSWER_WORDS = {"yes": "Yes", "partly": "Partly", "no": "No", "na": "Not applicable"}
ANSWERS_FILE = "audit-answers.yaml"


@dataclass(frozen=True)
class AnswerSheet:
    """What an answers file gives: the audit's dates, the auditor and answers by question id."""

    date: dt.date | None = None
    completed: dt.date | None = None
    auditor: str = ""
    answers: dict[str, str] | None = None


def allowed_answers(question: AuditQuestion, facts: BuildFacts, gap: bool = False) -> tuple[str, ...]:
    """Yes, partly (where the partner and the question give part marks), no, not applicable.

    A gap assessment always offers "partly": it is what "fix" means, whatever the scoring.
    """
    partial = gap or (question.partial and facts.pack.requirements.audit.partial_credit)
    return ("yes", "partly", "no", "na") if partial else ("yes", "no", "na")


def _date(located: Located, key: str, problems: list[Problem]) -> dt.date | None:
    value = (located.data or {}).get(key)
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(located.problem((key,), f"must be a date written YYYY-MM-DD (got {value!r})"))
        return None


def read_answers(path: Path, bank: QuestionBank, facts: BuildFacts, gap: bool = False) -> AnswerSheet:
    """Read an answers file; every unknown question, bad answer or bad date is reported at once."""
    try:
        located = load_yaml(path)
    except ValueError as exc:  # YAML reads 2026-13-01 as a date and fails on the month
        raise UserError(f"{path}: {exc}") from None
    data = located.data or {}
    if not isinstance(data, dict):
        raise UserError(f"{path}: an answers file is a mapping with date, auditor and answers")
    problems: list[Problem] = []
    for key in data:
        if key not in ("date", "completed", "auditor", "answers"):
            problems.append(
                located.problem((key,), f"unknown key{suggest(key, ('date', 'completed', 'auditor', 'answers'))}")
            )
    given = data.get("answers") or {}
    if not isinstance(given, dict):
        problems.append(located.problem(("answers",), "must map question ids to yes, partly, no or na"))
        given = {}
    questions = {q.id: q for q in bank.questions}
    answers: dict[str, str] = {}
    for qid, raw in given.items():
        question = questions.get(qid)
        if question is None:
            problems.append(located.problem(("answers", qid), f"unknown question{suggest(qid, questions)}"))
            continue
        value = {True: "yes", False: "no"}.get(raw, str(raw).strip().lower()) if raw is not None else ""
        allowed = allowed_answers(question, facts, gap)
        if value not in allowed:
            extra = ""
            if value == "partly" and not facts.pack.requirements.audit.partial_credit:
                extra = f" ({facts.pack.partner.short} scores every question yes or no)"
            elif value == "partly":
                extra = " (this question is met or not: no part marks)"
            problems.append(located.problem(("answers", qid), f"{raw!r} is not one of {', '.join(allowed)}{extra}"))
            continue
        answers[qid] = value
    date = _date(located, "date", problems)
    completed = _date(located, "completed", problems)
    if problems:
        raise UserError(problems=problems)
    return AnswerSheet(date, completed, str(data.get("auditor") or ""), answers)


Asker = Callable[[str, list[str], list[tuple[str, str]]], str]


def collect_answers(
    facts: BuildFacts, bank: QuestionBank, given: dict[str, str], ask: Asker | None, gap: bool
) -> dict[str, str]:
    """Every question's answer: the file's first, then the terminal's, in the partner's element order."""
    answers = dict(given)
    missing: list[str] = []
    workers = facts.profile.company.workers
    for element in facts.pack.elements:
        header = f"Element {element.number} {element.name}"
        for question in bank.for_element(element):
            if question.id in answers:
                continue
            if ask is None:
                missing.append(question.id)
                continue
            # the element's name once, above its first question asked
            notes = [header] if header else []
            header = ""
            notes.append("Verified by: " + ", ".join(question.verified_by))
            sample = bank.sample_text(question, workers)
            if sample:
                notes.append(f"Sample: {sample}")
            options = [(ANSWER_WORDS[a], a) for a in allowed_answers(question, facts, gap)]
            if gap:
                notes.append("Answer for what the company does today.")
            answers[question.id] = ask(question.text, notes, options)
    if missing:
        raise UserError(
            "no terminal to ask on, and these audit questions have no answer: "
            + ", ".join(missing)
            + " (put them under answers: in the file given with --answers, or run in a terminal)"
        )
    return answers


def evidence_refs(facts: BuildFacts, bank: QuestionBank, catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """For each question, the forms and manual sections (numbered as built) that prove it."""
    manual = assemble_manual(facts, catalog)
    sections = {s.key: s.heading for s in manual.all_sections() if s.key.startswith("topic/")}
    forms = {f.id: f.ref() for f in facts.forms}
    out: dict[str, tuple[str, ...]] = {}
    for question in bank.questions:
        refs = []
        for ev in question.evidence:
            if ev.form is not None and ev.form in forms:
                refs.append(forms[ev.form])
            elif ev.section is not None and f"topic/{ev.section}" in sections:
                refs.append(f"Manual section {sections[f'topic/{ev.section}']}")
        if not refs:
            # a form the company does not use (say, equipment checks without equipment): the topic's section
            heading = sections.get(f"topic/{question.topic}")
            refs = [f"Manual section {heading}"] if heading else []
        out[question.id] = tuple(refs)
    return out


def people(facts: BuildFacts) -> dict[str, str]:
    """Who fixes what: the owner, the person who runs the program, a supervisor."""
    team = facts.profile.people
    owner = f"{team.owner.name} (owner)"
    contact = f"{team.safety_contact.name} (safety contact)" if team.safety_contact else owner
    supervisor = f"{team.supervisors[0]} (supervisor)" if team.supervisors else contact
    return {"owner": owner, "safety_contact": contact, "supervisor": supervisor}


@dataclass(frozen=True)
class AuditResult:
    """Everything the report and the workbook show."""

    facts: BuildFacts
    bank: QuestionBank
    answers: dict[str, str]
    score: AuditScore
    actions: list[ActionItem]
    evidence: dict[str, tuple[str, ...]]
    date: dt.date
    auditor: str
    deadlines: AuditDeadlines
    plan: CertificationPlan
    gap: bool

    def answers_data(self) -> dict[str, Any]:
        """The answers as a file ``--answers`` reads back."""
        data: dict[str, Any] = {"date": self.date.isoformat()}
        if self.auditor:
            data["auditor"] = self.auditor
        data["answers"] = {q.id: self.answers[q.id] for q in self.bank.questions if q.id in self.answers}
        return data


def run_audit(
    profile_path: Path,
    catalog: Catalog,
    answers_path: Path | None,
    ask: Asker | None,
    gap: bool = False,
    today: dt.date | None = None,
) -> AuditResult:
    """Read the profile and answers, ask what is missing, score it and plan the follow-up."""
    profile = load_profile(profile_path, catalog)
    facts = gather_facts(profile, catalog, today)
    bank = default_questions()
    sheet = read_answers(answers_path, bank, facts, gap) if answers_path else AnswerSheet()
    answers = collect_answers(facts, bank, sheet.answers or {}, ask, gap)
    assert set(answers.values()) <= {*CREDIT, "na"}
    date = sheet.date or today or dt.date.today()
    score = score_audit(facts.pack, bank, answers)
    evidence = evidence_refs(facts, bank, catalog)
    actions = action_plan(score, bank, people(facts), date, evidence)
    start = profile.document.program_start or (date if gap else facts.date)
    return AuditResult(
        facts,
        bank,
        answers,
        score,
        actions,
        evidence,
        date,
        sheet.auditor,
        audit_deadlines(facts.pack, date, sheet.completed),
        certification_plan(facts.pack, start),
        gap,
    )


def answers_yaml(result: AuditResult) -> str:
    """The answers file to keep beside the report, so the audit can be run again."""
    header = "# Practice-audit answers: run again with  safety-manual audit PROFILE --answers this-file\n"
    return header + dump_yaml(result.answers_data())


def review_markdown(result: AuditResult) -> tuple[int, str]:
    """``review-notes.md`` for the preparer: the partner rules this audit relied on that are unverified."""
    from generator.review_notes import audit_notes

    notes = audit_notes(result.facts.pack)
    lines = [
        f"# Review notes for the practice audit of {result.facts.profile.company.name}",
        "",
        "For the person preparing the audit, not for the client. The score, the pass rule and the",
        "dates rest on the partner rules below, which were not verified against the partner's own",
        "pages. Check each one before relying on the result.",
        "",
    ]
    if not notes:
        lines.append("Every partner rule this audit uses is verified. Nothing to check.")
    for note in notes:
        lines.append(f"- **{note.fact}** ({note.where}). Source: {note.source}. Check: {note.check}")
    return len(notes), "\n".join(lines) + "\n"
