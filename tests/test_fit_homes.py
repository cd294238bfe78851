"""Hazard text and calendar for a company that works in clients' homes (issue 16).

An auditor read a home-care agency's manual and found tills, drop safes and a closing log,
needle pick-up in landscaping, a hard hat liner and bundles of shingles. Such a company (not
construction, work only in clients' homes) gets the home variants of those hazards and the
home commitments in the program calendar; a renovator and a roofer, who also work in homes,
keep their construction text.
"""

from __future__ import annotations

import re

import pytest
from conftest import CASES_DIR, cell_text
from test_fit_places import _home_care_profile

from generator.assemble import assemble_manual, gather_facts
from generator.document import section_text
from generator.operations import known_flag
from generator.profile import profile_from_text
from generator.variants import apply_variants

HAZARDS = ("public_interaction", "sharps_biohazards", "cold_stress", "manual_handling")
# text written for shops, sites and construction that an auditor flagged in the home-care manual
FOREIGN = (
    r"\btill\b",
    r"drop safe",
    r"robber",
    r"closing log",
    r"Closing the premises",
    r"back doors",
    r"shingles",
    r"drywall",
    r"hard hat liner",
    r"landscap",
    r"encampment",
    r"Prefabricate",
    r"heated, enclosed cabs",
    r"heaters vented",
    r"23 kilograms",
)
# a key sentence of each home variant
HOME_SENTENCES = (
    "Visiting a client's home alone",
    "Workers may end a visit and leave whenever they feel unsafe",
    "including any history of aggression, who else lives there, pets, weapons and access",
    "Workers check in on arrival and when they leave each home",
    "Never recap, bend or break a used needle; put it straight into the client's sharps container.",
    "Handling soiled laundry and body fluid spills in a client's home",
    "Clean your hands on arrival, before and after personal care",
    "Warm up in your car or in the client's home between visits",
    "In extreme cold, check in on arrival and when you leave each home.",
    "Move a client only by the method and with the aids in the care plan, with two workers or a mechanical "
    "lift where the plan says so.",
    "Helping a client move or transfer",
)


@pytest.fixture(scope="module")
def home_care(catalog):
    text = _home_care_profile().replace("Prairie Green Landscaping Ltd.", "Riverbend Home Support Ltd.")
    text = re.sub(r"hazards: \[.*\]", f"hazards: [{', '.join(HAZARDS)}]", text)
    facts = gather_facts(profile_from_text(text, catalog), catalog)
    document = assemble_manual(facts, catalog)
    return facts, document, "\n".join(section_text(s) for s in document.sections)


def _calendar(document) -> dict[str, str]:
    (found,) = [s for s in document.all_sections() if s.title == "Program calendar"]
    table = next(b for b in found.blocks if hasattr(b, "rows"))
    return {cell_text(row[0]): cell_text(row[1]) for row in table.rows}


def test_the_home_care_company_is_not_construction(home_care):
    facts, _, _ = home_care
    assert {"at:homes", "sector:general"} <= facts.ops.flags
    assert "sector:construction" not in facts.ops.flags and "Landscaping" not in facts.profile.company.name


def test_no_shop_site_or_construction_text_in_the_hazards(home_care):
    _, _, text = home_care
    for pattern in FOREIGN:
        found = re.search(pattern, text, re.IGNORECASE)
        assert found is None, f"{pattern!r}: ...{text[max(found.start() - 80, 0) : found.end() + 80]}..."


def test_the_home_variants_are_printed(home_care):
    _, _, text = home_care
    for sentence in HOME_SENTENCES:
        assert sentence in text, sentence


def test_the_calendar_reads_the_home_commitments(home_care):
    _, document, _ = home_care
    calendar = _calendar(document)
    flha, inspection = calendar["Field-level hazard assessment"], calendar["Planned workplace inspection"]
    assert flha.startswith("A home safety assessment at the first visit and whenever the care plan or the home")
    assert "a quick check at each visit" in flha and "each shift" not in flha
    assert "each client's home at the first visit and whenever the care plan or the home changes" in inspection
    assert "every month it stays active" not in inspection and "Shop or yard" not in inspection


@pytest.mark.parametrize("case", ["ab-renovation-hires-electrical", "ab-roofing"])
def test_construction_companies_in_homes_keep_their_text(golden_manual, catalog, case):
    facts, document = golden_manual(CASES_DIR / case)
    assert {"at:homes", "sector:construction"} <= facts.ops.flags
    for hazard_id in HAZARDS:
        hazard = catalog.hazards[hazard_id]
        assert apply_variants(hazard, facts.ops.flags) == hazard, hazard_id
    text = "\n".join(section_text(s) for s in document.sections)
    assert "from bundles of shingles and sheets of drywall" in text
    assert "Helping a client move or transfer" not in text
    calendar = _calendar(document)
    assert calendar["Field-level hazard assessment"] == "At each new site, each shift, and when conditions change"
    assert "each job at start-up and every month it stays active" in calendar["Planned workplace inspection"]


def test_only_construction_in_homes_tells_the_cases_apart(golden_manual):
    """ab-renovation-hires-electrical works only in homes, like the home-care company: the
    sector flag is what keeps its construction text."""
    facts, _ = golden_manual(CASES_DIR / "ab-renovation-hires-electrical")
    assert facts.ops.locations == ("homes",)


def test_sector_flags_are_a_closed_vocabulary():
    assert known_flag("sector:construction") and known_flag("!sector:general")
    assert not known_flag("sector:home_care")


def test_the_rules_apply_where_the_company_works(golden_manual):
    from conftest import case_manual, section_by_key

    from generator.document import section_text

    _, document, _ = case_manual(golden_manual, "sk-lone-hauler")
    rules = section_text(section_by_key(document, "topic/company_rules"))
    assert (
        "They apply in our shop and yard, on every lease site, on the road and in company vehicles, and anywhere"
        in rules
    )
    _, document, _ = case_manual(golden_manual, "ab-one-person-painter")
    rules = section_text(section_by_key(document, "topic/company_rules"))
    assert "They apply on every job site, in clients' homes and in company vehicles, and anywhere" in rules


def test_the_home_care_industry_gets_the_home_text_from_its_defaults(catalog):
    """A profile that names the industry and answers none of the operations questions."""
    text = _home_care_profile().replace("Prairie Green Landscaping Ltd.", "Riverbend Home Support Ltd.")
    text = re.sub(r"industry: \w+", "industry: home_care", text)
    text = re.sub(r"hazards: \[.*\]", f"hazards: [{', '.join(HAZARDS)}]", text)
    text = re.sub(r"(?m)^operations:\n(?:[ \t].*\n?)*", "", text)
    assert "operations:" not in text
    facts = gather_facts(profile_from_text(text, catalog), catalog)
    assert facts.ops.locations == ("homes",) and not facts.ops.vehicles
    body = "\n".join(section_text(s) for s in assemble_manual(facts, catalog).sections)
    assert "Visiting a client's home alone" in body and "Helping a client move or transfer" in body
    assert not re.search(r"\btill\b|robber|shingles|hard hat liner", body, re.IGNORECASE)
