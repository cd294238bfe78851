"""Consistency of the records a build promises, as the tests and a ``check`` command see it.

- Every form reference (``F-09``) in the manual and the forms resolves to a form in the build.
- Every record the manual names applies to this build (its form is issued, or it is kept
  outside the program); every sentence that says how long something is kept names a record
  of the registry and prints the registry's period, so no record has two retention periods.
- Every form prints the retention of the record it captures, has a date, and has a
  signature field for each role the registry says signs it.

The checks read the document trees, so they run without writing any file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from string import Template

from generator.catalog import Catalog
from generator.context import BuildFacts
from generator.document import (
    BulletList,
    Callout,
    Cell,
    Document,
    Field,
    FieldGrid,
    ListItem,
    Paragraph,
    Table,
    text_of,
)
from generator.forms_catalog import FormWording, load_wording
from generator.records import RecordDef, Registry

FORM_REF = re.compile(r"\bF-\d{2}\b")
# words that say a sentence is about keeping a record ...
RETAIN = re.compile(r"\b(kept|keeps?|retain\w*|retention)\b", re.IGNORECASE)
# ... and the shapes a retention period takes (frequencies such as "once a year" do not match)
DURATION = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(full\s+)?(years?|audit cycles?)\b"
    r"|\bemployment plus\b|\blife of the\b|\bowns the equipment\b",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z{])")


def check_build(
    manual: Document,
    forms: Sequence[tuple[str, Document]],
    records: Sequence[RecordDef],
    form_numbers: dict[str, str],
    registry: Registry,
) -> list[str]:
    """Every problem with the records of one build, as one line each (empty when consistent).

    ``forms`` is what ``form_documents`` returns, ``records`` the registry records that apply
    to the build, ``form_numbers`` form id -> number for the forms issued.
    """
    problems: list[str] = []
    issued = set(form_numbers.values())
    applicable = {r.id: r for r in records}
    by_number = {number: form_id for form_id, number in form_numbers.items()}
    for record in records:
        if record.form and record.form not in form_numbers:
            problems.append(f"record {record.id!r} applies but its form {record.form!r} is not issued")
    for form_id in form_numbers:
        if not any(r.form == form_id for r in records):
            problems.append(f"form {form_id!r} is issued but the record it captures does not apply")
    absent = [r for r in registry.records.values() if r.id not in applicable]
    for where, text in _units(manual, "manual"):
        for ref in FORM_REF.findall(text):
            if ref not in issued:
                problems.append(f"{where}: {ref} is not a form of this build: {_short(text)}")
        lowered = text.lower()
        for record in absent:
            if any(word in lowered for word in record.words()):
                problems.append(f"{where}: names {record.name!r}, which this build neither issues a form for nor keeps")
    for where, text, is_row in _retention_units(manual):
        problems += _retention_problems(where, text, is_row, registry, applicable, by_number)
    for stem, document in forms:
        for where, text in _units(document, stem):
            problems += [
                f"{where}: {ref} is not a form of this build" for ref in FORM_REF.findall(text) if ref not in issued
            ]
        form_id = by_number.get(document.sections[0].number, "")
        if form_id:
            problems += check_form(document, registry.for_form(form_id), load_wording(), stem)
    return problems


def check_facts(facts: BuildFacts, catalog: Catalog) -> list[str]:
    """Assemble a build's manual and forms in memory and check their records."""
    from generator.assemble import assemble_manual
    from generator.build import form_documents

    manual = assemble_manual(facts, catalog)
    forms = form_documents(facts, catalog)
    numbers = {f.id: f.number for f in facts.forms}
    return check_build(manual, forms, facts.records, numbers, catalog.registry)


def check_form(document: Document, record: RecordDef, wording: FormWording | None = None, where: str = "") -> list[str]:
    """A form as evidence: its printed retention, a date, and a signature for each role."""
    wording = wording or load_wording()
    where = where or document.sections[0].number
    problems: list[str] = []
    keep = Template(wording.keep).safe_substitute(retention=record.retention.period)
    text = "\n".join(t for _w, t in _units(document, where))
    if keep not in text:
        problems.append(f"{where}: does not print the registry's retention ({keep!r})")
    fields = list(fields_of(document, wording.role_column))
    if not any(f.kind in ("date", "datetime") for f, _context in fields):
        problems.append(f"{where}: has no date field")
    signed = [context.lower() for f, context in fields if f.kind == "signature"]
    for role in record.signed_by:
        if not any(role.lower() in context for context in signed):
            problems.append(f"{where}: no signature field for {role!r}, whom the registry says signs it")
    return problems


