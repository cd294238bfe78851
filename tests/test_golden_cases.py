"""Golden scenarios: realistic clients, checked on what a reader and an auditor see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.document import Table, section_text, text_of

CASES = sorted(p.parent for p in (Path(__file__).parent / "cases").glob("*/profile.yaml"))
BANNED = re.compile(r"\b(TBD|TODO|lorem|ipsum|insert|placeholder|FIXME)\b|\{\{|\}\}|\{%|%\}", re.IGNORECASE)

EXPECTED_PACK = {
    "ab-landscaping": "acsa-secor",
    "ab-roofing": "acsa-secor",
    "bc-electrical": "bccsa-small-cor",
    "sk-oilfield-hauling": "esc-secor",
    "mb-framing": "csam-secor",
    "on-renovation": "ihsa-cor",
    "ab-trucking": "amta-secor",
    "bc-logging": "bcfsc-small-cor",
    "sk-lone-hauler": "esc-secor",
    "ab-renovation-hires-electrical": "acsa-secor",
    "mb-plumbing-no-entry": "csam-secor",
    "ab-one-person-painter": "acsa-secor",
}


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.name)
def case(request, golden_manual):
    facts, document = golden_manual(request.param)
    return request.param.name, facts, document


def _tables(section):
    return [b for s in section.walk() for b in s.blocks if isinstance(b, Table)]


def _section(document, key):
    found = [s for s in document.all_sections() if s.key == key]
    assert found, f"no section {key}"
    return found[0]


def test_cases_cover_the_issue():
    assert {c.name for c in CASES} >= set(EXPECTED_PACK)


def test_chapters_follow_the_partner_with_real_content(case):
    name, facts, document = case
    assert facts.pack.id == EXPECTED_PACK[name]
    chapters = [s for s in document.sections if s.key.startswith("element/")]
    assert [c.title for c in chapters] == [e.name for e in facts.pack.elements]
    for chapter in chapters:
        words = len(section_text(chapter).split())
        assert words >= 400, f"{chapter.heading}: only {words} words"
        assert chapter.children, f"{chapter.heading} has no sections"


def test_every_hazard_has_practice_register_training_and_inspection(case):
    _, facts, document = case
    practices = _section(document, "topic/safe_work_practices")
    practice_titles = [s.title for s in practices.walk()]
    register = " ".join(text_of(t) for t in _tables(_section(document, "appendix/hazard_register")))
    training = " ".join(text_of(t) for t in _tables(_section(document, "topic/training")))
    inspections = " ".join(text_of(t) for t in _tables(_section(document, "topic/inspections")))
    for hazard in facts.hazards:
        assert hazard.name in practice_titles, f"no safe work practice for {hazard.name}"
        section = next(s for s in practices.walk() if s.title == hazard.name)
        assert hazard.safe_work_practice[0] in section_text(section)
        assert hazard.name in register, f"{hazard.name} not in the hazard register"
        assert hazard.name in training or any(t.name in training for t in hazard.training), hazard.name
        assert hazard.name in inspections, f"{hazard.name} not in the inspection schedule"


def test_only_the_provinces_own_legislation(case, catalog):
    _, facts, document = case
    text = "\n".join(section_text(s) for s in document.sections)
    jur = facts.jur
    assert jur.legislation.act.name in text
    assert jur.compensation_board.name in text
    for other in catalog.jurisdictions.values():
        if other.id == jur.id:
            continue
        for statute in [other.legislation.act, *other.legislation.regulations]:
            if statute.citation and statute.citation not in (jur.legislation.act.citation,):
                assert statute.citation not in text, f"{other.id} law {statute.citation!r} in a {jur.id} manual"
        assert other.compensation_board.name not in text, f"{other.compensation_board.name} in a {jur.id} manual"


def test_long_enough_and_nothing_unfinished(case):
    _, facts, document = case
    text = "\n".join(section_text(s) for s in document.sections)
    assert len(facts.hazards) == 8
    assert len(text.split()) >= 12000
    match = BANNED.search(text)
    assert match is None, f"unfinished text: {text[max(0, match.start() - 60) : match.end() + 60]!r}"
