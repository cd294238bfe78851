"""Count the verified and unverified facts recorded for each province.

A fact is a record in the reference data that carries a ``verified`` flag (a statute, a
citation, a threshold, a reporting duty, a legal duty). A province's facts are those in its
jurisdiction file plus the hazard citations recorded for it; federal duties are counted once,
under ``federal``. The count reads the YAML files themselves, so it can be run on any
version of ``manual_templates/`` (the README compares two).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _flags(value: Any, out: list[bool]) -> None:
    """Collect the ``verified`` flag of every record inside ``value``."""
    if isinstance(value, dict):
        if "verified" in value:
            out.append(bool(value["verified"]))
        for item in value.values():
            _flags(item, out)
    elif isinstance(value, list):
        for item in value:
            _flags(item, out)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there


def _read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}  # noqa: S506 (a safe loader)


def fact_counts(root: Path) -> dict[str, tuple[int, int]]:
    """Province id (and ``federal``) -> (verified, unverified), for the content under ``root``."""
    hazards = [_read(p) for p in sorted((root / "hazards").glob("*.yaml"))]
    counts: dict[str, tuple[int, int]] = {}
    for path in sorted((root / "jurisdictions").glob("*.yaml")):
        province = path.stem.upper()
        flags: list[bool] = []
        _flags(_read(path), flags)
        for hazard in hazards:
            _flags((hazard.get("legislation") or {}).get(province, []), flags)
        counts[province] = (sum(flags), len(flags) - sum(flags))
    federal = root / "federal.yaml"
    if federal.is_file():
        flags = []
        _flags(_read(federal), flags)
        counts["federal"] = (sum(flags), len(flags) - sum(flags))
    return counts


def counts_table(after: dict[str, tuple[int, int]], before: dict[str, tuple[int, int]] | None = None) -> str:
    """The counts as a Markdown table, with a ``before`` column pair when given."""
    if before is None:
        lines = ["| Province | Verified | Unverified |", "|---|---|---|"]
        lines += [f"| {p} | {v} | {u} |" for p, (v, u) in after.items()]
        return "\n".join(lines)
    lines = [
        "| Province | Verified before | Unverified before | Verified after | Unverified after |",
        "|---|---|---|---|---|",
    ]
    for province, (v, u) in after.items():
        bv, bu = before.get(province, (0, 0))
        lines.append(f"| {province} | {bv} | {bu} | {v} | {u} |")
    return "\n".join(lines)
