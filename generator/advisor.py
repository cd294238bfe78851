"""The stream advisor: SECOR, Small COR or COR, and which partners fit.

One piece of logic serves the ``stream`` command, the questionnaire's partner choices and
the profile check that refuses a partner that does not serve the company's province.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.catalog import Catalog
from generator.content_models import Pack
from generator.errors import UserError

if TYPE_CHECKING:
    from generator.profile import Profile


@dataclass(frozen=True)
class Advice:
    """What the advisor recommends for one province, size and industry."""

    province: str
    workers: int
    industry: str | None
    stream: str
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    packs: list[Pack] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form for ``stream --json``."""
        return {
            "province": self.province,
            "workers": self.workers,
            "industry": self.industry,
            "stream": self.stream,
            "reasons": self.reasons,
            "warnings": self.warnings,
            "partners": [
                {"id": p.partner.id, "name": p.partner.name, "pack": p.id, "stream": p.stream}
                for p in self.packs
            ],
        }


def recommend_stream(catalog: Catalog, province: str, workers: int) -> tuple[str, list[str], list[str]]:
    """The stream for a province and worker count, with reasons and warnings."""
    jur = catalog.jurisdictions.get(province)
    if jur is None:
        raise UserError(f"unknown province {province!r}: use one of {', '.join(sorted(catalog.jurisdictions))}")
    small = jur.small_employer
    reasons: list[str] = []
    warnings: list[str] = []
    if small.stream is None or small.max_workers is None:
        reasons.append(f"{jur.name} has no small-employer stream; employers of every size work toward COR.")
        return "COR", reasons, warnings
    if workers <= small.max_workers:
        reasons.append(f"{workers} workers is within {jur.name}'s {small.stream} limit of {small.max_workers} or fewer.")
        warnings.append(f"Confirm that your prime contractors and clients accept {small.stream}; some ask for a full COR.")
        if workers >= small.max_workers - 1:
            warnings.append(f"You are close to the {small.stream} limit: hiring past {small.max_workers} workers moves you to COR at your next audit.")
        if small.conflict and small.note:
            warnings.append(f"Sources disagree on the exact limit: {small.note}")
        return small.stream, reasons, warnings
    reasons.append(f"{workers} workers is above {jur.name}'s {small.stream} limit of {small.max_workers}, so COR applies.")
    return "COR", reasons, warnings


def advise(catalog: Catalog, province: str, workers: int, industry: str | None = None) -> Advice:
    """Recommend a stream and list the partners that serve this province and industry."""
    if workers < 1:
        raise UserError(f"workers must be at least 1 (got {workers})")
    stream, reasons, warnings = recommend_stream(catalog, province, workers)
    sector = None
    if industry is not None:
        found = catalog.industries.get(industry)
        if found is None:
            from generator.validation import suggest

            raise UserError(f"unknown industry {industry!r}{suggest(industry, catalog.industries)}")
        sector = found.sector
    packs = fitting_packs(catalog, province, workers, sector, stream)
    if not packs:
        warnings.append(f"No bundled pack serves {province} for this industry in the {stream} stream; the national-standard pack is the fallback.")
    elif sector is not None and all("general" in p.sectors and sector not in p.sectors for p in packs):
        reasons.append("No partner is specific to this industry here; the general partner serves it.")
    return Advice(province, workers, industry, stream, reasons, warnings, packs)


def fitting_packs(catalog: Catalog, province: str, workers: int, sector: str | None, stream: str | None) -> list[Pack]:
    """Packs that serve the province, the sector (or any) and the size, in the given stream."""
    chosen = []
    for pack in catalog.packs.values():
        if province not in pack.provinces:
            continue
        if stream is not None and pack.stream != stream:
            continue
        if not pack.min_workers <= workers <= (pack.max_workers or 10**9):
            continue
        if sector is not None and sector not in pack.sectors and "general" not in pack.sectors:
            continue
        chosen.append(pack)
    # industry-specific partners first, then general ones; stable by id
    chosen.sort(key=lambda p: (sector is not None and sector not in p.sectors, p.id))
    return chosen


def pack_for(catalog: Catalog, profile: Profile) -> Pack:
    """The pack a profile builds with: its partner, in its stream (or the advised one)."""
    company = profile.company
    offered = catalog.packs_for_partner(profile.partner)
    if not offered:
        raise UserError(f"unknown certifying partner {profile.partner!r}")
    name = offered[0].partner.short
    serving = [p for p in offered if company.province in p.provinces]
    if not serving:
        provinces = sorted({prov for p in offered for prov in p.provinces})
        raise UserError(f"{name} does not certify employers in {company.province} (it serves {', '.join(provinces)})")
    stream = profile.stream
    if stream is None:
        stream, _, _ = recommend_stream(catalog, company.province, company.workers)
        if not any(p.stream == stream for p in serving):
            stream = "COR"
    matches = [p for p in serving if p.stream == stream]
    if not matches:
        streams = ", ".join(sorted({p.stream for p in serving}))
        raise UserError(f"{name} offers no {stream} stream in {company.province} (it offers {streams})")
    pack = matches[0]
    if not pack.min_workers <= company.workers <= (pack.max_workers or 10**9):
        limit = f"{pack.max_workers} or fewer" if pack.max_workers else f"at least {pack.min_workers}"
        raise UserError(f"{name} {stream} is for employers with {limit} workers (profile has {company.workers})")
    return pack
