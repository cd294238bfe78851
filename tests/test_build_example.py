"""The bundled example builds a real manual: pages, TOC, bookmarks, Word structure."""

from __future__ import annotations

import json
import re
import zipfile

import yaml
from conftest import EXAMPLE, docx_text, libreoffice_convert, pdf_text, run_cli
from pypdf import PdfReader

PROFILE = yaml.safe_load(EXAMPLE.read_text())
COMPANY = PROFILE["company"]["name"]


def _outline(reader):
    """(title, level, page index) for every bookmark, in order."""
    out = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((item.title, level, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return out


def test_manifest_lists_every_file(example_build):
    out, result = example_build
    manifest = json.loads((out / "build.json").read_text())
    listed = {f["path"] for f in manifest["files"]}
    assert "manual.docx" in listed and "manual.pdf" in listed
    assert any(p.startswith("forms/F-03") and p.endswith(".pdf") for p in listed)
    for entry in manifest["files"]:
        assert (out / entry["path"]).stat().st_size == entry["bytes"]
    assert manifest["pack"]["id"] == "acsa-secor"
    assert manifest["revision"] == 1
    assert manifest["generator"]["version"]
    assert len(manifest["profile"]["digest"]) == 64
    assert manifest["page_count"] == len(PdfReader(str(out / "manual.pdf")).pages) >= 25


def test_pdf_has_company_and_every_hazard(example_build, catalog):
    out, _ = example_build
    text = pdf_text(out / "manual.pdf")
    flat = re.sub(r"\s+", " ", text)
    assert COMPANY in flat
    for hazard_id in PROFILE["hazards"]:
        assert catalog.hazards[hazard_id].name in flat, hazard_id


def test_bookmarks_and_toc_point_at_the_right_pages(example_build):
    out, _ = example_build
    reader = PdfReader(str(out / "manual.pdf"))
    outline = _outline(reader)
    pages = [re.sub(r"\s+", " ", p.extract_text() or "") for p in reader.pages]
    chapters = [(t, p) for t, lvl, p in outline if lvl == 1]
    assert len(chapters) >= 12
    # every bookmark lands on the page that shows its heading
    for title, _level, page in outline:
        assert title in pages[page], f"bookmark {title!r} -> page {page + 1}"
    # the printed table of contents gives the same page numbers
    toc = " ".join(pages[1:4])
    for title, page in chapters:
        if title == "Contents":
            continue
        match = re.search(re.escape(title) + r"[ .]*?(\d+)", toc)
        assert match, f"{title!r} missing from the table of contents"
        assert int(match.group(1)) == page + 1, title


def test_pdf_chapters_follow_the_acsa_elements(example_build, catalog):
    out, _ = example_build
    reader = PdfReader(str(out / "manual.pdf"))
    titles = [t for t, lvl, _ in _outline(reader) if lvl == 1]
    elements = [e.name for e in catalog.packs["acsa-secor"].elements]
    numbered = [t for t in titles if re.match(r"^\d+ ", t)]
    assert [t.split(" ", 1)[1] for t in numbered] == elements


def test_pdf_running_header_and_page_x_of_y(example_build):
    out, _ = example_build
    reader = PdfReader(str(out / "manual.pdf"))
    total = len(reader.pages)
    page = reader.pages[10].extract_text()
    assert f"Page 11 of {total}" in page
    assert COMPANY in page and "Revision 1" in page


def test_docx_structure(example_build):
    import docx

    out, _ = example_build
    path = out / "manual.docx"
    document = docx.Document(str(path))
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("Heading 1") >= 15
    assert "Heading 2" in styles
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "TOC \\o" in xml, "a table-of-contents field"
    assert "<w:tblHeader" in xml, "table header rows repeat"
    footer = "".join(
        zipfile.ZipFile(path).read(n).decode() for n in zipfile.ZipFile(path).namelist() if n.startswith("word/footer")
    )
    assert " PAGE " in footer and " NUMPAGES " in footer
    header = "".join(
        zipfile.ZipFile(path).read(n).decode() for n in zipfile.ZipFile(path).namelist() if n.startswith("word/header")
    )
    assert COMPANY in header
    props = document.core_properties
    assert props.author == COMPANY
    assert "SECOR" in props.title and props.keywords and props.subject


def test_docx_has_company_and_hazards_and_opens_in_libreoffice(example_build, catalog, tmp_path):
    out, _ = example_build
    text = docx_text(out / "manual.docx")
    assert COMPANY in text
    for hazard_id in PROFILE["hazards"]:
        assert catalog.hazards[hazard_id].name in text
    converted = libreoffice_convert(out / "manual.docx", tmp_path)
    assert COMPANY in pdf_text(converted)


def test_review_notes_beside_the_outputs(example_build):
    """Unverified facts go to the preparer's review notes, listed in build.json too."""
    out, _ = example_build
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    notes = (out / "review-notes.md").read_text(encoding="utf-8")
    assert manifest["review_notes"], "the Alberta example uses unverified facts"
    assert f"{len(manifest['review_notes'])} item(s) to check." in notes
    first = manifest["review_notes"][0]
    assert set(first) == {"where", "fact", "source", "check"}
    assert f"**{first['fact']}**" in notes
    assert "review-notes.md" in {f["path"] for f in manifest["files"]}


def test_two_jobs_write_the_same_files_as_one(example_build, tmp_path):
    """The worker processes (started while the manual is assembled) lay out the same bytes."""
    out, result = example_build
    parallel = tmp_path / "parallel"
    proc = run_cli("build", str(EXAMPLE), "-o", str(parallel), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    written = sorted(f for f in result.files if f.endswith((".docx", ".pdf")))
    assert written and any(f.startswith("forms/") for f in written)
    for relative in written:
        assert (parallel / relative).read_bytes() == (out / relative).read_bytes(), relative
