"""Word (.docx) writer built on python-docx.

Real Heading styles (so Word's navigation pane and the TOC field work), a cover page, a
table-of-contents field, header and footer with company, title, revision and
"Page X of Y" fields, table header rows that repeat, and filled document properties.
python-docx escapes all text for XML, so user text can never become markup.

A house style (``document.style``) sets the colours, fonts and the cover's preparer block;
a style with a Word shell replaces our page setup, cover, header and footer with the
shell's, and the manual's text takes on the shell's styles (see :mod:`docx_shell`).
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import dataclasses
import datetime as dt
import io
import weakref
import zipfile
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_PARAGRAPH_ALIGNMENT, WD_TAB_ALIGNMENT
from docx.opc.phys_pkg import _ZipPkgWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Length, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from generator import __version__
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
from generator.writers import docx_shell
from generator.yamlio import write_atomic

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
BLANK = "\u00a0" * 30  # printed blank line length for fields
DEFAULT_FONT = "Liberation Sans"


@dataclasses.dataclass(frozen=True)
class _Palette:
    """The colours of one rendering: ours, or a house style's."""

    accent: RGBColor
    header_fill: str
    callout_fill: str

    @classmethod
    def of(cls, style: Style | None) -> _Palette:
        """A style's colours, or ours."""
        if style is None:
            return cls(ACCENT, "D9E2F3", "EEF3FA")
        return cls(
            RGBColor.from_string(style.accent[1:].upper()),
            style.header_fill[1:].upper(),
            style.callout_fill[1:].upper(),
        )


# The palette of the document being rendered. The block writers are small recursive
# functions; a context variable spares threading the colours through every one of them.
_PALETTE: contextvars.ContextVar[_Palette] = contextvars.ContextVar("palette")


def write(document: Document, out_path: Path) -> None:
    """Write ``document`` to ``out_path`` as .docx (atomically)."""
    write_atomic(out_path, render_docx(document))


def render_docx(document: Document) -> bytes:
    """``document`` as the bytes of a .docx file (what a worker process sends back)."""
    token = _PALETTE.set(_Palette.of(document.style))
    try:
        style = document.style
        if style is not None and style.shell is not None and document.kind == "manual":
            docx = _in_shell(document, style)
        else:
            docx = _base(document)
            _header_footer(docx.sections[0], document)
            if document.cover is not None:
                _cover(docx, document)
            _body(docx, document)
        _properties(docx, document)
        buffer = io.BytesIO()
        docx.save(buffer)
        return buffer.getvalue()
    finally:
        _PALETTE.reset(token)


def _body(docx, document: Document) -> None:
    """The table of contents and every section.

    The first section never opens with a page break of its own: what comes before it (our
    cover, the contents, a shell's cover) ends with one, and two would leave a blank page.
    """
    if document.toc:
        _toc(docx, document)
    for section in document.sections:
        _section(docx, section, first=section is document.sections[0])


def _in_shell(document: Document, style: Style) -> Any:
    """The manual written into the house style's rendered Word shell, where ``{{ body }}`` was."""
    docx, marker = docx_shell.render_shell(document, style)
    body = docx.element.body
    before = set(body.iterchildren())
    _body(docx, document)
    written = [child for child in body.iterchildren() if child not in before]
    docx_shell.move_before(marker, written)
    return docx


