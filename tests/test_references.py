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
