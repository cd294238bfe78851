"""The hazard library: at least 65 hazards, each with every part a hazard has."""

from __future__ import annotations

import json

from conftest import run_cli

NEW = (
    "fatigue_hours_of_work", "dangerous_goods_transport", "spills", "aerial_work_platforms", "vibration",
    "uv_exposure", "psychological_health", "flammable_liquids_fire", "powder_actuated_tools", "load_securement",
    "loading_docks", "atvs_utvs", "knives_cutting", "commercial_kitchens", "working_near_water", "carbon_monoxide",
)  # fmt: skip


def test_hazards_command_lists_at_least_65():
    proc = run_cli("hazards", "--json")
    assert proc.returncode == 0, proc.stderr
    ids = {h["id"] for h in json.loads(proc.stdout)["hazards"]}
    assert len(ids) >= 65
    assert set(NEW) <= ids


def test_new_hazards_have_every_part(catalog):
    for hazard_id in NEW:
        h = catalog.hazards[hazard_id]
        c = h.controls
        assert c.elimination and c.substitution and c.engineering and c.administrative and c.ppe, hazard_id
        assert len(h.safe_work_practice) >= 8 and h.safe_job_procedure and len(h.safe_job_procedure.steps) >= 8
        assert h.training and h.inspection.items and h.toolbox_talk.points and h.emergency, hazard_id
        assert set(h.legislation) >= {"AB", "BC", "SK", "MB", "ON"}, hazard_id
        assert all(c.source for cites in h.legislation.values() for c in cites), hazard_id


def test_dangerous_goods_training_is_the_federal_duty_said_once(catalog):
    hazard = catalog.hazards["dangerous_goods_transport"]
    duty = next(d for d in catalog.federal.duties if d.id == "tdg_training")
    assert "dangerous_goods_transport" in duty.hazards
    assert not any("certificate" in t.name.lower() and "tdg" in t.name.lower() for t in hazard.training)


def test_every_new_industry_exists(catalog):
    for industry in ("forestry_logging", "municipal", "hospitality", "food_processing", "courier_delivery", "other"):
        assert industry in catalog.industries
