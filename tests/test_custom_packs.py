"""Third-party packs: located template errors, a sandbox, and no reading outside the pack."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

from generator.yamlio import load_yaml

PACK_SOURCE = ROOT / "manual_templates" / "packs" / "acsa-secor" / "pack.yaml"
PROFILE = """\
company: {name: Custom Pack Test Co, province: AB, workers: 6, industry: roofing}
partner: acme
hazards: [ladders]
people: {owner: {name: Pat Owner}}
"""


def _custom_pack(tmp_path: Path, policy: str | None = None) -> Path:
    packs = tmp_path / "packs"
    pack = packs / "acme-secor"
    (pack / "sections").mkdir(parents=True)
    data = load_yaml(PACK_SOURCE).data
    data["id"] = "acme-secor"
    data["partner"] = {"id": "acme", "name": "Acme Safety Partners", "short": "ACME"}
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (pack / "pack.yaml").write_text(text)
    if policy is not None:
        (pack / "sections" / "policy.md").write_text(policy)
    return packs


def _build(tmp_path, packs):
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE)
    return run_cli("build", str(profile), "-o", str(tmp_path / "out"), "--packs", str(packs), "--format", "docx")


def test_custom_pack_builds_and_overrides_a_section(tmp_path):
    packs = _custom_pack(tmp_path, "## Our policy\n\n{{ company.name }} keeps everyone safe, the Acme way.\n")
    proc = _build(tmp_path, packs)
    assert proc.returncode == 0, proc.stderr
    import docx

    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "manual.docx")).paragraphs)
    assert "Custom Pack Test Co keeps everyone safe, the Acme way." in text
    assert load_yaml(packs / "acme-secor" / "pack.yaml").data["partner"]["id"] == "acme"


def test_template_syntax_error_names_file_and_line(tmp_path):
    packs = _custom_pack(tmp_path, "## Policy\n\nfine line\n{% if company.name %}\nno endif here\n")
    proc = _build(tmp_path, packs)
    assert proc.returncode == 2
    line = proc.stderr.strip().splitlines()[-1]
    assert re.match(r"error: .*acme-secor/sections/policy\.md:\d+: template syntax error: ", line), line
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "manual.docx").exists()


def test_templates_run_in_a_sandbox(tmp_path):
    packs = _custom_pack(tmp_path, "## Policy\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    proc = _build(tmp_path, packs)
    assert proc.returncode == 2
    assert "template tried an unsafe operation" in proc.stderr or "template error" in proc.stderr
    assert "policy.md" in proc.stderr


def test_pack_cannot_include_files_outside_its_folder(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("SECRET-OUTSIDE-THE-PACK")
    packs = _custom_pack(tmp_path, "## Policy\n\n{% include '../../../secret.md' %}\n")
    proc = _build(tmp_path, packs)
    assert proc.returncode == 2
    assert "not found" in proc.stderr
    # a link inside the pack that leads outside it is refused too
    packs = _custom_pack(tmp_path / "second")
    link = packs / "acme-secor" / "sections" / "policy.md"
    os.symlink(secret, link)
    proc = _build(tmp_path / "second", packs)
    assert proc.returncode == 2, proc.stdout
    assert "SECRET-OUTSIDE-THE-PACK" not in proc.stderr
    if (tmp_path / "second" / "out" / "manual.docx").exists():
        pytest.fail("a manual was built from a file outside the pack")
    shutil.rmtree(tmp_path / "second")


def test_update_and_interview_accept_packs(tmp_path):
    packs = _custom_pack(tmp_path)
    profile = tmp_path / "profile.yaml"
    profile.write_text(
        PROFILE
        + "emergency: {hospital: {name: Red Deer Regional Hospital, address: '3942 50a Avenue, Red Deer'}}\n"
        + "document: {revision: 1, date: 2026-10-01}\n"
    )
    out = tmp_path / "out"
    refused = run_cli("update", str(profile), "--add-hazard", "noise", "-o", str(out), "--format", "docx")
    assert refused.returncode == 2 and "unknown certifying partner 'acme'" in refused.stderr
    proc = run_cli(
        "update", str(profile), "--add-hazard", "noise", "-o", str(out), "--format", "docx", "--packs", str(packs)
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "manual.docx").is_file()
    assert load_yaml(profile).data["document"]["revision"] == 2
    rebuilt = tmp_path / "again"
    again = run_cli(
        "interview", "--profile", str(profile), "--packs", str(packs), "--build-dir", str(rebuilt), input=""
    )
    assert again.returncode == 0, again.stderr  # without --packs the profile's partner is unknown
    assert "No answers changed" in again.stdout or (rebuilt / "manual.pdf").is_file()


def test_template_runtime_error_names_the_custom_packs_file(tmp_path):
    packs = _custom_pack(tmp_path, "## Policy\n\n{{ company.name.nope.upper() }}\n")
    proc = _build(tmp_path, packs)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert re.search(r"acme-secor/sections/policy\.md:3: ", proc.stderr), proc.stderr
    assert "manual_templates/sections/policy.md" not in proc.stderr
