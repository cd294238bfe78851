"""How the company works: the profile's answers, filled in from the industry and the size.

The result decides which variant of each hazard's text applies (see
:func:`generator.variants.apply_variants`) and which commitments the manual makes. Answers
the profile leaves out take the industry's defaults (``manual_templates/industries.yaml``);
a few follow from the worker count, because a one-person company has no crew to lead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.catalog import Catalog
from generator.content_models import SECTORS
from generator.profile import Operations, Profile

# every flag a hazard variant or a calendar rule may name (a closed vocabulary, checked at load)
# ``has:<hazard id>``: the hazard is in the company's assessment, so one hazard's text can
# refer to another's (machine guarding points at the lockout procedure instead of repeating it)
FLAG_PREFIXES = ("alone:", "crews:", "owner:", "hires:", "does:", "vehicle:", "access:", "at:", "travel:", "has:")
FLAGS = frozenset({"alone", "alone_always", "one_person", "owner_supervises", "long_shifts", "has_supervisors"})
FLAGS |= {f"sector:{s}" for s in SECTORS}  # the industry's sector, e.g. a renovator in homes is construction
TRADES = ("electrical", "gas", "asbestos_abatement", "confined_space", "crane_lifts")


@dataclass(frozen=True)
class Ops:
    """The resolved answers: every question answered."""

    works_alone: str
    alone_when: tuple[str, ...]
    crews: str
    owner_roles: tuple[str, ...]
    hires_out: tuple[str, ...]
    vehicles: tuple[str, ...]
    access: str
    locations: tuple[str, ...]
    shift_hours: int
    travel: str
    workers: int
    sector: str = "general"
    hazards: tuple[str, ...] = ()  # the ids of the hazards the company chose, its own included

    @property
    def flags(self) -> frozenset[str]:
        """The facts hazard variants and calendar rules test, e.g. ``hires:electrical``."""
        flags = {f"crews:{self.crews}", f"access:{self.access}", f"travel:{self.travel}", f"sector:{self.sector}"}
        if self.works_alone != "no":
            flags.add("alone")
            flags.update(f"alone:{w}" for w in self.alone_when)
        if self.works_alone == "always":
            flags.add("alone_always")
        if self.workers == 1:
            flags.add("one_person")
        if self.crews != "crew_leads":
            flags.add("owner_supervises")
        else:
            flags.add("has_supervisors")
        if self.shift_hours >= 11:
            flags.add("long_shifts")
        flags.update(f"owner:{r}" for r in self.owner_roles)
        flags.update(f"hires:{t}" for t in self.hires_out)
        flags.update(f"does:{t}" for t in TRADES if t not in self.hires_out)
        flags.update(f"vehicle:{v}" for v in self.vehicles)
        flags.update(f"at:{x}" for x in self.locations)
        flags.update(f"has:{h}" for h in self.hazards)
        return frozenset(flags)

    def as_context(self) -> dict[str, Any]:
        """Plain data for templates: the answers and the flags."""
        return {
            "works_alone": self.works_alone,
            "alone_when": list(self.alone_when),
            "crews": self.crews,
            "owner_roles": list(self.owner_roles),
            "hires_out": list(self.hires_out),
            "vehicles": list(self.vehicles),
            "access": self.access,
            "locations": list(self.locations),
            "shift_hours": self.shift_hours,
            "travel": self.travel,
            "sector": self.sector,
            "flags": sorted(self.flags),
        }


def known_flag(flag: str) -> bool:
    """True when ``flag`` is in the vocabulary variants and rules may use (``!`` negates)."""
    flag = flag.removeprefix("!")
    return flag in FLAGS or any(flag.startswith(p) and len(flag) > len(p) for p in FLAG_PREFIXES)


def holds(conditions: list[str], flags: frozenset[str]) -> bool:
    """True when every condition holds; ``!flag`` means the flag must be absent."""
    return all((c[1:] not in flags) if c.startswith("!") else (c in flags) for c in conditions)


def resolve_operations(profile: Profile, catalog: Catalog) -> Ops:
    """The profile's answers, with the industry's defaults and the size's rules for the rest."""
    industry = catalog.industries[profile.company.industry]
    merged: dict[str, Any] = dict(catalog.operations)
    merged.update(industry.operations)
    workers = profile.company.workers
    # size decides who leads: nobody to lead in a one-person company, and without named
    # supervisors a small company's owner leads the work
    if workers == 1:
        merged.update(works_alone="always", crews="owner_only")
    elif profile.people.supervisors:
        merged["crews"] = "crew_leads"
    merged.update(profile.operations.model_dump(exclude_none=True))
    ops = Operations.model_validate(merged)
    crews = ops.crews or "owner_leads"
    roles = ops.owner_roles
    if roles is None:
        roles = ["trainer", "investigator"] if workers <= 10 else []
        if crews != "crew_leads":
            roles.insert(0, "supervisor")
        contact = profile.people.safety_contact
        if contact is None or contact.name == profile.people.owner.name:
            roles.insert(0, "safety_coordinator")
        if workers == 1:
            roles += ["first_aider", "dispatcher"]
    return Ops(
        works_alone=ops.works_alone or "sometimes",
        alone_when=tuple(ops.alone_when or ()),
        crews=crews,
        owner_roles=tuple(roles),
        hires_out=tuple(ops.hires_out or ()),
        vehicles=tuple(ops.vehicles or ()),
        access=ops.access or "ladders_only",
        locations=tuple(ops.locations or ()),
        shift_hours=ops.shift_hours or 10,
        travel=ops.travel or "local",
        workers=workers,
        sector=industry.sector,
        hazards=(*profile.hazards, *(c.id for c in profile.custom.hazards)),
    )
