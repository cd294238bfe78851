"""The practice-audit questions (``manual_templates/audit/questions.yaml``).

Questions are keyed by topic, not by element: every pack places each of the 27 topics in
exactly one element, so every element of every pack, bundled or added later, gets the
questions of the topics it holds. :func:`elements_lacking_questions` is what a content
check calls to prove it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from generator.content_models import TOPICS, Element, Pack, Strict
from generator.errors import ContentError, Problem
from generator.paths import data_dir
from generator.validation import suggest, validate_located
from generator.yamlio import load_yaml

Method = Literal["documents", "observation", "interview"]
Answer = Literal["yes", "partly", "no", "na"]
CREDIT: dict[str, float] = {"yes": 1.0, "partly": 0.5, "no": 0.0}


class Evidence(Strict):
    """What proves a question: one form (by id) or one manual section (by topic)."""

    form: str | None = None
    section: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Evidence:
        if (self.form is None) == (self.section is None):
            raise ValueError("give exactly one of form or section")
        return self


class SampleSize(Strict):
    up_to: int | None = Field(None, ge=1)  # largest company size (workers) this row covers
    count: int | None = Field(None, ge=1)  # None: everyone


class SampleRule(Strict):
    what: str
    one: str | None = None  # the words for a sample of one, where they differ
    sizes: list[SampleSize] = Field(min_length=1)

    def text(self, workers: int) -> str:
        """``5 records from the last 12 months`` or ``all workers interviewed`` for a size."""
        for size in self.sizes:
            if size.up_to is None or workers <= size.up_to:
                if size.count is None:
                    return f"all {self.what}"
                return f"1 {self.one}" if size.count == 1 and self.one else f"{size.count} {self.what}"
        return f"all {self.what}"


class Interviews(Strict):
    workers: str | None = None
    supervisors: str | None = None


class AuditQuestion(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    topic: str
    text: str
    verified_by: list[Method] = Field(min_length=1)
    evidence: list[Evidence] = Field(min_length=1)
    sample: str | None = None
    weight: int = Field(5, ge=1, le=20)
    partial: bool = True  # part marks possible, where the partner gives them
    who: Literal["owner", "safety_contact", "supervisor"]
    action: str
    interview: Interviews = Interviews()


class ActionDays(Strict):
    no: int = Field(30, ge=1)
    partly: int = Field(60, ge=1)


class QuestionBank(Strict):
    sampling: dict[str, SampleRule]
    action_days: ActionDays = ActionDays()
    questions: list[AuditQuestion] = Field(min_length=1)

    def for_element(self, element: Element) -> list[AuditQuestion]:
        """The questions of an element: its topics in the pack's order, then file order."""
        return [q for topic in element.topics for q in self.questions if q.topic == topic]

    def sample_text(self, question: AuditQuestion, workers: int) -> str:
        """How many records or people to check for this question at this company size."""
        return self.sampling[question.sample].text(workers) if question.sample else ""


def load_questions(path: Path | None = None) -> QuestionBank:
    """Read and check the question bank; every problem is reported at once."""
    path = path or data_dir("manual_templates") / "audit" / "questions.yaml"
    located = load_yaml(path, display="manual_templates/audit/questions.yaml")
    bank, problems = validate_located(QuestionBank, located)
    if bank is None:
        raise ContentError("the audit questions have problems:", problems)
    from generator.forms_catalog import form_ids

    forms = form_ids()
    seen: set[str] = set()
    for i, q in enumerate(bank.questions):
        where = ("questions", i)
        if q.id in seen:
            problems.append(located.problem((*where, "id"), f"duplicate question id {q.id!r}"))
        seen.add(q.id)
        if q.topic not in TOPICS:
            problems.append(located.problem((*where, "topic"), f"unknown topic {q.topic!r}{suggest(q.topic, TOPICS)}"))
        if q.sample is not None and q.sample not in bank.sampling:
            problems.append(
                located.problem(
                    (*where, "sample"), f"unknown sample rule {q.sample!r}{suggest(q.sample, bank.sampling)}"
                )
            )
        for j, ev in enumerate(q.evidence):
            if ev.form is not None and ev.form not in forms:
                problems.append(
                    located.problem(
                        (*where, "evidence", j, "form"), f"unknown form {ev.form!r}{suggest(ev.form, forms)}"
                    )
                )
            if ev.section is not None and ev.section not in TOPICS:
                problems.append(
                    located.problem(
                        (*where, "evidence", j, "section"),
                        f"unknown section {ev.section!r}{suggest(ev.section, TOPICS)}",
                    )
                )
    if problems:
        raise ContentError("the audit questions have problems:", problems)
    return bank


@lru_cache(maxsize=1)
def default_questions() -> QuestionBank:
    """The bundled question bank, loaded once per process."""
    return load_questions()


def elements_lacking_questions(packs: dict[str, Pack], bank: QuestionBank | None = None) -> list[Problem]:
    """One problem for each element, of each pack, that no audit question covers.

    For ``safety-manual check``: a pack (bundled or user-supplied) whose element holds only
    topics without questions could not be practice-audited.
    """
    bank = bank or default_questions()
    problems = []
    for pack in packs.values():
        for element in pack.elements:
            if not bank.for_element(element):
                problems.append(
                    Problem(
                        f"{pack.id}/pack.yaml",
                        None,
                        f"elements.{element.id}",
                        f"element {element.number} {element.name!r} has no practice-audit questions "
                        f"(topics: {', '.join(element.topics) or 'none'})",
                    )
                )
    return problems