def _write_member(self: Any, pack_uri: Any, blob: bytes) -> None:
    """python-docx's zip writer, with every entry dated 1980-01-01.

    python-docx stamps each part with the current time; fixed stamps make a rebuild of the
    same profile byte-identical (and its sha256 in build.json stable). Writing them fixed
    in the first place spares unzipping and compressing the whole package a second time.
    """
    entry = zipfile.ZipInfo(pack_uri.membername, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    # level 1: a tenth of the compression time for files a few per cent larger
    self._zipf.writestr(entry, blob, compresslevel=1)


_ZipPkgWriter.write = _write_member  # type: ignore[method-assign]


# ----------------------------------------------------------------------------- setup
_BASES: dict[tuple[Any, ...], Any] = {}


def _base(document: Document) -> Any:
    """A new Word document with our page setup and styles, copied from one made once per process.

    Opening python-docx's template and setting the styles cost more than copying the result;
    a process lays out dozens of forms with the same few setups.
    """
    house = document.style
    key = (
        document.kind,
        document.landscape,
        document.cover is not None,
        house.body_font if house else None,
        house.heading_font if house else None,
        str(_PALETTE.get().accent),
    )
    if key not in _BASES:
        base = new_docx()
        _setup(base, document)
        _BASES[key] = base
    return copy.deepcopy(_BASES[key])


def _setup(docx, document: Document) -> None:
    """Page size, margins and styles (not the running header and footer, which name the document)."""
    sec = docx.sections[0]
    sec.page_width, sec.page_height = Cm(21.59), Cm(27.94)  # US Letter
    if document.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2.0 if document.kind == "form" else 2.3))
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
    sec.different_first_page_header_footer = document.cover is not None

    styles = docx.styles
    house = document.style
    normal = styles["Normal"]
    normal.font.name = house.body_font if house else DEFAULT_FONT
    normal.font.size = Pt(10.5 if document.kind == "manual" else 10)
    normal.paragraph_format.space_after = Pt(5)
    for level, size in ((1, 18), (2, 14), (3, 12), (4, 11)):
        style = styles[f"Heading {level}"]
        style.font.name = house.heading_font if house else DEFAULT_FONT
        style.font.size = Pt(size)
        style.font.color.rgb = _PALETTE.get().accent
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(14 if level == 1 else 10)


def _properties(docx, document: Document) -> None:
    """Document properties and the refresh-on-open setting (also for a shell's document)."""
    props = docx.core_properties
    # Word's core properties hold at most 255 characters each.
    props.title = _fit(document.title)
    props.subject = _fit(document.subject or document.title)
    props.author = _fit(document.company)
    props.keywords = _fit(", ".join(document.keywords))
    props.comments = _fit(f"Revision {document.revision}, {document.date}. Generated by safety-manual {__version__}.")
    props.category = "Health and safety program" if document.kind == "manual" else "Health and safety form"
    props.last_modified_by = f"safety-manual {__version__}"
    with contextlib.suppress(ValueError):
        props.revision = int(document.revision)
    fixed = dt.datetime.fromisoformat(document.date) if _is_iso(document.date) else dt.datetime(2000, 1, 1)
    props.created = props.modified = fixed  # deterministic output for the same profile

    settings = docx.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")  # Word refreshes the TOC and page fields on open
        settings.append(update)


def _fit(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _is_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _header_footer(sec, document: Document) -> None:
    header = sec.header.paragraphs[0]
    header.text = ""
    left = f"{document.company} \u2014 {document.title}"
    if document.header_note:
        left = f"{document.header_note} \u2014 {left}"
    run = header.add_run(left)
    run.font.size = Pt(8.5)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    _bottom_border(header)

    footer = sec.footer.paragraphs[0]
    footer.text = ""
    tab_stops = footer.paragraph_format.tab_stops
    # the built-in Footer style has centre and right tabs for portrait Letter with wide
    # margins; clear them and put one right tab at this page's text edge
    for position in (Inches(3.25), Inches(6.5)):
        tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)
    tab_stops.add_tab_stop(_text_width(sec), WD_TAB_ALIGNMENT.RIGHT)
    lead = footer.add_run(f"Revision {document.revision} \u00b7 {document.date}\tPage ")
    for r in (lead,):
        r.font.size = Pt(8.5)
    _field(footer, "PAGE", "1")
    tail = footer.add_run(" of ")
    tail.font.size = Pt(8.5)
    _field(footer, "NUMPAGES", "1")


def _text_width(sec) -> Length:
    return Length(sec.page_width - sec.left_margin - sec.right_margin)


def _bottom_border(paragraph: DocxParagraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "999999")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def _field(paragraph: DocxParagraph, instruction: str, shown: str) -> None:
    """Append a complex field (PAGE, NUMPAGES, TOC ...) with a cached result."""

    def char(kind: str):
        run = paragraph.add_run()
        run.font.size = Pt(8.5)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    run = paragraph.add_run()
    run.font.size = Pt(8.5)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    result = paragraph.add_run(shown)
    result.font.size = Pt(8.5)
    char("end")


