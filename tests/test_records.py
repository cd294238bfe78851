"""The registry of records: every promise has its record, one retention period each, and
forms complete enough for an auditor. Checked on the document trees (no files written),
except one Word form read back for its printed blanks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import docx_text

from generator.assemble import assemble_manual, gather_facts
from generator.build import form_documents
from generator.document import Document, Field, Section, Table, para, section_text
from generator.forms_catalog import load_forms
from generator.profile import load_profile
from generator.records import Selection, load_records
from generator.records_check import check_build, check_form, fields_of

CASES = sorted(p.parent for p in (Path(__file__).parent / "cases").glob("*/profile.yaml"))


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.name)
def build(request, catalog):
    profile = load_profile(request.param / "profile.yaml", catalog)
    facts = gather_facts(profile, catalog)
    manual = assemble_manual(facts, catalog)
    forms = form_documents(facts, catalog)
    return facts, manual, forms


def _numbers(facts):
    return {f.id: f.number for f in facts.forms}


def test_golden_case_records_are_consistent(build, catalog):
    """No record without a form or outside source, one retention each, every F-nn resolves,
    every form dated and signed by the roles the registry names."""
    facts, manual, forms = build
    assert check_build(manual, forms, facts.records, _numbers(facts), catalog.registry) == []


def test_one_retention_period_per_record_in_manual_and_forms(build, catalog):
    facts, manual, forms = build
    printed: dict[str, set[str]] = {}
    # the records table and the forms appendix: a row per record, with its period last
    for section in manual.all_sections():
        for block in section.blocks:
            if not isinstance(block, Table):
                continue
            header = [c[0].text for c in block.header]  # type: ignore[index,union-attr]
            if header[-1] not in ("Retention", "Keep for"):
                continue
            for row in block.rows:
                cells = ["".join(r.text for r in c) for c in row]  # type: ignore[union-attr]
                record = next(
                    (
                        r
                        for r in facts.records
                        if cells[0] in (r.name, *(f.number for f in facts.forms if f.id == r.form))
                    ),
                    None,
                )
                assert record is not None, f"row names no registry record: {cells[:2]}"
                printed.setdefault(record.id, set()).add(cells[-1])
    for stem, document in forms:
        if stem.startswith("toolbox-talks/"):
            continue
        form_id = next(f.id for f in facts.forms if f.number == document.sections[0].number)
        text = section_text(document.sections[0])
        found = re.search(r"Keep completed copies for (.+?)\.(?:\n|$)", text)
        assert found, stem
        printed.setdefault(catalog.registry.for_form(form_id).id, set()).add(found.group(1))
    for record in facts.records:
        assert printed.get(record.id) == {record.retention.period}, record.id
    # the periods the issue found contradicting each other
    assert printed["incident_report"] == {"5 years"}
    assert printed["contractor_visitor_log"] == {"3 years"}


def test_records_table_names_a_form_or_outside_source_for_each_record(build):
    facts, manual, _forms = build
    text = section_text(next(s for s in manual.all_sections() if s.key == "topic/records_statistics"))
    for record in facts.records:
        # a form is named by its number here; its title is printed once, in the forms appendix
        where = (
            next(f"Form {f.number}" for f in facts.forms if f.id == record.form) if record.form else record.kept_outside
        )
        assert f"{record.name} | {where} | {record.kept_by} | {record.retention.period}" in text


def test_permits_and_logs_exactly_when_the_profile_calls_for_them(build):
    facts, manual, _forms = build
    hazards = set(facts.profile.hazards)
    issued = {f.id for f in facts.forms}
    flags = facts.ops.flags if facts.ops else frozenset()
    # a permit only where the company does the work itself, not where it hires a contractor
    enters = bool(hazards & {"confined_space", "grain_bins"}) and "hires:confined_space" not in flags
    assert ("confined_space_permit" in issued) == enters
    assert ("energized_work_permit" in issued) == ("electrical_work" in hazards and "hires:electrical" not in flags)
    assert ("asbestos_work_record" in issued) == ("asbestos" in hazards)
    assert ("silica_exposure_control_plan" in issued) == ("silica_dust" in hazards)
    assert ("meeting_minutes" in issued) == (facts.committee != "none")
    topics = {t for e in facts.pack.elements for t in e.topics}
    assert ("working_alone_log" in issued) == ("working_alone" in topics)
    if "working_alone_log" in issued:
        working_alone = next(s for s in manual.all_sections() if s.key == "topic/working_alone")
        assert "Form F-14 Working Alone Check-In Log" in section_text(working_alone)


def test_working_alone_log_follows_the_topic_and_permit_the_hazard(catalog):
    registry = catalog.registry.records
    hazards = (catalog.hazards["ladders"],)
    without = Selection(hazards=hazards, topics=frozenset({"inspections"}), committee="none")
    with_topic = Selection(hazards=hazards, topics=frozenset({"working_alone"}), committee="none")
    assert not without.matches(registry["working_alone_log"].when)
    assert with_topic.matches(registry["working_alone_log"].when)
    assert not with_topic.matches(registry["confined_space_permit"].when)
    confined = Selection(hazards=(catalog.hazards["confined_space"],), topics=frozenset(), committee="none")
    assert confined.matches(registry["confined_space_permit"].when)
    assert registry["incident_report"].when.is_empty() and without.matches(registry["incident_report"].when)


def _form(forms, number) -> Document:
    return next(d for _stem, d in forms if d.sections[0].number == number)


def _column_kinds(document: Document, header_label: str) -> set[str]:
    kinds = set()
    for section in document.all_sections():
        for block in section.blocks:
            if isinstance(block, Table):
                labels = ["".join(r.text for r in c) for c in block.header]  # type: ignore[union-attr]
                if header_label in labels:
                    i = labels.index(header_label)
                    kinds |= {row[i].kind for row in block.rows if isinstance(row[i], Field)}
    return kinds


def test_field_kinds_are_the_declared_kinds(build):
    """Tree level: the kind the form declares is the kind of every blank in that column, and
    date-time blanks are never named as the PDF writer's date-only fields."""
    facts, _manual, forms = build
    definitions = load_forms()
    for form in facts.forms:
        document = _form(forms, form.number)
        for block in form.blocks:
            for column in block.columns:
                assert _column_kinds(document, column.label) >= {column.kind}, (form.id, column.label)
        for field, _context in fields_of(document):
            assert field.name.startswith("date_") == (field.kind == "date"), (form.id, field.name)
    first_aid = _form(forms, definitions["first_aid_record"].number)
    assert _column_kinds(first_aid, "Date and time") == {"datetime"}
    assert _column_kinds(first_aid, "Referred to medical aid") == {"yesno"}
    incident = _form(forms, definitions["incident_report"].number)
    kinds = {f.label: f.kind for f, _c in fields_of(incident) if f.label}
    assert kinds["Date and time regulator notified"] == "datetime"
    assert kinds["Potential severity (1-5; the worst credible outcome)"] == "number"
    assert kinds["Investigation completed"] == "date"


