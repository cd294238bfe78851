"""The program calendar: how often each recurring activity happens, chosen for the company.

The data is ``manual_templates/program_calendar.yaml``: for each activity, rules keyed on the
company's flags (size, answers) pick a frequency. The manual prints the result once as a table
and other sections refer to it, so a frequency is never stated twice.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field

from generator.content_models import Strict
from generator.errors import ContentError
from generator.operations import holds, known_flag
from generator.paths import data_dir
from generator.validation import validate_located
from generator.yamlio import load_yaml

SIZES = (1, 5, 10, 19, 50)  # workers_le_N flags a rule may name


class Rule(Strict):
    when: list[str] = []
    frequency: str
    per_year: float | None = None  # how many times a year, where the frequency is regular


class Minimum(Strict):
    """What a law or partner requires, at the least, with where it says so."""

    per_year: float
    source: str
    verified: bool = False


class Activity(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    who: str
    record: str  # form id
    rules: list[Rule] = Field(min_length=1)
    minimum: Minimum | None = None


class Calendar(Strict):
    activities: list[Activity]


@lru_cache(maxsize=4)
def load_calendar(root: Path | None = None) -> Calendar:
    """The calendar data, validated: known flags, a catch-all rule last."""
    root = root or data_dir("manual_templates")
    located = load_yaml(root / "program_calendar.yaml", display="manual_templates/program_calendar.yaml")
    calendar, problems = validate_located(Calendar, located)
    if calendar is not None:
        for i, activity in enumerate(calendar.activities):
            for j, rule in enumerate(activity.rules):
                for flag in rule.when:
                    if not (known_flag(flag) or flag in {f"workers_le_{n}" for n in SIZES}):
                        problems.append(
                            located.problem(("activities", i, "rules", j, "when"), f"unknown flag {flag!r}")
                        )
            floor = activity.minimum.per_year if activity.minimum else 0.0
            for j, rule in enumerate(activity.rules):
                if rule.per_year is not None and rule.per_year < floor:
                    problems.append(
                        located.problem(
                            ("activities", i, "rules", j, "per_year"),
                            f"{rule.per_year:g} a year is less often than the minimum of {floor:g} "
                            f"({activity.minimum.source if activity.minimum else ''})",
                        )
                    )
            if activity.rules[-1].when:
                problems.append(located.problem(("activities", i, "rules"), "the last rule must have no `when`"))
    if problems or calendar is None:
        raise ContentError("the program calendar has problems:", problems)
    return calendar


def size_flags(workers: int) -> frozenset[str]:
    """``workers_le_N`` for every size step the company is within."""
    return frozenset(f"workers_le_{n}" for n in SIZES if workers <= n)


def program_calendar(flags: frozenset[str], workers: int, forms: dict[str, str]) -> list[dict[str, str]]:
    """Rows of the calendar for this company: activity, how often, who, and its record."""
    every = flags | size_flags(workers)
    rows = []
    for activity in load_calendar().activities:
        rule = next(r for r in activity.rules if holds(r.when, every))
        rows.append(
            {
                "id": activity.id,
                "name": activity.name,
                "frequency": rule.frequency,
                "who": activity.who,
                "record": forms.get(activity.record, ""),
            }
        )
    return rows
