"""The PDF engine's guarantees, read back from the files: tagged PDF/A and PDF/UA manuals,
fillable widgets that sit on the boxes the reader sees, values that fill and read back,
long words that wrap, characters the fonts lack reported instead of lost."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, pdf_text, run_cli
from pypdf import PdfReader, PdfWriter

from generator.document import Document, Paragraph, Run, Section
from generator.writers import fonts, pdf_writer
from generator.writers.pdf_data import LONG_WORD


def test_manual_is_tagged_pdf_a_and_pdf_ua(example_build):
    out, _ = example_build
    with pikepdf.open(out / "manual.pdf") as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root, "a structure tree for screen readers"
        assert root.MarkInfo.Marked is True
        assert str(root.Lang).lower().startswith("en")
        assert root.ViewerPreferences.DisplayDocTitle is True, "viewers show the title, not the file name"
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["pdfuaid:part"] == "1"
        assert "Prairie Green Landscaping" in meta["dc:title"]


def _widgets(path: Path) -> list[tuple[int, dict]]:
    reader = PdfReader(str(path))
    out = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/Subtype") == "/Widget":
                out.append((number, widget))
    return out


def _render(pdf: Path, page: int, tmp_path: Path) -> tuple[int, int, bytes]:
    """Page ``page`` (0-based) at 72 dpi without annotations, as (width, height, RGB bytes)."""
    stem = tmp_path / f"p{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "72",
            "-hide-annotations",
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
        timeout=60,
    )
    data = (tmp_path / f"p{page}.ppm").read_bytes()
    match = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    assert match
    return int(match.group(1)), int(match.group(2)), data[match.end() :]


def test_every_widget_lies_on_its_drawn_box(example_build, tmp_path):
    """The widgets are placed from the template's marks: each must cover the box the
    reader sees, or a filled-in value would print beside its blank."""
    out, _ = example_build
    for name in ("F-03-field-level-hazard-assessment", "F-09-incident-and-near-miss-report-and-investigation"):
        pdf = out / "forms" / f"{name}.pdf"
        widgets = _widgets(pdf)
        assert len(widgets) > 10, name
        pages: dict[int, tuple[int, int, bytes]] = {}
        for number, widget in widgets:
            width, height, pixels = pages.setdefault(number, _render(pdf, number, tmp_path))
            x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
            assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, widget["/T"]

            def rgb(x: float, y: float, width=width, height=height, pixels=pixels) -> tuple[int, ...]:
                col, row = int(x), int(height - y)  # PDF y runs up, image rows run down
                i = 3 * (row * width + col)
                return tuple(pixels[i : i + 3])

            if widget["/FT"] == "/Btn":
                # a checkbox: its drawn square's edge runs along the widget's left side
                edge = min(rgb(x0 + 0.3, (y0 + y1) / 2), rgb(x0 + 1, (y0 + y1) / 2))
                assert max(edge) < 160, (widget["/T"], edge)
            else:
                # a text blank is drawn filled with the field tint: the widget's middle shows it
                assert rgb((x0 + x1) / 2, (y0 + y1) / 2) == (251, 252, 255), widget["/T"]


def test_values_filled_with_pypdf_read_back(example_build, tmp_path):
    out, _ = example_build
    reader = PdfReader(str(out / "forms" / "F-03-field-level-hazard-assessment.pdf"))
    fields = reader.get_fields()
    text_name = next(n for n, f in fields.items() if f.get("/FT") == "/Tx" and "date" not in n)
    date_name = next(n for n, f in fields.items() if f.get("/FT") == "/Tx" and "date" in n)
    box_name = next(n for n, f in fields.items() if f.get("/FT") == "/Btn")
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        writer.update_page_form_field_values(
            page, {text_name: "Sod cutting, lot 7", date_name: "2026-12-07", box_name: "/Yes"}, auto_regenerate=False
        )
    filled = tmp_path / "filled.pdf"
    with filled.open("wb") as handle:
        writer.write(handle)
    again = PdfReader(str(filled)).get_fields()
    assert again[text_name]["/V"] == "Sod cutting, lot 7"
    assert again[date_name]["/V"] == "2026-12-07"
    assert again[box_name]["/V"] == "/Yes"


def test_every_widget_has_an_accessible_name_and_a_structure_element(example_build):
    out, _ = example_build
    pdf_path = out / "forms" / "F-10-corrective-action-log.pdf"
    widgets = _widgets(pdf_path)
    assert widgets
    for _, widget in widgets:
        assert str(widget.get("/TU", "")).strip(), widget["/T"]
        assert "/StructParent" in widget, widget["/T"]
    # blanks in a table are named from their column and row, not left as "field_12"
    names = [str(w["/TU"]) for _, w in widgets]
    assert any("\u2014" in n for n in names), names[:5]
    with pikepdf.open(pdf_path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        forms = [e for e in pdf.objects if isinstance(e, pikepdf.Dictionary) and e.get("/S") == "/Form"]
        assert len(forms) == len(widgets)


def _one_page_document(text: str) -> Document:
    section = Section("Notes", 1, blocks=[Paragraph((Run(text),))], number="1", anchor="s-1")
    return Document(title="Test", company="Co", revision="1", date="2026-12-07", sections=[section], toc=False)


def test_a_five_thousand_character_word_wraps_inside_the_page(tmp_path):
    word = "A" * 5000
    data, pages = pdf_writer.render_pdf(_one_page_document(f"Before {word} after"))
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
    assert right_edges and max(right_edges) <= page_width - 40, "text ran off the page"
    assert pdf_text(path).replace("\n", "").replace("\u200b", "").count("A") >= 5000 - LONG_WORD
    assert pages >= 1


def test_a_character_no_font_has_is_printed_as_its_code_and_reported(tmp_path):
    profile = tmp_path / "vest.yaml"
    example = (ROOT / "examples" / "alberta-landscaping.yaml").read_text(encoding="utf-8")
    name = re.search(r"^  name: (.*)$", example, re.M).group(1)
    profile.write_text(example.replace(f"  name: {name}", "  name: Safety Vest \U0001f9ba Ltd", 1), encoding="utf-8")
    line = next(i for i, text in enumerate(profile.read_text().splitlines(), 1) if "Safety Vest" in text)
    proc = run_cli("build", str(profile), "-o", str(tmp_path / "out"), "--format", "pdf")
    assert proc.returncode == 0, proc.stderr
    assert (
        f"warning: vest.yaml:{line}: company.name: '\U0001f9ba' (U+1F9BA) not in the PDF's fonts; "
        "the PDF prints the code instead"
    ) in proc.stderr
    assert "Safety Vest [U+1F9BA] Ltd" in pdf_text(tmp_path / "out" / "manual.pdf")


def test_the_bundled_scripts_print_and_the_coverage_table_matches_the_fonts():
    sys.path.insert(0, str(ROOT / "scripts"))
    import font_coverage

    expected = font_coverage.ranges_text(font_coverage.covered())
    assert (ROOT / "generator" / "fonts" / "coverage.txt").read_text(encoding="ascii") == expected
    sample = "Ça coûte naïve — שלום مرحبا 安全衛生マニュアル 건설 안전 Ωμέγα Привет ✓ →"
    assert fonts.missing(sample) == []
    data, _ = pdf_writer.render_pdf(_one_page_document(sample))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        used = {str(f.get("/BaseFont", "")) for page in pdf.pages for f in page.Resources.Font.values()}
    assert all("+" in name for name in used), "fonts are embedded as subsets"


@pytest.mark.parametrize("kind", ["manual", "form"])
def test_the_template_reads_the_tree_as_data_only(kind):
    """Typst markup and code in the text print literally; the template is the only source."""
    text = '#import "@preview/x:1.0": * #read("/etc/passwd") ]) = Heading $x^2$ <lbl> @ref *bold* _em_ `raw`'
    document = _one_page_document(text)
    document.kind = kind  # type: ignore[assignment]
    data, _ = pdf_writer.render_pdf(document)
    path = Path(pytest.importorskip("tempfile").mkdtemp()) / "t.pdf"
    path.write_bytes(data)
    printed = re.sub(r"\s+", " ", pdf_text(path))
    assert '#import "@preview/x:1.0": * #read("/etc/passwd") ]) = Heading $x^2$ <lbl> @ref *bold* _em_ `raw`' in printed
    assert "root:" not in printed
