"""The registry of records (``manual_templates/records.yaml``): what proves each promise.

Each record names the form that captures it, or where it is kept outside the program (the
board's injury report, an audit report), who fills it in and who signs, how often, how long
it is kept and why, and the manual topics (and so audit elements) it is evidence for. The
manual's text, the records table, the forms appendix, the audit cross-reference, each form's
footer and the program calendar read these values; nothing retypes them.

A record applies to a build when its ``when`` condition matches; a form is issued exactly
when its record applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from generator.content_models import HAZARD_CATEGORIES, TOPICS, Hazard, Sourced, Strict
from generator.errors import ContentError, Problem
from generator.validation import suggest, validate_located
from generator.yamlio import load_yaml

Committee = Literal["committee", "representative", "none"]
Calendar = Literal["daily", "per_job", "weekly", "monthly", "quarterly", "yearly", "as_needed"]

# the order the program calendar lists frequencies in
CALENDAR_ORDER: tuple[str, ...] = ("daily", "per_job", "weekly", "monthly", "quarterly", "yearly", "as_needed")


class Retention(Sourced):
    """How long a record is kept (``period`` is printed as is) and why."""

    period: str = Field(min_length=1)
    basis: Literal["law", "partner", "company"] = "company"


class RecordWhen(Strict):
    """When a record (and its form) belongs in a build: any listed condition is enough.

    An empty condition means always.
    """

    hazards: list[str] = []  # one of these hazards is selected
    categories: list[str] = []  # a selected hazard is in one of these categories
    equipment: bool = False  # an equipment hazard is selected
    topics: list[str] = []  # the pack places one of these topics in the manual
    committee: list[Committee] = []  # the company's size gives it this arrangement
    # a hazard in ``hazards`` does not count while the company hires that work out: hazard id ->
    # the flag of generator/operations.py that says so ("confined_space": "hires:confined_space")
    unless: dict[str, str] = {}

    def is_empty(self) -> bool:
        return not (self.hazards or self.categories or self.equipment or self.topics or self.committee)

    def describe(self) -> str:
        """When the record's form is written, in words (for ``forms --list``)."""
        if self.is_empty():
            return "always"
        parts = []
        if self.hazards:
            parts.append("with hazard " + ", ".join(self.hazards))
        if self.categories:
            parts.append("with a hazard in " + ", ".join(self.categories))
        if self.equipment:
            parts.append("with equipment hazards")
        if self.topics:
            parts.append("when the pack covers " + ", ".join(self.topics))
        if self.committee:
            parts.append("with a " + " or ".join(str(c) for c in self.committee))
        return "; or ".join(parts)


class RecordDef(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    aliases: list[str] = []  # other words the manual uses for this record, lower case
    form: str | None = None  # the form id that captures it ...
    kept_outside: str = ""  # ... or what it is and where it is kept outside the program
    filled_by: str
    kept_by: str
    signed_by: list[str] = []  # roles that sign; each needs a signature field on the form
    frequency: str  # printed in the program calendar
    calendar: Calendar
    retention: Retention
    topics: list[str] = Field(min_length=1)  # manual topics (audit elements) it proves
    when: RecordWhen = RecordWhen()

    @model_validator(mode="after")
    def _form_or_outside(self) -> RecordDef:
        if bool(self.form) == bool(self.kept_outside):
            raise ValueError("give either form (the form that captures it) or kept_outside (where it is kept)")
        return self

    def words(self) -> tuple[str, ...]:
        """The lower-case phrases by which the manual may name this record."""
        return (self.name.lower(), *(a.lower() for a in self.aliases))


class RecordFile(Strict):
    records: list[RecordDef] = Field(min_length=1)
    handout_record: str  # the record a toolbox talk handout is logged on


@dataclass(frozen=True)
class Registry:
    """The loaded registry: records by id, and the record a toolbox talk is logged on."""

    records: dict[str, RecordDef]
    handout_record: str

    def for_form(self, form_id: str) -> RecordDef:
        """The record a form captures (validation guarantees exactly one)."""
        for record in self.records.values():
            if record.form == form_id:
                return record
        raise ContentError(f"form {form_id!r} captures no record in manual_templates/records.yaml")


@dataclass(frozen=True)
class Selection:
    """What about a build decides which records (and forms) apply."""

    hazards: tuple[Hazard, ...]
    topics: frozenset[str]
    committee: str
    flags: frozenset[str] = frozenset()  # how the company works (generator/operations.py)

    def matches(self, when: RecordWhen) -> bool:
        """Whether a record's ``when`` condition holds for this build."""
        if when.is_empty():
            return True
        ids = {h.id for h in self.hazards if when.unless.get(h.id) not in self.flags}
        categories = {h.category for h in self.hazards}
        return bool(
            ids & set(when.hazards)
            or categories & set(when.categories)
            or (when.equipment and any(h.equipment for h in self.hazards))
            or self.topics & set(when.topics)
            or self.committee in when.committee
        )


def load_records(
    path: Path, display: str, hazards: set[str], form_ids: tuple[str, ...]
) -> tuple[Registry | None, list[Problem]]:
    """The registry, with every problem found (unknown forms, topics, hazards, duplicates)."""
    located = load_yaml(path, display=display)
    registry, problems = validate_located(RecordFile, located)
    if registry is None:
        return None, problems
    records: dict[str, RecordDef] = {}
    form_owner: dict[str, str] = {}
    for i, record in enumerate(registry.records):
        where = ("records", i)

        def bad(key: str, message: str, where: tuple = where) -> None:
            problems.append(located.problem((*where, key), message))

        if record.id in records:
            bad("id", f"record {record.id!r} is listed twice")
        records[record.id] = record
        if record.form:
            if record.form not in form_ids:
                bad("form", f"unknown form {record.form!r}{suggest(record.form, form_ids)}")
            elif record.form in form_owner:
                bad("form", f"form {record.form!r} already captures record {form_owner[record.form]!r}")
            form_owner[record.form] = record.id
        for topic in [*record.topics, *record.when.topics]:
            if topic not in TOPICS:
                bad("topics", f"unknown topic {topic!r}{suggest(topic, TOPICS)}")
        for hazard in record.when.hazards:
            if hazard not in hazards:
                bad("when", f"unknown hazard {hazard!r}{suggest(hazard, sorted(hazards))}")
        for category in record.when.categories:
            if category not in HAZARD_CATEGORIES:
                bad("when", f"unknown hazard category {category!r}{suggest(category, HAZARD_CATEGORIES)}")
    for form_id in form_ids:
        if form_id not in form_owner:
            problems.append(located.problem(("records",), f"form {form_id!r} captures no record; add one here"))
    if registry.handout_record not in records:
        problems.append(located.problem(("handout_record",), f"unknown record {registry.handout_record!r}"))
    return Registry(records, registry.handout_record), problems
