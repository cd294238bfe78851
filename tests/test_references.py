"""Every reference in every golden manual resolves to something the manual or form set contains.

An auditor who reads "follow the hot work procedure" looks for it; a manual that names a
procedure, form or section it does not have loses the point. Names of procedures the manual
refers to are listed here with what they resolve to, so a new reference must be placed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.document import section_text

CASES = sorted(p.parent for p in (Path(__file__).parent / "cases").glob("*/profile.yaml"))


# what each named procedure resolves to: a section or heading of this manual, a hazard's own
# emergency steps, or a document the text itself says is made elsewhere (site, equipment, label)
PROCEDURES = {
    "the work refusal procedure": ("title", "refus"),
    "the refusal procedure": ("title", "refus"),
    "the check-in procedure": ("title", "working alone"),
    "the working alone procedure": ("title", "working alone"),
    "the working alone check-in procedure": ("title", "working alone"),
    "the company lockout procedure": ("title", "lockout"),
    "the emergency removal procedure": ("title", "lockout"),
    "the alarm and emergency procedure": ("title", "emergency"),
    "the contact emergency procedure": ("hazard", "overhead_powerlines"),
    "the isolation procedure": ("hazard", "pressure_systems"),
    # written for a site, a system or a piece of equipment, as the sentence says
    "the rescue procedure": ("site", ""),
    "the fall protection and rescue procedure": ("site", ""),
    "the equipment-specific lockout procedure": ("site", ""),
    "the written lockout procedure": ("site", ""),
    "the written procedure": ("site", ""),  # a machine's safe operating procedure, posted at it
}
NAMED = re.compile(r"\bthe ((?:[a-z\-]+ ){0,4}?)procedure\b")
GENERIC = {"the procedure", "the calls and knows this procedure", "the supervisor if the procedure",
           "the supervisor so the procedure", "the label or a written procedure"}  # fmt: skip
SECTION = re.compile(r"\b(?:in|see|from|under|to) the ((?:[a-z\-,]+ ){1,5}?)section\b", re.IGNORECASE)
NOT_MANUAL_SECTIONS = {"fly"}  # a ladder's fly section


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.name)
def manual(request, golden_manual):
    facts, document = golden_manual(request.param)
    text = "\n".join(section_text(s) for s in document.sections)
    titles = {s.title.lower() for s in document.all_sections()}
    return facts, document, text, titles


def test_every_form_reference_is_in_the_form_set(manual):
    facts, _, text, _ = manual
    numbers = {f.number for f in facts.forms}
    named = set(re.findall(r"\bForm (F-\d{2})\b", text))
    assert named, "the manual names its forms"
    assert named <= numbers, f"forms named but not issued: {sorted(named - numbers)}"


def test_every_safe_job_procedure_named_is_in_the_manual(manual):
    _, document, text, _ = manual
    procedures = next(s for s in document.all_sections() if s.key == "topic/safe_job_procedures")
    present = {s.title for s in procedures.walk()}
    named = set(re.findall(r'see "([^"]+)" in the safe job procedures section', text))
    assert named, "hazards point at their safe job procedures"
    assert named <= present, sorted(named - present)


def test_every_section_named_is_in_the_manual(manual):
    _, _, text, titles = manual
    missing = []
    for match in SECTION.finditer(text):
        name = match.group(1).strip().lower()
        if name in NOT_MANUAL_SECTIONS or name in {"this", "next", "that"}:
            continue
        if not any(t == name or t.endswith(name) or name in t for t in titles):
            missing.append(match.group(0))
    assert not missing, sorted(set(missing))


def test_every_named_procedure_resolves(manual):
    facts, _, text, titles = manual
    hazards = {h.id for h in facts.hazards}
    problems = []
    for match in NAMED.finditer(text):
        phrase = match.group(0)
        if phrase in GENERIC:
            continue
        if phrase not in PROCEDURES:
            context = text[max(0, match.start() - 80) : match.end() + 20].replace("\n", " ")
            problems.append(f"unplaced reference {phrase!r}: ...{context}...")
            continue
        kind, target = PROCEDURES[phrase]
        if kind == "title" and not any(target in t for t in titles):
            problems.append(f"{phrase!r}: no section titled with {target!r}")
        if kind == "hazard" and target not in hazards:
            problems.append(f"{phrase!r}: the {target} hazard is not in this manual")
    assert not problems, "\n".join(sorted(set(problems)))


def test_no_procedure_the_manual_lacks_is_named(manual):
    _, _, text, titles = manual
    if not any("hot work" in t for t in titles):
        assert "hot work procedure" not in text


def test_no_words_run_together_after_punctuation(manual):
    # template output is trimmed, so a space written inside a {{ }} expression is lost
    _, _, text, _ = manual
    glued = re.findall(r".{20}[a-z][,;][A-Za-z].{10}", text)
    assert not glued, glued[:5]


def _with_hazards(catalog, case: str, extra: str):
    """A golden case's manual with more hazards chosen: the (facts, document, text, titles) above."""
    from generator.assemble import assemble_manual, gather_facts
    from generator.profile import profile_from_text

    text = (Path(__file__).parent / "cases" / case / "profile.yaml").read_text()
    changed = re.sub(r"^hazards: \[", f"hazards: [{extra}, ", text, count=1, flags=re.MULTILINE)
    assert changed != text
    facts = gather_facts(profile_from_text(changed, catalog), catalog)
    document = assemble_manual(facts, catalog)
    whole = "\n".join(section_text(s) for s in document.sections)
    return facts, document, whole, {s.title.lower() for s in document.all_sections()}


def _procedures(document) -> dict[str, str]:
    """The safe job procedures section: each procedure's title -> its text."""
    section = next(s for s in document.all_sections() if s.key == "topic/safe_job_procedures")
    return {s.title: section_text(s) for s in section.walk() if s is not section}


def test_machine_guarding_refers_to_the_one_lockout_procedure(catalog):
    """With lockout chosen too, the manual gives one list of lockout steps, and guarding points at it."""
    both = _with_hazards(catalog, "bc-electrical", "machine_guarding")
    _, document, text, _ = both
    lockout = catalog.hazards["lockout_tagout"].safe_job_procedure
    procedures = _procedures(document)
    assert lockout.title in procedures
    guarding = procedures["Clearing a jam, cleaning or adjusting a machine"]
    assert f'see "{lockout.title}" in the safe job procedures section' in guarding
    # the full lockout steps are printed once, and guarding's own lockout list is gone
    assert text.count(lockout.steps[3]) == 1
    for step in catalog.hazards["machine_guarding"].safe_job_procedure.steps:
        if "lock" in step.lower() or "energy" in step.lower():
            assert step not in text, step
    assert "Locking out a machine to clear a jam" not in text
    test_every_safe_job_procedure_named_is_in_the_manual(both)
    test_every_named_procedure_resolves(both)
    test_every_section_named_is_in_the_manual(both)


def test_machine_guarding_alone_keeps_its_own_lockout_steps(catalog):
    facts, document, text, _ = _with_hazards(catalog, "ab-roofing", "machine_guarding")
    assert "lockout_tagout" not in {h.id for h in facts.hazards}
    own = catalog.hazards["machine_guarding"].safe_job_procedure
    assert own.title in _procedures(document)
    assert "Put your own personal lock and a tag with your name on each isolation point" in text
