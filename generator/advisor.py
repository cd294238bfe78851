"""The stream advisor: SECOR, Small COR or COR, and which partners fit.

One piece of logic serves the ``stream`` command, the questionnaire's partner choices and
the profile check that refuses a partner that does not serve the company's province.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.catalog import Catalog
from generator.content_models import Pack
from generator.errors import UserError
from generator.timeline import certification_plan

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
    start: dt.date | None = None  # when the program would start: the partners' audit dates count from it

    def dates(self, pack: Pack) -> dict[str, str]:
        """When this company could first be audited by ``pack``'s partner, if it started on ``start``.

        The same dates as the manual's certification plan appendix (one function computes both).
        """
        if self.start is None:
            return {}
        plan = certification_plan(pack, self.start)
        return {"earliest_audit": plan.earliest_audit.isoformat(), "full_records_audit": plan.full_audit.isoformat()}

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
                {"id": p.partner.id, "name": p.partner.name, "pack": p.id, "stream": p.stream, **self.dates(p)}
                for p in self.packs
            ],
        }


def province_error(catalog: Catalog, province: str) -> str:
    """Why ``province`` is refused, with the closest code or the reason the tool does not cover it."""
    from generator.validation import suggest

    codes = ", ".join(sorted(catalog.jurisdictions))
    names = {j.id: j.name for j in catalog.jurisdictions.values()}
    hint = suggest(province, names)
    if hint and len(str(province)) > 2:
        return f"unknown province {province!r}{hint} (write the two-letter code: {codes})"
    return (
        f"unknown province {province!r}: use one of {codes}. safety-manual covers these nine provinces only, "
        "because a manual needs the province's law and a certifying partner's audit pack, and Quebec and the "
        "territories have none in it yet"
    )


def recommend_stream(catalog: Catalog, province: str, workers: int) -> tuple[str, list[str], list[str]]:
    """The stream for a province and worker count, with reasons and warnings."""
    jur = catalog.jurisdictions.get(province)
    if jur is None:
        raise UserError(province_error(catalog, province))
    small = jur.small_employer
    reasons: list[str] = []
    warnings: list[str] = []
    if small.stream is None or small.max_workers is None:
        reasons.append(f"{jur.name} has no small-employer stream; employers of every size work toward COR.")
        return "COR", reasons, warnings
    if workers <= small.max_workers:
        reasons.append(
            f"{workers} workers is within {jur.name}'s {small.stream} limit of {small.max_workers} or fewer."
        )
        warnings.append(
            f"Confirm that your {jur.terms.site_leads} and clients accept {small.stream}; some ask for a full COR."
        )
        if workers >= small.max_workers - 1:
            warnings.append(
                f"You are close to the {small.stream} limit: hiring past {small.max_workers} workers "
                "moves you to COR at your next audit."
            )
        if small.conflict:
            # the research note stays with the data (and the build's review notes), not in the advice
            warnings.append(
                f"Partners count workers differently near the {small.stream} limit: ask yours how it counts "
                "owners, part-time and seasonal workers and subcontractors before you register."
            )
        return small.stream, reasons, warnings
    reasons.append(
        f"{workers} workers is above {jur.name}'s {small.stream} limit of {small.max_workers}, so COR applies."
    )
    return "COR", reasons, warnings


def advise(
    catalog: Catalog, province: str, workers: int, industry: str | None = None, start: dt.date | None = None
) -> Advice:
    """Recommend a stream and list the partners that serve this province and industry.

    With ``start`` (the day the program would start), each partner comes with its audit dates.
    """
    if workers < 1:
        raise UserError(f"workers must be at least 1 (got {workers})")
    stream, reasons, warnings = recommend_stream(catalog, province, workers)
    if industry is not None and industry not in catalog.industries:
        from generator.validation import suggest

        hint = suggest(industry, catalog.industries) or f" (use one of {', '.join(sorted(catalog.industries))})"
        raise UserError(f"unknown industry {industry!r}{hint}")
    packs = fitting_packs(catalog, province, workers, industry, stream)
    jur = catalog.jurisdictions[province]
    if not packs:
        other = [p for p in fitting_packs(catalog, province, workers, industry, None)]
        if other:
            alternative = other[0]
            warnings = [
                f"No bundled partner offers {stream} for this industry in {jur.name}; "
                f"{alternative.partner.short} offers {alternative.stream}."
            ]
            stream, packs = alternative.stream, [p for p in other if p.stream == alternative.stream]
        else:
            warnings.append(
                f"No bundled partner serves this industry in {jur.name}: ask "
                f"{jur.compensation_board.short or jur.compensation_board.name} which certifying partner covers it."
            )
    elif industry is not None and all(rank_general(p, catalog, industry) for p in packs):
        reasons.append("No partner specific to this industry serves this province; the general partner does.")
    return Advice(province, workers, industry, stream, reasons, warnings, packs, start)


def serves(pack: Pack, industry: str, sector: str) -> bool:
    """Whether ``pack``'s partner serves a company of this industry and sector (the rule of
    :func:`fitting_packs`)."""
    if pack.industries and industry not in pack.industries:
        return False
    return sector in pack.sectors or "general" in pack.sectors


def rank_general(pack: Pack, catalog: Catalog, industry: str) -> bool:
    """True when ``pack`` serves the industry only as a general-purpose partner."""
    sector = catalog.industries[industry].sector
    return industry not in pack.industries and sector not in pack.sectors


def fitting_packs(
    catalog: Catalog, province: str, workers: int, industry: str | None, stream: str | None
) -> list[Pack]:
    """Packs that serve the province, the industry (or any) and the size, in the given stream."""
    sector = catalog.industries[industry].sector if industry in catalog.industries else None
    chosen = []
    for pack in catalog.packs.values():
        if province not in pack.provinces:
            continue
        if stream is not None and pack.stream != stream:
            continue
        if not pack.min_workers <= workers <= (pack.max_workers or 10**9):
            continue
        if industry is not None and pack.industries and industry not in pack.industries:
            continue
        if sector is not None and sector not in pack.sectors and "general" not in pack.sectors:
            continue
        chosen.append(pack)

    def rank(pack: Pack) -> tuple[int, str]:
        if industry is not None and industry in pack.industries:
            return 0, pack.id  # named for this very industry
        if sector is not None and sector in pack.sectors:
            return 1, pack.id  # serves the sector
        return 2, pack.id  # general partner

    return sorted(chosen, key=rank)


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
    stream: str | None = profile.stream
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
        fits = [p.stream for p in serving if p.min_workers <= company.workers <= (p.max_workers or 10**9)]
        advice = f": use stream: {fits[0]} (or leave stream out and the advisor chooses)" if fits else ""
        raise UserError(
            f"{name} {stream} is for employers with {limit} workers (profile has {company.workers}){advice}"
        )
    return pack
