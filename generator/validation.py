"""Turn pydantic validation errors into located, readable problems."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.errors import Problem
from generator.yamlio import Located

M = TypeVar("M", bound=BaseModel)


def _norm(text: str) -> str:
    """Letters and digits only, lower case: ``Power-Lines`` and ``power_lines`` compare equal."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def _spellings(choices: Iterable[str] | Mapping[str, Any]) -> dict[str, list[str]]:
    """id -> the ways a user may write it: the id itself and, for catalog records, the name."""
    if isinstance(choices, Mapping):
        out = {}
        for key, value in choices.items():
            name = value if isinstance(value, str) else getattr(value, "name", "")
            out[str(key)] = [str(key), name] if name else [str(key)]
        return out
    return {str(c): [str(c)] for c in choices}


def closest(word: str, choices: Iterable[str] | Mapping[str, Any]) -> str | None:
    """The id closest to ``word``, matching ids and (for catalog records) names; None if none is close.

    Whole words count before spelling: ``power_lines`` is found inside the name "Overhead and
    underground power lines" (id ``overhead_powerlines``) before ``power_tools``, which is
    only spelled alike.
    """
    spellings = _spellings(choices)
    wanted = _norm(word)
    if not wanted:
        return None
    for key, forms in spellings.items():
        if any(_norm(f) == wanted for f in forms):
            return key
    if len(wanted) >= 4:
        inside = [
            key
            for key, forms in spellings.items()
            if any(wanted in _norm(f) or (len(_norm(f)) >= 4 and _norm(f) in wanted) for f in forms)
        ]
        if inside:
            return max(inside, key=lambda k: difflib.SequenceMatcher(None, wanted, _norm(k)).ratio())
    keyed: dict[str, str] = {}
    for key, forms in spellings.items():
        for form in forms:
            keyed.setdefault(_norm(form), key)
    close = difflib.get_close_matches(wanted, list(keyed), n=1, cutoff=0.6)
    return keyed[close[0]] if close else None


def suggest(word: str, choices: Iterable[str] | Mapping[str, Any]) -> str:
    """A ``did you mean`` hint, or ``""`` when nothing is close."""
    found = closest(word, choices)
    return f": did you mean {found!r}?" if found else ""


def one_of(choices: Iterable[str]) -> str:
    """``a, b or c``: valid values for an error message."""
    items = [str(c) for c in choices]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _message(error: Any, allowed_keys: Iterable[str]) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "unknown key" + suggest(error["loc"][-1], allowed_keys)
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))} (got {error['input']!r})"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))} (got {error['input']!r})"
    if kind.startswith("int_"):
        return f"must be a whole number (got {error['input']!r})"
    if kind.startswith("bool"):
        return f"must be true or false (got {error['input']!r})"
    if kind in ("string_type",):
        return f"must be text (got {type(error['input']).__name__})"
    if kind in ("list_type",):
        return "must be a list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a mapping of keys to values"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"has too many items (at most {ctx.get('max_length')})"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')} (got {error['input']!r})"
    if kind.startswith("date"):
        return f"must be a date written YYYY-MM-DD (got {error['input']!r})"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names valid at the parent of ``loc`` (for typo hints)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    return list(getattr(current, "model_fields", {}) or [])


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def validate_located(model: type[M], located: Located, context: Any = None) -> tuple[M | None, list[Problem]]:
    """Validate ``located.data`` against ``model``; return it, or every problem found."""
    try:
        return model.model_validate(located.data, context=context), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            # pydantic adds union/function tags to locations; keep only real keys
            loc = tuple(p for p in error["loc"] if isinstance(p, int) or not _is_tag(p))
            problems.append(located.problem(loc, _message(error, _allowed_keys(model, loc))))
        return None, _dedupe(problems)


def _is_tag(part: Any) -> bool:
    text = str(part)
    return text.startswith(("function-", "literal[", "list[", "dict[", "union[")) or "[" in text


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in problems:
        if (p.key, p.message) not in seen:
            seen.add((p.key, p.message))
            out.append(p)
    return out
