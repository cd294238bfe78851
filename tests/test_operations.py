"""How the company works decides what the manual commits to (issue 16).

Scenario cases in tests/cases/ are read as an auditor reads them: a lone-driver fleet gets
check-ins and no buddy rule, a company that hires electricians gets a licence check and no
energized-work permit, a company that never enters confined spaces gets a no-entry rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import case_manual, cell_text, section_by_key

from generator.document import section_text
from generator.errors import ContentError

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(p.parent for p in CASES_DIR.glob("*/profile.yaml"))
NEVER_ALONE = re.compile(r"\bnever (?:work|be|do)\w*[^.;]{0,40}\balone\b|\bbuddy\b|trained backup", re.IGNORECASE)


def test_lone_workers_get_check_ins_not_a_never_alone_rule(golden_manual):
    facts, document, text = case_manual(golden_manual, "sk-lone-hauler")
    assert facts.ops.works_alone == "always"
    match = NEVER_ALONE.search(text)
    assert match is None, text[max(0, match.start() - 120) : match.end() + 60]
    alone = section_text(section_by_key(document, "topic/working_alone"))
    assert "Check-in schedule" in alone and "If a check-in is missed" in alone
    assert "Not done alone" not in alone
    assert "driving between sites, hauling" in alone
    h2s = next(h for h in facts.hazards if h.id == "hydrogen_sulfide")
    assert any("never attempt a rescue" in s for s in h2s.safe_work_practice)


def test_crews_that_never_work_alone_keep_the_second_person_rule(golden_manual):
    facts, _, text = case_manual(golden_manual, "ab-roofing")
    assert facts.ops.works_alone == "no"  # the roofing industry's default
    assert "Never work on a roof alone." in text


def test_hired_out_electrical_work_means_a_licence_check_not_a_permit(golden_manual):
    facts, document, text = case_manual(golden_manual, "ab-renovation-hires-electrical")
    assert "electrical" in facts.ops.hires_out
    assert not re.search(r"energi[sz]ed work permit", text, re.IGNORECASE)
    assert "live-dead-live" not in text.lower()
    procedures = [s.title for s in section_by_key(document, "topic/safe_job_procedures").walk()]
    assert "Hiring a licensed electrician and checking the licence" in procedures
    assert "check the licence before the work starts" in text
    # the same hazard, done by the company's own electricians, keeps its permit rule
    _, _, electricians = case_manual(golden_manual, "bc-electrical")
    assert "energized work permit" in electricians


def test_no_confined_space_entry_means_a_no_entry_rule(golden_manual):
    facts, document, text = case_manual(golden_manual, "mb-plumbing-no-entry")
    assert "confined_space" in facts.ops.hires_out
    for banned in (
        "rescue team",
        "entry permit",
        "Permit-based confined space entry",
        "confined space program",
        "without a permit",
    ):
        assert banned.lower() not in text.lower(), banned
    practices = section_by_key(document, "topic/safe_work_practices")
    no_entry = next(s for s in practices.walk() if s.title == "Confined spaces (no entry)")
    assert "No worker of ours enters a confined space" in section_text(no_entry)
    # a company that does enter keeps its permit and rescue program
    _, _, enters = case_manual(golden_manual, "bc-electrical")
    assert "entry permit" in enters and "rescue team" in enters


def test_tank_trucks_get_no_flatdeck_load_securement(golden_manual):
    facts, _, text = case_manual(golden_manual, "sk-lone-hauler")
    assert "flatdeck" not in facts.ops.vehicles
    assert "Securing a load on a flatdeck trailer" not in text
    assert "Daily trip inspection and hours check before dispatch" in text


def test_profiles_without_answers_take_the_industry_defaults(golden_manual, catalog):
    facts, _, _ = case_manual(golden_manual, "on-renovation")
    assert facts.profile.operations.works_alone is None  # the file has no operations block
    defaults = catalog.industries["renovation"].operations
    assert list(facts.ops.hires_out) == defaults["hires_out"]
    assert facts.ops.crews == "owner_leads"  # no supervisors named in a 4-person company


def test_a_one_person_company_has_no_crew_to_lead(golden_manual):
    facts, document, text = case_manual(golden_manual, "ab-one-person-painter")
    assert facts.ops.crews == "owner_only" and facts.ops.works_alone == "always"
    assert "committee meets" not in text
    alone = section_text(section_by_key(document, "topic/working_alone"))
    assert "a family member, a client or a check-in service" in alone
    match = NEVER_ALONE.search(text)
    assert match is None, text[max(0, match.start() - 120) : match.end() + 60]
    assert "holds no safety meetings" in text and "general safety meeting for all workers" not in text
    assert "joint health and safety committee meets" not in text.lower()
    # the company's own duties never speak of supervisors it does not have (the Act's list
    # of duty holders, a contractor's staff and the auditor's own words are not its duties)
    for key in OWN_DUTIES:
        own = _own_text(section_by_key(document, key))
        assert not re.search(r"\bsupervisors\b", own, re.IGNORECASE), (key, own[:2000])


OWN_DUTIES = (
    "front",
    "topic/policy",
    "topic/responsibilities",
    "topic/communication",
    "topic/inspections",
    "topic/records_statistics",
    "topic/management_review",
    "topic/program_administration",
    "topic/hazard_assessment",
    "topic/hazard_control",
    "topic/ppe",
    "topic/fitness_for_duty",
    "topic/company_rules",
    "topic/emergency_response",
)


def _own_text(section) -> str:
    """A section's text without the auditor's box, legal citations or contractors' duties."""
    from generator.document import Callout, text_of

    parts = []
    for sub in section.walk():
        if "contractor" in sub.key:
            continue
        for block in sub.blocks:
            if isinstance(block, Callout):
                continue
            text = text_of(block)
            if "Legal references" in text:
                text = text.split("Legal references")[0]
            parts.append(text)
    return "\n".join(parts)


