"""Right for the province: legal duties as data, province terms, and no doubt in the manual.

Doubts about a fact go to the preparer's review notes; the manual, the forms and the
advisor state only what stands without them. Each golden case is assembled once (no PDFs).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.advisor import advise
from generator.build import form_documents
from generator.context import cite
from generator.document import BulletList, Table, section_text
from generator.fact_audit import counts_table, fact_counts
from generator.review_notes import notes_markdown, review_notes

CASES = sorted(p.parent for p in (Path(__file__).parent / "cases").glob("*/profile.yaml"))

# Research narration and instructions to confirm a fact with a partner or regulator: they
# belong in a record's note, never in a field the manual prints. Work instructions stay
# allowed: "the supervisor confirms the zone is clear", "confirm with the utility".
NARRATION = (
    r"confirm with (?:the )?(?:(?-i:[A-Z])|(?:provincial |certifying )?partner|council|regulator|board)"
    r"|page says|page does not say|does not say who|general practice among|checks the current list"
)

DOUBT = re.compile(
    r"not confirmed|unverified|research note|secondary source|this file|assumed"
    r"|reference file|certifying-partners|\b[\w-]+\.(?:ya?ml|md|py)\b|" + NARRATION,
    re.IGNORECASE,
)

TEMPLATES = Path(__file__).parent.parent / "manual_templates"
# fields the build never prints: research notes (the review notes carry them) and sources
UNPRINTED = {"note", "notes", "source", "sources"}

# For each of AB, BC, SK, MB and ON: a golden case and a mandatory training its hazards bring.
MANDATORY_TRAINING = {
    "ab-roofing": "ab_fall_protection_training",
    "bc-electrical": "bc_fall_protection_instruction",
    "mb-framing": "mb_fall_protection_procedures",
    "on-renovation": "on_working_at_heights",
    "sk-oilfield-hauling": "tdg_training",
}


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.name)
def built(request, catalog, golden_manual):
    """A golden case: its facts, its manual and its forms as document trees."""
    facts, manual = golden_manual(request.param)
    return request.param.name, facts, manual, form_documents(facts, catalog)


def _text(document) -> str:
    return "\n".join(section_text(s) for s in document.sections)


def _section(document, key):
    found = [s for s in document.all_sections() if s.key == key]
    assert found, f"no section {key}"
    return found[0]


def _tables(section) -> list[Table]:
    return [b for s in section.walk() for b in s.blocks if isinstance(b, Table)]


def _doubt(text: str) -> str | None:
    match = DOUBT.search(text)
    return None if match is None else text[max(0, match.start() - 80) : match.end() + 40]


def test_no_doubt_in_the_manual_or_the_forms(built):
    name, _, manual, forms = built
    for label, document in [("manual", manual), *forms]:
        found = _doubt(_text(document))
        assert found is None, f"{name} {label}: {found!r}"


def _printed_strings(value: Any, path: str = ""):
    """Every string field of a pack or jurisdiction file that the build may print, with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in UNPRINTED:
                yield from _printed_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _printed_strings(item, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


@pytest.mark.parametrize(
    "path",
    [*sorted(TEMPLATES.glob("packs/*/pack.yaml")), *sorted(TEMPLATES.glob("jurisdictions/*.yaml"))],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_no_printed_field_of_a_pack_or_jurisdiction_narrates_doubt(path):
    # covers the packs and provinces no golden case builds
    found = [
        f"{where}: {text!r}"
        for where, text in _printed_strings(yaml.safe_load(path.read_text(encoding="utf-8")))
        if re.search(NARRATION, text, re.IGNORECASE)
    ]
    assert not found, "\n".join(found)


def test_the_narration_patterns_catch_doubt_but_not_ordinary_duties():
    for doubt in (
        "A company representative (SCSA's page does not say who; confirm with SCSA)",
        "The company's trained internal auditor (confirm with HCSAS)",
        "Confirm with the council which form applies.",
        "SCSA's page says both 'nine or fewer' and 'fewer than nine' workers",
        "(general practice among partners, not an SCSA rule)",
        "the owner checks the current list with Saskatchewan OHS",
    ):
        assert _doubt(doubt), doubt
    for duty in (
        "The supervisor confirms the zone is clear before work restarts.",
        "Identify every overhead line and its voltage (confirm with the utility).",
        "Confirm with the supervisor that the task cannot be done from outside.",
        "The company confirms the current terms with WCB-Alberta before applying.",
        "Workers say when they are unsure, and the page of the manual is updated.",
    ):
        assert _doubt(duty) is None, duty


def test_no_doubt_in_the_advisors_output(catalog):
    industries = [None, *catalog.industries]
    for province, jur in catalog.jurisdictions.items():
        limit = jur.small_employer.max_workers or 10
        for workers in sorted({1, limit - 1, limit, limit + 1, 25} - {0}):
            for industry in industries:
                advice = advise(catalog, province, workers, industry)
                for line in advice.reasons + advice.warnings:
                    found = _doubt(line)
                    assert found is None, f"stream {province} {workers} {industry}: {line!r}"


def test_review_notes_list_each_unverified_fact_used(built):
    _, facts, _, _ = built
    notes = review_notes(facts)
    listed = {(n.fact, n.source) for n in notes}
    for hazard in facts.hazards:
        for citation in hazard.legislation.get(facts.jur.id, []):
            key = (f"{citation.ref} ({citation.title})" if citation.title else citation.ref, citation.source)
            assert (key in listed) == (not citation.verified), f"{hazard.name}: {citation.ref}"
    for element in facts.pack.elements:
        fact = f"Element {element.number}: {element.name}"
        assert any(n.fact == fact for n in notes) == (not element.verified), element.name
    assert all(n.source and n.check for n in notes)
    markdown = notes_markdown(notes, facts)
    assert markdown.startswith(f"# Review notes for {facts.profile.company.name}")
    assert f"{len(notes)} item(s) to check." in markdown


def _all_verified(model: BaseModel) -> Any:
    """A copy of ``model`` in which every fact is verified and no research note remains."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            out = {k: clean(v) for k, v in value.items()}
            if "verified" in out:
                out["verified"] = True
                if "note" in out:
                    out["note"] = None
                if "conflict" in out:
                    out["conflict"] = False
            return out
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    data = clean(model.model_dump())
    if "requirements" in data:
        data["requirements"]["notes"] = []
    return type(model).model_validate(data)


def test_a_profile_using_only_verified_facts_gets_no_review_notes(built, monkeypatch):
    import generator.review_notes as module

    _, facts, _, _ = built
    # the program calendar's minimums are facts the build uses too: verified here as well
    minimums = module.applicable_minimums
    monkeypatch.setattr(
        module,
        "applicable_minimums",
        lambda *args: [(a, _all_verified(m)) for a, m in minimums(*args)],
    )
    clean = dataclasses.replace(
        facts,
        jur=_all_verified(facts.jur),
        pack=_all_verified(facts.pack),
        hazards=tuple(_all_verified(h) for h in facts.hazards),
        federal=tuple(_all_verified(d) for d in facts.federal),
    )
    assert review_notes(clean) == []
    assert "Nothing to check." in notes_markdown([], clean)


def test_mandatory_training_in_matrix_record_form_and_legal_appendix(built):
    name, facts, manual, forms = built
    if name not in MANDATORY_TRAINING:
        pytest.skip("no province training case")
    duty = next(d for d in (*facts.jur.duties, *facts.federal) if d.id == MANDATORY_TRAINING[name])
    assert duty.kind == "training" and duty.validity
    matrix = [row for t in _tables(_section(manual, "topic/training")) for row in t.rows]
    rows = [" | ".join(_cell(c) for c in row) for row in matrix]
    assert any(duty.title in r and duty.validity in r and duty.citation.ref in r for r in rows), rows[:3]
    record = next(doc for stem, doc in forms if stem.endswith("training-record-and-matrix"))
    record_text = _text(record)
    assert duty.title in record_text and duty.validity in record_text
    appendix = _text_of_section(_section(manual, "appendix/references"))
    assert cite(duty.citation.model_dump()) in appendix


def _cell(cell) -> str:
    """The text of a table cell (fields are blank)."""
    return "".join(getattr(run, "text", "") for run in cell) if isinstance(cell, tuple) else ""


def _text_of_section(section) -> str:
    return section_text(section)


def test_no_province_uses_another_provinces_terms(built, catalog):
    name, facts, manual, forms = built
    text = "\n".join(_text(d) for d in [manual, *(doc for _, doc in forms)]).lower()
    own = {v.lower() for v in facts.jur.terms.model_dump().values() if v}
    for other in catalog.jurisdictions.values():
        for key, value in other.terms.model_dump().items():
            word = value.lower()
            if key == "site_lead_scope":
                continue  # "work site" and "project" are plain words in every province
            if not word or any(word in mine for mine in own):
                continue
            assert not re.search(rf"\b{re.escape(word)}\b", text), f"{name}: {other.id} {key} {value!r}"
    if facts.jur.id == "ON":
        for western in ("fall protection plan", "safety monitor", "prime contractor", "low-risk"):
            assert western not in text, f"{name}: {western!r}"
    assert "jur.id" not in "".join(p.read_text() for p in (catalog.root / "sections").glob("*.md"))


def test_ontario_renovator_gets_its_legal_duties(built):
    name, facts, manual, _ = built
    if name != "on-renovation":
        pytest.skip("Ontario case only")
    text = _text(manual)
    practices = _section(manual, "topic/safe_work_practices")
    asbestos = next(s for s in practices.walk() if s.title.startswith("Asbestos"))
    items = [
        "".join(r.text for r in item.runs)
        for block in asbestos.blocks
        if isinstance(block, BulletList)
        for item in block.items
    ]
    for duty in ("Type 1, Type 2 and Type 3 asbestos operations.", "Advance notice of asbestos operations."):
        assert any(item.startswith(duty) for item in items), f"{duty!r} is not a list item of its own"
    for expected in (
        "Basic occupational health and safety awareness training",
        "3 years from successful completion",
        "Notice of Project",
        "Constructor duties",
        "Type 1, Type 2 and Type 3",
        "written procedures for rescuing the worker",
        "at all times on a construction project",
        "occupational illness",
    ):
        assert expected in text, expected


def test_fact_counts_cover_every_province(catalog):
    counts = fact_counts(catalog.root)
    assert set(counts) == {*catalog.jurisdictions, "federal"}
    assert all(v + u > 0 for v, u in counts.values())
    table = counts_table(counts, counts)
    assert table.splitlines()[0].startswith("| Province | Verified before |")
    assert len(table.splitlines()) == 2 + len(counts)


# ---------------------------------------------------------------- duties by province and hazard
def _lines(section) -> str:
    return re.sub(r"\s+", " ", _text_of_section(section))


def _duty(facts, duty_id):
    return next(d for d in facts.jur.duties if d.id == duty_id)


def test_bc_noise_duty_prints_for_a_company_with_noise_and_not_without(catalog, golden_manual):
    cases = Path(__file__).parent / "cases"
    facts, manual = golden_manual(cases / "bc-logging")
    assert "noise" in {h.id for h in facts.hazards}
    duty = _duty(facts, "bc_noise_hearing_conservation")
    practices = _lines(_section(manual, "topic/safe_work_practices"))
    assert f"{duty.title}." in practices
    for fact in ("85 dBA Lex", "140 dBC", "82 dBA Lex", "a hearing test every year"):
        assert fact in practices, fact
    appendix = _lines(_section(manual, "appendix/references"))
    assert duty.title in appendix and cite(duty.citation.model_dump()) in appendix
    assert "Record: noise measurement results and each worker's hearing test results." in practices

    facts, manual = golden_manual(cases / "bc-electrical")
    assert "noise" not in {h.id for h in facts.hazards}
    text = _text(manual)
    assert duty.title not in text and "82 dBA Lex" not in text


@pytest.mark.parametrize("case", ["sk-lone-hauler", "sk-oilfield-hauling"])
def test_every_saskatchewan_employer_gets_the_violence_policy_duty(golden_manual, case):
    facts, manual = golden_manual(Path(__file__).parent / "cases" / case)
    duty = _duty(facts, "sk_violence_policy")
    legislation = _lines(_section(manual, "topic/legislation"))
    assert f"{duty.title}." in legislation
    assert "The Saskatchewan Employment Act, s. 3-21" in legislation
    for fact in ("history of violent behaviour", "at least every three years"):
        assert fact in legislation, fact
    appendix = _lines(_section(manual, "appendix/references"))
    assert duty.title in appendix and "Saskatchewan Employment Act, s. 3-21" in appendix


def test_violence_policy_duty_is_saskatchewans_only(golden_manual):
    _, manual = golden_manual(Path(__file__).parent / "cases" / "bc-electrical")
    text = _text(manual)
    assert "Written violence policy statement and prevention plan" not in text
    assert "s. 3-21" not in text


def _sk_profile(tmp_path, catalog, industry):
    from generator.profile import load_profile

    source = Path(__file__).parent / "cases" / "sk-lone-hauler" / "profile.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("industry: oilfield_hauling", f"industry: {industry}", 1)
    text = text.replace("hazards: [fluid_hauling,", "hazards: [public_interaction, fluid_hauling,", 1)
    path = tmp_path / industry / "profile.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return load_profile(path, catalog)


def test_late_night_retail_measures_print_only_for_a_retail_company(tmp_path, catalog):
    from generator.assemble import assemble_manual, gather_facts

    title = "Extra safety measures for a late-night retail store"
    retail = assemble_manual(gather_facts(_sk_profile(tmp_path, catalog, "retail"), catalog), catalog)
    practices = _lines(_section(retail, "topic/safe_work_practices"))
    assert f"{title}." in practices and "between 11 p.m. and 6 a.m." in practices
    assert "personal emergency transmitter" in practices

    office = assemble_manual(gather_facts(_sk_profile(tmp_path, catalog, "office"), catalog), catalog)
    text = _text(office)
    assert title not in text and "between 11 p.m. and 6 a.m." not in text
    # the public interaction hazard still cites the violence plan every employer keeps (a hazard's
    # legislation is printed once, in the references appendix)
    assert "The Saskatchewan Employment Act, s. 3-21" in _lines(_section(office, "appendix/references"))


def test_bc_worker_representative_from_10_to_19_workers(catalog, golden_manual):
    from generator.context import committee_kind

    bc = catalog.jurisdictions["BC"]
    assert [committee_kind(bc, n) for n in (9, 10, 19, 20)] == ["none", "representative", "representative", "committee"]
    _, manual = golden_manual(Path(__file__).parent / "cases" / "bc-electrical")
    committee = _lines(_section(manual, "topic/committee"))
    assert "where 10 to 19 workers are regularly employed" in committee
    assert "9 to 19" not in committee
