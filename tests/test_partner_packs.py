"""The manual follows the chosen partner's pack; switching partner re-shapes it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.assemble import assemble_manual, gather_facts
from generator.content_models import TOPICS
from generator.document import Callout, section_text, text_of
from generator.profile import profile_from_text
from generator.yamlio import load_yaml

CASES = Path(__file__).parent / "cases"
REQUIRED_PACKS = {
    "acsa-secor", "acsa-cor", "aasp-secor", "aasp-cor", "esc-secor", "esc-cor", "bccsa-small-cor",
    "bccsa-cor", "scsa-secor", "scsa-cor", "hcsas-secor", "hcsas-cor", "csam-secor", "csam-cor",
    "mhca-secor", "mhca-cor", "ihsa-cor", "national-cor",
}  # fmt: skip


def _manual(catalog, data):
    profile = profile_from_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), catalog)
    facts = gather_facts(profile, catalog)
    return facts, assemble_manual(facts, catalog)


def _data(case):
    return load_yaml(CASES / case / "profile.yaml").data  # our loader keeps ON as "ON"


def test_every_required_pack_is_complete(catalog):
    assert set(catalog.packs) >= REQUIRED_PACKS
    for pack in catalog.packs.values():
        topics = [t for e in pack.elements for t in e.topics]
        assert sorted(topics) == sorted(TOPICS), pack.id
        req = pack.requirements
        assert req.pass_marks.overall == 80 and req.pass_marks.per_element in (50, 60)
        assert len(req.audit_cycle) >= 3, pack.id
        assert req.records_before_audit.summary
        assert pack.protocol.name and pack.sources


@pytest.mark.parametrize("case,pack_id", [("ab-landscaping", "acsa-secor"), ("on-renovation", "ihsa-cor")])
def test_chapters_follow_the_partner_elements_in_order(catalog, case, pack_id):
    facts, document = _manual(catalog, _data(case))
    pack = catalog.packs[pack_id]
    assert facts.pack.id == pack_id
    chapters = [s for s in document.sections if s.key.startswith("element/")]
    assert [c.heading for c in chapters] == [f"{i} {e.name}" for i, e in enumerate(pack.elements, start=1)]
    for chapter, element in zip(chapters, pack.elements, strict=False):
        opening = chapter.blocks[0]
        assert isinstance(opening, Callout) and opening.title == f"What the {pack.partner.short} auditor looks for"
        assert element.looks_for[0] in text_of(opening)
    xref = next(s for s in document.sections if s.key == "appendix/cross_reference")
    text = section_text(xref)
    for element in pack.elements:
        assert f"{element.number}. {element.name}" in text


def test_ihsa_elements_are_the_cor_2020_list(catalog):
    names = [e.name for e in catalog.packs["ihsa-cor"].elements]
    assert len(names) == 14
    assert names[3].startswith("Procurement and Contractor Management")
    assert names[13].startswith("Management Review")


@pytest.mark.parametrize("case,first,second", [("mb-framing", "csam", "mhca"), ("ab-landscaping", "acsa", "aasp")])
def test_changing_only_the_partner_reshapes_the_manual(catalog, case, first, second):
    data = _data(case)
    facts_a, manual_a = _manual(catalog, dict(data, partner=first))
    facts_b, manual_b = _manual(catalog, dict(data, partner=second))
    chapters_a = [s.title for s in manual_a.sections if s.key.startswith("element/")]
    chapters_b = [s.title for s in manual_b.sections if s.key.startswith("element/")]
    assert chapters_a == [e.name for e in facts_a.pack.elements]
    assert chapters_b == [e.name for e in facts_b.pack.elements]
    if case == "mb-framing":
        assert chapters_a != chapters_b  # CSAM's instrument differs from MHCA's national list
    plan_b = section_text(next(s for s in manual_b.sections if s.key == "appendix/certification_plan"))
    # the plan names the partner by its short name (the full name is on the cover)
    assert facts_b.pack.partner.short in plan_b
    # (the first partner's name may still appear: a province's rebate text can name partners)
    assert plan_b != section_text(next(s for s in manual_a.sections if s.key == "appendix/certification_plan"))
    for course in facts_b.pack.requirements.courses:
        assert course.name in plan_b
    looks_a = [text_of(s.blocks[0]) for s in manual_a.sections if s.key.startswith("element/")]
    looks_b = [text_of(s.blocks[0]) for s in manual_b.sections if s.key.startswith("element/")]
    assert looks_a != looks_b


def test_certification_plan_is_dated(catalog):
    facts, document = _manual(catalog, _data("ab-landscaping"))
    plan = section_text(next(s for s in document.sections if s.key == "appendix/certification_plan"))
    assert "Program start | 2026-11-01" in plan
    minimum = facts.pack.requirements.records_before_audit.minimum_months
    assert minimum and f"after {minimum} months of records" in plan
    assert "Partnerships in Injury Reduction" in plan  # Alberta's rebate program
