"""Packs that inherit: ``extends: <pack id>`` in pack.yaml, merged before validation.

The rule is the one MkDocs ``INHERIT`` and copier ``_extends`` use, with one addition:

- mappings merge key by key (the child's value wins; ``null`` is a value and wins too);
- lists replace the parent's list whole;
- except the top-level ``elements`` list, which merges by element ``id``: an element the
  child names with a parent's id is merged key by key into the parent's element (in the
  parent's place); an element with a new id is added after the parent's elements; and
  ``- {id: e14, omit: true}`` drops the parent's element e14.

``abstract: true`` marks a pack that exists only to be extended (a shared provincial
standard): it is not offered to users and not validated on its own. Neither ``extends``
nor ``abstract`` is inherited. Every merged value remembers the file and line it came from,
so a problem in an inherited key names the parent's file, and one in an override the child's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.errors import Problem
from generator.validation import suggest
from generator.yamlio import Located, Path_, dotted

Origins = dict[Path_, tuple[str, int]]
INHERIT_KEYS = ("extends", "abstract")


@dataclass
class MergedLocated(Located):
    """Merged pack data that remembers, for each key path, the file and line it came from."""

    origins: Origins = field(default_factory=dict)

    def _origin(self, path: Path_) -> tuple[str, int | None]:
        key = tuple(path)
        while key:
            if key in self.origins:
                return self.origins[key]
            key = key[:-1]
        return self.origins.get((), (self.file, 1))

    def line_of(self, path: Any) -> int | None:  # noqa: D102 - see Located.line_of
        return self._origin(tuple(path))[1]

    def problem(self, path: Any, message: str) -> Problem:  # noqa: D102 - see Located.problem
        path = tuple(path)
        file, line = self._origin(path)
        return Problem(file, line, dotted(path), message)


def _origins_of(located: Located) -> Origins:
    if isinstance(located, MergedLocated):
        return dict(located.origins)
    return {path: (located.file, line) for path, line in located.lines.items()}


def _under(origins: Origins, prefix: Path_) -> Origins:
    """The origins below ``prefix``, with paths made relative to it."""
    n = len(prefix)
    return {path[n:]: where for path, where in origins.items() if path[:n] == prefix}


def _prefixed(origins: Origins, prefix: Path_) -> Origins:
    return {prefix + path: where for path, where in origins.items()}


def _merge(parent: Any, p_org: Origins, child: Any, c_org: Origins, level: str) -> tuple[Any, Origins]:
    """Merge ``child`` over ``parent`` (origins relative to the node); see the module rule.

    ``level`` is ``"top"`` for the pack itself, ``"elements"`` for its element list, else ``""``.
    """
    if isinstance(parent, dict) and isinstance(child, dict):
        value = dict(parent)
        origins = {p: w for p, w in p_org.items() if p}
        if () in c_org or () in p_org:
            origins[()] = c_org.get((), p_org.get(()))  # type: ignore[assignment]
        for key, item in child.items():
            mine = _under(c_org, (key,))
            if key in parent:
                inner = "elements" if level == "top" and key == "elements" else ""
                item, mine = _merge(parent[key], _under(p_org, (key,)), item, mine, inner)
            origins = {p: w for p, w in origins.items() if p[:1] != (key,)}
            origins.update(_prefixed(mine, (key,)))
            value[key] = item
        return value, origins
    if level == "elements" and isinstance(parent, list) and isinstance(child, list):
        merged: list[tuple[Any, Origins]] = [(item, _under(p_org, (i,))) for i, item in enumerate(parent)]
        index = {item.get("id"): i for i, item in enumerate(parent) if isinstance(item, dict)}
        for j, item in enumerate(child):
            mine = _under(c_org, (j,))
            at = index.get(item.get("id")) if isinstance(item, dict) else None
            if at is None:
                merged.append((item, mine))
            else:
                merged[at] = _merge(merged[at][0], merged[at][1], item, mine, "")
        # an element written as ``{id: ..., omit: true}`` drops the parent's element
        merged = [(item, org) for item, org in merged if not (isinstance(item, dict) and item.get("omit") is True)]
        origins = {(): c_org[()]} if () in c_org else {}
        for i, (_, org) in enumerate(merged):
            origins.update(_prefixed(org, (i,)))
        return [item for item, _ in merged], origins
    return child, c_org


def resolve_inheritance(manifests: dict[str, Located]) -> tuple[dict[str, Located], list[Problem]]:
    """Merge every pack over the pack it extends; abstract packs are left out of the result.

    ``manifests`` maps pack ids (folder names) to their raw located pack.yaml data.
    """
    problems: list[Problem] = []
    resolved: dict[str, Located | None] = {}

    def resolve(pack_id: str, chain: tuple[str, ...]) -> Located | None:
        if pack_id in resolved:
            return resolved[pack_id]
        raw = manifests[pack_id]
        data = raw.data
        parent_id = data.get("extends") if isinstance(data, dict) else None
        result: Located | None = raw
        if parent_id is not None:
            if not isinstance(parent_id, str) or parent_id not in manifests:
                hint = suggest(str(parent_id), manifests) if isinstance(parent_id, str) else ""
                problems.append(raw.problem(("extends",), f"unknown pack {parent_id!r}{hint}"))
                result = None
            elif parent_id in chain or parent_id == pack_id:
                loop = " -> ".join((*chain, pack_id, parent_id))
                problems.append(raw.problem(("extends",), f"packs extend each other in a loop: {loop}"))
                result = None
            else:
                parent = resolve(parent_id, (*chain, pack_id))
                if parent is None:
                    result = None  # the parent's own problem is already reported
                else:
                    base = {k: v for k, v in parent.data.items() if k not in INHERIT_KEYS}
                    base_org = {
                        p: w for p, w in _origins_of(parent).items() if p[:1] not in {(k,) for k in INHERIT_KEYS}
                    }
                    value, origins = _merge(base, base_org, data, _origins_of(raw), "top")
                    result = MergedLocated(value, raw.file, raw.lines, origins)
        resolved[pack_id] = result
        return result

    out: dict[str, Located] = {}
    for pack_id in manifests:
        merged = resolve(pack_id, ())
        if merged is None or not isinstance(merged.data, dict):
            if merged is not None:
                out[pack_id] = merged  # not a mapping: validation reports it
            continue
        if merged.data.get("abstract") is True:
            continue
        data = {k: v for k, v in merged.data.items() if k not in INHERIT_KEYS}
        if isinstance(merged, MergedLocated):
            out[pack_id] = MergedLocated(data, merged.file, merged.lines, merged.origins)
        else:
            out[pack_id] = Located(data, merged.file, merged.lines)
    return out, problems
