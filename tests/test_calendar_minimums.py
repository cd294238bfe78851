"""Issue #16: the program calendar never prints a frequency below what the law or the partner
requires for the company's province, size and pack, and says where that minimum is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.calendar import applicable_minimums, load_calendar, program_calendar
from generator.document import section_text
from generator.errors import ContentError
from generator.paths import data_dir

CASES = Path(__file__).parent / "cases"


def _cell(cell) -> str:
    return cell if isinstance(cell, str) else "".join(getattr(r, "text", "") for r in cell)


def _calendar(document) -> dict[str, str]:
    """The printed program calendar: activity -> how often."""
    found = [s for s in document.all_sections() if s.title == "Program calendar"]
    assert len(found) == 1, "the calendar is printed once"
    table = next(b for b in found[0].blocks if hasattr(b, "rows"))
    return {_cell(row[0]): _cell(row[1]) for row in table.rows}


def _activity(activity_id: str):
    return next(a for a in load_calendar().activities if a.id == activity_id)


def test_a_small_bc_company_meets_its_workers_monthly(golden_manual):
    facts, document = golden_manual(CASES / "bc-logging")
    assert (facts.jur.id, facts.profile.company.workers) == ("BC", 4)
    meeting = _calendar(document)["General safety meeting"]
    assert meeting.startswith("Monthly"), meeting
    assert "three months" not in meeting


def test_an_alberta_company_of_the_same_size_keeps_the_lighter_frequency(golden_manual):
    facts, document = golden_manual(CASES / "ab-renovation-hires-electrical")
    assert (facts.jur.id, facts.profile.company.workers) == ("AB", 4)
    small = next(r for r in _activity("safety_meeting").rules if r.when == ["workers_le_10"])
    assert small.per_year is not None and small.per_year < 12
    assert _calendar(document)["General safety meeting"] == small.frequency


def test_the_bc_minimum_goes_to_the_review_notes_and_not_into_the_manual(golden_manual):
    from generator.review_notes import review_notes

    facts, document = golden_manual(CASES / "bc-logging")
    notes = [n for n in review_notes(facts) if n.where == "Program calendar: General safety meeting"]
    assert [n.fact for n in notes] == [
        "OHS Regulation, s. 3.2 (Small operations (less formal program based on regular monthly meetings with workers))"
    ]
    assert "worksafebc.com" in notes[0].source
    text = "\n".join(section_text(s) for s in document.sections)
    assert "reproduction" not in text and "Confirm s. 3.2" not in text
    ab_facts, _ = golden_manual(CASES / "ab-renovation-hires-electrical")
    assert not [n for n in review_notes(ab_facts) if "s. 3.2" in n.fact]


def test_every_minimum_says_where_it_is_written():
    jurisdictions = {p.stem.upper() for p in (data_dir("manual_templates") / "jurisdictions").glob("*.yaml")}
    minimums = [m for a in load_calendar().activities for m in a.minimums]
    assert len(minimums) >= 6
    for minimum in minimums:
        assert minimum.ref.strip() and minimum.source.strip(), minimum
        assert set(minimum.provinces) <= jurisdictions, minimum.provinces
        if minimum.provinces or minimum.verified:
            assert re.match(r"https?://", minimum.source), minimum.source
        if not minimum.verified and minimum.provinces:
            assert minimum.note, f"{minimum.ref}: say what is left to check"


@pytest.mark.parametrize("province", ["AB", "BC", "SK", "MB", "ON", "NB", "NS", "PE", "NL"])
def test_no_minimum_makes_a_one_person_company_meet_with_itself(province):
    rows = {r["id"]: r["frequency"] for r in program_calendar(frozenset({"one_person"}), 1, {}, province)}
    assert rows["safety_meeting"] == _activity("safety_meeting").rules[0].frequency
    assert rows["toolbox_talk"] == _activity("toolbox_talk").rules[0].frequency
    assert _activity("safety_meeting").rules[0].when == ["one_person"]
    bound = {a.id for a, _ in applicable_minimums(frozenset({"one_person"}), 1, province)}
    assert not bound & {"safety_meeting", "toolbox_talk"}


def test_the_minimum_binds_only_where_it_applies():
    def meeting(workers: int, province: str) -> str:
        rows = program_calendar(frozenset(), workers, {}, province)
        return next(r["frequency"] for r in rows if r["id"] == "safety_meeting")

    # BC s. 3.2 binds below the formal-program size; a 25-worker company keeps its own rule
    assert meeting(2, "BC").startswith("Monthly with the workers")
    assert meeting(19, "BC").startswith("Monthly with the workers")
    larger = _activity("safety_meeting").rules[-1].frequency
    assert meeting(25, "BC") == larger
    assert meeting(19, "SK") == larger
    # New Brunswick: every employer inspects the whole workplace each month
    rows = {r["id"]: r["frequency"] for r in program_calendar(frozenset(), 3, {}, "NB")}
    assert rows["inspection"].startswith("Monthly, the whole workplace")
    rows = {r["id"]: r["frequency"] for r in program_calendar(frozenset(), 3, {}, "AB")}
    small = next(r for r in _activity("inspection").rules if r.when == ["workers_le_5"])
    assert rows["inspection"] == small.frequency


def _refused(tmp_path, change) -> list[str]:
    """The problems loading the calendar reports after ``change`` edits its data."""
    data = yaml.safe_load((data_dir("manual_templates") / "program_calendar.yaml").read_text())
    change({a["id"]: a for a in data["activities"]})
    root = tmp_path / "manual_templates"
    root.mkdir(parents=True)
    (root / "program_calendar.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ContentError) as info:
        load_calendar(root)
    return [p.message for p in info.value.problems]


def _bc_meeting_minimum(activities):
    return next(m for m in activities["safety_meeting"]["minimums"] if m.get("provinces") == ["BC"])


def test_a_province_minimum_must_give_the_wording_to_print(tmp_path):
    assert _refused(tmp_path, lambda acts: _bc_meeting_minimum(acts).pop("frequency")) == [
        "a minimum that binds only some companies needs the `frequency` to print"
    ]


def test_a_rule_a_minimum_may_apply_to_states_how_often(tmp_path):
    def drop(acts):
        rule = next(r for r in acts["safety_meeting"]["rules"] if r.get("when") == ["workers_le_10"])
        rule.pop("per_year")

    assert _refused(tmp_path, drop) == [
        "a minimum (OHS Regulation, s. 3.2) may apply to this rule, so it needs `per_year`"
    ]


def test_a_rule_below_a_minimum_for_everyone_is_refused(tmp_path):
    def raise_floor(acts):
        floor = {"per_year": 2, "ref": "A rule for every company", "source": "https://example.org", "verified": True}
        acts["program_review"]["minimums"].append(floor)

    [message] = _refused(tmp_path, raise_floor)
    assert message.startswith("1 a year is less often than the minimum of 2 (A rule for every company")


def test_a_minimum_must_say_where_it_is_written(tmp_path):
    for key in ("source", "ref"):
        assert _refused(tmp_path / key, lambda acts, key=key: _bc_meeting_minimum(acts).pop(key)) == ["is required"]
