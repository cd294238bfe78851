"""PDF writer: the document tree laid out by Typst, with fillable fields laid over by pikepdf.

The tree goes to ``generator/typst/document.typ`` as JSON data through ``sys.inputs``; the
template is the only Typst source ever compiled, and the compile sees only that template and
the logos, never a path a user names. A document without images is compiled in memory; the
Typst binding decodes every in-memory file as UTF-8 text, so a document with logos is
compiled from a private temporary folder holding the template and the image bytes. Fonts come from the fixed set
in ``generator/fonts`` and system fonts are ignored, so the same profile gives the same PDF
on every machine.

The manual is written as PDF/A-2b and PDF/UA-1 (tagged, with its language and title). A
form is tagged too; Typst has no form fields of its own, so the template leaves a mark at
every blank and :mod:`generator.writers.pdf_fields` adds the AcroForm widgets afterwards
(which rules out PDF/A for forms: their fields carry JavaScript date actions).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.document import Document, Field, Paragraph, Run, Section, Table, plain
from generator.paths import fonts_dir, typst_dir
from generator.writers import pdf_fields
from generator.writers.pdf_data import document_data
from generator.yamlio import write_atomic

TEMPLATE = typst_dir() / "document.typ"
MANUAL_STANDARDS: list[Any] = ["a-2b", "ua-1"]  # PDF/A-2b and PDF/UA-1


@functools.cache
def _fonts() -> Any:
    """Our font set, loaded once per process (system fonts are never consulted)."""
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(fonts_dir())])


@functools.cache
def _template() -> bytes:
    return TEMPLATE.read_bytes()


def _timestamp(document: Document) -> dt.datetime:
    """The creation date written into the PDF: the document's own date, so rebuilds are identical."""
    try:
        day = dt.date.fromisoformat(document.date)
    except ValueError:
        day = dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _images(document: Document) -> dict[str, bytes]:
    """The images the template reads, by the names it reads them under."""
    images = {}
    if document.cover is not None and document.cover.logo:
        images["logo"] = document.cover.logo
    if document.cover is not None and document.style is not None and document.style.logo:
        images["style-logo"] = document.style.logo  # the preparer's, beside their block
    return images


@contextlib.contextmanager
def _project(images: dict[str, bytes]) -> Iterator[Any]:
    """The compiler's input: the template in memory, or a temporary folder when there are images."""
    if not images:
        yield {"main.typ": _template()}
        return
    with tempfile.TemporaryDirectory(prefix="safety-manual-typst-") as folder:
        root = Path(folder)
        (root / "main.typ").write_bytes(_template())
        for name, data in images.items():
            (root / name).write_bytes(data)
        yield str(root / "main.typ")


def render_pdf(document: Document) -> tuple[bytes, int]:
    """Lay out ``document`` as PDF; return the bytes and the page count."""
    import pikepdf
    import typst

    images = _images(document)
    data_json = document_data(document, logo="logo" in images, style_logo="style-logo" in images)
    inputs = {"document": json.dumps(data_json, ensure_ascii=False)}
    form = document.kind == "form"
    with _project(images) as files:
        compiler = typst.Compiler(files, font_paths=_fonts(), ignore_system_fonts=True, sys_inputs=inputs)
        data = compiler.compile(
            format="pdf",
            pdf_standards=[] if form else MANUAL_STANDARDS,
            timestamp=_timestamp(document),
        )
        assert isinstance(data, bytes)
        if form:
            # the compiler object cannot query an in-memory project; the function can, and its
            # layout comes from the same memoised caches, so this costs little
            marks = json.loads(
                typst.query(
                    files,
                    "<fields>",
                    field="value",
                    one=True,
                    font_paths=_fonts(),
                    ignore_system_fonts=True,
                    sys_inputs=inputs,
                )
            )
            return pdf_fields.add_fields(data, marks)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return data, len(pdf.pages)


def warm_up() -> None:
    """Load Typst, pikepdf and the Latin fonts by laying out a small form (for worker processes)."""
    blank = Field("warm_up", "text")
    section = Section(
        "Warm-up",
        1,
        blocks=[Paragraph((Run("Text, "), Run("bold", bold=True))), Table((plain("Item"),), ((blank,),))],
        anchor="s-warm-up",
    )
    render_pdf(Document("warm-up", "", "", "", [section], toc=False, kind="form"))


def write(document: Document, out_path: Path) -> int:
    """Write ``document`` to ``out_path`` as PDF (atomically); return the page count."""
    data, pages = render_pdf(document)
    write_atomic(out_path, data)
    return pages
