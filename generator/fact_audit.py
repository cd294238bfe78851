"""Count the verified and unverified facts recorded for each province.

A fact is any record in the reference data that carries a ``verified`` flag: a statute, a
citation, a threshold, a reporting duty, a legal duty. A province's facts are those in its
jurisdiction file plus the hazard citations recorded for it.
"""

from __future__ import annotations

from pydantic import BaseModel

from generator.catalog import Catalog


def _flagged(value: object, out: list[bool]) -> None:
    """Collect the ``verified`` flag of every record inside ``value``."""
    if isinstance(value, BaseModel):
        if "verified" in type(value).model_fields:
            out.append(bool(getattr(value, "verified", False)))
        for name in type(value).model_fields:
            _flagged(getattr(value, name), out)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _flagged(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _flagged(item, out)


def fact_counts(catalog: Catalog) -> dict[str, tuple[int, int]]:
    """Province id -> (verified, unverified) facts, in the catalog's province order."""
    counts = {}
    for province, jur in catalog.jurisdictions.items():
        flags: list[bool] = []
        _flagged(jur, flags)
        for hazard in catalog.hazards.values():
            _flagged(hazard.legislation.get(province, []), flags)
        verified = sum(flags)
        counts[province] = (verified, len(flags) - verified)
    return counts


def counts_table(counts: dict[str, tuple[int, int]]) -> str:
    """The counts as a Markdown table."""
    lines = ["| Province | Verified | Unverified |", "|---|---|---|"]
    lines += [f"| {p} | {v} | {u} |" for p, (v, u) in counts.items()]
    return "\n".join(lines)
