"""Updating a profile: new work types, a raised revision and a line in the revision history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.catalog import Catalog
from generator.errors import UserError
from generator.profile import Profile, RevisionEntry
from generator.validation import suggest


def change_hazards(profile: Profile, catalog: Catalog, add: list[str], remove: list[str]) -> tuple[list[str], str]:
    """The profile's hazard list after adding and removing ids, and a sentence saying what changed."""
    problems = []
    hazards = list(profile.hazards)
    added, removed = [], []
    for hazard in add:
        if hazard not in catalog.hazards:
            problems.append(f"--add-hazard: unknown hazard {hazard!r}{suggest(hazard, catalog.hazards)}")
        elif hazard in hazards:
            problems.append(f"--add-hazard: {hazard!r} is already in the profile")
        else:
            hazards.append(hazard)
            added.append(catalog.hazards[hazard].name)
    for hazard in remove:
        if hazard not in hazards:
            problems.append(f"--remove-hazard: {hazard!r} is not in the profile{suggest(hazard, hazards)}")
        else:
            hazards.remove(hazard)
            removed.append(catalog.hazards[hazard].name if hazard in catalog.hazards else hazard)
    if problems:
        raise UserError(problems)
    if not hazards:
        raise UserError("--remove-hazard: a profile needs at least one hazard")
    parts = []
    if added:
        parts.append("Added " + ", ".join(added))
    if removed:
        parts.append("Removed " + ", ".join(removed))
    return hazards, "; ".join(parts)


def next_revision(profile: Profile, changes: str, today: dt.date, **updates: Any) -> Profile:
    """A copy of ``profile`` one revision on, with the history line and any field updates."""
    info = profile.document
    history = list(info.history)
    if not any(h.revision == info.revision for h in history):
        # the history starts with the revision the profile had before its first update
        first = "First issue of the program" if info.revision == 1 else "Revision of the program"
        history.append(
            RevisionEntry(revision=info.revision, date=info.date or today, changes=first, approved_by=info.approved_by)
        )
    revision = info.revision + 1
    approved = info.approved_by or profile.people.owner.name
    history.append(RevisionEntry(revision=revision, date=today, changes=changes, approved_by=approved))
    document = info.model_copy(update={"revision": revision, "date": today, "history": history})
    return profile.model_copy(update={"document": document, **updates})