# ----------------------------------------------------------------------- cover & TOC
def _cover(docx, document: Document) -> None:
    cover = document.cover
    assert cover is not None
    if cover.logo:
        # a logo python-docx cannot read is left off rather than failing the build
        with contextlib.suppress(Exception):
            docx.add_picture(io.BytesIO(cover.logo), width=Cm(4))
    for _ in range(4):
        docx.add_paragraph()
    company = docx.add_paragraph()
    run = company.add_run(cover.company)
    run.font.size, run.bold = Pt(26), True
    run.font.color.rgb = _PALETTE.get().accent
    title = docx.add_paragraph()
    run = title.add_run(cover.title)
    run.font.size = Pt(20)
    subtitle = docx.add_paragraph()
    run = subtitle.add_run(cover.subtitle)
    run.font.size, run.italic = Pt(12), True
    docx.add_paragraph()
    table = docx.add_table(rows=0, cols=2)
    for label, value in cover.lines:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
    if document.style is not None and document.style.preparer:
        _preparer(docx, document.style)
    _page_break(docx)


def _preparer(docx, style: Style) -> None:
    """The house style's "prepared by" block under the cover, with its logo."""
    docx.add_paragraph()
    if style.logo:
        with contextlib.suppress(Exception):  # checked when the style was loaded
            docx.add_picture(io.BytesIO(style.logo), width=Cm(3))
    block = docx.add_paragraph()
    p_pr = block._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"), ("w:color", style.accent[1:].upper())):
        top.set(qn(key), value)
    borders.append(top)
    p_pr.append(borders)
    for i, line in enumerate(style.preparer):
        run = block.add_run(line)
        run.font.size = Pt(9)
        if i < len(style.preparer) - 1:
            run.add_break()


def _toc(docx, document: Document) -> None:
    docx.add_paragraph("Contents", style="Title" if document.kind == "manual" else None)
    paragraph = docx.add_paragraph()

    # A real TOC field; its cached result lists the headings so the document reads well
    # even before Word refreshes the field and fills in page numbers.
    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f' TOC \\o "1-{document.toc_depth}" \\h \\z \\u '
    run._r.append(instr)
    char("separate")
    entries = [s for s in document.all_sections() if s.in_toc and s.level <= document.toc_depth]
    for i, section in enumerate(entries):
        run = paragraph.add_run(("    " if section.level == 2 else "") + section.heading)
        if section.level == 1:
            run.bold = True
        if i < len(entries) - 1:
            run.add_break()
    char("end")
    _page_break(docx)


# style name -> style id, per document part
_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def _style_id(container, style_name: str) -> str:
    """The id of ``style_name`` in the container's document.

    python-docx resolves a style name by scanning every style on each assignment, which was
    two thirds of the manual's Word time; the id is looked up once per document instead.
    """
    part = container.part
    ids = _STYLE_IDS.setdefault(part, {})
    if style_name not in ids:
        ids[style_name] = part.styles[style_name].style_id
    return ids[style_name]


def _styled_paragraph(container, style_name: str) -> DocxParagraph:
    """A new paragraph in ``style_name``."""
    paragraph = container.add_paragraph()
    paragraph._p.get_or_add_pPr().style = _style_id(container, style_name)
    return paragraph


def _add_run(
    paragraph: DocxParagraph, text: str, bold: bool = False, italic: bool = False, size=None, color: str | None = None
) -> Any:
    """Append a run of ``text``; the run element is built directly.

    python-docx's ``add_run`` parses the text for tabs and line breaks and walks the element
    schema for every property it sets; for plain text this builds the same XML in a fraction
    of the time (most of a form's Word time was spent there).
    """
    if "\n" in text or "\t" in text or "\r" in text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size is not None:
            run.font.size = size
        return run
    r = paragraph._p._new_r()
    if bold or italic or size is not None or color is not None:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if italic:
            rpr.append(OxmlElement("w:i"))
        if color is not None:
            shade = OxmlElement("w:color")
            shade.set(qn("w:val"), color)
            rpr.append(shade)
        if size is not None:
            sz = OxmlElement("w:sz")
            sz.set(qn("w:val"), str(int(round(size.pt * 2))))
            rpr.append(sz)
        r.append(rpr)
    if text:
        t = OxmlElement("w:t")
        t.text = text
        if text != text.strip():
            t.set(qn("xml:space"), "preserve")
        r.append(t)
    paragraph._p.append(r)
    return r


