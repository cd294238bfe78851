"""The template context: everything section templates may read, built once per build.

Templates see plain dicts and lists (never the pydantic models), so a template can use
``.get`` and loops but cannot call methods on our objects.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.calendar import program_calendar
from generator.catalog import TOKEN, Catalog
from generator.content_models import Hazard, Jurisdiction, LegalDuty, Pack, RiskMatrix, Terms
from generator.forms_catalog import FormDef
from generator.profile import Profile
from generator.records import RecordDef
from generator.risk import by_risk

if TYPE_CHECKING:
    from generator.operations import Ops


@dataclass(frozen=True)
class BuildFacts:
    """Values derived from the profile that several parts of a build need."""

    profile: Profile
    pack: Pack
    jur: Jurisdiction
    hazards: tuple[Hazard, ...]
    forms: tuple[FormDef, ...]
    date: dt.date
    revision: int
    federal: tuple[LegalDuty, ...] = ()  # duties of federal law (manual_templates/federal.yaml)
    sector: str = "general"  # the industry's sector, which narrows the legal duties
    industry_name: str = ""  # as the industry list names it
    records: tuple[RecordDef, ...] = ()  # the registry's records that apply to this build
    ops: Ops | None = None  # how the company works (generator/operations.py)
    risk_matrix: RiskMatrix | None = None  # the bands the hazards are rated in (generator/risk.py)

    @property
    def title(self) -> str:
        return f"{self.pack.partner.short} {self.pack.title}"

    @property
    def committee(self) -> str:
        """``committee``, ``representative`` or ``none`` for this province and size."""
        return committee_kind(self.jur, self.profile.company.workers)


def committee_kind(jur: Jurisdiction, workers: int) -> str:
    """``committee``, ``representative`` or ``none`` for a province and a number of workers."""
    rule = jur.committee
    if rule.committee_min_workers is not None and workers >= rule.committee_min_workers:
        return "committee"
    if rule.representative_min_workers is not None and workers >= rule.representative_min_workers:
        return "representative"
    return "none"


def _with_terms(value: Any, words: dict[str, str]) -> Any:
    """``value`` with every ``{term}`` replaced; list items left empty are dropped."""
    if isinstance(value, str):
        return TOKEN.sub(lambda m: words[m.group(1)], value)
    if isinstance(value, list):
        items = [_with_terms(v, words) for v in value]
        return [v for v in items if v != ""]
    if isinstance(value, dict):
        return {k: _with_terms(v, words) for k, v in value.items()}
    return value


def apply_terms(hazard: Hazard, terms: Terms, province: str) -> Hazard:
    """The hazard in one province's words, without the training that province does not use."""
    data = hazard.model_dump()
    keep = {"legislation": data.pop("legislation"), "sources": data.pop("sources")}
    data = _with_terms(data, terms.model_dump())
    data["training"] = [t for t in data["training"] if not t["provinces"] or province in t["provinces"]]
    return Hazard.model_validate(dict(data, **keep))


def applicable_duties(facts: BuildFacts) -> list[LegalDuty]:
    """The province's and federal duties that apply to this company's sector, industry and hazards."""
    hazards = {h.id for h in facts.hazards}
    out = []
    for duty in (*facts.jur.duties, *facts.federal):
        if duty.hazards and not hazards.intersection(duty.hazards):
            continue
        if duty.sectors and facts.sector not in duty.sectors:
            continue
        if duty.industries and facts.profile.company.industry not in duty.industries:
            continue
        out.append(duty)
    return out


# where a reference's pinpoint starts: ", Part 9", " s. 25(2)(h)", ", ss. 22-23", ", Division 4", ...
_PINPOINT = re.compile(r",?\s+(?:Parts?|ss?\.|sections?|Divisions?|Schedules?|Tables?)\s+[\dIVXLC].*$", re.IGNORECASE)


def instrument(ref: str) -> str:
    """The law a reference names, without its part or section: ``OHS Code, Part 9`` -> ``OHS Code``."""
    laws = [_PINPOINT.sub("", part.strip()).strip() or part.strip() for part in ref.split(";")]
    return "; ".join(dict.fromkeys(law for law in laws if law))


