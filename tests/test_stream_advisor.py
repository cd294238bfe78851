"""The stream advisor: the right stream and partners for province, size and industry."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import run_cli

from generator.advisor import advise
from generator.errors import UserError
from generator.profile import profile_from_text

CASES = [
    # province, workers, industry, stream, partner packs (in order)
    ("AB", 8, "landscaping", "SECOR", ["acsa-secor", "aasp-secor"]),
    ("AB", 10, "roofing", "SECOR", ["acsa-secor", "aasp-secor"]),
    ("AB", 11, "roofing", "COR", ["acsa-cor", "aasp-cor"]),
    ("AB", 6, "office", "SECOR", ["aasp-secor"]),
    ("AB", 5, "oilfield_services", "SECOR", ["esc-secor", "aasp-secor"]),
    ("AB", 40, "oilfield_hauling", "COR", ["esc-cor", "aasp-cor"]),
    ("BC", 19, "electrical", "Small COR", ["bccsa-small-cor"]),
    ("BC", 20, "electrical", "COR", ["bccsa-cor"]),
    ("BC", 12, "oilfield_services", "COR", ["esc-cor"]),
    ("SK", 9, "framing", "SECOR", ["scsa-secor"]),
    ("SK", 10, "framing", "COR", ["scsa-cor"]),
    ("SK", 9, "excavation", "SECOR", ["hcsas-secor", "scsa-secor"]),
    ("SK", 7, "oilfield_hauling", "SECOR", ["esc-secor"]),
    ("MB", 6, "framing", "SECOR", ["csam-secor"]),
    ("MB", 6, "excavation", "SECOR", ["mhca-secor", "csam-secor"]),
    ("MB", 25, "excavation", "COR", ["mhca-cor", "csam-cor"]),
    ("ON", 4, "renovation", "COR", ["ihsa-cor"]),
    ("ON", 60, "trucking", "COR", ["ihsa-cor"]),
    ("NS", 5, "roofing", "COR", ["national-cor"]),
    ("NB", 3, "general_construction", "COR", ["national-cor"]),
    ("NL", 30, "excavation", "COR", ["national-cor"]),
    ("PE", 8, "framing", "COR", ["national-cor"]),
]


@pytest.mark.parametrize("province,workers,industry,stream,packs", CASES)
def test_stream_and_partners(catalog, province, workers, industry, stream, packs):
    advice = advise(catalog, province, workers, industry)
    assert advice.stream == stream
    assert [p.id for p in advice.packs] == packs


def test_warnings_name_the_risks(catalog):
    small = advise(catalog, "AB", 10, "roofing")
    assert "Confirm that your prime contractors and clients accept SECOR; some ask for a full COR." in small.warnings
    assert any("close to the SECOR limit" in w for w in small.warnings)
    above = advise(catalog, "AB", 11, "roofing")
    assert above.reasons == ["11 workers is above Alberta's SECOR limit of 10, so COR applies."]
    ontario = advise(catalog, "ON", 4, "renovation")
    assert ontario.reasons == ["Ontario has no small-employer stream; employers of every size work toward COR."]
    sask = advise(catalog, "SK", 9, "framing")
    assert any(w.startswith("Partners count workers differently near the SECOR limit") for w in sask.warnings)
    assert not any("This file" in w or "nine or fewer" in w for w in sask.warnings)


def test_stream_command_json_and_text():
    proc = run_cli("stream", "--province", "AB", "--workers", "8", "--industry", "landscaping", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["stream"] == "SECOR"
    assert [p["id"] for p in data["partners"]] == ["acsa", "aasp"]
    proc = run_cli("stream", "--province", "BC", "--workers", "20")
    assert "Recommended stream: COR" in proc.stdout


def test_stream_command_errors():
    proc = run_cli("stream", "--province", "QC", "--workers", "8")
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith(
        "error: unknown province 'QC': use one of AB, BC, MB, NB, NL, NS, ON, PE, SK."
    )
    proc = run_cli("stream", "--province", "AB", "--workers", "8", "--industry", "plumbing")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: unknown industry 'plumbing': did you mean 'plumbing_mechanical'?"
    proc = run_cli("stream", "--province", "AB", "--workers", "8", "--industry", "bakery")
    assert proc.stderr.strip().startswith("error: unknown industry 'bakery' (use one of agriculture, auto_repair,")
    proc = run_cli("stream", "--province", "AB", "--workers", "0")
    assert proc.stderr.strip() == "error: workers must be at least 1 (got 0)"


BASE = {
    "company": {"name": "Test Co", "province": "AB", "workers": 8, "industry": "roofing"},
    "partner": "acsa",
    "hazards": ["ladders"],
    "people": {"owner": {"name": "Pat"}},
}


def test_profile_partner_must_serve_the_province(catalog):
    data = dict(BASE, partner="bccsa")
    with pytest.raises(UserError) as info:
        profile_from_text(yaml.safe_dump(data, sort_keys=False), catalog, name="p.yaml")
    assert info.value.lines == ["p.yaml:6: partner: BCCSA does not certify employers in AB (it serves BC)"]


def test_profile_stream_must_fit_the_size(catalog):
    data = dict(BASE, stream="SECOR", company=dict(BASE["company"], workers=25))
    with pytest.raises(UserError) as info:
        profile_from_text(yaml.safe_dump(data, sort_keys=False), catalog, name="p.yaml")
    assert info.value.lines == [
        "p.yaml:6: partner: ACSA SECOR is for employers with 10 or fewer workers (profile has 25):"
        " use stream: COR (or leave stream out and the advisor chooses)"
    ]


def test_questionnaire_offers_only_fitting_partners(catalog):
    from generator.questionnaire import Interview, Question, load_questionnaires

    interview = Interview(catalog, load_questionnaires(), {})
    interview.result = {"company": {"province": "SK", "workers": 9, "industry": "excavation"}}
    question = Question(id="partner", type="select", prompt="p", choices_from="partners")
    assert [c.value for c in interview.choices(question)] == ["hcsas", "scsa"]
    interview.result["company"]["province"] = "ON"
    assert [c.value for c in interview.choices(question)] == ["ihsa"]


def test_questionnaire_offers_only_streams_that_exist_advised_first(catalog):
    from generator.questionnaire import Interview, Question, load_questionnaires

    question = Question(id="stream", type="select", prompt="p", choices_from="streams")
    interview = Interview(catalog, load_questionnaires(), {})
    expected = {
        ("AB", 8, "landscaping"): [
            "SECOR  (advised: 8 workers is within Alberta's SECOR limit of 10 or fewer)",
            "COR  (if a client or prime contractor requires it)",
        ],
        ("MB", 12, "roofing"): ["COR  (advised: 12 workers is above Manitoba's SECOR limit of 9, so COR applies)"],
        ("BC", 6, "retail"): [
            "Small COR  (advised: 6 workers is within British Columbia's Small COR limit of 19 or fewer)",
            "COR  (if a client or prime contractor requires it)",
        ],
    }
    for (province, workers, industry), titles in expected.items():
        interview.result = {"company": {"province": province, "workers": workers, "industry": industry}}
        assert [c.title for c in interview.choices(question)] == titles


def test_answers_file_partner_that_does_not_fit_is_refused_with_the_reason(catalog):
    from generator.questionnaire import Interview, load_questionnaires

    answers = {
        "company": {"name": "Prairie Roofing", "province": "MB", "workers": 12, "industry": "roofing"},
        "partner": "ihsa",
        "hazards": ["ladders"],
        "people": {"owner": {"name": "Pat"}},
        "emergency": {"hospital": {"name": "Health Sciences Centre"}},
    }
    with pytest.raises(UserError) as info:
        Interview(catalog, load_questionnaires(), answers, "answers.yaml").run(None)
    assert info.value.lines == [
        "answers.yaml: partner: IHSA does not certify employers in MB (it serves ON): choose csam"
    ]
    answers["partner"] = "mhca"  # serves Manitoba, but not roofing
    with pytest.raises(UserError) as info:
        Interview(catalog, load_questionnaires(), answers, "answers.yaml").run(None)
    assert info.value.lines == ["answers.yaml: partner: MHCA WORKSAFELY does not serve roofing in MB: choose csam"]
