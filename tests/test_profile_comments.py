"""`update` changes values in the user's profile file and keeps their comments and layout."""

from __future__ import annotations

import datetime as dt

from conftest import EXAMPLE, ROOT, run_cli

from generator.profile import load_profile
from generator.profile_file import merged_text

NOTES = {
    "  workers: 8\n": "  workers: 8  # two seasonal labourers join in May\n",
    "partner: acsa\n": "partner: acsa  # the client's prequalification asks for ACSA SECOR\n",
    "  - chainsaws\n": "  # chainsaw work is only for the tree crew\n  - chainsaws\n",
    "people:\n": "# Dana signs everything; Marcus runs the crews.\npeople:\n",
}


def _annotated(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    for plain, annotated in NOTES.items():
        assert plain in text
        text = text.replace(plain, annotated)
    path = tmp_path / "client.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_update_keeps_comments_order_and_untouched_lines(tmp_path, catalog):
    path, before = _annotated(tmp_path)
    proc = run_cli(
        "update", str(path), "--add-hazard", "confined_space", "--remove-hazard", "wood_chippers",
        "--note", "Sewer tie-in work", "-o", str(tmp_path / "out"), "--format", "docx",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    after = path.read_text(encoding="utf-8")
    for annotated in NOTES.values():
        assert annotated in after
    today = dt.date.today().isoformat()
    assert "  - confined_space\n" in after and "wood_chippers" not in after
    assert f"  revision: 2\n  date: {today}\n" in after
    assert f"    - revision: 2\n      date: {today}\n" in after
    assert "Sewer tie-in work" in after
    # every line the update had no reason to touch is still there, long ones unfolded
    changed = ("  - wood_chippers", "  revision: 1", "  date: 2026-11-01")
    kept = [line for line in before.splitlines() if line.strip() and not line.startswith(changed)]
    assert [line for line in kept if line not in after.splitlines()] == []
    profile = load_profile(path, catalog)
    assert profile.document.revision == 2
    assert [h.revision for h in profile.document.history] == [1, 2]


def test_merged_text_refuses_what_it_cannot_keep(catalog):
    profile = load_profile(EXAMPLE, catalog)
    assert merged_text("company: [unclosed\n", profile) is None
    assert merged_text("- a list, not a profile\n", profile) is None


def test_unchanged_profiles_come_back_byte_for_byte(catalog):
    for path in [EXAMPLE, *sorted((ROOT / "tests" / "cases").glob("*/profile.yaml"))]:
        text = path.read_text(encoding="utf-8")
        assert merged_text(text, load_profile(path, catalog)) == text, path


def test_interview_written_profile_then_update_changes_only_the_changed_lines(tmp_path, catalog):
    """Round trip: `interview` writes the file (PyYAML layout), `update`'s save keeps that layout."""
    import difflib

    import yaml

    from generator.profile import save_profile
    from generator.updating import change_hazards, next_revision

    answers = {
        "company": {"name": "North Shore Electric", "province": "BC", "workers": 15, "industry": "electrical"},
        "partner": "bccsa",
        "hazards": ["electrical_work", "ladders", "lockout_tagout"],
        "people": {"owner": {"name": "Sam Ortiz", "title": "Owner"}},
        "emergency": {
            "hospital": {"name": "Lions Gate Hospital"},
            "muster_point": "Front gate by the road sign, next to the blue container where the trucks park overnight",
        },
        "document": {"program_start": "2026-11-02"},
    }
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    path = tmp_path / "profile.yaml"
    proc = run_cli("interview", "--answers", str(tmp_path / "answers.yaml"), "-o", str(path))
    assert proc.returncode == 0, proc.stderr
    before = path.read_text(encoding="utf-8")
    assert "\n- ladders\n" in before  # list items flush with their key, as PyYAML writes them

    # the save `update --add-hazard noise` makes (its build is tested elsewhere)
    profile = load_profile(path, catalog)
    hazards, what = change_hazards(profile, catalog, ["noise"], [])
    revised = next_revision(profile.model_copy(update={"hazards": hazards}), what, dt.date(2027, 1, 5))
    save_profile(revised, path, packs_version="test", keep_comments=True)
    after = path.read_text(encoding="utf-8")

    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    today = dt.date.today().isoformat()
    assert diff == [
        "+- noise",
        f"-  date: '{today}'",
        "+  date: 2027-01-05",
        "+  revision: 2",
        "+  history:",
        "+  - revision: 1",
        f"+    date: {today}",
        "+    changes: First issue of the program",
        "+  - revision: 2",
        "+    date: 2027-01-05",
        "+    changes: Added Noise",
        "+    approved_by: Sam Ortiz",
    ]
    assert load_profile(path, catalog) == revised
