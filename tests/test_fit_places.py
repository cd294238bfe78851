"""The manual follows where the company works and what it drives (issue 16).

An auditor read a home-care agency's manual (no shop, no company vehicles, work in clients'
homes) and found shop, job-site and vehicle text that did not fit. Here a golden profile is
changed into such a company and the chapters that spoke of shops, sites and vehicles are read
as the auditor reads them; a construction case keeps its site and vehicle text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.assemble import assemble_manual, gather_facts
from generator.build import form_documents
from generator.document import section_text
from generator.profile import profile_from_text

CASES = Path(__file__).parent / "cases"
# the chapters this issue fixed: each spoke of the shop, sites or vehicles for every company
TOPICS = ("policy", "ppe", "inspections", "emergency_response", "whmis", "contractors_visitors")
HOME_CARE_HAZARDS = "[slips_trips_falls, manual_handling, public_interaction, sharps_biohazards, cleaning_chemicals]"


def _home_care_profile() -> str:
    """ab-landscaping turned into a home-care agency: an office, clients' homes, no vehicles."""
    text = (CASES / "ab-landscaping" / "profile.yaml").read_text()
    changed = text.replace("industry: landscaping", "industry: other").replace("partner: acsa", "partner: aasp")
    changed = re.sub(r"hazards:\n(  - \w+\n)+", f"hazards: {HOME_CARE_HAZARDS}\n", changed)
    changed = re.sub(
        r"  muster_point: .*\n", "  muster_point: Front steps of the office at 4410 76 Avenue SE\n", changed
    )
    changed = re.sub(r"sites:\n(?:  - .*\n(?:    .*\n)*)+", "", changed)
    changed += "operations:\n  locations: [homes]\n  vehicles: []\n"
    assert changed.count("operations:") == 1 and "sites:" not in changed and "shop" not in changed.lower()
    return changed


@pytest.fixture(scope="module")
def home_care(catalog):
    facts = gather_facts(profile_from_text(_home_care_profile(), catalog), catalog)
    document = assemble_manual(facts, catalog)
    ((_, flha),) = form_documents(facts, catalog, ("flha",))
    return facts, document, section_text(flha.sections[0])


def _topics(document) -> dict[str, str]:
    sections = {s.key: s for s in document.all_sections()}
    return {t: section_text(sections[f"topic/{t}"]) for t in TOPICS}


def test_the_profile_is_a_home_care_agency(home_care):
    facts, _, _ = home_care
    assert facts.ops.locations == ("homes",) and facts.ops.vehicles == ()
    assert "at:own_shop" not in facts.ops.flags and "at:client_sites" not in facts.ops.flags


def test_no_shop_no_company_vehicle_no_hard_hat_minimum(home_care):
    _, document, _ = home_care
    for topic, text in _topics(document).items():
        assert not re.search(r"company vehicle|in (?:each|every) vehicle", text, re.IGNORECASE), topic
        assert not re.search(r"\bshop\b", text, re.IGNORECASE), topic
        assert "hitch" not in text, topic
        assert "cones, signs or a spotter" not in text, topic
    ppe = _topics(document)["ppe"]
    assert "Minimum on our sites" not in ppe
    assert "hard hat wherever" not in ppe
    assert "what the hazard assessment sets" in ppe


def test_nothing_is_posted_in_clients_homes(home_care):
    _, document, _ = home_care
    policy = _topics(document)["policy"]
    assert "at each work site" not in policy and "site binder" not in policy
    assert "Nothing is posted in a client's home" in policy
    emergency = _topics(document)["emergency_response"]
    assert "Workers in clients' homes carry it" in emergency
    assert "Emergency plans for clients' homes" in emergency


def test_the_profiles_muster_point_is_the_muster_point(home_care):
    _, document, _ = home_care
    emergency = _topics(document)["emergency_response"]
    assert "Our muster point: Front steps of the office at 4410 76 Avenue SE." in emergency
    assert "site orientation" not in emergency


def test_whmis_products_come_from_the_hazards(home_care):
    _, document, _ = home_care
    whmis = _topics(document)["whmis"]
    assert "cleaning and floor care products; and disinfectants" in whmis
    for fixed in ("fuels, oils and lubricants", "compressed gases", "paints and coatings", "jerry can"):
        assert fixed not in whmis


def test_flha_utility_and_traffic_lines_only_if_present(home_care):
    _, _, flha = home_care
    for line in flha.splitlines():
        if "utilities" in line or "traffic" in line:
            assert line.startswith("If present:"), line
    assert "Crew lead" not in flha and "Crew sign-off" not in flha


def test_a_construction_company_keeps_its_site_and_vehicle_text(golden_manual):
    facts, document = golden_manual(CASES / "ab-roofing")
    assert {"at:own_shop", "at:client_sites", "vehicle:pickup"} <= facts.ops.flags
    text = _topics(document)
    assert "in the site binder in each company vehicle" in text["policy"]
    assert "Minimum on our sites" in text["ppe"] and "hard hat wherever" in text["ppe"]
    assert (
        "Company vehicles and trailers" in text["inspections"]
        and "the shop, yard and each active site" in text["inspections"]
    )
    assert "in the shop, in every company vehicle and near fuelling and hot work areas" in text["emergency_response"]
    assert "Site-specific emergency plans" in text["emergency_response"]
    assert "barriers, cones, signs or a spotter" in text["contractors_visitors"]
    assert "Prime contractor duties" in text["contractors_visitors"]
    assert "SDSs are kept in a binder in the shop and in each vehicle" in text["whmis"]


def test_a_renovator_in_clients_homes_works_on_construction_sites(golden_manual):
    """A house under renovation is a construction site: its site rules stay."""
    facts, document = golden_manual(CASES / "ab-renovation-hires-electrical")
    assert facts.ops.locations == ("homes",)
    text = _topics(document)
    assert "Minimum on our sites" in text["ppe"]
    assert "Prime contractor duties" in text["contractors_visitors"]
    assert "barriers, cones, signs or a spotter" in text["contractors_visitors"]
    assert "Site-specific emergency plans" in text["emergency_response"]
    assert "Nothing is posted in a client's home" not in text["policy"]
