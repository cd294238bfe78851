"""The document tree as the plain data the Typst template reads.

The PDF template receives the whole document as JSON (never as Typst source), so a user's
text can only ever be printed, not run. This module turns a :class:`Document` into that
JSON-ready structure: blocks become small tagged dictionaries, fields get their accessible
names, and very long unbroken words get invisible break points so they wrap instead of
running off the page.
"""

from __future__ import annotations

import re
from typing import Any

from generator.document import (
    Block,
    BulletList,
    Callout,
    Cell,
    Document,
    Field,
    FieldGrid,
    PageBreak,
    Paragraph,
    Runs,
    Section,
    SignatureBlock,
    Style,
    Table,
)
from generator.writers.fonts import FAMILIES, make_printable

# A word this long can only be pasted text (a URL, a code, a mistake); Typst does not break
# inside a word, so a zero-width space every BREAK_EVERY characters lets it wrap.
LONG_WORD = 40
BREAK_EVERY = 20
ZWSP = "\u200b"
_LONG = re.compile(rf"\S{{{LONG_WORD},}}")

# the project's own look, used when no house style is given
DEFAULT_STYLE: dict[str, Any] = {
    "accent": "#1f4e79",
    "header_fill": "#d9e2f3",
    "callout_fill": "#eef3fa",
    "fonts": list(FAMILIES),
    "heading_fonts": list(FAMILIES),
}


def wrap_long_words(text: str) -> str:
    """``text`` with break opportunities inside words of LONG_WORD characters or more."""
    if len(text) < LONG_WORD:
        return text

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        return ZWSP.join(word[i : i + BREAK_EVERY] for i in range(0, len(word), BREAK_EVERY))

    return _LONG.sub(split, text)


def _t(text: str) -> str:
    """User or content text made ready for the template: wrappable and printable."""
    return make_printable(wrap_long_words(text))


def style_data(style: Style | None) -> dict[str, Any]:
    """The colours and fonts the template reads: a house style's, or the project's own.

    A style's chosen family comes first; the rest of the set stays behind it, so characters
    the chosen font lacks still print.
    """
    if style is None:
        return DEFAULT_STYLE

    def fonts(first: str) -> list[str]:
        return [first, *(f for f in FAMILIES if f != first)]

    return {
        "accent": style.accent,
        "header_fill": style.header_fill,
        "callout_fill": style.callout_fill,
        "fonts": fonts(style.body_font),
        "heading_fonts": fonts(style.heading_font),
    }


def document_data(document: Document, logo: bool, style_logo: bool = False) -> dict[str, Any]:
    """The JSON-ready structure of ``document`` for ``document.typ``.

    ``logo`` and ``style_logo`` say whether the writer hands the template the company's and
    the house style's logo.
    """
    running = f"{document.company} \u2014 {document.title}"
    if document.header_note:
        running = f"{document.header_note} \u2014 {running}"
    cover = None
    if document.cover is not None:
        c = document.cover
        cover = {
            "title": _t(c.title),
            "subtitle": _t(c.subtitle),
            "company": _t(c.company),
            "lines": [[_t(k), _t(v)] for k, v in c.lines],
            "logo": logo,
            "preparer": [_t(line) for line in document.style.preparer] if document.style else [],
            "preparer_logo": style_logo,
        }
    return {
        "kind": document.kind,
        # document properties are not laid out: printable, but no break points
        "title": make_printable(f"{document.title} \u2014 {document.company}"),
        "company": make_printable(document.company),
        "subject": make_printable(document.subject or document.title),
        "keywords": [make_printable(k) for k in document.keywords],
        "running": _t(running),
        "footer": _t(f"Revision {document.revision} \u00b7 {document.date}"),
        "landscape": document.landscape,
        "toc": document.toc,
        "toc_depth": document.toc_depth,
        "cover": cover,
        "style": style_data(document.style),
        "sections": [_section(s, f"auto-{i}") for i, s in enumerate(document.sections, 1)],
    }


def _section(section: Section, position: str) -> dict[str, Any]:
    # a section without an anchor (a form's) is labelled by its position: stable across runs
    return {
        "heading": _t(section.heading),
        "level": section.level,
        "anchor": section.anchor or position,
        "page_break": section.page_break,
        "in_toc": section.in_toc,
        "blocks": [b for b in (_block(block) for block in section.blocks) if b is not None],
        "children": [_section(c, f"{position}-{i}") for i, c in enumerate(section.children, 1)],
    }


def _runs(runs: Runs) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in runs:
        item: dict[str, Any] = {"text": _t(r.text)}
        if r.bold:
            item["b"] = True
        if r.italic:
            item["i"] = True
        out.append(item)
    return out


def _field(field: Field, title: str = "") -> dict[str, Any]:
    return {
        "name": field.name,
        "kind": field.kind,
        "label": _t(field.label),
        "title": _t(field.label or title or field.name),
        "lines": field.lines,
    }


def _block(block: Block) -> dict[str, Any] | None:
    if isinstance(block, Paragraph):
        return {"t": "p", "style": block.style, "runs": _runs(block.runs)}
    if isinstance(block, BulletList):
        return _list(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Callout):
        inner = [b for b in (_block(x) for x in block.blocks) if b is not None]
        return {"t": "callout", "kind": block.kind, "title": _t(block.title), "blocks": inner}
    if isinstance(block, SignatureBlock):
        fields = [
            _field(Field(f"{block.name}_{i}", "signature", label), label) | {"label": _t(label)}
            for i, label in enumerate(block.labels)
        ]
        return {"t": "signature", "fields": fields}
    if isinstance(block, FieldGrid):
        return {"t": "grid", "columns": max(block.columns, 1), "fields": [_field(f) for f in block.fields]}
    if isinstance(block, PageBreak):
        return {"t": "pagebreak"}
    return None


def _list(block: BulletList) -> dict[str, Any]:
    return {
        "t": "list",
        "ordered": block.ordered,
        "items": [{"runs": _runs(i.runs), "children": [_list(c) for c in i.children]} for i in block.items],
    }


def _cell_text(cell: Cell) -> str:
    if isinstance(cell, Field):
        return cell.label
    if cell and isinstance(cell[0], Field):
        return " ".join(f.label for f in cell)
    return "".join(r.text for r in cell).strip()  # type: ignore[union-attr]


def _table(block: Table) -> dict[str, Any]:
    headers = [_cell_text(c) for c in block.header]

    def cell(c: Cell, column: int, row_name: str) -> dict[str, Any]:
        # a blank in a table has no label of its own: its column and row name it for screen readers
        where = " \u2014 ".join(p for p in (headers[column] if column < len(headers) else "", row_name) if p)
        if isinstance(c, Field):
            return {"fields": [_field(c, where)]}
        if c and isinstance(c[0], Field):
            return {"fields": [_field(f, where) for f in c]}
        return {"runs": _runs(c)}  # type: ignore[arg-type]

    rows = []
    for number, row in enumerate(block.rows, start=1):
        first = _cell_text(row[0]) if row else ""
        row_name = first if first and not isinstance(row[0], Field) else f"row {number}"
        rows.append([cell(c, i, row_name) for i, c in enumerate(row)])
    widths = None
    if block.widths and len(block.widths) == len(block.header):
        total = sum(block.widths) or 1.0
        widths = [w / total for w in block.widths]
    return {
        "t": "table",
        "caption": _t(block.caption),
        "widths": widths,
        "header": [cell(c, i, "") for i, c in enumerate(block.header)],
        "rows": rows,
    }
