"""The manual speaks of the company it is: no crew for one person, calls for lone workers (issue 16).

Read as the owner of each scenario case would read it: a one-person painter must not be told
to "gather the crew", a fleet of lone drivers does its field-level hazard assessment on a call,
and sentences found broken in review read correctly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import case_manual, cell_text, section_by_key

from generator.document import Callout, Table, section_text, text_of

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(p.parent for p in CASES_DIR.glob("*/profile.yaml"))
CREW = re.compile(r"\bcrews?\b", re.IGNORECASE)

# Sections whose words this check covers: every manual template except the ones issue 16's
# other change rewrites (policy, PPE, inspections, emergency response, WHMIS, contractors),
# and the forms list, which is written from the forms' own data.
NOT_COVERED = (
    "topic/policy",
    "topic/ppe",
    "topic/inspections",
    "topic/emergency_response",
    "topic/whmis",
    "topic/contractors_visitors",
    "appendix/forms",
)


def _covered(section) -> bool:
    return not any(section.key == k or section.key.startswith(k + "/") for k in NOT_COVERED)


def _company_paragraphs(document, hazard_names: set[str]):
    """(section key, text) of what the manual says about the company itself.

    Left out, with the reason: the auditor's box (the partner's own words); "Legal references"
    and the legislation's list of duty holders (titles of the law); "Who is at risk" paragraphs
    (they describe a trade in general, e.g. "renovation crews"); and training-matrix rows that
    come from the hazard library (the Reason cell names a hazard), which name who needs the
    training by role wherever such a person exists.
    """
    for section in document.all_sections():
        if not _covered(section):
            continue
        for block in section.blocks:
            if isinstance(block, Callout):
                continue
            if isinstance(block, Table):
                for row in block.rows:
                    cells = [cell_text(c) for c in row]
                    if any(name in cells[-1] for name in hazard_names):
                        continue
                    yield section.key, " | ".join(cells)
                continue
            text = text_of(block)
            if text.startswith("Who is at risk"):
                continue
            text = text.split("Legal references")[0]
            text = re.sub(r"duties of employers, supervisors(?:,| and) workers", "", text)
            yield section.key, text


@pytest.mark.parametrize("case", ["ab-one-person-painter", "sk-lone-hauler"])
def test_companies_without_crews_are_not_told_about_crews(golden_manual, case):
    facts, document, _ = case_manual(golden_manual, case)
    names = {h.name for h in facts.hazards}
    found = [(key, text) for key, text in _company_paragraphs(document, names) if CREW.search(text)]
    assert not found, found


def test_a_one_person_company_has_no_supervisors(golden_manual):
    facts, document, _ = case_manual(golden_manual, "ab-one-person-painter")
    names = {h.name for h in facts.hazards}
    found = [
        (key, text)
        for key, text in _company_paragraphs(document, names)
        if re.search(r"\bsupervisors\b", text, re.IGNORECASE)
    ]
    assert not found, found


def test_the_check_can_see_crews_and_supervisors(golden_manual):
    """The same reading finds crew and supervisor words in a company that has them."""
    facts, document, _ = case_manual(golden_manual, "ab-landscaping")
    texts = [t for _, t in _company_paragraphs(document, {h.name for h in facts.hazards})]
    assert any(CREW.search(t) for t in texts)
    assert any(re.search(r"\bsupervisors\b", t) for t in texts)


def test_one_person_works_alone_without_group_talks(golden_manual):
    _, document, text = case_manual(golden_manual, "ab-one-person-painter")
    communication = section_text(section_by_key(document, "topic/communication"))
    assert "works alone, so there is no group talk" in communication
    assert "the worker and Maria Santos" not in communication  # no worker to call the owner
    assert "reads the toolbox talk sheet" in communication
    assert "anyone who missed it" not in communication
    first_aid = section_text(section_by_key(document, "topic/first_aid"))
    assert "first aid training for the owner before field work starts" in first_aid
    review = section_text(section_by_key(document, "topic/management_review"))
    assert "at least one worker chosen" not in review
    assert "Maria Santos is the only person in the company, so the review is done alone" in review
    calendar = section_text(section_by_key(document, "topic/program_administration"))
    assert "crew lead" not in calendar


def test_lone_workers_do_the_field_assessment_on_a_call(golden_manual):
    _, document, _ = case_manual(golden_manual, "sk-lone-hauler")
    assessment = section_text(section_by_key(document, "topic/hazard_assessment"))
    assert "during the start-of-shift call with Darlene Fisk" in assessment
    assert "calls again when conditions change" in assessment
    assert "every worker on the crew" not in assessment
    communication = section_text(section_by_key(document, "topic/communication"))
    assert "the daily talk is a call" in communication
    assert "gathers the crew" not in communication
    assert "at the shop or by call when workers are out alone" in communication
    assert "every crew member" not in communication


def test_crews_keep_their_crew_talks(golden_manual):
    _, document, _ = case_manual(golden_manual, "ab-roofing")
    communication = section_text(section_by_key(document, "topic/communication"))
    assert "gathers the crew for a short talk" in communication
    assert "Every crew member signs the assessment" in communication


@pytest.mark.parametrize(
    "case,key,sentence",
    [
        (
            "ab-one-person-painter",
            "topic/fitness_for_duty",
            "An owner who is unfit for duty must stop the work or hand it to a competent person.",
        ),
        (
            "ab-landscaping",
            "topic/fitness_for_duty",
            "A supervisor who is unfit for duty must tell the owner and hand over the crew.",
        ),
        (
            "ab-one-person-painter",
            "topic/company_rules",
            "The owner follows the same rules and is held to a higher standard.",
        ),
        (
            "ab-landscaping",
            "topic/company_rules",
            "The owner and supervisors follow the same rules and are held to a higher standard;",
        ),
        ("mb-plumbing-no-entry", "topic/responsibilities", "Our supervisor is Kevin Bell."),
        ("ab-landscaping", "topic/responsibilities", "Our supervisors are Marcus Lee and Priya Natarajan."),
    ],
)
def test_sentences_agree_with_who_supervises(golden_manual, case, key, sentence):
    """Fitness for duty, company rules and responsibilities read right for an owner alone, one
    supervisor or several (review: "When the owner is unfit for duty must tell the owner")."""
    _, document, _ = case_manual(golden_manual, case)
    text = section_text(section_by_key(document, key))
    assert sentence in text
    assert "When the owner is unfit for duty must" not in text


def test_no_representative_training_subsection_without_the_laws_training(golden_manual):
    facts, document, _ = case_manual(golden_manual, "sk-lone-hauler")
    assert facts.jur.committee is not None and not facts.jur.committee.training  # SK sets none here
    training = section_by_key(document, "topic/training")
    titles = [s.title for s in training.walk()]
    assert not any(t.startswith("Health and safety representative") for t in titles), titles
    assert "pays for this training and gives time off" not in section_text(training)
    # where the law sets the training, the subsection is there with it
    _, document, _ = case_manual(golden_manual, "ab-roofing")
    training = section_text(section_by_key(document, "topic/training"))
    assert "Training the law requires:" in training
    assert "pays for this training and gives time off work to attend it." in training


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_training_matrix_names_each_training_once(golden_manual, case):
    facts, document = golden_manual(case)
    matrix = section_by_key(document, "topic/training")
    tables = [b for s in matrix.walk() for b in s.blocks if isinstance(b, Table)]
    table = next(t for t in tables if cell_text(t.header[0]) == "Training")
    names = [cell_text(row[0]).strip().casefold() for row in table.rows]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_merged_training_rows_keep_every_who_and_reason(golden_manual):
    _, document, _ = case_manual(golden_manual, "ab-one-person-painter")
    training = section_by_key(document, "topic/training")
    table = next(b for s in training.walk() for b in s.blocks if isinstance(b, Table))
    rows = {cell_text(r[0]): [cell_text(c) for c in r] for r in table.rows}
    whmis = rows["WHMIS"]
    assert "Workers who use or work near hazardous products" in whmis[1]
    assert "All workers handling products with crystalline silica" in whmis[1]
    assert "Respirable crystalline silica" in whmis[3]
    fall = rows["Fall protection training"]
    assert "Before the worker first works where a fall protection system must be used" in fall[2]
    assert "Every 3 years (company standard)" in fall[2]  # the company's refresh is kept too


def test_merge_rows_merges_cells_and_keeps_other_lines():
    from generator.templating import merge_rows

    table = "| A | B |\n|---|---|\n| x | one |\n| y | two |\n| X | three |\n| x | one |\n"
    assert merge_rows(table) == "| A | B |\n|---|---|\n| x | one; three |\n| y | two |\n"


def test_sentences_never_run_items_together():
    from generator.templating import sentences

    assert sentences(["Chainsaw chaps", "Safety helmet"]) == "Chainsaw chaps; Safety helmet."
    assert sentences(["Wear gloves.", "Keep guards on"]) == "Wear gloves. Keep guards on."
    assert sentences([]) == ""


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_practices_print_ppe_only_with_ppe_and_items_as_sentences(golden_manual, case):
    facts, document = golden_manual(case)
    section = section_by_key(document, "topic/safe_work_practices")
    practices = section_text(section)
    empty = re.search(r"^.*\bPPE\b[^:\n]*:\s*$", practices, re.MULTILINE)
    assert empty is None, empty.group(0)
    checked = 0
    for hazard in facts.hazards:
        own = section_text(next(s for s in section.walk() if s.title == hazard.name))
        keys = ["elimination", "substitution", "engineering", "administrative"]
        keys += [] if hazard.ppe else ["ppe"]  # the hazard's own PPE list is printed instead
        for key in keys:
            for item in getattr(hazard.controls, key) or []:
                tail = " ".join(item.split()).rstrip(".")[-40:]
                at = own.find(tail)
                if at < 0:
                    continue  # a term the province rewrites
                checked += 1
                after = own[at + len(tail) : at + len(tail) + 1]
                assert after in {".", ";"}, (hazard.id, key, own[max(0, at - 60) : at + 60])
    assert checked > 10


def test_an_industry_not_listed_is_not_printed(tmp_path, catalog):
    from generator.assemble import assemble_manual, gather_facts
    from generator.profile import load_profile

    profile = tmp_path / "profile.yaml"
    profile.write_text(
        "company: {name: Prairie Odd Jobs, province: AB, workers: 2, industry: other, address: {city: Airdrie}}\n"
        "partner: aasp\nstream: SECOR\nhazards: [slips_trips_falls, manual_handling, ergonomics_computer]\n"
        "people: {owner: {name: Lee Chan, title: Owner}}\n"
        "document: {revision: 1, date: 2026-10-15}\n"
    )
    facts = gather_facts(load_profile(profile, catalog), catalog)
    text = "\n".join(section_text(s) for s in assemble_manual(facts, catalog).sections)
    assert "an industry not listed" not in text.lower()
    assert "Prairie Odd Jobs works in Alberta with 2 workers." in text


def test_a_companys_own_controls_written_as_phrases_read_as_clauses(tmp_path, catalog):
    from generator.assemble import assemble_manual, gather_facts
    from generator.profile import load_profile

    profile = tmp_path / "profile.yaml"
    profile.write_text(
        "company: {name: Tidy Signs, province: AB, workers: 3, industry: other, address: {city: Airdrie}}\n"
        "partner: aasp\nstream: SECOR\nhazards: [slips_trips_falls, manual_handling]\n"
        "people: {owner: {name: Lee Chan, title: Owner}}\n"
        "custom:\n  hazards:\n    - id: sign_cutting\n      name: Sign cutting\n"
        "      description: Cutting sign blanks on the table saw.\n"
        "      controls: {engineering: [Blade guard on the saw, Dust extraction at the blade],"
        " ppe: [Safety glasses, Hearing protection]}\n"
        "      safe_work_practice: [Keep the guard on.]\n"
        "      inspection_items: [Guard in place]\n"
        "document: {revision: 1, date: 2026-10-15}\n"
    )
    facts = gather_facts(load_profile(profile, catalog), catalog)
    document = assemble_manual(facts, catalog)
    practices = section_text(section_by_key(document, "topic/safe_work_practices"))
    assert "Engineering: Blade guard on the saw; Dust extraction at the blade." in practices
    assert "PPE: Safety glasses; Hearing protection." in practices
