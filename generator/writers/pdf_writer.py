"""PDF writer: the HTML rendering printed by WeasyPrint.

WeasyPrint gives page counters, a table of contents with page numbers (``target-counter``),
bookmarks for every heading and real AcroForm fields. Its URL fetcher is replaced by one
that serves nothing but ``data:`` URIs, so no profile text can make the PDF engine read a
local file or reach the network.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from generator.document import Document
from generator.writers.html_writer import to_html
from generator.yamlio import write_atomic


def data_only_fetcher() -> Any:
    """A URL fetcher that serves ``data:`` URIs and refuses every file, http or other URL.

    WeasyPrint logs a refused fetch and renders without the resource.
    """
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"safety-manual refused to fetch {url[:80]!r}")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def render_pdf(document: Document) -> tuple[bytes, int]:
    """Render ``document`` to PDF bytes; return them with the page count."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    html = HTML(string=to_html(document), base_url=None, url_fetcher=data_only_fetcher())
    rendered = html.render(pdf_forms=document.kind == "form")
    buffer = io.BytesIO()
    rendered.write_pdf(buffer, pdf_forms=document.kind == "form")
    data = buffer.getvalue()
    if document.kind == "form":
        data = mark_date_fields(data)
    return data, len(rendered.pages)


DATE_FORMAT = "yyyy-mm-dd"


def mark_date_fields(pdf: bytes) -> bytes:
    """Turn the text fields named ``date_*`` into PDF date fields.

    WeasyPrint writes every text input as a plain text field; a PDF viewer treats a field as
    a date when it carries the standard AFDate format and keystroke actions, which is how
    Acrobat itself stores date fields.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            field = annotation.get_object()
            name = str(field.get("/T", ""))
            if field.get("/FT") != "/Tx" or not name.startswith("date_"):
                continue

            def js(code: str) -> DictionaryObject:
                action = DictionaryObject()
                action[NameObject("/S")] = NameObject("/JavaScript")
                action[NameObject("/JS")] = TextStringObject(code)
                return action

            actions = DictionaryObject()
            actions[NameObject("/F")] = js(f'AFDate_FormatEx("{DATE_FORMAT}");')
            actions[NameObject("/K")] = js(f'AFDate_KeystrokeEx("{DATE_FORMAT}");')
            field[NameObject("/AA")] = actions
            field[NameObject("/TU")] = TextStringObject(f"Date ({DATE_FORMAT})")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(document: Document, out_path: Path) -> int:
    """Write ``document`` to ``out_path`` as PDF (atomically); return the page count."""
    data, pages = render_pdf(document)
    write_atomic(out_path, data)
    return pages
