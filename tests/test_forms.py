"""The forms pack: every form for every golden case, in Word (opened by LibreOffice) and
fillable PDF (fields counted), tailored to the hazards selected."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import docx_text, libreoffice_convert_all, pdf_text
from pypdf import PdfReader

from generator.assemble import gather_facts
from generator.build import form_documents
from generator.document import Field, FieldGrid, SignatureBlock, Table
from generator.output_writer import Staging, write_documents
from generator.profile import load_profile
from generator.records_check import fields_of

CASES = sorted(p.parent for p in (Path(__file__).parent / "cases").glob("*/profile.yaml"))


def _covering_cases() -> list[Path]:
    """The fewest golden cases (taken in order, greedily) whose builds issue every form.

    Writing every form in both formats and opening every Word file in LibreOffice is the
    slowest part of the suite; the writers run the same code for each case, so the cases
    written are the ones that together issue every form the project has.
    """
    from generator.catalog import default_catalog
    from generator.forms_catalog import load_forms

    catalog = default_catalog()
    issued = {}
    for case in CASES:
        facts = gather_facts(load_profile(case / "profile.yaml", catalog), catalog)
        issued[case] = {f.id for f in facts.forms}
    wanted, chosen = set(load_forms()), []
    while wanted:
        best = max(CASES, key=lambda c: (len(issued[c] & wanted), -CASES.index(c)))
        if not issued[best] & wanted:
            break  # a form no case issues: test_every_form_is_issued_by_some_case names it
        chosen.append(best)
        wanted -= issued[best]
    return sorted(chosen)


WRITTEN = _covering_cases()


def test_every_form_is_issued_by_some_written_case(catalog):
    from generator.forms_catalog import load_forms

    issued: set[str] = set()
    for case in WRITTEN:
        issued |= {f.id for f in gather_facts(load_profile(case / "profile.yaml", catalog), catalog).forms}
    assert set(load_forms()) - issued == set()


# the widget each declared field kind becomes in the PDF
PDF_KIND = {"checkbox": "checkbox", "date": "date", "datetime": "datetime", "yesno": "choice", "number": "number"}


def expected_fields(document) -> Counter:
    """Fields the form's document tree defines, by the PDF widget each must become."""
    counts: Counter = Counter()

    def add(field: Field) -> None:
        counts[PDF_KIND.get(field.kind, "text")] += 1

    for section in document.all_sections():
        for block in section.blocks:
            if isinstance(block, FieldGrid):
                for field in block.fields:
                    add(field)
            elif isinstance(block, SignatureBlock):
                counts["text"] += len(block.labels)
            elif isinstance(block, Table):
                for row in (block.header, *block.rows):
                    for cell in row:
                        if isinstance(cell, Field):
                            add(cell)
                        elif cell and isinstance(cell[0], Field):
                            for field in cell:
                                add(field)
    return counts


def pdf_fields(path: Path) -> Counter:
    """Widgets actually in the PDF, by kind: read from the field type and the viewer actions
    (a date keeps "yyyy-mm-dd", a date-time adds the time, a number formats with AFNumber)."""
    counts: Counter = Counter()
    for page in PdfReader(str(path)).pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            kind = widget.get("/FT") or widget.get("/Parent", {}).get("/FT")
            if kind == "/Btn":
                counts["checkbox"] += 1
            elif kind == "/Ch":
                counts["choice"] += 1
            elif kind == "/Tx":
                action = str(widget.get("/AA", {}).get("/F", {}).get("/JS", ""))
                if "AFDate_FormatEx" in action:
                    counts["datetime" if "HH:MM" in action else "date"] += 1
                elif "AFNumber_Format" in action:
                    counts["number"] += 1
                else:
                    counts["text"] += 1
    return counts


@pytest.fixture(scope="module", params=WRITTEN, ids=lambda p: p.name)
def built(request, catalog, tmp_path_factory):
    profile = load_profile(request.param / "profile.yaml", catalog)
    facts = gather_facts(profile, catalog)
    items = form_documents(facts, catalog)
    out = tmp_path_factory.mktemp(request.param.name)
    staging = Staging(out)
    write_documents(staging, items, ("docx", "pdf"), lambda _m: None)
    staging.commit()
    return facts, items, out


def test_every_form_in_both_formats_with_its_fields(built, tmp_path):
    facts, items, out = built
    forms = [(stem, doc) for stem, doc in items if not stem.startswith("toolbox-talks/")]
    assert len(forms) == len(facts.forms) >= 12
    for stem, document in forms:
        pdf = out / f"{stem}.pdf"
        fields = pdf_fields(pdf)
        assert fields == expected_fields(document), stem
        kinds = {field.kind for field, _words in fields_of(document)}
        assert fields["text"] > 0 and kinds & {"date", "datetime"}, f"{stem} needs text and date fields"
        text = re.sub(r"\s+", " ", pdf_text(pdf))
        assert facts.profile.company.name in text
        assert document.sections[0].number in text  # form number
        assert f"revision {facts.revision}" in text
        assert "Audit evidence for:" in text or stem.startswith("F-10")
    assert sum(pdf_fields(out / f"{stem}.pdf")["checkbox"] for stem, _ in forms) > 100


