"""Listing commands and the profile schema."""

from __future__ import annotations

import json

from conftest import run_cli


def test_packs_json():
    proc = run_cli("packs", "--json")
    assert proc.returncode == 0, proc.stderr
    packs = {p["id"]: p for p in json.loads(proc.stdout)}
    assert packs["acsa-secor"]["stream"] == "SECOR"
    assert packs["acsa-secor"]["provinces"] == ["AB"]
    assert packs["ihsa-cor"]["elements"][0]["name"].startswith("Health and Safety Policy")


def test_packs_table():
    proc = run_cli("packs")
    assert proc.returncode == 0
    assert "acsa-secor" in proc.stdout and "bccsa-small-cor" in proc.stdout


def test_hazards_json_and_industry_filter():
    proc = run_cli("hazards", "--json")
    data = json.loads(proc.stdout)
    ids = {h["id"] for h in data["hazards"]}
    assert {"ladders", "chainsaws", "confined_space"} <= ids
    assert len(ids) >= 40
    proc = run_cli("hazards", "--json", "--industry", "roofing")
    assert "fall_protection" in {h["id"] for h in json.loads(proc.stdout)["hazards"]}


def test_hazards_unknown_industry():
    proc = run_cli("hazards", "--industry", "rofing")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: --industry: unknown industry 'rofing': did you mean 'roofing'?"


def test_schema_names_the_stable_keys():
    proc = run_cli("schema")
    schema = json.loads(proc.stdout)
    assert set(schema["required"]) >= {"company", "partner", "hazards", "people"}
    company = schema["$defs"]["Company"]["properties"]
    assert {"name", "province", "workers", "industry"} <= set(company)
    assert schema["properties"]["hazards"]["type"] == "array"
