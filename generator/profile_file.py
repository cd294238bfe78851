"""Saving a changed profile into the user's own YAML file without losing their comments.

Consultants annotate profiles ("# client asked for this", "# check with the site lead");
`update` and `interview --profile` change a few values and must keep every comment and
the order of keys. PyYAML cannot round-trip comments, so the file is re-read with
ruamel.yaml's round-trip loader, the new values are laid over it key by key, and the
result is checked: it must read back as exactly the new profile, or it is not used.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from pydantic import BaseModel

from generator.validation import validate_located
from generator.yamlio import load_yaml_text

_ABSENT = object()


def merged_text(original: str, model: BaseModel) -> str | None:
    """``original`` YAML text carrying ``model``'s values, comments kept; ``None`` if that cannot be done.

    Keys the file already has are updated (even where the new value is a default); keys it
    lacks are added only where the value is not a default, as a freshly written file would.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-fold the user's long lines
    yaml.indent(**_layout(original))  # the file's own indentation, whoever wrote it
    try:
        tree = yaml.load(original)
    except YAMLError:
        return None
    if not isinstance(tree, dict):
        return None
    full = model.model_dump(mode="json", exclude_none=True)
    minimal = model.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    tree = _lay_over(tree, full, minimal)
    out = io.StringIO()
    yaml.dump(tree, out)
    text = out.getvalue()
    reread, problems = validate_located(type(model), load_yaml_text(text, "<merged profile>"))
    return text if not problems and reread == model else None


def _layout(text: str) -> dict[str, int]:
    """The indentation ``text`` uses, as ruamel's ``indent()`` arguments.

    PyYAML (and so ``interview``) writes list items flush with their key (``hazards:`` then
    ``- ladders``); many editors indent them (``  - ladders``). Saving with the file's own
    style means only the lines whose values change are rewritten.
    """
    layout = {"mapping": 2, "sequence": 4, "offset": 2}
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    found_mapping = found_sequence = False
    for line, following in zip(lines, lines[1:], strict=False):
        if not re.match(r"^\s*[^\s#-][^:]*:\s*(#.*)?$", line):
            continue  # only "key:" lines open a block
        parent = len(line) - len(line.lstrip())
        child = len(following) - len(following.lstrip())
        is_item = following.lstrip().startswith("- ")
        if child < parent or (child == parent and not is_item):
            continue
        if is_item and not found_sequence:
            layout["offset"] = child - parent
            layout["sequence"] = child - parent + 2
            found_sequence = True
        elif not is_item and not found_mapping:
            layout["mapping"] = child - parent
            found_mapping = True
    return layout


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dt.date) and isinstance(new, str):
        return old.isoformat() == new  # profile data holds dates as ISO text
    if isinstance(old, bool | int | float) or isinstance(new, bool | int | float):
        return type(old) is type(new) and old == new
    return bool(old == new)


def _lay_over(old: Any, full: Any, minimal: Any) -> Any:
    """``full``, reusing ``old``'s nodes (and so their comments) wherever the values agree.

    ``minimal`` is the same value without defaults (``_ABSENT`` where all of it is default).
    """
    if isinstance(old, dict) and isinstance(full, dict):
        small = minimal if isinstance(minimal, dict) else {}
        for key in [k for k in old if k not in full]:
            del old[key]
        for key, value in full.items():
            if key in old:
                old[key] = _lay_over(old[key], value, small.get(key, _ABSENT))
            elif key in small:
                old[key] = _plain(small[key])
        return old
    if isinstance(old, list) and isinstance(full, list):
        return _lay_over_list(old, full, minimal if isinstance(minimal, list) else full)
    if _same(old, full):
        return old
    if isinstance(old, dt.date) and isinstance(full, str):
        try:
            return dt.date.fromisoformat(full)  # stays an unquoted date in the file
        except ValueError:
            return full
    return _plain(minimal if minimal is not _ABSENT else full)


def _plain(value: Any) -> Any:
    """New data as it would be typed: ISO dates unquoted (``2026-11-22``, not ``'2026-11-22'``)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _lay_over_list(old: list[Any], full: list[Any], minimal: list[Any]) -> list[Any]:
    """Items removed are deleted and items added appended, so the others keep their comments."""
    if len(old) == len(full):
        for i, value in enumerate(full):
            old[i] = _lay_over(old[i], value, minimal[i])
        return old
    if all(not isinstance(v, dict | list) for v in [*old, *full]):
        for i in reversed(range(len(old))):
            if old[i] not in full:
                del old[i]
        old.extend(v for v in full if v not in old)
        return old if list(old) == full else _plain(minimal)
    if len(full) > len(old) and all(_same_tree(o, n) for o, n in zip(old, minimal, strict=False)):
        old.extend(_plain(minimal[len(old) :]))  # e.g. a new line in the revision history
        return old
    return _plain(minimal)


def _same_tree(old: Any, new: Any) -> bool:
    if isinstance(old, dict) and isinstance(new, dict):
        return all(k in old and _same_tree(old[k], new[k]) for k in new) and all(k in new for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same_tree(o, n) for o, n in zip(old, new, strict=False))
    return _same(old, new)