def _row_cells(table, row) -> list[_Cell]:
    """The cells of a row without python-docx's merged-cell grid walk (our tables merge none)."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _table_style(container, table) -> None:
    table._tbl.tblStyle_val = _style_id(container, "Table Grid")


def _page_break(docx) -> None:
    docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# -------------------------------------------------------------------------- sections
def _section(docx, section: Section, first: bool = False) -> None:
    if section.page_break and not first:
        _page_break(docx)
    _add_run(_styled_paragraph(docx, f"Heading {min(section.level, 4)}"), section.heading)
    for block in section.blocks:
        _block(docx, block)
    for child in section.children:
        _section(docx, child)


def _block(container, block: Block) -> None:
    if isinstance(block, Paragraph):
        paragraph = container.add_paragraph()
        _runs(paragraph, block.runs, size=Pt(9) if block.style == "small" else None)
    elif isinstance(block, BulletList):
        _list(container, block, 0)
    elif isinstance(block, Table):
        _table(container, block)
    elif isinstance(block, Callout):
        _callout(container, block)
    elif isinstance(block, SignatureBlock):
        _signature(container, block)
    elif isinstance(block, FieldGrid):
        _field_grid(container, block)
    elif isinstance(block, PageBreak):
        container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _runs(paragraph: DocxParagraph, runs: Runs, size=None) -> None:
    for r in runs:
        _add_run(paragraph, r.text, r.bold, r.italic, size)


def _list(container, block: BulletList, depth: int) -> None:
    style = "List Number" if block.ordered else "List Bullet"
    if depth:
        style += f" {min(depth + 1, 3)}"
    for item in block.items:
        paragraph = _styled_paragraph(container, style)
        _runs(paragraph, item.runs)
        for child in item.children:
            _list(container, child, depth + 1)


def _shade(cell: _Cell, color: str) -> None:
    cell._tc.get_or_add_tcPr().append(_shading(color))


def _new_row(table, widths: list[Any], header: bool = False, fill: str | None = None) -> list[_Cell]:
    """Append a row of empty cells, built as XML directly, and return its cells.

    python-docx's ``add_row`` and ``cell.width`` walk the element schema for every child they
    insert; a form's tables have hundreds of cells, and this was most of a form's Word time.
    """
    tr = OxmlElement("w:tr")
    if header:
        tr_pr = OxmlElement("w:trPr")
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")  # the header row repeats on every page
        tr_pr.append(repeat)
        tr.append(tr_pr)
    for width in widths:
        tc = OxmlElement("w:tc")
        tc_pr = OxmlElement("w:tcPr")
        if width is not None:
            tc_w = OxmlElement("w:tcW")
            tc_w.set(qn("w:w"), str(int(Length(width).twips)))
            tc_w.set(qn("w:type"), "dxa")
            tc_pr.append(tc_w)
        if fill is not None:
            tc_pr.append(_shading(fill))
        tc.append(tc_pr)
        tc.append(OxmlElement("w:p"))
        tr.append(tc)
    table._tbl.append(tr)
    return [_Cell(tc, table) for tc in tr.tc_lst]


def _shading(color: str) -> Any:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    return shading


def _table(container, block: Table) -> None:
    cols = len(block.header) or (len(block.rows[0]) if block.rows else 1)
    table = container.add_table(rows=0, cols=cols)
    _table_style(container, table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid = table._tbl.tblGrid.gridCol_lst
    widths: list[Any] = [column.w for column in grid]
    if block.widths:
        # Word and LibreOffice honour fixed column widths only with autofit off and the
        # width set on every cell of the column
        table.autofit = False
        total = sum(block.widths)
        width = _text_width(container.sections[-1]) if hasattr(container, "sections") else Cm(17.0)
        widths = [Length(int(width * share / total)) for share in block.widths[:cols]]
        widths += [None] * (cols - len(widths))
        for column, column_width in zip(grid, widths, strict=False):
            if column_width is not None:
                column.w = column_width
    header = _new_row(table, widths, header=True, fill=_PALETTE.get().header_fill)
    for cell, value in zip(header, block.header, strict=False):
        _cell(cell, value, bold=True, size=Pt(9))
    for row in block.rows:
        for cell, value in zip(_new_row(table, widths), row, strict=False):
            _cell(cell, value, size=Pt(9))
    container.add_paragraph()


def _cell(cell: _Cell, value: Cell, bold: bool = False, size=None) -> None:
    paragraph = cell.paragraphs[0]
    if isinstance(value, Field):
        _blank(paragraph, value, compact=True)
        return
    if value and isinstance(value[0], Field):
        for i, field in enumerate(value):
            if i:
                paragraph.add_run("  ")
            _blank(paragraph, field)
        return
    for r in value:
        _add_run(paragraph, r.text, bold or r.bold, r.italic, size)  # type: ignore[union-attr]


# printed hints for blanks whose kind says what goes in them: (in a table cell, elsewhere)
BLANK_HINTS = {
    "date": ("YYYY-MM-DD", "______________ (YYYY-MM-DD)"),
    "datetime": ("YYYY-MM-DD hh:mm", "______________ (YYYY-MM-DD hh:mm)"),
    "signature": ("", "________________________ (signature)"),
    "number": ("", "__________"),
}


def _blank(paragraph: DocxParagraph, field: Field, compact: bool = False) -> None:
    """A printed blank: a box for a checkbox, an underlined gap for text."""
    if field.kind == "checkbox":
        _add_run(paragraph, "\u2610" + (f" {field.label}" if field.label else ""), size=Pt(10))
        return
    if field.label:
        _add_run(paragraph, f"{field.label}: ", bold=True)
    if field.kind == "yesno":  # the boxes are the answer, printed like a checkbox
        _add_run(paragraph, "\u2610 Yes \u2610 No" if compact else "\u2610 Yes   \u2610 No", size=Pt(10))
    elif field.kind in BLANK_HINTS:
        short, long = BLANK_HINTS[field.kind]
        _add_run(paragraph, short if compact else long, size=Pt(7 if compact else 8), color="A0A0A0")
    elif field.kind == "textarea":
        for _ in range(max(field.lines, 1)):
            paragraph.add_run().add_break()
    else:
        _add_run(paragraph, "\u00a0")


def _callout(container, block: Callout) -> None:
    table = container.add_table(rows=1, cols=1)
    _table_style(container, table)
    cell = table.rows[0].cells[0]
    _shade(cell, _PALETTE.get().callout_fill if block.kind != "warning" else "FFF4E5")
    first = cell.paragraphs[0]
    if block.title:
        run = first.add_run(block.title)
        run.bold = True
        run.font.color.rgb = _PALETTE.get().accent
    for i, inner in enumerate(block.blocks):
        if isinstance(inner, Paragraph) and i == 0 and not block.title:
            _runs(first, inner.runs)
        else:
            _block(cell, inner)
    container.add_paragraph()


def _signature(container, block: SignatureBlock) -> None:
    table = container.add_table(rows=0, cols=2)
    _table_style(container, table)
    for label in block.labels:
        cells = _new_row(table, [Cm(5), Cm(12)])
        _add_run(cells[0].paragraphs[0], label, bold=True)
        _add_run(cells[1].paragraphs[0], BLANK)
    container.add_paragraph()


def _field_grid(container, block: FieldGrid) -> None:
    cols = block.columns
    table = container.add_table(rows=0, cols=cols)
    _table_style(container, table)
    fields = list(block.fields)
    widths = [column.w for column in table._tbl.tblGrid.gridCol_lst]
    for start in range(0, len(fields), cols):
        cells = _new_row(table, widths)
        for cell, field in zip(cells, fields[start : start + cols], strict=False):
            _blank(cell.paragraphs[0], field)
    container.add_paragraph()


_ALIGN = WD_PARAGRAPH_ALIGNMENT  # re-exported for writers of branded shells
