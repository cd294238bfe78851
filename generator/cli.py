"""Command line: ``safety-manual``. Errors meant for people are caught here and only here."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

from generator import __version__
from generator.errors import UserError

EXIT_USER = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70


def default_jobs() -> int:
    """Worker processes by default: one per core, at most two (the machines we target)."""
    return max(1, min(2, os.cpu_count() or 1))


FORMAT_HELP = "docx, pdf or docx,pdf (default: docx,pdf)"
PROVINCE_CODES = "AB, BC, MB, NB, NL, NS, ON, PE or SK"


def _ids(folder: str, key: str | None = None) -> str:
    """Ids of a data folder (form files) or list (industries), for help texts; "" if unreadable."""
    import yaml

    from generator.paths import data_dir

    try:
        if key is None:
            return ", ".join(sorted(p.stem for p in data_dir(folder).glob("*.yaml")))
        data = yaml.safe_load((data_dir("manual_templates") / folder).read_text(encoding="utf-8"))
        return ", ".join(sorted(item["id"] for item in data[key]))
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError):
        return ""


def _hazard_ids(text: str) -> list[str]:
    """``--add-hazard noise,ladders`` -> ``["noise", "ladders"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _command(sub: Any, name: str, summary: str, details: str = "") -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` opens with what it does."""
    return sub.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + "." + (f" {details}" if details else ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _packs_option(parser: argparse.ArgumentParser) -> None:
    """``--packs DIR``: extra partner packs, for every command that reads packs."""
    parser.add_argument(
        "--packs", type=Path, action="append", default=[], help="folder of extra partner packs (repeatable)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safety-manual",
        description="Write a health and safety manual and forms tailored to a SECOR or COR audit.",
        epilog="Run `safety-manual COMMAND --help` for a command's arguments.",
    )
    parser.add_argument("--version", action="version", version=f"safety-manual {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    profile_help = "the company profile (YAML) that `interview` wrote or you edited"
    industries = _ids("industries.yaml", "industries")

    p = _command(
        sub,
        "interview",
        "answer the questionnaire and save a profile",
        "Each answer is checked when it is given. Answers so far are kept in PROFILE.draft if the interview "
        "stops early, and the next interview offers to resume them.",
    )
    p.add_argument("--answers", type=Path, help="YAML file of answers by question id; these questions are skipped")
    p.add_argument(
        "-o", "--output", type=Path, default=Path("profile.yaml"), help="profile to write (default: profile.yaml)"
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing profile")
    p.add_argument(
        "--profile", type=Path, help="ask again starting from this saved profile's answers, then save and rebuild it"
    )
    p.add_argument("--build-dir", type=Path, help="with --profile: output folder (default: <profile name>-manual)")
    _packs_option(p)

    p = _command(sub, "build", "build the manual and forms from a profile")
    p.add_argument("profile", type=Path, help=profile_help)
    p.add_argument("-o", "--output", type=Path, help="output folder (default: <profile name>-manual)")
    p.add_argument("--format", default="docx,pdf", help=FORMAT_HELP)
    _packs_option(p)
    p.add_argument(
        "--jobs",
        type=int,
        default=default_jobs(),
        help="processes laying out the Word and PDF files (default: up to 2)",
    )
    p.add_argument("--fresh", action="store_true", help="lay out every file again instead of reusing unchanged ones")
    p.add_argument("--style", type=Path, metavar="DIR", help="house style folder; overrides the profile's style:")

    p = _command(
        sub,
        "batch",
        "build every profile in a folder, in parallel",
        "Reads the files ending in .yaml or .yml directly in FOLDER (not in its subfolders); each is one "
        "client's profile. Drafts (.draft) and other files are ignored.",
    )
    p.add_argument("folder", type=Path, help="folder holding one profile per client (*.yaml, *.yml)")
    p.add_argument("-o", "--output", type=Path, required=True, help="output folder; one subfolder per profile")
    p.add_argument("--jobs", type=int, default=default_jobs(), help="profiles built at once (default: up to 2)")
    p.add_argument("--format", default="docx,pdf", help=FORMAT_HELP)
    p.add_argument("--fresh", action="store_true", help="lay out every file again instead of reusing unchanged ones")
    p.add_argument("--style", type=Path, metavar="DIR", help="house style folder applied to every client")
    p.add_argument(
        "--timeout", type=float, default=600.0, help="seconds one profile may take before it is stopped (default: 600)"
    )

    forms = _ids("forms")
    p = _command(sub, "forms", "write only the forms for a profile, or list the form ids with --list")
    p.add_argument("profile", type=Path, nargs="?", help=profile_help)
    p.add_argument("--list", action="store_true", help="list the form ids and titles, then stop")
    p.add_argument("-o", "--output", type=Path, help="output folder (default: <profile name>-forms)")
    p.add_argument("--only", default="", help=f"comma-separated form ids (default: all); one of: {forms}")
    p.add_argument("--format", default="docx,pdf", help=FORMAT_HELP)
    _packs_option(p)

    p = _command(
        sub,
        "update",
        "add or remove hazards, raise the revision and rebuild",
        "Only the values that change are rewritten in the profile; its comments and layout stay.\n"
        "Example: safety-manual update my-company.yaml --add-hazard confined_space,noise --note 'Lift station'",
    )
    p.add_argument("profile", type=Path, help=profile_help)
    p.add_argument(
        "--add-hazard",
        type=_hazard_ids,
        action="extend",
        default=[],
        metavar="ID[,ID]",
        help="hazard ids to add, comma-separated or repeated (`safety-manual hazards` lists them)",
    )
    p.add_argument(
        "--remove-hazard",
        type=_hazard_ids,
        action="extend",
        default=[],
        metavar="ID[,ID]",
        help="hazard ids to remove, comma-separated or repeated",
    )
    p.add_argument("--note", help="what changed, for the revision history")
    p.add_argument("--style", type=Path, metavar="DIR", help="house style folder; overrides the profile's style:")
    p.add_argument("-o", "--output", type=Path, help="output folder (default: <profile name>-manual)")
    p.add_argument("--format", default="docx,pdf", help=FORMAT_HELP)
    _packs_option(p)

    p = _command(
        sub,
        "audit",
        "practice audit of the program, scored with the partner's pass rule",
        "Asks our own questions element by element in the partner's order (or reads --answers), scores them "
        "with the partner's pass rule and writes the report, an action plan and the audit workbook.",
    )
    p.add_argument("profile", type=Path, help="the company's profile (YAML)")
    p.add_argument("--answers", type=Path, help="YAML file of audit answers; the rest are asked")
    p.add_argument("--gap", action="store_true", help="gap assessment for a company with no program yet")
    p.add_argument("-o", "--output", type=Path, help="output folder (default: <profile name>-audit)")
    p.add_argument("--format", default="docx,pdf", help="docx, pdf or docx,pdf (default)")
    _packs_option(p)

    _command(sub, "schema", "print the profile's JSON Schema", "Key names and allowed values of a profile file.")

    p = _command(
        sub,
        "check",
        "check every pack, hazard and template, like a strict build (no files written)",
        "Assembles every pack with every province it serves and reports every problem with its file, line and key.",
    )
    _packs_option(p)

    p = _command(sub, "packs", "list the certifying-partner packs", "Partner ids go in a profile's `partner` key.")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = _command(sub, "hazards", "list the hazard library", "Hazard ids go in a profile's `hazards` list.")
    p.add_argument("--json", action="store_true", help="print JSON (hazards and industries) instead of a table")
    p.add_argument("--industry", help=f"only the hazards suggested for this industry; one of: {industries}")

    p = _command(
        sub,
        "stream",
        "advise SECOR, Small COR or COR and list fitting partners",
        "The advice follows the province's small-employer limit, and the partners listed serve the province, "
        "size and industry.",
    )
    p.add_argument("--province", required=True, help=f"two-letter province code: {PROVINCE_CODES}")
    p.add_argument("--workers", required=True, type=int, help="workers at the busiest time of year, owners included")
    p.add_argument("--industry", help=f"industry id; one of: {industries}")
    p.add_argument("--start", type=_iso_date, help="day the program starts, YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD (got {text!r})") from None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``safety-manual`` command."""
    from generator.collector import fewer_collections

    fewer_collections()
    args = _parser().parse_args(argv)
    _sigterm_interrupts()
    try:
        return _dispatch(args)
    except UserError as exc:
        for line in exc.lines:
            print(f"error: {line}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("\ninterrupted: nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        where = f" {exc.filename}:" if exc.filename else ""
        print(f"error:{where} {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USER
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into one line
        if os.environ.get("SAFETY_MANUAL_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set SAFETY_MANUAL_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL


def _sigterm_interrupts() -> None:
    """SIGTERM (from ``kill`` or a shutdown) stops a run as Ctrl-C does, so it cleans up after itself."""

    def interrupt(_sig: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "build" and getattr(args, "jobs", 1) > 1:
        # the layout workers start first, so their imports overlap with this process's
        _start_build_workers(args)
    from generator import commands

    handler = getattr(commands, f"cmd_{args.command}")
    result: int = handler(args)
    return result


def _start_build_workers(args: argparse.Namespace) -> None:
    from generator.formats import parse_formats
    from generator.workers import start_workers_early

    try:
        formats = parse_formats(args.format)
    except UserError:
        return  # the build command reports it
    start_workers_early(args.jobs, formats)


def command_name() -> str:
    """How to run safety-manual from this shell: its name when on PATH, else a path that works."""
    if shutil.which("safety-manual"):
        return "safety-manual"
    script = Path(sys.executable).parent / "safety-manual"  # the venv's bin folder, not resolved
    if script.is_file():
        relative = os.path.relpath(script)
        return shlex.quote(str(script) if relative.startswith("..") else relative)
    return f"{shlex.quote(sys.executable)} -m generator"


def print_json(data: Any) -> None:
    """Pretty JSON on standard output."""
    print(json.dumps(data, indent=2, ensure_ascii=False))