def test_forms_carry_what_the_manual_promises(build):
    facts, _manual, forms = build
    definitions = load_forms()

    def signers(form_id):
        return " ".join(c for f, c in fields_of(_form(forms, definitions[form_id].number)) if f.kind == "signature")

    assert "Worker" in signers("training_record") and "Trainer" in signers("training_record")
    assert "Owner (sign-off)" in signers("incident_report")
    assert "Reviewed by" in signers("emergency_drill")
    drill = section_text(_form(forms, definitions["emergency_drill"].number).sections[0])
    assert "Action | Responsible person | Due date | Date done" in drill
    log = section_text(_form(forms, definitions["corrective_action_log"].number).sections[0])
    assert "Risk ranking (S x L)" in log


def test_handout_names_the_toolbox_talk_form(build):
    facts, _manual, forms = build
    handout = next(d for stem, d in forms if stem.startswith("toolbox-talks/"))
    toolbox = next(f for f in facts.forms if f.id == "toolbox_talk")
    assert f"Record the talk and attendance on {toolbox.ref()}." in section_text(handout.sections[0])


# ------------------------------------------------------------------ the check can fail
def _manual_with(text: str) -> Document:
    return Document("Manual", "Co", "1", "2026-01-01", [Section("Records", 1, blocks=[para(text)])])


