"""A reference not yet verified is printed by its law and subject; the review notes carry it whole."""

from __future__ import annotations

from pathlib import Path

from generator.context import cite, instrument
from generator.document import section_text
from generator.review_notes import review_notes

CASES = Path(__file__).parent / "cases"


def test_unverified_references_lose_their_pinpoint_only():
    assert instrument("OHS Code, Part 9") == "OHS Code"
    assert instrument("R.R.O. 1990, Reg. 851, ss. 22-23") == "R.R.O. 1990, Reg. 851"
    assert instrument("Occupational Health and Safety Act, s. 25(2)(h)") == "Occupational Health and Safety Act"
    assert instrument("Saskatchewan Employment Act, Part III; OHS Regulations, 2020, Part 3") == (
        "Saskatchewan Employment Act; OHS Regulations, 2020"
    )
    assert instrument("NSC Standard 10") == "NSC Standard 10"
    ref = {"ref": "OHS Code, Part 9, s. 141", "title": "Instruction of workers"}
    assert cite({**ref, "verified": True}) == "OHS Code, Part 9, s. 141 (Instruction of workers)"
    assert cite({**ref, "verified": False}) == "OHS Code (Instruction of workers)"


def test_the_sk_manual_prints_confirmed_references_and_notes_the_rest(golden_manual):
    facts, document = golden_manual(CASES / "sk-oilfield-hauling")
    appendix = next(s for s in document.sections if s.key == "appendix/references")
    text = section_text(appendix)
    notes = review_notes(facts)
    unverified = [
        c for h in facts.hazards for c in h.legislation.get("SK", []) if not c.verified and instrument(c.ref) != c.ref
    ]
    assert unverified, "the case no longer has an unverified pinpoint to test"
    for citation in unverified:
        assert citation.ref not in text, citation.ref
        assert f"{instrument(citation.ref)} ({citation.title})" in text
        assert any(citation.ref in n.fact for n in notes), citation.ref
    verified = [c for h in facts.hazards for c in h.legislation.get("SK", []) if c.verified]
    for citation in verified:
        assert citation.ref in text
    # an unconfirmed chapter citation of the Act is not printed anywhere; its name is, in the
    # legislation section
    act = facts.jur.legislation.act
    whole = "\n".join(section_text(s) for s in document.sections)
    legislation = section_text(next(s for s in document.all_sections() if s.key == "topic/legislation"))
    if not act.verified and act.citation:
        assert act.citation not in whole and act.name in legislation