# ------------------------------------------------------------------------------ risk
def test_the_same_hazard_done_differently_is_rated_differently(golden_manual):
    def rating(case):
        facts, _, _ = case_manual(golden_manual, case)
        hazard = next(h for h in facts.hazards if h.id == "electrical_work")
        return hazard.risk.severity * hazard.risk.likelihood

    assert rating("bc-electrical") == 15  # electricians at work on live systems
    assert rating("ab-renovation-hires-electrical") == 5  # only cords: the electrician is hired


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_residual_risk_is_rated_never_above_initial_and_ranked(golden_manual, case):
    facts, document = golden_manual(case)
    scores = set()
    for hazard in facts.hazards:
        assert hazard.residual is not None, hazard.id
        assert hazard.residual.severity <= hazard.risk.severity, hazard.id
        assert hazard.residual.likelihood <= hazard.risk.likelihood, hazard.id
        scores.add(
            (hazard.risk.severity * hazard.risk.likelihood, hazard.residual.severity * hazard.residual.likelihood)
        )
    assert len(scores) > 1, "every hazard has the same rating"
    register = [s for s in document.all_sections() if s.key == "appendix/hazard_register"][0]
    table = next(b for b in register.blocks if hasattr(b, "rows"))
    names = [cell_text(row[0]) for row in table.rows]
    initial = {h.name: h.risk.severity * h.risk.likelihood for h in facts.hazards}
    ranked = [initial[n] for n in names]
    assert ranked == sorted(ranked, reverse=True), names
    assert "Risk with controls" in [cell_text(c) for c in table.header]


# ------------------------------------------------------------------------ the data
def test_a_variant_that_names_text_the_hazard_lacks_is_reported(catalog):
    from generator.variants import variant_problems

    base = catalog.hazards["roof_work"]
    hazard = type(base).model_validate(dict(base.model_dump(), variants=[{"when": ["alone", "sometimes_bogus"]}]))
    assert [str(p) for p in variant_problems(hazard)] == [
        "manual_templates/hazards/roof_work.yaml: variants.0.when: unknown flag 'sometimes_bogus'"
    ]
    hazard = type(hazard).model_validate(
        dict(hazard.model_dump(), variants=[{"when": ["alone"], "swap": [{"old": "no such text anywhere"}]}])
    )
    assert [str(p) for p in variant_problems(hazard)] == [
        "manual_templates/hazards/roof_work.yaml: variants.0.swap: 'no such text anywhere' matches 0 texts, not one"
    ]