@pytest.fixture(scope="module")
def landscaping(catalog):
    profile = load_profile(Path(__file__).parent / "cases" / "ab-landscaping" / "profile.yaml", catalog)
    facts = gather_facts(profile, catalog)
    return facts, form_documents(facts, catalog, ("training_record",))


def test_check_reports_contradicting_unknown_and_unresolved(landscaping, catalog):
    facts, _forms = landscaping
    numbers = _numbers(facts)

    def problems(text):
        return check_build(_manual_with(text), [], facts.records, numbers, catalog.registry)

    assert problems("Investigation reports are kept for 3 years.") == [
        "manual: Records: 'Incident reports and investigations' is kept for '5 years' in the registry, "
        "but the manual says: 'Investigation reports are kept for 3 years.'"
    ]
    assert problems("Gate logs are kept for 2 years.") == [
        "manual: Records: states how long something is kept but names no record in the registry: "
        "'Gate logs are kept for 2 years.'"
    ]
    assert problems("Record it on Form F-99.") == [
        "manual: Records: F-99 is not a form of this build: 'Record it on Form F-99.'"
    ]
    assert problems("Confined space entry permits are kept for 3 years.") == [
        "manual: Records: names 'Confined space entry permits', which this build neither issues a form for nor keeps"
    ]
    assert problems("Investigation reports are kept for 5 years.") == []


def test_check_reports_a_form_missing_a_signature(landscaping, catalog):
    _facts, forms = landscaping
    ((_stem, document),) = forms
    record = catalog.registry.for_form("training_record")
    assert check_form(document, record, where="F-07") == []
    stripped = Document(
        document.title,
        document.company,
        document.revision,
        document.date,
        [Section(document.sections[0].title, 1, blocks=document.sections[0].blocks[:-2])],
    )
    assert check_form(stripped, record, where="F-07") == [
        "F-07: no signature field for 'Worker', whom the registry says signs it",
        "F-07: no signature field for 'Trainer', whom the registry says signs it",
    ]


def test_word_prints_blanks_by_kind(landscaping, catalog, tmp_path):
    from generator.output_writer import Staging, write_documents

    facts, _forms = landscaping
    items = form_documents(facts, catalog, ("first_aid_record",))
    staging = Staging(tmp_path / "out")
    write_documents(staging, items, ("docx",), lambda _m: None)
    staging.commit()
    ((stem, _doc),) = items
    text = docx_text(tmp_path / "out" / f"{stem}.docx")
    assert "YYYY-MM-DD hh:mm" in text
    assert "\u2610 Yes \u2610 No" in text


def test_registry_errors_name_file_line_and_key(tmp_path, catalog):
    path = tmp_path / "records.yaml"
    path.write_text(
        "handout_record: toolbox_talk\n"
        "records:\n"
        "  - id: toolbox_talk\n"
        "    name: Talks\n"
        "    form: toolbox_tlak\n"
        "    filled_by: a\n"
        "    kept_by: b\n"
        "    frequency: weekly\n"
        "    calendar: weekly\n"
        "    retention: {period: 3 years}\n"
        "    topics: [comunication]\n"
    )
    _registry, problems = load_records(path, "records.yaml", set(catalog.hazards), ("toolbox_talk",))
    lines = [str(p) for p in problems]
    assert "records.yaml:5: records[0].form: unknown form 'toolbox_tlak': did you mean 'toolbox_talk'?" in lines
    assert "records.yaml:11: records[0].topics: unknown topic 'comunication': did you mean 'communication'?" in lines
    assert any("form 'toolbox_talk' captures no record" in line for line in lines)
