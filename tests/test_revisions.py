"""Keeping a manual current: update raises the revision, reports changes, archives the old
revision and keeps the company's own text; an unchanged rebuild changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import yaml
from conftest import EXAMPLE, docx_text, run_cli

from generator.yamlio import load_yaml

CUSTOM_POLICY = "Prairie Green crews stop work whenever a client asks them to work near an unmarked irrigation line."


def _profile(tmp_path):
    data = load_yaml(EXAMPLE).data
    # the lift station contract means entering confined spaces, not hiring it out
    data["operations"] = {"hires_out": ["electrical", "gas"]}
    data["custom"] = {
        "sections": {"policy": [CUSTOM_POLICY]},
        "hazards": [
            {
                "id": "irrigation_trenching",
                "name": "Irrigation trenching",
                "description": "Cutting shallow trenches for irrigation lines with a walk-behind trencher.",
                "safe_work_practice": [
                    "Locate all utilities before trenching.",
                    "Keep hands and feet clear of the chain.",
                ],
                "inspection_items": ["Chain guard in place", "Dead-man control works"],
                "controls": {"engineering": ["Use trenchers with a working dead-man control"]},
                "training": ["Trencher operation"],
            }
        ],
    }
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_add_confined_space_then_rebuild_unchanged(tmp_path, catalog):
    profile = _profile(tmp_path)
    out = tmp_path / "out"
    first = run_cli("build", str(profile), "-o", str(out), "--format", "docx")
    assert first.returncode == 0, first.stderr
    rev1_text = docx_text(out / "manual.docx")
    assert CUSTOM_POLICY in rev1_text and "Irrigation trenching" in rev1_text

    update = run_cli(
        "update",
        str(profile),
        "--add-hazard",
        "confined_space",
        "--note",
        "Lift station contract",
        "-o",
        str(out),
        "--format",
        "docx",
    )
    assert update.returncode == 0, update.stderr
    saved = load_yaml(profile).data
    assert saved["document"]["revision"] == 2
    assert [h["revision"] for h in saved["document"]["history"]] == [1, 2]
    assert saved["document"]["history"][1]["changes"] == "Added Confined space entry; Lift station contract"
    assert str(saved["document"]["date"]) == dt.date.today().isoformat()
    assert saved["custom"]["sections"]["policy"] == [CUSTOM_POLICY]

    # revision 2 has the new practice and training; its inspection items are on the inspection form
    text = docx_text(out / "manual.docx")
    confined = catalog.hazards["confined_space"]
    assert confined.safe_work_practice[0] in text
    assert confined.training[0].name in text
    assert CUSTOM_POLICY in text and "Irrigation trenching" in text
    assert "Revision 2 \u00b7" in text  # the footer
    inspection = next((out / "forms").glob("F-04-*.docx"))
    assert confined.inspection.items[0] in docx_text(inspection)
    assert (out / "forms" / "toolbox-talks" / "TT-confined-space.docx").is_file()

    # the change report lists what the new hazard brought, and only that kind of change
    report = (out / "changes-rev-2.md").read_text()
    assert "- Added: Confined space entry" in report
    assert f"- Added: {confined.safe_job_procedure.title}" in report
    assert "- Added: Toolbox talk: Confined space entry" in report
    for changed in (
        "Training matrix",
        "Types of inspection and schedule",
        "Workplace Inspection Checklist",
        "Field-Level Hazard Assessment",
    ):
        assert f"- Changed: {changed}" in report, changed
    assert "Removed" not in report
    assert "Policy" not in report and "Toolbox talk: Heat stress" not in report
    manifest = json.loads((out / "build.json").read_text())
    assert manifest["change_report"] == "changes-rev-2.md" and manifest["revision"] == 2
    assert manifest["archived"] == "archive/rev-1"

    # revision 1 sits in the archive, whole
    archived = out / "archive" / "rev-1" / "manual.docx"
    assert docx_text(archived) == rev1_text
    assert (out / "archive" / "rev-1" / "build.json").is_file() or (out / "archive" / "rev-1" / "forms").is_dir()

    # rebuilding again changes nothing: same text, same revision, no new report or archive
    again = run_cli("build", str(profile), "-o", str(out), "--format", "docx")
    assert again.returncode == 0, again.stderr
    assert docx_text(out / "manual.docx") == text
    assert load_yaml(profile).data["document"]["revision"] == 2
    assert json.loads((out / "build.json").read_text())["change_report"] is None
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["rev-1"]


def test_update_errors(tmp_path):
    profile = _profile(tmp_path)
    proc = run_cli("update", str(profile), "--add-hazard", "confined_spaces")
    assert proc.returncode == 2
    assert (
        proc.stderr.strip() == "error: --add-hazard: unknown hazard 'confined_spaces': did you mean 'confined_space'?"
    )
    proc = run_cli("update", str(profile), "--remove-hazard", "ladders")
    assert proc.stderr.strip() == "error: --remove-hazard: 'ladders' is not in the profile"
    proc = run_cli("update", str(profile))
    assert proc.stderr.strip() == "error: update: nothing to do; give --add-hazard, --remove-hazard or --note"
    assert load_yaml(profile).data.get("document", {}).get("revision") == 1


def test_interview_again_with_saved_answers(tmp_path):
    profile = _profile(tmp_path)
    unchanged = run_cli("interview", "--profile", str(profile), input="")
    assert unchanged.returncode == 0, unchanged.stderr
    assert "No answers changed" in unchanged.stdout
    answers = tmp_path / "answers.yaml"
    answers.write_text("company:\n  workers: 9\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("interview", "--profile", str(profile), "--answers", str(answers), "--build-dir", str(out), input="")
    assert proc.returncode == 0, proc.stderr
    saved = load_yaml(profile).data
    assert saved["company"]["workers"] == 9
    assert saved["document"]["revision"] == 2
    assert saved["document"]["history"][-1]["changes"] == "Answers updated in the questionnaire"
    assert saved["custom"]["sections"]["policy"] == [CUSTOM_POLICY]  # keys no question asks survive
    assert (out / "manual.pdf").is_file()


def test_change_report_is_titled_from_the_revisions_compared():
    from generator.revisions import report

    diff = {
        "chapters": {"added": [], "removed": [], "changed": ["Hazard Control"]},
        "sections": {"added": [], "removed": [], "changed": []},
        "forms": {"added": [], "removed": [], "changed": []},
    }
    raised = report(diff, 2, {"revision": 1, "built_at": "2026-11-01T10:00:00"}).splitlines()
    assert raised[:3] == ["# Changes in revision 2", "", "Compared with revision 1 (built 2026-11-01)."]
    rebuilt = report(diff, 1, {"revision": 1, "built_at": "2026-11-01T10:00:00"}).splitlines()
    assert rebuilt[:3] == [
        "# Changes since the last build of revision 1",
        "",
        "Compared with the previous build of 2026-11-01, also revision 1: the revision number was not raised.",
    ]
    assert "- Changed: Hazard Control" in rebuilt
