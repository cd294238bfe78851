"""The words around the manual's text come from manual_templates/wording.yaml, not from Python."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator import assemble
from generator.errors import ContentError
from generator.wording import load_manual_wording

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "tests" / "cases" / "ab-roofing"


def _wording_copy(tmp_path: Path, change) -> Path:
    root = tmp_path / "manual_templates"
    root.mkdir()
    shutil.copy(ROOT / "manual_templates" / "wording.yaml", root / "wording.yaml")
    data = yaml.safe_load((root / "wording.yaml").read_text(encoding="utf-8"))
    change(data)
    (root / "wording.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


def test_edited_wording_reaches_the_cover_and_the_auditor_box(tmp_path, monkeypatch, catalog):
    from generator.document import Callout
    from generator.profile import load_profile

    def change(data):
        data["cover"]["subtitle"] = "Programme for the $partner $stream audit"
        data["auditor_box"]["title"] = "Ce que cherche l'auditeur $partner"

    edited = load_manual_wording(_wording_copy(tmp_path, change))
    monkeypatch.setattr(assemble, "load_manual_wording", lambda: edited)
    facts = assemble.gather_facts(load_profile(CASE / "profile.yaml", catalog), catalog)
    document = assemble.assemble_manual(facts, catalog)
    assert document.cover is not None
    assert document.cover.subtitle == f"Programme for the {facts.pack.partner.name} {facts.pack.stream} audit"
    first = next(s for s in document.sections if s.key.startswith("element/"))
    box = first.blocks[0]
    assert isinstance(box, Callout) and box.title == f"Ce que cherche l'auditeur {facts.pack.partner.short}"


def test_a_wording_file_missing_a_line_names_file_and_key(tmp_path):
    root = _wording_copy(tmp_path, lambda data: data["cover"].pop("subtitle"))
    with pytest.raises(ContentError) as caught:
        load_manual_wording(root)
    lines = [str(p) for p in caught.value.problems]
    assert any("manual_templates/wording.yaml" in line and "cover.subtitle" in line for line in lines), lines
