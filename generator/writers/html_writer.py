"""HTML writer: the document tree as print-ready HTML for the PDF engine.

Every piece of text goes through :func:`html.escape`; the stylesheet is a static file;
the only embedded resource is the logo, as a ``data:`` URI. Fields become ``<input>`` and
``<textarea>`` elements, which WeasyPrint turns into fillable PDF form fields.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

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
    Table,
)
from generator.paths import styles_dir
from generator.yamlio import write_atomic


def write(document: Document, out_path: Path) -> None:
    """Write ``document`` as a standalone HTML file."""
    write_atomic(out_path, to_html(document))


def to_html(document: Document) -> str:
    """The whole document as one HTML string."""
    css = (styles_dir() / "print.css").read_text(encoding="utf-8")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(document.title)} \u2014 {escape(document.company)}</title>",
        f'<meta name="author" content="{escape(document.company, quote=True)}">',
        f'<meta name="description" content="{escape(document.subject or document.title, quote=True)}">',
        f'<meta name="keywords" content="{escape(", ".join(document.keywords), quote=True)}">',
        '<meta name="generator" content="safety-manual">',
        f"<style>{css}</style></head>",
        f'<body class="{document.kind}{" landscape" if document.landscape else ""}">',
        _running(document),
    ]
    if document.cover is not None:
        parts.append(_cover(document))
    if document.toc:
        parts.append(_toc(document))
    # WeasyPrint makes AcroForm fields only from inputs inside a <form> element
    parts.append("<form>" if document.kind == "form" else "")
    for section in document.sections:
        parts.append(_section(section))
    parts.append("</form>" if document.kind == "form" else "")
    parts.append("</body></html>")
    return "\n".join(parts)


def _running(document: Document) -> str:
    left = f"{document.company} \u2014 {document.title}"
    if document.header_note:
        left = f"{document.header_note} \u2014 {left}"
    return (
        f'<div class="running-header">{escape(left)}</div>'
        f'<div class="running-footer">Revision {escape(document.revision)} \u00b7 {escape(document.date)}</div>'
    )


def _cover(document: Document) -> str:
    cover = document.cover
    assert cover is not None
    logo = ""
    if cover.logo:
        data = base64.b64encode(cover.logo).decode("ascii")
        logo = f'<img class="logo" alt="" src="data:{escape(cover.logo_type)};base64,{data}">'
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in cover.lines)
    return (
        f'<section class="cover">{logo}'
        f'<p class="cover-company">{escape(cover.company)}</p>'
        f'<p class="cover-title">{escape(cover.title)}</p>'
        f'<p class="cover-subtitle">{escape(cover.subtitle)}</p>'
        f'<table class="cover-lines">{rows}</table></section>'
    )


def _toc(document: Document) -> str:
    items = []
    for section in document.all_sections():
        if not section.in_toc or section.level > 2:
            continue
        items.append(
            f'<li class="toc-l{section.level}"><a href="#{escape(section.anchor, quote=True)}">'
            f"{escape(section.heading)}</a></li>"
        )
    return f'<nav class="toc"><h1 class="toc-title">Contents</h1><ul>{"".join(items)}</ul></nav>'


def _section(section: Section) -> str:
    level = min(section.level, 4)
    classes = ["section", f"level-{level}"]
    if section.page_break:
        classes.append("page-break")
    heading = f'<h{level} id="{escape(section.anchor, quote=True)}">{escape(section.heading)}</h{level}>'
    body = "".join(_block(b) for b in section.blocks)
    children = "".join(_section(c) for c in section.children)
    return f'<section class="{" ".join(classes)}">{heading}{body}{children}</section>'


def _runs(runs: Runs) -> str:
    out = []
    for r in runs:
        text = escape(r.text)
        if r.bold:
            text = f"<strong>{text}</strong>"
        if r.italic:
            text = f"<em>{text}</em>"
        out.append(text)
    return "".join(out)


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f'<p class="{block.style}">{_runs(block.runs)}</p>'
    if isinstance(block, BulletList):
        return _list(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Callout):
        title = f'<p class="callout-title">{escape(block.title)}</p>' if block.title else ""
        inner = "".join(_block(b) for b in block.blocks)
        return f'<div class="callout {block.kind}">{title}{inner}</div>'
    if isinstance(block, SignatureBlock):
        rows = "".join(
            f'<tr><th>{escape(label)}</th><td><input type="text" name="{escape(block.name, quote=True)}_{i}" '
            f'title="{escape(label, quote=True)}"></td></tr>'
            for i, label in enumerate(block.labels)
        )
        return f'<table class="signature">{rows}</table>'
    if isinstance(block, FieldGrid):
        cells = "".join(f'<div class="grid-field">{_field(f)}</div>' for f in block.fields)
        return f'<div class="field-grid cols-{block.columns}">{cells}</div>'
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    return ""


def _list(block: BulletList) -> str:
    tag = "ol" if block.ordered else "ul"
    items = "".join(f"<li>{_runs(i.runs)}{''.join(_list(c) for c in i.children)}</li>" for i in block.items)
    return f"<{tag}>{items}</{tag}>"


def _table(block: Table) -> str:
    cols = ""
    if block.widths:
        total = sum(block.widths)
        cols = (
            "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths) + "</colgroup>"
        )
    head = "".join(f"<th>{_cell(c)}</th>" for c in block.header)
    body = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in block.rows)
    caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
    return f'<table class="data">{caption}{cols}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cell(cell: Cell) -> str:
    if isinstance(cell, Field):
        return _field(cell, in_table=True)
    if cell and isinstance(cell[0], Field):
        return " ".join(_field(f, in_table=True) for f in cell)
    return _runs(cell)  # type: ignore[arg-type]


def _field(field: Field, in_table: bool = False) -> str:
    name = escape(field.name, quote=True)
    label = escape(field.label)
    title = escape(field.label or field.name, quote=True)
    if field.kind == "checkbox":
        box = f'<input type="checkbox" name="{name}" title="{title}">'
        return f'<label class="check">{box} {label}</label>' if label else box
    if field.kind == "textarea":
        control = (
            f'<textarea name="{name}" title="{title}" style="height:{1.6 * max(field.lines, 1):.1f}em"></textarea>'
        )
    else:
        # date-time, number, yes/no and signature blanks are plain text inputs here; only
        # ``date`` gets the date class (the PDF finisher keys date fields on their name)
        placeholder = ' class="date"' if field.kind == "date" else ""
        control = f'<input type="text" name="{name}" title="{title}"{placeholder}>'
    if label and not in_table:
        return f'<span class="field-label">{label}</span>{control}'
    if label:
        return f'<span class="field-label">{label}</span> {control}'
    return control
