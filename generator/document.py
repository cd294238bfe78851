"""The format-neutral document tree.

Content is assembled once into this tree; the Word and HTML/PDF writers each turn the same
tree into their format. Nodes are small immutable dataclasses; text is always plain text
(writers escape it), never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Run:
    """A piece of text with simple emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


Runs = tuple[Run, ...]


# What a blank holds. Writers map each kind to a widget (PDF) or a printed blank (Word);
# forms declare the kind of every blank, so nothing is guessed from a label.
FieldKind = Literal["text", "textarea", "date", "datetime", "number", "yesno", "signature", "checkbox"]
FIELD_KINDS: tuple[str, ...] = ("text", "textarea", "date", "datetime", "number", "yesno", "signature", "checkbox")


@dataclass(frozen=True)
class Field:
    """A blank to fill in: a fillable field in PDF, a printed blank in Word."""

    name: str
    kind: FieldKind = "text"
    label: str = ""
    lines: int = 1


Cell = Runs | Field | tuple[Field, ...]


@dataclass(frozen=True)
class Paragraph:
    runs: Runs
    style: Literal["body", "lead", "small"] = "body"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class ListItem:
    runs: Runs
    children: tuple[BulletList, ...] = ()


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] | None = None  # relative column widths
    caption: str = ""


@dataclass(frozen=True)
class Callout:
    blocks: tuple[Block, ...]
    title: str = ""
    kind: Literal["note", "auditor", "warning"] = "note"


@dataclass(frozen=True)
class SignatureBlock:
    labels: tuple[str, ...]
    name: str = "signature"


@dataclass(frozen=True)
class FieldGrid:
    """Labelled fields laid out in rows (form headers: site, date, supervisor ...)."""

    fields: tuple[Field, ...]
    columns: int = 2


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Paragraph | BulletList | Table | Callout | SignatureBlock | FieldGrid | PageBreak


@dataclass
class Section:
    """A numbered heading with its blocks and subsections."""

    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    number: str = ""
    anchor: str = ""
    page_break: bool = False
    in_toc: bool = True
    key: str = ""  # stable id for cross-references and change reports

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()

    def walk(self) -> list[Section]:
        """This section and all below it, in reading order."""
        out = [self]
        for child in self.children:
            out += child.walk()
        return out


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    company: str
    lines: tuple[tuple[str, str], ...]  # label, value pairs under the title
    logo: bytes | None = None
    logo_type: str = ""


@dataclass(frozen=True)
class Style:
    """A house style: the colours, fonts, logo and preparer block both writers take on.

    Loaded from a style folder by :mod:`generator.house_style`. Colours are ``#rrggbb``;
    fonts are families of the bundled set. The logo and the Word shell are left out of the
    ``repr`` (the reuse digests hash it) in favour of ``digest``, a hash of every file of the
    folder, so any change to the style still changes the digests.
    """

    name: str
    accent: str
    header_fill: str
    callout_fill: str
    body_font: str
    heading_font: str
    preparer: tuple[str, ...] = ()  # lines of the "prepared by" block on the cover
    # what a Word shell's preparer.* and style.* tags print: ("preparer.firm", "..."), ...
    shell_values: tuple[tuple[str, str], ...] = ()
    digest: str = ""
    logo: bytes | None = field(default=None, repr=False)
    logo_type: str = ""
    shell: bytes | None = field(default=None, repr=False)  # a .docx designed in Word, or None
    shell_name: str = ""  # how errors name the shell file


@dataclass
class Document:
    """A whole output document: the manual or one form."""

    title: str
    company: str
    revision: str
    date: str
    sections: list[Section]
    cover: Cover | None = None
    toc: bool = True
    toc_depth: int = 2  # heading levels the contents lists (the manual lists its chapters only)
    subject: str = ""
    keywords: tuple[str, ...] = ()
    header_note: str = ""  # e.g. a form number shown in the running header
    kind: Literal["manual", "form"] = "manual"
    landscape: bool = False
    style: Style | None = None  # a house style; None is the project's own look
    # values a house style's Word shell prints in its tags: ("company.name", "Acme Ltd."), ...
    shell_values: tuple[tuple[str, str], ...] = ()

    def all_sections(self) -> list[Section]:
        """Every section in reading order."""
        out: list[Section] = []
        for section in self.sections:
            out += section.walk()
        return out

    def number(self) -> None:
        """Give sections their numbers (1, 1.2, 1.2.3) and anchors; appendices get letters."""
        chapter = 0
        appendix = 0
        for top in self.sections:
            if top.number == "" and top.key.startswith("appendix"):
                appendix += 1
                top.number = f"Appendix {chr(64 + appendix)}"
                prefix = chr(64 + appendix)
            elif top.number == "" and top.in_toc and top.key != "front":
                chapter += 1
                top.number = str(chapter)
                prefix = top.number
            else:
                prefix = top.number
            slug = "".join(c if c.isalnum() else "-" for c in (prefix or top.title).lower())
            top.anchor = top.anchor or f"s-{slug}"
            _number_children(top, prefix)


def _number_children(parent: Section, prefix: str) -> None:
    for i, child in enumerate(parent.children, start=1):
        child.number = f"{prefix}.{i}" if prefix else ""
        child.anchor = f"s-{child.number}" if child.number else f"{parent.anchor}-{i}"
        _number_children(child, child.number)


def plain(text: str) -> Runs:
    """A run tuple of plain text."""
    return (Run(text),)


def para(text: str, style: Literal["body", "lead", "small"] = "body") -> Paragraph:
    """A paragraph of plain text."""
    return Paragraph(plain(text), style)


def bullets(items: list[str], ordered: bool = False) -> BulletList:
    """A list of plain-text items."""
    return BulletList(tuple(ListItem(plain(t)) for t in items), ordered)


def text_of(block: Block) -> str:
    """All the text in a block, for tests, word counts and change reports."""
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, BulletList):
        return "\n".join(
            "".join(r.text for r in i.runs) + "".join("\n" + text_of(c) for c in i.children) for i in block.items
        )
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        return "\n".join(" | ".join(_cell_text(c) for c in row) for row in rows)
    if isinstance(block, Callout):
        return "\n".join([block.title, *(text_of(b) for b in block.blocks)])
    if isinstance(block, SignatureBlock):
        return "\n".join(block.labels)
    if isinstance(block, FieldGrid):
        return "\n".join(f.label for f in block.fields)
    return ""


def _cell_text(cell: Cell) -> str:
    if isinstance(cell, Field):
        return cell.label
    if cell and isinstance(cell[0], Field):
        return " ".join(f.label for f in cell)
    return "".join(r.text for r in cell)  # type: ignore[union-attr]


def section_text(section: Section) -> str:
    """The heading and every block of a section and its children."""
    parts = [section.heading, *(text_of(b) for b in section.blocks)]
    parts += [section_text(c) for c in section.children]
    return "\n".join(parts)