def test_libreoffice_opens_every_docx(built, tmp_path):
    facts, items, out = built
    for stem, _document in items:
        docx = out / f"{stem}.docx"
        assert facts.profile.company.name in docx_text(docx)
    # every form and handout, in one LibreOffice run per case (each must leave its own PDF)
    converted = libreoffice_convert_all([out / f"{stem}.docx" for stem, _ in items], tmp_path)
    assert len(converted) == len(items)


def test_handouts_one_page_per_hazard(built):
    facts, items, out = built
    handouts = [stem for stem, _ in items if stem.startswith("toolbox-talks/")]
    assert len(handouts) == len(facts.hazards)
    for stem, hazard in zip(handouts, facts.hazards, strict=False):
        reader = PdfReader(str(out / f"{stem}.pdf"))
        assert len(reader.pages) == 1, stem
        text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
        assert hazard.name in text
        assert hazard.toolbox_talk.questions[0][:40] in text


def _form_text(catalog, case, form_id):
    profile = load_profile(Path(__file__).parent / "cases" / case / "profile.yaml", catalog)
    facts = gather_facts(profile, catalog)
    from generator.document import section_text

    ((_, document),) = form_documents(facts, catalog, (form_id,))
    return section_text(document.sections[0])


@pytest.mark.parametrize("form_id", ["inspection_checklist", "flha"])
def test_ladder_items_only_where_ladders_are_selected(catalog, form_id):
    ladders = catalog.hazards["ladders"]
    with_ladders = _form_text(catalog, "ab-roofing", form_id)
    without = _form_text(catalog, "ab-landscaping", form_id)
    assert ladders.name in with_ladders
    assert ladders.name not in without
    if form_id == "inspection_checklist":
        for item in ladders.inspection.items:
            assert item in with_ladders
            assert item not in without


def test_equipment_form_only_with_equipment_hazards(catalog):
    from generator.profile import profile_from_text

    text = (Path(__file__).parent / "cases" / "on-renovation" / "profile.yaml").read_text()
    office = re.sub(r"hazards: \[.*\]", "hazards: [ergonomics_computer, slips_trips_falls]", text)
    assert office != text
    facts = gather_facts(profile_from_text(office, catalog), catalog)
    assert "equipment_preuse" not in {f.id for f in facts.forms}


def test_forms_command_only(tmp_path):
    from conftest import EXAMPLE, run_cli

    proc = run_cli("forms", str(EXAMPLE), "-o", str(tmp_path / "f"), "--only", "flha,toolbox_talk", "--format", "pdf")
    assert proc.returncode == 0, proc.stderr
    # the hidden lock file belongs to the tool; the listing is what the user gets
    assert sorted(p.name for p in (tmp_path / "f").iterdir() if not p.name.startswith(".")) == [
        "F-03-field-level-hazard-assessment.pdf",
        "F-08-toolbox-talk-and-safety-meeting-record.pdf",
    ]
    proc = run_cli("forms", str(EXAMPLE), "-o", str(tmp_path / "g"), "--only", "flah")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --only: unknown form 'flah': did you mean 'flha'?")


def _checklist_rows(catalog, case: str) -> dict[str, str]:
    """F-03's hazard checklist for a golden case: hazard name -> its "key controls" cell."""
    from conftest import cell_text

    profile = load_profile(Path(__file__).parent / "cases" / case / "profile.yaml", catalog)
    facts = gather_facts(profile, catalog)
    ((_, document),) = form_documents(facts, catalog, ("flha",))
    tables = [b for s in document.all_sections() for b in s.blocks if isinstance(b, Table)]
    (checklist,) = [t for t in tables if "Key controls to confirm" in [cell_text(c) for c in t.header]]
    # the two blank rows at the end are fields for a hazard the worker adds
    return {cell_text(row[1]): cell_text(row[2]) for row in checklist.rows if not isinstance(row[1], Field)}


def test_flha_key_controls_are_what_a_worker_checks_on_the_day(catalog):
    """F-03 asks the worker to confirm the safe work practice, not the company's purchases."""
    rows = _checklist_rows(catalog, "ab-trucking")
    profile = load_profile(Path(__file__).parent / "cases" / "ab-trucking" / "profile.yaml", catalog)
    facts = gather_facts(profile, catalog)
    assert set(rows) == {h.name for h in facts.hazards}
    cold = next(h for h in facts.hazards if h.id == "cold_stress")
    cell = rows[cold.name]
    for engineering in cold.controls.engineering:
        assert engineering.rstrip(" .;") not in cell
    assert "heated shelters" not in cell.lower()
    for h in facts.hazards:
        cell = rows[h.name]
        rules = [p for p in h.safe_work_practice if p.rstrip(" .;") in cell]
        assert 1 <= len(rules) <= 3, (h.id, cell)
        assert not [c for c in h.controls.engineering if c.rstrip(" .;") in cell], (h.id, cell)
        if h.ppe:
            assert cell.endswith(h.ppe[0].rstrip(" .;")), (h.id, cell)
        assert len(cell) <= 400, (h.id, len(cell))
