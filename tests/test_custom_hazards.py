"""A company's own hazard (profile ``custom.hazards``) with its own safe job procedure."""

from __future__ import annotations

import json

from conftest import run_cli, section_by_key

from generator.assemble import assemble_manual, gather_facts
from generator.document import section_text
from generator.profile import profile_from_text
from generator.review_notes import notes_markdown, review_notes

BASE = (
    "company: {name: Prairie Home Care, province: AB, workers: 6, industry: other, address: {city: Red Deer}}\n"
    "partner: aasp\nstream: SECOR\nhazards: [slips_trips_falls, driving]\n"
    "people: {owner: {name: Dana Ruiz, title: Owner}}\n"
    "document: {revision: 1, date: 2026-10-15}\n"
    "custom:\n  hazards:\n    - id: client_transfers\n      name: Client transfers\n"
    "      description: Moving a client between bed, chair, toilet and vehicle in the client's home.\n"
    "      severity: 4\n      likelihood: 3\n"
    "      safe_work_practice: [Use the lift or transfer aid named in the care plan.]\n"
    "      training: [Safe client handling]\n"
    "      inspection_items: [Transfer belt in good condition]\n"
)
PROCEDURE = (
    "      training_refresh: Every 2 years\n"
    "      safe_job_procedure:\n        title: Transferring a client from bed to chair\n"
    "        steps:\n"
    "          - Read the care plan for the transfer method and the number of workers it needs.\n"
    "          - Lock the bed and chair brakes and clear the path between them.\n"
    "          - Put the transfer belt on the client and explain each move before you make it.\n"
    "          - Pivot with your feet, keeping the client close; do not twist your back.\n"
)


def _build(catalog, text):
    facts = gather_facts(profile_from_text(text, catalog), catalog)
    return facts, assemble_manual(facts, catalog)


def test_a_custom_hazards_procedure_is_printed_with_the_others(catalog):
    facts, document = _build(catalog, BASE + PROCEDURE)
    procedures = section_text(section_by_key(document, "topic/safe_job_procedures"))
    assert "Transferring a client from bed to chair" in procedures
    assert "Lock the bed and chair brakes and clear the path between them." in procedures
    assert "Hazard: Client transfers." in procedures
    practices = section_text(section_by_key(document, "topic/safe_work_practices"))
    assert 'see "Transferring a client from bed to chair" in the safe job procedures section' in practices
    training = section_text(section_by_key(document, "topic/training"))
    assert "Every 2 years" in training
    assert not [n for n in review_notes(facts) if n.where == "Safe job procedures"]


def test_a_high_rated_custom_hazard_without_a_procedure_goes_to_the_review_notes(catalog):
    facts, document = _build(catalog, BASE)
    procedures = section_text(section_by_key(document, "topic/safe_job_procedures"))
    assert "Transferring a client" not in procedures
    notes = [n for n in review_notes(facts) if n.where == "Safe job procedures"]
    assert len(notes) == 1
    assert notes[0].fact == "Client transfers: rated 12 High, with no safe job procedure"
    assert "custom.hazards[client_transfers].safe_job_procedure" in notes[0].check
    assert "## Safe job procedures" in notes_markdown(review_notes(facts), facts)


def test_a_medium_rated_custom_hazard_needs_no_procedure(catalog):
    facts, _ = _build(catalog, BASE.replace("severity: 4", "severity: 2"))
    assert not [n for n in review_notes(facts) if n.where == "Safe job procedures"]


def test_the_schema_describes_the_procedure():
    proc = run_cli("schema")
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    fields = schema["$defs"]["CustomHazard"]["properties"]
    assert "safe job procedures section" in fields["safe_job_procedure"]["description"]
    assert fields["training_refresh"]["description"]
    steps = schema["$defs"]["CustomProcedure"]["properties"]["steps"]
    assert steps["minItems"] == 3 and steps["description"]
