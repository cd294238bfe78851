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
    forms = document.kind == "form"
    html = HTML(string=to_html(document), base_url=None, url_fetcher=data_only_fetcher())
    rendered = html.render(pdf_forms=forms)
    buffer = io.BytesIO()
    rendered.write_pdf(buffer, pdf_forms=forms, finisher=mark_date_fields if forms else None)
    return buffer.getvalue(), len(rendered.pages)


def warm_up() -> None:
    """Load WeasyPrint, Pango and our fonts by laying out one line (for worker processes)."""
    render_pdf(Document(title="warm-up", company="", revision="", date="", sections=[], toc=False))


DATE_FORMAT = "yyyy-mm-dd"


def mark_date_fields(_document: Any, pdf: Any) -> None:
    """Turn the text fields named ``date_*`` into PDF date fields (a WeasyPrint finisher).

    WeasyPrint writes every text input as a plain text field; a PDF viewer treats a field as
    a date when it carries the standard AFDate format and keystroke actions, which is how
    Acrobat itself stores date fields. The actions are added to WeasyPrint's own PDF objects
    just before they are serialised, so the file is written once and never parsed again.
    """
    import pydyf

    def js(code: str) -> Any:
        return pydyf.Dictionary({"S": "/JavaScript", "JS": pydyf.String(code)})

    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("FT") != "/Tx":
            continue
        name = obj.get("T")
        if not isinstance(name, pydyf.String) or not str(name.string).startswith("date_"):
            continue
        obj["AA"] = pydyf.Dictionary(
            {
                "F": js(f'AFDate_FormatEx("{DATE_FORMAT}");'),
                "K": js(f'AFDate_KeystrokeEx("{DATE_FORMAT}");'),
            }
        )
        obj["TU"] = pydyf.String(f"Date ({DATE_FORMAT})")


def write(document: Document, out_path: Path) -> int:
    """Write ``document`` to ``out_path`` as PDF (atomically); return the page count."""
    data, pages = render_pdf(document)
    write_atomic(out_path, data)
    return pages
