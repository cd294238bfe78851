"""Keeping a manual current: content outlines, change reports and the revision archive.

A build records an outline of its content (a digest of every section and form) in
build.json. The next build compares outlines, writes ``changes-rev-N.md`` when the content
changed, and the previous revision's files are archived in ``archive/rev-N/`` instead of
being overwritten (see :mod:`generator.commit`). Outlines are taken from a rendering with a neutral revision number and
date, so a new revision number alone is not reported as a change in every chapter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any

from generator.document import Document, Section, text_of

NEUTRAL_DATE = dt.date(2000, 1, 1)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _own_text(section: Section) -> str:
    return "\n".join([section.title, *(text_of(b) for b in section.blocks)])


def _tree_text(section: Section) -> str:
    return "\n".join([_own_text(section), *(_tree_text(c) for c in section.children)])


def outline(manual: Document, forms: list[tuple[str, Document]]) -> dict[str, Any]:
    """Digests of every section (its own text and its whole subtree) and every form."""
    sections: dict[str, Any] = {}
    for section in manual.all_sections():
        key = section.key or section.title
        while key in sections:  # two subsections with the same title
            key += "+"
        sections[key] = {
            "title": section.title,
            "level": section.level,
            "own": _digest(_own_text(section)),
            "tree": _digest(_tree_text(section)),
        }
    form_digests = {
        stem: {"title": doc.title, "digest": _digest("\n".join(_tree_text(s) for s in doc.sections))}
        for stem, doc in forms
    }
    return {"sections": sections, "forms": form_digests}


def neutral(facts: Any) -> Any:
    """The same build facts with a fixed revision and date, for comparing content."""
    return dataclasses.replace(facts, revision=1, date=NEUTRAL_DATE)


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """Chapters, sections and forms added, removed and changed between two outlines."""
    result: dict[str, dict[str, list[str]]] = {}
    old_s, new_s = old.get("sections", {}), new.get("sections", {})
    for group, levels, field in (("chapters", (1,), "tree"), ("sections", (2, 3, 4), "own")):
        old_keys = [k for k, v in old_s.items() if v["level"] in levels]
        new_keys = [k for k, v in new_s.items() if v["level"] in levels]
        result[group] = {
            "added": [new_s[k]["title"] for k in new_keys if k not in old_s],
            "removed": [old_s[k]["title"] for k in old_keys if k not in new_s],
            "changed": [new_s[k]["title"] for k in new_keys if k in old_s and old_s[k][field] != new_s[k][field]],
        }
    old_f, new_f = old.get("forms", {}), new.get("forms", {})
    result["forms"] = {
        "added": [new_f[k]["title"] for k in new_f if k not in old_f],
        "removed": [old_f[k]["title"] for k in old_f if k not in new_f],
        "changed": [new_f[k]["title"] for k in new_f if k in old_f and old_f[k]["digest"] != new_f[k]["digest"]],
    }
    return result


def has_changes(diff: dict[str, dict[str, list[str]]]) -> bool:
    """Whether a comparison found anything."""
    return any(items for group in diff.values() for items in group.values())


def report(diff: dict[str, dict[str, list[str]]], revision: int, previous: dict[str, Any]) -> str:
    """The change report as Markdown, titled from the revisions actually compared.

    A rebuild at the same revision (new content, same profile) is reported as changes since
    the last build, never as "revision 1 compared with revision 1".
    """
    before = previous.get("revision")
    built = previous.get("built_at")
    when = f" of {str(built)[:10]}" if built else ""
    if before is None:
        heading, intro = "Changes since the last build", f"Compared with the previous build{when}."
    elif before == revision:
        heading = f"Changes since the last build of revision {revision}"
        intro = f"Compared with the previous build{when}, also revision {revision}: the revision number was not raised."
    else:
        heading = f"Changes in revision {revision}"
        intro = f"Compared with revision {before}" + (f" (built {str(built)[:10]})." if built else ".")
    lines = [f"# {heading}", "", intro]
    for group, title in (("chapters", "Chapters"), ("sections", "Sections"), ("forms", "Forms and handouts")):
        lines += ["", f"## {title}", ""]
        entries = diff[group]
        if not any(entries.values()):
            lines.append("No changes.")
            continue
        for kind in ("added", "removed", "changed"):
            for name in entries[kind]:
                lines.append(f"- {kind.capitalize()}: {name}")
    return "\n".join(lines) + "\n"
