"""The dates of a certification cycle, computed once from a pack's rules.

The manual's certification plan appendix and the practice audit's workbook read the same
dates from here: when records are long enough for an audit, when each year's audit is due,
the window each maintenance audit falls in, and the data-gathering and submission deadlines
of one audit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from generator.content_models import Pack


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved forward by whole months (clamped to the month's last day)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass(frozen=True)
class CycleAudit:
    """One year's audit: what it is, who does it, and the window it must fall in."""

    year: int
    audit: str
    who: str
    opens: dt.date
    due: dt.date


@dataclass(frozen=True)
class CertificationPlan:
    """The dates of one certification cycle, counted from the day the program started."""

    start: dt.date
    minimum_months: int
    full_months: int
    earliest_audit: dt.date
    full_audit: dt.date
    years: tuple[CycleAudit, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for templates (dates as ISO text)."""
        return {
            "start": self.start.isoformat(),
            "minimum_months": self.minimum_months,
            "full_months": self.full_months,
            "earliest_audit": self.earliest_audit.isoformat(),
            "full_audit": self.full_audit.isoformat(),
            "years": [
                {"year": y.year, "audit": y.audit, "who": y.who, "opens": y.opens.isoformat(), "due": y.due.isoformat()}
                for y in self.years
            ],
        }


def certification_plan(pack: Pack, start: dt.date) -> CertificationPlan:
    """The certification cycle of ``pack`` for a program that started on ``start``.

    The first audit is due once the partner's full months of records exist; each later
    year's audit is due on that date's anniversary and may be done in the year before it.
    """
    records = pack.requirements.records_before_audit
    minimum = records.minimum_months or 3
    full = records.full_months or 12
    earliest = add_months(start, max(minimum, 1))
    first_due = add_months(start, full)
    years: list[CycleAudit] = []
    for item in pack.requirements.audit_cycle:
        due = add_months(first_due, 12 * (item.year - 1))
        opens = earliest if item.year == 1 else add_months(due, -12) + dt.timedelta(days=1)
        years.append(CycleAudit(item.year, item.audit, item.who or "", opens, due))
    return CertificationPlan(start, minimum, full, earliest, first_due, tuple(years))


@dataclass(frozen=True)
class AuditDeadlines:
    """The deadlines of one audit that starts gathering data on ``start``."""

    start: dt.date
    gathering_ends: dt.date | None  # last day of data gathering, when the partner limits it
    submit_by: dt.date | None  # when the partner sets a submission deadline
    submit_rule: str  # the rule in words, for the workbook and the report


def audit_deadlines(pack: Pack, start: dt.date, completed: dt.date | None = None) -> AuditDeadlines:
    """Data-gathering and submission deadlines for an audit of ``pack`` started on ``start``.

    ``completed`` is the day the audit was finished, when known; the submission deadline
    counts from it (or from the end of data gathering, as the partner's rule says).
    """
    rules = pack.requirements.audit
    gathering_ends = None
    if rules.data_gathering_days:
        # the partner counts the first day, so 15 days run from the start to the 15th day
        gathering_ends = start + dt.timedelta(days=rules.data_gathering_days - 1)
    submit_by = None
    rule = ""
    if rules.submission_days:
        if rules.submission_after == "data_gathering" and gathering_ends is not None:
            base = min(completed, gathering_ends) if completed else gathering_ends
            rule = f"within {rules.submission_days} days after the last day of data gathering"
        else:
            base = completed or gathering_ends or start
            rule = f"within {rules.submission_days} days of completing the audit"
        submit_by = base + dt.timedelta(days=rules.submission_days)
    return AuditDeadlines(start, gathering_ends, submit_by, rule)
