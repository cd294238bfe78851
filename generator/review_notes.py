"""Review notes: what the preparer should check before the owner signs the manual.

The manual itself states only what it can stand behind. Every fact a build uses that is not
verified against an official source, every element whose wording is not confirmed against
the partner's current audit tool, and the research notes recorded with the data, go here
instead: one list in build.json and one Markdown file beside the outputs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pydantic import BaseModel

from generator.calendar import applicable_minimums
from generator.content_models import AuditYear, Pack, PassMarks
from generator.context import BuildFacts, applicable_duties

# the risk bands in which the manual commits to a written safe job procedure (safe_job_procedures.md)
PROCEDURE_BANDS = ("High", "Critical")
DEFAULT_CHECK = "Confirm against the official text (statute, regulation or the body's own page)."


@dataclass(frozen=True)
class ReviewNote:
    """One thing to check: where the manual uses it, the fact, its source and what to check."""

    where: str
    fact: str
    source: str
    check: str


def _label(record: BaseModel) -> str:
    """A short human name for a sourced record."""
    if isinstance(record, AuditYear):
        return f"Year {record.year}: {record.audit}"
    if isinstance(record, PassMarks):
        return f"Pass mark: {record.overall}% overall, {record.per_element}% in every element"
    for name in ("ref", "name", "committee_name", "title", "what", "right", "summary", "year"):
        value = getattr(record, name, None)
        if value:
            text = str(value).strip()
            title = getattr(record, "title", None)
            if name == "ref" and title:
                text += f" ({title})"
            return " ".join(text.split())[:200]
    return type(record).__name__


def _unverified(record: BaseModel | None, where: str, notes: list[ReviewNote], check: str = "") -> None:
    """Add a note for ``record`` and every sourced record inside it that is not verified."""
    if record is None:
        return
    # a record that names no source of its own stands on its citation: check that instead,
    # carrying the record's own research note along
    deferred = getattr(record, "citation", None) is not None and not getattr(record, "source", None)
    if deferred:
        check = " ".join((getattr(record, "note", None) or check).split())
    elif "verified" in type(record).model_fields and (
        not getattr(record, "verified", True) or getattr(record, "conflict", False)
    ):
        note = getattr(record, "note", None)
        reason = "Sources disagree. " if getattr(record, "conflict", False) else ""
        notes.append(
            ReviewNote(
                where=where,
                fact=_label(record),
                source=getattr(record, "source", None) or "no source recorded",
                check=reason + " ".join((note or check or DEFAULT_CHECK).split()),
            )
        )
    for name in type(record).model_fields:
        value = getattr(record, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, BaseModel):
                _unverified(item, where, notes, check)


def partner_misfit(facts: BuildFacts) -> ReviewNote | None:
    """A note when the chosen partner does not serve the company's industry (None when it does).

    The manual is written for the partner's audit; registering with a partner whose rules
    exclude the company wastes the whole program, so this comes first in the review notes.
    """
    from generator.advisor import serves

    pack, jur = facts.pack, facts.jur
    industry = facts.profile.company.industry
    if serves(pack, industry, facts.sector):
        return None
    board = jur.compensation_board.short or jur.compensation_board.name
    served = ", ".join(s.replace("_", " ") for s in pack.sectors) or "some"
    return ReviewNote(
        where="Certifying partner",
        fact=f"{pack.partner.name} ({pack.partner.short}) certifies {served} employers",
        source=pack.sources[0] if pack.sources else "pack data",
        check=(
            f"The company's industry{'' if industry == 'other' else f' ({facts.industry_name or industry})'} "
            f"is not one {pack.partner.short} serves. "
            f"Ask {board} which certifying partner covers it, and rebuild with that partner's pack "
            "(`safety-manual stream` lists the bundled partners), before the owner registers."
        ),
    )


def missing_procedures(facts: BuildFacts) -> list[ReviewNote]:
    """A note for each of the company's own hazards rated High or Critical without a safe job procedure.

    The manual commits to a written procedure for every task its hazard assessment rates High
    or Critical; the library's hazards bring one, a company's own hazard only if the profile
    gives it (``custom.hazards[].safe_job_procedure``).
    """
    matrix = facts.risk_matrix
    if matrix is None:
        return []
    own = {c.id for c in facts.profile.custom.hazards if c.safe_job_procedure is None}
    notes = []
    for hazard in facts.hazards:
        if hazard.id not in own or hazard.safe_job_procedure is not None:
            continue
        score = hazard.risk.severity * hazard.risk.likelihood
        band = matrix.band(score).name
        if band not in PROCEDURE_BANDS:
            continue
        notes.append(
            ReviewNote(
                where="Safe job procedures",
                fact=f"{hazard.name}: rated {score} {band}, with no safe job procedure",
                source="profile: custom.hazards",
                check=(
                    f"The manual requires a written procedure for a task rated {band}. Write the steps with "
                    f"the workers who do the task and add them to the profile as "
                    f"custom.hazards[{hazard.id}].safe_job_procedure (title and steps), then rebuild."
                ),
            )
        )
    return notes


def review_notes(facts: BuildFacts) -> list[ReviewNote]:
    """Every unverified fact this build uses, in the order the manual uses them."""
    jur, pack, province = facts.jur, facts.pack, facts.jur.id
    notes: list[ReviewNote] = []
    misfit = partner_misfit(facts)
    if misfit:
        notes.append(misfit)
    legislation = f"{jur.name} legislation"
    _unverified(jur.legislation, legislation, notes)
    _unverified(jur.regulator, f"{jur.name} regulator", notes)
    _unverified(jur.compensation_board, f"{jur.name} compensation board", notes)
    for right in jur.worker_rights:
        _unverified(right.citation, "Worker rights", notes)
    _unverified(jur.committee, "Health and safety committee and representative", notes)
    _unverified(jur.program_requirement, "Health and safety policy and program", notes)
    _unverified(jur.site_lead, f"{jur.terms.site_lead_title} duties", notes)
    for report in jur.reporting:
        _unverified(report, "Incident reporting", notes)
    _unverified(jur.first_aid, "First aid", notes)
    for topic, citations in jur.topics.items():
        for citation in citations:
            _unverified(citation, f"Legal references ({topic.replace('_', ' ')})", notes)
    for duty in applicable_duties(facts):
        _unverified(duty, f"Legal duty: {duty.title}", notes)
    for hazard in facts.hazards:
        for citation in hazard.legislation.get(province, []):
            _unverified(citation, f"Hazard: {hazard.name}", notes)
    notes += missing_procedures(facts)
    _unverified(jur.rebate, "Certification plan (incentives)", notes)
    flags = facts.ops.flags if facts.ops else frozenset()
    for activity, minimum in applicable_minimums(flags, facts.profile.company.workers, province, pack.id):
        _unverified(minimum, f"Program calendar: {activity.name}", notes)
    partner = pack.partner.short
    _unverified(pack.protocol, f"{partner} audit protocol", notes, "Check the protocol name and edition.")
    for element in pack.elements:
        if not element.verified:
            notes.append(
                ReviewNote(
                    where="Audit cross-reference",
                    fact=f"Element {element.number}: {element.name}",
                    source=element.source or "no source recorded",
                    check=f"Check the element's wording and order against {partner}'s current audit tool.",
                )
            )
    req = pack.requirements
    plan = "Certification plan"
    for record in (req.eligibility, req.pass_marks, req.records_before_audit, req.submission):
        _unverified(record, plan, notes)
    for course in req.courses:
        _unverified(course, plan, notes, f"Confirm the course, who takes it and when with {partner}.")
    for year in req.audit_cycle:
        _unverified(year, plan, notes, f"Confirm the audit cycle with {partner}.")
    for text in req.notes:
        notes.append(ReviewNote(f"{partner} {pack.stream} pack", "Partner note", "pack data", " ".join(text.split())))
    unique: dict[tuple[str, str, str], ReviewNote] = {}
    for note in notes:
        unique.setdefault((note.where, note.fact, note.source), note)
    return list(unique.values())


def notes_as_json(notes: list[ReviewNote]) -> list[dict[str, Any]]:
    """The notes as build.json stores them."""
    return [asdict(n) for n in notes]


def notes_markdown(notes: list[ReviewNote], facts: BuildFacts) -> str:
    """``review-notes.md``: for the preparer, never part of the client's manual."""
    company = facts.profile.company.name
    lines = [
        f"# Review notes for {company}, revision {facts.revision}",
        "",
        "For the person preparing this manual, not for the client. The manual states only what",
        "it can stand behind; below are the facts it uses that were not verified against an",
        "official source, and anything the profile still lacks (a partner that does not serve",
        "the industry, a high-risk task without its procedure). Check each one before the owner",
        "signs the manual.",
        "",
    ]
    if not notes:
        lines.append("Every fact this manual uses is verified. Nothing to check.")
        return "\n".join(lines) + "\n"
    lines.append(f"{len(notes)} item(s) to check.")
    where = None
    for note in notes:
        if note.where != where:
            where = note.where
            lines += ["", f"## {where}", ""]
        lines.append(f"- **{note.fact}**. Source: {note.source}. Check: {note.check}")
    return "\n".join(lines) + "\n"


def audit_notes(pack: Pack) -> list[ReviewNote]:
    """The unverified partner rules a practice audit scores and dates by (for its review notes)."""
    notes: list[ReviewNote] = []
    req = pack.requirements
    where = f"{pack.partner.short} audit rules"
    # a pack without an audit block has no partner rules to check there, only our defaults
    stated = (req.audit,) if "audit" in req.model_fields_set else ()
    for record in (req.pass_marks, *stated, req.records_before_audit, *req.audit_cycle):
        _unverified(record, where, notes, f"Confirm with {pack.partner.short} before relying on the score or dates.")
    for element in pack.elements:
        if not element.verified:
            notes.append(
                ReviewNote(
                    "Audit elements",
                    f"Element {element.number}: {element.name}",
                    element.source or "no source recorded",
                    f"Check the element's wording and order against {pack.partner.short}'s current audit tool.",
                )
            )
    return notes