def cite(citation: dict[str, Any] | None) -> str:
    """``OHS Code, Part 9 (Fall Protection)`` from a citation record.

    A reference not yet verified is printed by its law and subject only (``OHS Code (Fall
    Protection)``): the part or section number is what is most often wrong, and the manual
    states only what is confirmed. The full reference waits in the review notes.
    """
    if not citation:
        return ""
    text = str(citation.get("ref", ""))
    if citation.get("verified") is False:
        text = instrument(text)
    if citation.get("title"):
        text += f" ({citation['title']})"
    return text


def revision_history(facts: BuildFacts) -> list[dict[str, Any]]:
    """The revision history, oldest first, ending with the current revision."""
    info = facts.profile.document
    owner = facts.profile.people.owner.name
    rows = [
        {
            "revision": h.revision,
            "date": h.date.isoformat(),
            "changes": h.changes,
            "approved_by": h.approved_by or owner,
        }
        for h in info.history
        if h.revision < facts.revision
    ]
    current = [h for h in info.history if h.revision == facts.revision]
    changes = (
        current[-1].changes
        if current
        else ("First issue of the program" if facts.revision == 1 else "Revision of the program")
    )
    approved = (current[-1].approved_by if current else "") or info.approved_by or owner
    rows.append(
        {"revision": facts.revision, "date": facts.date.isoformat(), "changes": changes, "approved_by": approved}
    )
    return rows


def _supervision(flags: frozenset[str]) -> dict[str, str]:
    """Words for whoever supervises the work, used as the subject of a sentence with a modal verb."""
    if "has_supervisors" in flags:
        return {"S": "Supervisors", "s": "supervisors", "owner_and": "The owner and supervisors"}
    return {"S": "The owner", "s": "the owner", "owner_and": "The owner"}


def _team(flags: frozenset[str]) -> dict[str, str]:
    """Words for who does the field work together, so no sentence gathers a crew a company
    does not have: the owner alone (one person), workers alone (everyone works alone), or crews."""
    if "one_person" in flags:
        return {"mode": "one", "the": "the owner", "every": "the owner", "vehicle": "work vehicle"}
    if "alone_always" in flags:
        return {"mode": "alone", "the": "the worker", "every": "every worker", "vehicle": "work vehicle"}
    return {"mode": "crew", "the": "the crew", "every": "every crew", "vehicle": "crew vehicle"}


def _places(facts: BuildFacts) -> str:
    """Where the company works, from its answers, in the words of manual_templates/wording.yaml."""
    from generator.templating import join_and
    from generator.wording import load_manual_wording

    words = load_manual_wording().places.model_dump()
    ops = facts.ops
    chosen = [key for key in words if key != "vehicles" and ops is not None and key in ops.locations]
    if ops is not None and ops.vehicles:
        chosen.append("vehicles")
    return join_and(words[key] for key in chosen)


