"""The program calendar: how often each recurring activity happens, chosen for the company.

The data is ``manual_templates/program_calendar.yaml``: for each activity, rules keyed on the
company's flags (size, answers) pick a frequency, and ``minimums`` record what a law or a
partner requires at the least, for a province, a pack or everyone. The manual prints the
result once as a table and other sections refer to it, so a frequency is never stated twice.
A chosen frequency is never below an applicable minimum: when it is, the minimum's own
wording is printed instead.
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
# worker counts on each side of every size step: enough to tell whether two sets of size
# conditions can hold for the same company
_PROBE_SIZES = sorted({1, 2, *SIZES, *(n + 1 for n in SIZES)})


class Rule(Strict):
    when: list[str] = []
    frequency: str
    per_year: float | None = None  # how many times a year, where the frequency is regular


class Minimum(Strict):
    """What a law or partner requires at the least, where it applies, and where it says so.

    ``provinces`` and ``packs`` narrow it (empty: everywhere, every pack); ``when`` names the
    companies it applies to (size and operations flags, as for rules). ``frequency`` is the
    calendar wording used when the chosen rule is less often.
    """

    provinces: list[str] = []
    packs: list[str] = []
    when: list[str] = []
    per_year: float = Field(gt=0)
    frequency: str | None = None
    ref: str = Field(min_length=1)  # the citation: statute, regulation or partner document
    title: str | None = None
    source: str = Field(min_length=1)
    verified: bool = False
    note: str | None = None

    @property
    def universal(self) -> bool:
        """True when it binds every province and pack (rules are checked against it on load)."""
        return not self.provinces and not self.packs

    def applies(self, every: frozenset[str], province: str, pack: str) -> bool:
        return (
            (not self.provinces or province in self.provinces)
            and (not self.packs or pack in self.packs)
            and holds(self.when, every)
        )


class Who(Strict):
    """Who does an activity in companies that meet ``when`` (e.g. the owner alone)."""

    when: list[str] = Field(min_length=1)
    who: str


class Activity(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    who: str  # printed unless a ``who_when`` entry holds (the first that holds wins)
    who_when: list[Who] = []
    record: str  # form id
    rules: list[Rule] = Field(min_length=1)
    minimums: list[Minimum] = []


class Calendar(Strict):
    activities: list[Activity]


def size_flags(workers: int) -> frozenset[str]:
    """``workers_le_N`` for every size step the company is within."""
    return frozenset(f"workers_le_{n}" for n in SIZES if workers <= n)


def _size_part(flags: frozenset[str]) -> frozenset[str]:
    """The flags a company's size decides, for a worker count."""
    return flags | ({"one_person"} if "workers_le_1" in flags else set())


def can_hold_together(a: list[str], b: list[str]) -> bool:
    """Whether some company could meet both sets of conditions (sizes and ``!`` negations)."""
    conditions = [*a, *b]
    if any(c.startswith("!") and c[1:] in conditions for c in conditions):
        return False
    sized = {"one_person", *(f"workers_le_{n}" for n in SIZES)}
    size_conditions = [c for c in conditions if c.removeprefix("!") in sized]
    return any(holds(size_conditions, _size_part(size_flags(w))) for w in _PROBE_SIZES)


@lru_cache(maxsize=4)
def load_calendar(root: Path | None = None) -> Calendar:
    """The calendar data, validated: known flags, a catch-all rule last, and no rule less often
    than a minimum that binds everyone."""
    root = root or data_dir("manual_templates")
    located = load_yaml(root / "program_calendar.yaml", display="manual_templates/program_calendar.yaml")
    calendar, problems = validate_located(Calendar, located)
    sized = {f"workers_le_{n}" for n in SIZES}
    if calendar is not None:
        for i, activity in enumerate(calendar.activities):
            conditions = [(("rules", j), rule.when) for j, rule in enumerate(activity.rules)]
            conditions += [(("minimums", k), m.when) for k, m in enumerate(activity.minimums)]
            conditions += [(("who_when", k), w.when) for k, w in enumerate(activity.who_when)]
            for where, when in conditions:
                for flag in when:
                    if not (known_flag(flag) or flag.removeprefix("!") in sized):
                        problems.append(located.problem(("activities", i, *where, "when"), f"unknown flag {flag!r}"))
            for k, minimum in enumerate(activity.minimums):
                if minimum.frequency is None and not (minimum.universal and not minimum.when):
                    problems.append(
                        located.problem(
                            ("activities", i, "minimums", k),
                            "a minimum that binds only some companies needs the `frequency` to print",
                        )
                    )
                for j, rule in enumerate(activity.rules):
                    if not can_hold_together(rule.when, minimum.when):
                        continue
                    if rule.per_year is None:
                        problems.append(
                            located.problem(
                                ("activities", i, "rules", j, "per_year"),
                                f"a minimum ({minimum.ref}) may apply to this rule, so it needs `per_year`",
                            )
                        )
                    elif minimum.universal and rule.per_year < minimum.per_year:
                        problems.append(
                            located.problem(
                                ("activities", i, "rules", j, "per_year"),
                                f"{rule.per_year:g} a year is less often than the minimum of "
                                f"{minimum.per_year:g} ({minimum.ref})",
                            )
                        )
            if activity.rules[-1].when:
                problems.append(located.problem(("activities", i, "rules"), "the last rule must have no `when`"))
    if problems or calendar is None:
        raise ContentError("the program calendar has problems:", problems)
    return calendar


def applicable_minimums(
    flags: frozenset[str], workers: int, province: str, pack: str = ""
) -> list[tuple[Activity, Minimum]]:
    """Every minimum that binds this company, with its activity, in calendar order."""
    every = flags | size_flags(workers)
    return [
        (activity, minimum)
        for activity in load_calendar().activities
        for minimum in activity.minimums
        if minimum.applies(every, province, pack)
    ]


def program_calendar(
    flags: frozenset[str], workers: int, forms: dict[str, str], province: str, pack: str = ""
) -> list[dict[str, str]]:
    """Rows of the calendar for this company: activity, how often, who, and its record.

    The first rule that holds gives the frequency; when an applicable minimum asks for more
    times a year, the highest such minimum's wording is used instead.
    """
    every = flags | size_flags(workers)
    rows = []
    for activity in load_calendar().activities:
        rule = next(r for r in activity.rules if holds(r.when, every))
        frequency = rule.frequency
        floors = [m for m in activity.minimums if m.applies(every, province, pack) and m.frequency]
        floor = max(floors, key=lambda m: m.per_year, default=None)
        if floor is not None and floor.frequency and (rule.per_year is None or rule.per_year < floor.per_year):
            frequency = floor.frequency
        rows.append(
            {
                "id": activity.id,
                "name": activity.name,
                "frequency": frequency,
                "who": next((w.who for w in activity.who_when if holds(w.when, every)), activity.who),
                "record": forms.get(activity.record, ""),
            }
        )
    return rows