def fields_of(document: Document, role_column: str = "") -> Iterator[tuple[Field, str]]:
    """Every field of a document with the words that say what it is for: its label, or in a
    table its column header and, in a sign-off table, the role printed at the start of its row."""
    role_column = role_column or load_wording().role_column
    for section in document.all_sections():
        for block in section.blocks:
            if isinstance(block, FieldGrid):
                for f in block.fields:
                    yield f, f.label
            elif isinstance(block, Table):
                headers = [_cell_words(c) for c in block.header]
                for row in block.rows:
                    role = _cell_words(row[0]) if headers and headers[0] == role_column else ""
                    for i, cell in enumerate(row):
                        for f in _cell_fields(cell):
                            header = headers[i] if i < len(headers) else ""
                            yield f, " ".join(w for w in (f.label, header, role) if w)


def _cell_fields(cell: Cell) -> tuple[Field, ...]:
    if isinstance(cell, Field):
        return (cell,)
    if cell and isinstance(cell[0], Field):
        return cell
    return ()


def _cell_words(cell: Cell) -> str:
    if isinstance(cell, Field) or (cell and isinstance(cell[0], Field)):
        return ""
    return "".join(r.text for r in cell)  # type: ignore[union-attr]


def _units(document: Document, name: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every block of every section."""
    for section in document.all_sections():
        where = f"{name}: {section.heading}"
        yield where, section.heading
        for block in section.blocks:
            yield where, text_of(block)


def _retention_units(document: Document) -> Iterator[tuple[str, str, bool]]:
    """(where, text, is_table_row) for each sentence or table row that states a retention period."""
    for section in document.all_sections():
        where = f"manual: {section.heading}"
        for block in section.blocks:
            for text, is_row in _pieces(block):
                if DURATION.search(text) and (is_row or RETAIN.search(text)):
                    yield where, text, is_row


def _pieces(block: object) -> Iterator[tuple[str, bool]]:
    """Sentences of prose, and table rows of tables that have a retention column."""
    if isinstance(block, Paragraph):
        yield from ((s, False) for s in SENTENCE.split(block.text))
    elif isinstance(block, BulletList):
        for item in block.items:
            yield from _item_pieces(item)
    elif isinstance(block, Callout):
        for inner in block.blocks:
            yield from _pieces(inner)
    elif isinstance(block, Table):
        header = " ".join(_cell_words(c) for c in block.header)
        if RETAIN.search(header) or "keep for" in header.lower():
            for row in block.rows:
                yield " | ".join(_cell_words(c) for c in row), True


def _item_pieces(item: ListItem) -> Iterator[tuple[str, bool]]:
    text = "".join(r.text for r in item.runs)
    yield from ((s, False) for s in SENTENCE.split(text))
    for child in item.children:
        yield from _pieces(child)


def _retention_problems(
    where: str,
    text: str,
    is_row: bool,
    registry: Registry,
    applicable: dict[str, RecordDef],
    by_number: dict[str, str],
) -> list[str]:
    named = _named_records(text, is_row, registry, by_number)
    if not named:
        return [f"{where}: states how long something is kept but names no record in the registry: {_short(text)}"]
    problems = []
    lowered = text.lower()
    for record in named:
        if record.id not in applicable:
            continue  # reported once, wherever the manual names it
        if not re.search(rf"(?<![\w-]){re.escape(record.retention.period.lower())}(?![\w-])", lowered):
            problems.append(
                f"{where}: {record.name!r} is kept for {record.retention.period!r} in the registry, "
                f"but the manual says: {_short(text)}"
            )
    return problems


def _named_records(text: str, is_row: bool, registry: Registry, by_number: dict[str, str]) -> list[RecordDef]:
    """The records a sentence names; a table row names the record in its first cells."""
    if is_row:
        cells = [c.strip() for c in text.split(" | ")]
        for cell in cells[:2]:
            if cell in by_number:
                return [registry.for_form(by_number[cell])]
        for record in registry.records.values():
            if cells and cells[0].lower() == record.name.lower():
                return [record]
        return []
    lowered = text.lower()
    named = [r for r in registry.records.values() if any(word in lowered for word in r.words())]
    for ref in FORM_REF.findall(text):
        if ref in by_number:
            named.append(registry.for_form(by_number[ref]))
    return list({r.id: r for r in named}.values())


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "\u2026")
