"""Partners beyond construction: the sector's own partner is recommended, or the board is named."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from generator.advisor import advise


@pytest.mark.parametrize(
    "province,workers,industry,stream,first",
    [
        ("AB", 6, "trucking", "SECOR", "amta-secor"),
        ("AB", 15, "trucking", "COR", "amta-cor"),
        ("AB", 3, "courier_delivery", "SECOR", "amta-secor"),
        ("AB", 9, "municipal", "SECOR", "amhsa-secor"),
        ("AB", 5, "hospitality", "SECOR", "ahsa-secor"),
        ("AB", 7, "food_processing", "SECOR", "mhsa-secor"),
        ("AB", 4, "forestry_logging", "SECOR", "afpa-secor"),
        ("AB", 2, "other", "SECOR", "aasp-secor"),
        ("BC", 4, "forestry_logging", "Small COR", "bcfsc-small-cor"),
        ("BC", 8, "trucking", "Small COR", "safetydriven-small-cor"),
        ("BC", 12, "municipal", "Small COR", "bcmsa-small-cor"),
        ("SK", 5, "trucking", "COR", "sta-cor"),  # STA has no SECOR: the advisor says so and offers COR
    ],
)
def test_the_sectors_own_partner_comes_first(catalog, province, workers, industry, stream, first):
    advice = advise(catalog, province, workers, industry)
    assert advice.stream == stream
    assert advice.packs[0].id == first


@pytest.mark.parametrize("province,industry,board", [("BC", "retail", "WorkSafeBC"), ("SK", "hospitality", "WCB")])
def test_unserved_industry_names_the_board_and_no_partner(catalog, province, industry, board):
    advice = advise(catalog, province, 4, industry)
    assert advice.packs == []
    assert any(w.startswith("No bundled partner serves this industry") and board in w for w in advice.warnings)


def test_stream_command_recommends_amta_for_a_trucking_company_of_six():
    proc = run_cli("stream", "--province", "AB", "--workers", "6", "--industry", "trucking", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["stream"] == "SECOR"
    first = data["partners"][0]
    assert {k: first[k] for k in ("id", "name", "pack", "stream")} == {
        "id": "amta",
        "name": "Alberta Motor Transport Association",
        "pack": "amta-secor",
        "stream": "SECOR",
    }


def test_stream_command_for_a_bc_logger_of_four():
    proc = run_cli("stream", "--province", "BC", "--workers", "4", "--industry", "forestry_logging")
    assert proc.returncode == 0, proc.stderr
    assert "Recommended stream: Small COR" in proc.stdout
    assert "bcfsc-small-cor" in proc.stdout and "BC Forest Safety Council" in proc.stdout


def test_new_partner_manual_names_its_own_partner(golden_manual):
    from pathlib import Path

    from generator.document import section_text

    facts, document = golden_manual(Path(__file__).parent / "cases" / "ab-trucking")
    text = "\n".join(section_text(s) for s in document.sections)
    assert "What the AMTA auditor looks for" in text
    assert "Health and Safety System Building" in text  # AMTA's course, in the certification plan
    assert "AASP" not in text


@pytest.mark.parametrize(
    "province,workers,industry,first",
    [("AB", 6, "trucking", "amta"), ("BC", 4, "forestry_logging", "bcfsc"), ("AB", 8, "municipal", "amhsa")],
)
def test_interview_offers_the_sectors_partner_first(catalog, province, workers, industry, first):
    from generator.questionnaire import Interview, load_questionnaires

    questionnaires = load_questionnaires()
    interview = Interview(catalog, questionnaires, {})
    interview.result = {"company": {"province": province, "workers": workers, "industry": industry}}
    question = next(q for qs in questionnaires for q in qs.questions if q.id == "partner")
    assert interview.choices(question)[0].value == first
