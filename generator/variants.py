"""Hazard text that follows how the company works: each hazard's ``variants`` applied.

A variant names flags (from :mod:`generator.operations`) and the text it sets or swaps, so a
company that hires out electrical work gets "hire a licensed electrician" rather than an
energized-work permit, and a lone driver gets a check-in rather than "never alone".
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from generator.content_models import Hazard, Variant
from generator.errors import Problem
from generator.operations import holds, known_flag

FIXED = ("id", "legislation", "sources", "variants", "category")


def _swap(value: Any, old: str, new: str) -> tuple[Any, int]:
    """``value`` with every string containing ``old`` replaced by ``new`` (dropped if "")."""
    if isinstance(value, str):
        return (new, 1) if old in value else (value, 0)
    if isinstance(value, list):
        out, count = [], 0
        for item in value:
            changed, n = _swap(item, old, new)
            count += n
            if not (n and new == "" and isinstance(item, str)):
                out.append(changed)
        return out, count
    if isinstance(value, dict):
        result, count = {}, 0
        for key, item in value.items():
            result[key], n = _swap(item, old, new)
            count += n
        return result, count
    return value, 0


def _patched(data: dict[str, Any], variant: Variant) -> tuple[dict[str, Any], list[str]]:
    """Apply one variant to hazard data; return the data and any swap that matched nothing."""
    data = dict(data, **variant.set)
    unmatched = []
    for swap in variant.swap:
        body = {k: v for k, v in data.items() if k not in FIXED}
        body, count = _swap(body, swap.old, swap.new)
        if count != 1:
            unmatched.append(f"{swap.old!r} matches {count} texts, not one")
        data.update(body)
    return data, unmatched


def apply_variants(hazard: Hazard, flags: frozenset[str]) -> Hazard:
    """The hazard as it applies to a company with these flags."""
    chosen = [v for v in hazard.variants if holds(v.when, flags)]
    if not chosen:
        return hazard
    data = hazard.model_dump()
    for variant in chosen:
        data, _ = _patched(data, variant)
    data["variants"] = []
    return Hazard.model_validate(data)


def variant_problems(hazard: Hazard, hazard_ids: Collection[str] | None = None) -> list[Problem]:
    """Each variant on its own must name known flags, known fields and text that exists.

    With ``hazard_ids`` (the library's), a ``has:`` flag must also name a hazard there.
    """
    where = f"manual_templates/hazards/{hazard.id}.yaml"
    problems = []
    data = hazard.model_dump()
    for i, variant in enumerate(hazard.variants):
        key = f"variants.{i}"
        for flag in variant.when:
            if not known_flag(flag):
                problems.append(Problem(where, None, f"{key}.when", f"unknown flag {flag!r}"))
            elif hazard_ids is not None and flag.removeprefix("!").startswith("has:"):
                other = flag.removeprefix("!").removeprefix("has:")
                if other not in hazard_ids or other == hazard.id:
                    problems.append(Problem(where, None, f"{key}.when", f"{flag!r} names no other hazard"))
        for name in variant.set:
            if name in FIXED or name not in Hazard.model_fields:
                problems.append(Problem(where, None, f"{key}.set", f"cannot set {name!r}"))
        if any(p.key.startswith(key) for p in problems):
            continue
        patched, unmatched = _patched(data, variant)
        problems += [Problem(where, None, f"{key}.swap", text) for text in unmatched]
        try:
            Hazard.model_validate(dict(patched, variants=[]))
        except ValueError as exc:
            problems.append(Problem(where, None, key, str(exc).splitlines()[0]))
    return problems
