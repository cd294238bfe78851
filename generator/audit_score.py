"""Scoring a practice audit with the partner's pass rule, and the plan that follows from it.

Credit per answer: yes = all of a question's points, partly = half (only where the partner
gives part marks), no = none; "not applicable" leaves the question out of both what was
earned and what was possible. An element's score is its earned over its possible points;
the overall score is all earned over all possible points. The audit passes when the overall
score reaches the pack's overall pass mark and every scored element reaches the per-element
mark.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from generator.audit_questions import CREDIT, AuditQuestion, QuestionBank
from generator.content_models import Element, Pack, PassMarks


@dataclass(frozen=True)
class QuestionResult:
    question: AuditQuestion
    answer: str  # yes, partly, no or na

    @property
    def applies(self) -> bool:
        return self.answer != "na"

    @property
    def possible(self) -> Fraction:
        return Fraction(self.question.weight) if self.applies else Fraction(0)

    @property
    def earned(self) -> Fraction:
        return self.possible * Fraction(CREDIT.get(self.answer, 0.0))


def percent(earned: Fraction, possible: Fraction) -> Fraction | None:
    """Earned over possible, in percent; None when nothing applied."""
    return earned * 100 / possible if possible else None


def shown(value: Fraction | None) -> str:
    """A percentage as printed: rounded down to a tenth, so a fail never reads as a pass mark."""
    if value is None:
        return "n/a"
    tenths = (value * 10).__floor__()
    return f"{tenths / 10:g}%"


@dataclass(frozen=True)
class ElementScore:
    element: Element
    results: tuple[QuestionResult, ...]

    @property
    def earned(self) -> Fraction:
        return sum((r.earned for r in self.results), Fraction(0))

    @property
    def possible(self) -> Fraction:
        return sum((r.possible for r in self.results), Fraction(0))

    @property
    def score(self) -> Fraction | None:
        return percent(self.earned, self.possible)


def passes(overall: Fraction | float | None, elements: list[Fraction | float | None], marks: PassMarks) -> bool:
    """The partner's pass rule: the overall mark, and the per-element mark in every scored element."""
    if overall is None or overall < marks.overall:
        return False
    return all(score is None or score >= marks.per_element for score in elements)


@dataclass(frozen=True)
class AuditScore:
    pack: Pack
    elements: tuple[ElementScore, ...]

    @property
    def earned(self) -> Fraction:
        return sum((e.earned for e in self.elements), Fraction(0))

    @property
    def possible(self) -> Fraction:
        return sum((e.possible for e in self.elements), Fraction(0))

    @property
    def overall(self) -> Fraction | None:
        return percent(self.earned, self.possible)

    @property
    def marks(self) -> PassMarks:
        return self.pack.requirements.pass_marks

    @property
    def passed(self) -> bool:
        return passes(self.overall, [e.score for e in self.elements], self.marks)

    def below_element_mark(self) -> list[ElementScore]:
        """Elements scored under the per-element pass mark."""
        return [e for e in self.elements if e.score is not None and e.score < self.marks.per_element]


def score_audit(pack: Pack, bank: QuestionBank, answers: dict[str, str]) -> AuditScore:
    """Score every element of ``pack`` from answers keyed by question id."""
    elements = tuple(
        ElementScore(e, tuple(QuestionResult(q, answers[q.id]) for q in bank.for_element(e))) for e in pack.elements
    )
    return AuditScore(pack, elements)


# ------------------------------------------------------------------ action plan
@dataclass(frozen=True)
class ActionItem:
    element: Element
    question: AuditQuestion
    answer: str
    what: str
    who: str
    due: dt.date
    evidence: tuple[str, ...]  # form and manual section references
    required: bool  # the partner requires a corrective action plan for this answer


def action_plan(
    score: AuditScore,
    bank: QuestionBank,
    people: dict[str, str],
    audit_date: dt.date,
    evidence: dict[str, tuple[str, ...]],
) -> list[ActionItem]:
    """One action for every question short of full marks: what, who, by when.

    ``people`` maps the roles of the question bank (owner, safety_contact, supervisor) to
    names; ``evidence`` maps question ids to the form and section references that prove it.
    "No" answers are due sooner than "partly" ones; the list is ordered by due date, then by
    the partner's element order.
    """
    rules = score.pack.requirements.audit
    items = []
    for element in score.elements:
        for result in element.results:
            if not result.applies or result.answer == "yes":
                continue
            days = bank.action_days.no if result.answer == "no" else bank.action_days.partly
            items.append(
                ActionItem(
                    element.element,
                    result.question,
                    result.answer,
                    result.question.action,
                    people[result.question.who],
                    audit_date + dt.timedelta(days=days),
                    evidence.get(result.question.id, ()),
                    rules.corrective_action_for_no and result.answer == "no",
                )
            )
    order = {e.element.id: i for i, e in enumerate(score.elements)}
    return sorted(items, key=lambda a: (a.due, order[a.element.id]))


# -------------------------------------------------------------------------- gap
GAP_STATUS = ("keep", "fix", "missing")


def gap_status(element: ElementScore) -> str:
    """``keep`` when everything asked is in place, ``missing`` when nothing is, else ``fix``."""
    applied = [r for r in element.results if r.applies]
    if all(r.answer == "yes" for r in applied):
        return "keep"
    if all(r.answer == "no" for r in applied):
        return "missing"
    return "fix"


def first_steps(score: AuditScore) -> list[tuple[ElementScore, QuestionResult]]:
    """What to do first: missing elements before ones to fix, heavier questions first, "no" before "partly"."""
    rank = {"missing": 0, "fix": 1}
    steps = []
    for index, element in enumerate(score.elements):
        status = gap_status(element)
        if status == "keep":
            continue
        for result in element.results:
            if result.applies and result.answer != "yes":
                key = (rank[status], -result.question.weight, result.answer != "no", index)
                steps.append((key, element, result))
    steps.sort(key=lambda s: s[0])
    return [(element, result) for _, element, result in steps]