def test_industry_defaults_must_be_valid_answers(tmp_path):
    import shutil

    from generator.catalog import load_catalog
    from generator.paths import data_dir

    root = tmp_path / "manual_templates"
    shutil.copytree(data_dir("manual_templates"), root)
    path = root / "industries.yaml"
    path.write_text(path.read_text().replace("works_alone: always", "works_alone: often", 1))
    with pytest.raises(ContentError) as info:
        load_catalog(root)
    assert any("operations.works_alone" in str(p) for p in info.value.problems)


# -------------------------------------------------------------------------- calendar
def _calendar(document):
    found = [s for s in document.all_sections() if s.title == "Program calendar"]
    assert len(found) == 1, "the calendar is printed once"
    table = next(b for b in found[0].blocks if hasattr(b, "rows"))
    return {cell_text(row[0]): cell_text(row[1]) for row in table.rows}


def test_commitments_are_sized_to_the_company(golden_manual):
    _, small, small_text = case_manual(golden_manual, "sk-lone-hauler")  # 5 workers
    _, bigger, _ = case_manual(golden_manual, "bc-electrical")  # 15 workers
    _, alone, alone_text = case_manual(golden_manual, "ab-one-person-painter")
    assert _calendar(small)["Toolbox talk"].startswith("Every two weeks")
    assert _calendar(bigger)["Toolbox talk"].startswith("Weekly")
    assert _calendar(small)["General safety meeting"].startswith("Every three months")
    assert _calendar(bigger)["General safety meeting"].startswith("Monthly")
    assert _calendar(alone)["General safety meeting"].startswith("None (no other workers)")
    assert "holds no safety meetings" in alone_text
    # other sections refer to the calendar instead of restating a frequency
    for phrase in ("at least once a week", "monthly safety meeting", "reviews the matrix every month"):
        assert phrase not in small_text, phrase
    assert small_text.count("the program calendar (program administration section)") >= 4


def test_the_calendar_data_is_checked(tmp_path):
    from generator.calendar import load_calendar
    from generator.paths import data_dir

    root = tmp_path / "manual_templates"
    root.mkdir()
    text = (data_dir("manual_templates") / "program_calendar.yaml").read_text()
    (root / "program_calendar.yaml").write_text(text.replace("when: [one_person]", "when: [one_persn]", 1))
    with pytest.raises(ContentError) as info:
        load_calendar(root)
    assert [p.message for p in info.value.problems] == ["unknown flag 'one_persn'"]


def test_a_hazard_presence_flag_must_name_another_hazard(catalog):
    from generator.variants import variant_problems

    base = catalog.hazards["machine_guarding"]
    ids = set(catalog.hazards)
    assert variant_problems(base, ids) == []
    hazard = type(base).model_validate(
        dict(base.model_dump(), variants=[{"when": ["has:lockout_tagou"]}, {"when": ["!has:machine_guarding"]}])
    )
    assert [str(p) for p in variant_problems(hazard, ids)] == [
        "manual_templates/hazards/machine_guarding.yaml: variants.0.when: 'has:lockout_tagou' names no other hazard",
        "manual_templates/hazards/machine_guarding.yaml: variants.1.when: '!has:machine_guarding' names no other hazard",
    ]


def test_the_chosen_hazards_are_flags(catalog):
    from generator.assemble import gather_facts
    from generator.profile import profile_from_text

    text = (Path(__file__).parent / "cases" / "bc-electrical" / "profile.yaml").read_text()
    facts = gather_facts(profile_from_text(text, catalog), catalog)
    assert facts.ops is not None
    assert {f"has:{h.id}" for h in facts.hazards} == {f for f in facts.ops.flags if f.startswith("has:")}
