"""Which certificates and partners fit a company, for the questionnaire's choices and refusals.

The stream advisor (:mod:`generator.advisor`) answers "what should this company aim for";
this module answers the interview's questions about a company described so far: which
streams exist for its province and size, which partners fit, what to say when none does,
and why an answer is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from generator.advisor import Advice, advise, fitting_packs, recommend_stream
from generator.catalog import Catalog
from generator.content_models import Pack

STREAMS = ("SECOR", "Small COR", "COR")


@dataclass(frozen=True)
class Fit:
    """A company's province, size and industry (and stream, once answered)."""

    catalog: Catalog
    province: str
    workers: int
    industry: str | None
    stream_answer: str | None = None

    @cached_property
    def advice(self) -> Advice:
        """The stream advisor's recommendation for this company."""
        return advise(self.catalog, self.province, self.workers, self.industry)

    @property
    def stream(self) -> str:
        """The stream answered, or the advised one."""
        return self.stream_answer or self.advice.stream

    def streams(self) -> list[str]:
        """The streams that exist for the province and size, the advisor's choice first.

        Where partners serve the industry, the streams they offer for this size decide;
        otherwise the province's own streams do.
        """
        offered = {p.stream for p in fitting_packs(self.catalog, self.province, self.workers, self.industry, None)}
        if offered:
            streams = [s for s in STREAMS if s in offered]
        else:
            small = self.catalog.jurisdictions[self.province].small_employer
            fits = small.stream is not None and small.max_workers is not None and self.workers <= small.max_workers
            streams = [s for s in STREAMS if s == "COR" or (fits and s == small.stream)]
        if self.advice.stream in streams:
            streams.remove(self.advice.stream)
            streams.insert(0, self.advice.stream)
        return streams

    def stream_options(self) -> list[tuple[str, str]]:
        """(stream, title) pairs; the advised one says why."""
        options = []
        for stream in self.streams():
            if stream == self.advice.stream:
                # when no partner offers the province's own stream, the advisor switched to what
                # partners do offer, and its first warning (not the size rule) is the reason
                province_stream, _, _ = recommend_stream(self.catalog, self.province, self.workers)
                why = (self.advice.reasons if province_stream == stream else self.advice.warnings)[:1] or [""]
                title = f"{stream}  (advised: {why[0].rstrip('.')})" if why[0] else f"{stream}  (advised)"
            elif stream == "COR":
                title = "COR  (if a client or prime contractor requires it)"
            else:
                title = stream
            options.append((stream, title))
        return options

    def partner_packs(self) -> list[Pack]:
        """Packs that fit province, industry, size and stream."""
        return fitting_packs(self.catalog, self.province, self.workers, self.industry, self.stream)

    def partner_options(self) -> list[tuple[str, str]]:
        """(partner id, title) pairs: those that fit, or else the closest, general-purpose first."""
        packs = self.partner_packs()
        closest = not packs
        if closest:
            # nobody serves this industry: the province's partners for this size and stream,
            # whatever their sector, general-purpose ones first
            packs = sorted(
                fitting_packs(self.catalog, self.province, self.workers, None, self.stream),
                key=lambda p: ("general" not in p.sectors, p.id),
            )
        options: dict[str, str] = {}
        for pack in packs:
            note = f"  (closest available; serves {', '.join(pack.sectors)})" if closest else ""
            options.setdefault(pack.partner.id, f"{pack.partner.short}  {pack.partner.name}{note}")
        return list(options.items())

    def no_partner(self) -> str | None:
        """Who to ask when no bundled partner fits, or None when one does."""
        if self.partner_packs():
            return None
        jur = self.catalog.jurisdictions[self.province]
        board = jur.compensation_board.short or jur.compensation_board.name
        what = self.catalog.industries[self.industry].name.lower() if self.industry else "your work"
        return (
            f"No certifying partner in safety-manual serves {what} in {jur.name} "
            f"for {self.stream} at {self.workers} workers: ask {board} which certifying partner covers it"
        )

    def stream_refusal(self, value: str) -> str:
        """Why ``value`` is not a stream this company can work toward."""
        jur = self.catalog.jurisdictions[self.province]
        small = jur.small_employer
        if value == small.stream and small.max_workers is not None and self.workers > small.max_workers:
            limit = f"{small.max_workers} or fewer workers"
            return f"{value} in {jur.name} is for employers with {limit} (you have {self.workers})"
        if value not in ("COR", small.stream):
            return f"{value} is not offered in {jur.name}"
        return f"no certifying partner in safety-manual offers {value} for this work and size in {jur.name}"

    def partner_refusal(self, value: str) -> str | None:
        """Why the partner ``value`` does not fit, or None when it is not a partner at all."""
        offered = self.catalog.packs_for_partner(value)
        if not offered:
            return None
        short = offered[0].partner.short
        if not any(self.province in p.provinces for p in offered):
            served = ", ".join(sorted({x for p in offered for x in p.provinces}))
            return f"{short} does not certify employers in {self.province} (it serves {served})"
        sized = [
            p
            for p in offered
            if self.province in p.provinces
            and p.stream == self.stream
            and p.min_workers <= self.workers <= (p.max_workers or 10**9)
        ]
        if sized and self.industry:
            what = self.catalog.industries[self.industry].name.lower()
            return f"{short} does not serve {what} in {self.province}"
        return f"{short} does not offer {self.stream} for {self.workers} workers in {self.province}"
