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


def _subcommands():
    import argparse

    from generator.cli import _parser

    parser = _parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def test_every_subcommand_help_describes_it_and_all_its_arguments(capsys):
    """What `safety-manual COMMAND --help` shows: a description and help for every argument."""
    import argparse

    import pytest

    from generator.cli import main

    commands = _subcommands()
    assert set(commands) >= {"interview", "build", "batch", "forms", "update", "schema", "packs", "hazards", "stream"}
    for name, sub in commands.items():
        with pytest.raises(SystemExit):
            main([name, "--help"])
        shown = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
        assert sub.description and " ".join(sub.description.split())[:40] in shown, name
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help and action.help != argparse.SUPPRESS, f"{name} {action.dest}: no help"
            label = action.option_strings[-1] if action.option_strings else action.dest
            assert label in shown, f"{name}: {label} missing from --help"
            assert " ".join(action.help.split())[:30] in shown, f"{name} {label}: help text not shown"


def test_help_lists_valid_values(capsys):
    import pytest

    from generator.cli import main

    for argv, values in (
        (["stream", "--help"], ["AB, BC, MB, NB, NL, NS, ON, PE or SK", "plumbing_mechanical", "retail"]),
        (["forms", "--help"], ["flha", "toolbox_talk", "--list"]),
        (["build", "--help"], ["docx, pdf or docx,pdf"]),
        (["batch", "--help"], [".yaml or .yml directly in FOLDER"]),
    ):
        with pytest.raises(SystemExit):
            main(argv)
        shown = " ".join(capsys.readouterr().out.split())
        for value in values:
            assert value in shown, (argv, value)


def test_forms_list_shows_form_ids():
    proc = run_cli("forms", "--list")
    assert proc.returncode == 0, proc.stderr
    assert "flha" in proc.stdout and "Field-Level Hazard Assessment" in proc.stdout and "F-03" in proc.stdout
    proc = run_cli("forms")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: forms: give a profile, or --list to see the form ids"


def test_update_hazard_option_does_not_swallow_the_profile():
    from generator.cli import _parser

    args = _parser().parse_args(["update", "--add-hazard", "noise", "my.yaml"])
    assert [str(args.profile), args.add_hazard] == ["my.yaml", ["noise"]]
    args = _parser().parse_args(["update", "my.yaml", "--add-hazard", "noise,ladders", "--add-hazard", "chainsaws"])
    assert args.add_hazard == ["noise", "ladders", "chainsaws"]