def build_context(facts: BuildFacts, catalog: Catalog) -> dict[str, Any]:
    """The context every manual template renders with."""
    profile = facts.profile
    company = profile.company.model_dump(mode="json")
    people = profile.people.model_dump(mode="json")
    if people.get("safety_contact") is None:
        people["safety_contact"] = people["owner"]
    emergency = profile.emergency.model_dump(mode="json")
    if emergency.get("hospital") is None:
        emergency["hospital"] = {"name": "the nearest hospital emergency department", "address": "", "phone": "911"}
    jur = facts.jur.model_dump(mode="json")
    for law in [jur["legislation"]["act"], *jur["legislation"]["regulations"]]:
        if law.get("verified") is False:
            law["citation"] = ""  # printed by name until its chapter citation is confirmed (review notes)
    hazards = [h.model_dump(mode="json") for h in facts.hazards]
    matrix = catalog.risk_matrix

    def cites(topic: str) -> str:
        return "; ".join(cite(c) for c in jur["topics"].get(topic, []))

    def risk_band(score: int) -> dict[str, Any]:
        return matrix.band(int(score)).model_dump()

    selected = {h.id for h in facts.hazards}
    form_refs = {f.id: f.ref() for f in facts.forms}
    flags = facts.ops.flags if facts.ops else frozenset()
    calendar = program_calendar(flags, profile.company.workers, form_refs, facts.jur.id, facts.pack.id)
    duties = [d.model_dump(mode="json") for d in applicable_duties(facts)]
    protocol = facts.pack.protocol
    forms_by_id = {f.id: f for f in facts.forms}
    return {
        "company": company,
        "industry": catalog.industries[profile.company.industry].model_dump(mode="json"),
        "people": people,
        "emergency": emergency,
        "sites": [s.model_dump(mode="json") for s in profile.sites],
        "partner": facts.pack.partner.model_dump(mode="json"),
        # an edition the data has not confirmed is left out rather than printed as fact
        "pack": dict(
            facts.pack.model_dump(mode="json"),
            protocol_version=(protocol.version or "") if protocol.verified else "",
        ),
        "jur": jur,
        "hazards": hazards,
        "hazards_by_risk": [h.model_dump(mode="json") for h in by_risk(list(facts.hazards))],
        "has_hazard": lambda hazard_id: hazard_id in selected,
        "duties": duties,
        "legal_training": [d for d in duties if d["kind"] == "training"],
        "site_duties": [d for d in duties if not d["hazards"] and d["kind"] != "training"],
        "duties_for": lambda hazard_id: [d for d in duties if hazard_id in d["hazards"]],
        "categories": sorted({h.category for h in facts.hazards}),
        "equipment_hazards": [h for h in hazards if h["equipment"]],
        "size": {
            "workers": profile.company.workers,
            "small": facts.pack.stream != "COR",
            "committee": facts.committee,
        },
        "doc": {
            "title": facts.title,
            "revision": facts.revision,
            "date": facts.date.isoformat(),
            "review_date": (facts.date + dt.timedelta(days=365)).isoformat(),
            "history": revision_history(facts),
        },
        "forms": {f.id: {"number": f.number, "title": f.title, "ref": f.ref()} for f in facts.forms},
        "form_list": [
            {
                "number": f.number,
                "title": f.title,
                "purpose": f.purpose,
                "retention": _form_record(facts, f.id)["retention"],
                "id": f.id,
            }
            for f in facts.forms
        ],
        "records": {r.id: _record(r, forms_by_id) for r in facts.records},
        "record_list": [_record(r, forms_by_id) for r in facts.records],
        "ops": facts.ops.as_context() if facts.ops else {"flags": []},
        "calendar": calendar,
        # who supervises: crew leads (plural) or the owner alone, so no sentence speaks of
        # "supervisors" a company does not have
        "sv": _supervision(flags),
        # who works together: the owner alone, each worker alone, or crews (see _team)
        "team": _team(flags),
        # where the company works, as a phrase ("in our shop and yard, on every job site and ...")
        "places": _places(facts),
        "cal": {row["id"]: row for row in calendar},
        "cite": cite,
        "cites": cites,
        "risk_matrix": matrix.model_dump(),
        "risk_band": risk_band,
    }


def _record(record: RecordDef, forms: dict[str, FormDef]) -> dict[str, Any]:
    """A registry record as templates see it: one retention text, its form's reference or
    where it is kept outside the program."""
    form = forms.get(record.form or "")
    return {
        "id": record.id,
        "name": record.name,
        "retention": record.retention.period,
        "kept_by": record.kept_by,
        "filled_by": record.filled_by,
        "signed_by": list(record.signed_by),
        "frequency": record.frequency,
        "form": form.ref() if form else "",
        "where": form.ref() if form else record.kept_outside,
        "topics": list(record.topics),
    }


def _form_record(facts: BuildFacts, form_id: str) -> dict[str, Any]:
    for record in facts.records:
        if record.form == form_id:
            return {"retention": record.retention.period}
    raise KeyError(form_id)  # gather_facts issues a form only with its record
