"""Packs that inherit, and ``safety-manual check``: what an author sees before a build."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

from generator.catalog import load_catalog
from generator.errors import UserError
from generator.yamlio import load_yaml

PACKS = ROOT / "manual_templates" / "packs"


def _write(folder: Path, pack_id: str, data: dict) -> Path:
    (folder / pack_id).mkdir(parents=True, exist_ok=True)
    path = folder / pack_id / "pack.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


def _problems(extra: Path) -> list[str]:
    with pytest.raises(UserError) as info:
        load_catalog(extra_pack_dirs=(extra,))
    return info.value.lines


def test_secor_pack_states_only_what_differs_from_its_cor_pack(catalog):
    raw = load_yaml(PACKS / "acsa-secor" / "pack.yaml").data
    assert raw["extends"] == "acsa-cor"
    assert "partner" not in raw and "sectors" not in raw  # inherited
    secor, cor = catalog.packs["acsa-secor"], catalog.packs["acsa-cor"]
    assert secor.partner == cor.partner and secor.stream == "SECOR" and secor.max_workers == 10
    assert [e.name for e in secor.elements] == [e.name for e in cor.elements]
    # e2 overrides only `verified`; its looks_for comes from the COR pack
    assert secor.elements[1].looks_for == cor.elements[1].looks_for
    assert secor.elements[0].looks_for != cor.elements[0].looks_for
    assert "ab-partnerships" not in catalog.packs  # abstract: extended, never offered


def test_omitted_element_is_dropped(catalog):
    assert len(catalog.packs["scsa-cor"].elements) == 14
    assert len(catalog.packs["scsa-secor"].elements) == 13


def test_custom_pack_extends_a_bundled_pack(tmp_path):
    _write(
        tmp_path,
        "acme-secor",
        {
            "id": "acme-secor",
            "extends": "aasp-secor",
            "partner": {"id": "acme", "name": "Acme Safety", "short": "ACME"},
            "elements": [{"id": "e3", "name": "Committees"}],
        },
    )
    pack = load_catalog(extra_pack_dirs=(tmp_path,)).packs["acme-secor"]
    assert pack.partner.short == "ACME" and pack.stream == "SECOR" and pack.max_workers == 10
    assert [e.id for e in pack.elements] == [f"e{i}" for i in range(1, 11)]
    assert pack.elements[2].name == "Committees"
    assert pack.elements[2].looks_for  # merged key by key into the parent's element


def test_problems_name_the_file_that_wrote_the_key(tmp_path):
    _write(tmp_path, "base-cor", {"id": "base-cor", "extends": "aasp-cor", "title": 7})
    child = _write(tmp_path, "kid-cor", {"id": "kid-cor", "extends": "base-cor", "partner": {"id": "kid", "short": 5}})
    lines = _problems(tmp_path)
    assert any(re.search(r"base-cor/pack\.yaml:\d+: title: must be text", line) for line in lines), lines
    assert any(re.search(rf"{re.escape(str(child))}:\d+: partner\.short: must be text", line) for line in lines)


def test_unknown_parent_and_loops_are_located(tmp_path):
    _write(tmp_path, "one-cor", {"id": "one-cor", "extends": "acsa-corr"})
    _write(tmp_path, "two-cor", {"id": "two-cor", "extends": "three-cor"})
    _write(tmp_path, "three-cor", {"id": "three-cor", "extends": "two-cor"})
    lines = _problems(tmp_path)
    assert any(
        re.search(r"one-cor/pack\.yaml:2: extends: unknown pack 'acsa-corr': did you mean 'acsa-cor'\?", x)
        for x in lines
    ), lines
    assert any("extend each other in a loop" in x and "two-cor" in x for x in lines), lines


@pytest.fixture(scope="module")
def checked():
    start = time.monotonic()
    proc = run_cli("check")
    return proc, time.monotonic() - start


def test_check_passes_on_the_bundled_content(checked):
    proc, seconds = checked
    assert proc.returncode == 0, proc.stderr
    assert re.match(r"No problems: \d+ packs checked in \d+ manuals", proc.stdout), proc.stdout
    assert seconds < 60  # 15 s on an idle two-core machine; the margin is for a loaded CI host


def test_check_fails_on_a_broken_pack_with_located_messages(tmp_path):
    data = load_yaml(PACKS / "aasp-secor" / "pack.yaml").data
    data.update(
        id="bad-secor",
        partner={"id": "bad", "name": "Bad Partner", "short": "BAD"},
        title="SECOR program (TBD)",
    )
    data["protocol"] = {"name": "Bad tool", "verified": True, "source": None}  # a fact without a source
    elements = [{"id": f"e{i}", "topics": []} for i in range(1, 11)]
    elements[0]["topics"] = ["policy", "responsibilities", "worker_rights", "legislation", "company_rules"]
    elements[5]["topics"] = [t for e in load_catalog().packs["aasp-secor"].elements[1:] for t in e.topics]
    data["elements"] = elements
    path = _write(tmp_path, "bad-secor", data)
    proc = run_cli("check", "--packs", str(tmp_path))
    assert proc.returncode == 2
    err = proc.stderr
    assert "Traceback" not in err
    assert re.search(rf"{re.escape(str(path))}:\d+: title: unfinished text 'TBD'", err), err
    assert re.search(rf"{re.escape(str(path))}:\d+: protocol: states a fact but has no source", err), err
    assert re.search(
        rf"{re.escape(str(path))}: elements\[1\]: bad-secor in AB: element 2 .* has only \d+ words", err
    ), err
