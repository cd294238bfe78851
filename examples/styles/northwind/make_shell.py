"""Write this example house style's Word shell (shell.docx) and logo (logo.png).

A consultant would design the shell in Word; this script builds the same kind of file with
python-docx so the example can be rebuilt and reviewed as code:

    python examples/styles/northwind/make_shell.py

The shell holds a cover page, a header and footer with docxtpl tags, the style definitions
the manual's text takes on (Normal, Heading 1-3), and one paragraph holding only
``{{ body }}`` where the manual's text goes. The tags a shell may use are listed in the
README ("House styles").
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
ACCENT = RGBColor(0x7A, 0x1F, 0x3D)
GREY = RGBColor(0x55, 0x55, 0x55)


def logo_png(size: int = 96) -> bytes:
    """A plain square mark: burgundy with a white diagonal band (no drawing library needed)."""
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type: none
        for x in range(size):
            band = abs(x - y) < size // 8
            row += b"\xff\xff\xff" if band else bytes((0x7A, 0x1F, 0x3D))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def page_field(paragraph) -> None:
    """A PAGE field, so the footer numbers its pages."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        run = paragraph.add_run("1" if kind is None and text is None else "")
        run.font.size = Pt(8)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def styles(doc) -> None:
    """The look the manual's text takes on."""
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    for level, size, colour in ((1, 20, ACCENT), (2, 14, ACCENT), (3, 11.5, GREY)):
        heading = doc.styles[f"Heading {level}"]
        heading.font.name = "Liberation Sans"
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.color.rgb = colour
        heading.paragraph_format.space_before = Pt(18 if level == 1 else 10)
        heading.paragraph_format.keep_with_next = True


def line(doc, text: str, size: float, bold: bool = False, colour: RGBColor | None = None, after: float = 4):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    if colour is not None:
        run.font.color.rgb = colour
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def main() -> None:
    (HERE / "logo.png").write_bytes(logo_png())
    doc = Document()
    styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)  # US Letter
    section.left_margin = section.right_margin = Cm(2.5)
    section.different_first_page_header_footer = True  # the cover has no header or footer

    # the cover
    doc.add_paragraph("{{ logo }}")
    line(doc, "NORTHWIND SAFETY CONSULTING", 9, bold=True, colour=ACCENT, after=36)
    doc.add_paragraph("{{ company.logo }}")  # the client's logo, when the profile has one
    line(doc, "{{ company.name }}", 28, bold=True, colour=ACCENT, after=6)
    line(doc, "{{ document.title }}", 18, after=4)
    line(doc, "{{ document.subtitle }}", 11, colour=GREY, after=36)
    line(doc, "Revision {{ document.revision }} \u00b7 {{ document.date }}", 10)
    line(doc, "Approved by {{ document.approved_by }}", 10, after=96)
    line(doc, "Prepared by {{ preparer.firm }}", 9, bold=True)
    line(doc, "{{ preparer.contact }}", 9)
    line(doc, "{{ preparer.licence }}", 9)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # where the manual's text goes
    doc.add_paragraph("{{ body }}")

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run("{{ company.name }} | {{ document.title }}")
    run.font.size, run.font.color.rgb = Pt(8), ACCENT
    footer = section.footer.paragraphs[0]
    run = footer.add_run("Prepared by {{ preparer.firm }} \u00b7 Revision {{ document.revision }} \u00b7 Page ")
    run.font.size, run.font.color.rgb = Pt(8), GREY
    page_field(footer)

    props = doc.core_properties
    props.author = props.title = props.subject = props.comments = ""
    doc.save(HERE / "shell.docx")


if __name__ == "__main__":
    main()
