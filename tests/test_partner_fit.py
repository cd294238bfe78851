"""A partner that does not serve the company's industry is said at once: one warning line and
the first review note (the manual itself is unchanged)."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import run_cli

CASE = Path(__file__).parent / "cases" / "bc-electrical" / "profile.yaml"


def test_a_partner_outside_the_industry_is_a_warning_and_a_review_note(tmp_path):
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    data["company"]["industry"] = "food_processing"
    profile = tmp_path / "food.yaml"
    profile.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    line = next(i for i, text in enumerate(profile.read_text().splitlines(), 1) if text.startswith("partner:"))
    out = tmp_path / "out"
    proc = run_cli("build", str(profile), "-o", str(out), "--format", "docx")
    assert proc.returncode == 0, proc.stderr
    warning = next(w for w in proc.stderr.splitlines() if w.startswith("warning:"))
    assert warning.startswith(
        f"warning: food.yaml:{line}: partner: BC Construction Safety Alliance (BCCSA) certifies construction employers. "
    )
    assert "The company's industry (Food and beverage processing) is not one BCCSA serves. Ask WorkSafeBC" in warning
    notes = (out / "review-notes.md").read_text(encoding="utf-8")
    assert "Certifying partner" in notes and "is not one BCCSA serves" in notes


def test_a_fitting_partner_gives_no_such_warning(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("build", str(CASE), "-o", str(out), "--format", "docx")
    assert proc.returncode == 0, proc.stderr
    assert "partner:" not in proc.stderr
    assert "Certifying partner" not in (out / "review-notes.md").read_text(encoding="utf-8")
