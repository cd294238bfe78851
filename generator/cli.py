"""Command line: ``safety-manual``. Errors meant for people are caught here and only here."""

from __future__ import annotations

import argparse
import json
import os
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safety-manual",
        description="Write a health and safety manual and forms tailored to a SECOR or COR audit.",
    )
    parser.add_argument("--version", action="version", version=f"safety-manual {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("interview", help="answer the questionnaire and save a profile")
    p.add_argument("--answers", type=Path, help="YAML file of answers; these questions are skipped")
    p.add_argument(
        "-o", "--output", type=Path, default=Path("profile.yaml"), help="profile to write (default: profile.yaml)"
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing profile")
    p.add_argument("--profile", type=Path, help="ask again with this saved profile's answers as defaults, then rebuild")
    p.add_argument("--build-dir", type=Path, help="with --profile: output folder (default: <profile name>-manual)")
    p.add_argument("--packs", type=Path, action="append", default=[], help="folder of extra partner packs (repeatable)")

    p = sub.add_parser("build", help="build the manual and forms from a profile")
    p.add_argument("profile", type=Path)
    p.add_argument("-o", "--output", type=Path, help="output folder (default: <profile name>-manual)")
    p.add_argument("--format", default="docx,pdf", help="docx, pdf or docx,pdf (default)")
    p.add_argument("--packs", type=Path, action="append", default=[], help="folder of extra partner packs (repeatable)")
    p.add_argument("--jobs", type=int, default=default_jobs(), help="processes laying out PDFs (default: up to 2)")
    p.add_argument("--fresh", action="store_true", help="lay out every file again instead of reusing unchanged ones")

    p = sub.add_parser("batch", help="build every profile in a folder, in parallel")
    p.add_argument("folder", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True, help="output folder; one subfolder per profile")
    p.add_argument("--jobs", type=int, default=default_jobs(), help="profiles built at once (default: up to 2)")
    p.add_argument("--format", default="docx,pdf", help="docx, pdf or docx,pdf (default)")
    p.add_argument("--fresh", action="store_true", help="lay out every file again instead of reusing unchanged ones")

    p = sub.add_parser("forms", help="write only the forms for a profile")
    p.add_argument("profile", type=Path)
    p.add_argument("-o", "--output", type=Path, help="output folder (default: <profile name>-forms)")
    p.add_argument("--only", default="", help="comma-separated form ids, e.g. flha,toolbox_talk")
    p.add_argument("--format", default="docx,pdf", help="docx, pdf or docx,pdf (default)")
    p.add_argument("--packs", type=Path, action="append", default=[], help="folder of extra partner packs (repeatable)")

    p = sub.add_parser("update", help="add or remove hazards, raise the revision and rebuild")
    p.add_argument("profile", type=Path)
    p.add_argument("--add-hazard", nargs="+", default=[], metavar="ID")
    p.add_argument("--remove-hazard", nargs="+", default=[], metavar="ID")
    p.add_argument("--note", help="what changed, for the revision history")
    p.add_argument("-o", "--output", type=Path, help="output folder (default: <profile name>-manual)")
    p.add_argument("--format", default="docx,pdf", help="docx, pdf or docx,pdf (default)")
    p.add_argument("--packs", type=Path, action="append", default=[], help="folder of extra partner packs (repeatable)")

    p = sub.add_parser("check", help="check every pack, hazard and template, like a strict build (no files written)")
    p.add_argument("--packs", type=Path, action="append", default=[], help="folder of extra partner packs (repeatable)")

    sub.add_parser("schema", help="print the profile's JSON Schema")

    p = sub.add_parser("packs", help="list the certifying-partner packs")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("hazards", help="list the hazard library")
    p.add_argument("--json", action="store_true")
    p.add_argument("--industry", help="only the hazards suggested for this industry")

    p = sub.add_parser("stream", help="advise SECOR, Small COR or COR and list fitting partners")
    p.add_argument("--province", required=True)
    p.add_argument("--workers", required=True, type=int)
    p.add_argument("--industry")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``safety-manual`` command."""
    args = _parser().parse_args(argv)
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


def _dispatch(args: argparse.Namespace) -> int:
    from generator import commands

    handler = getattr(commands, f"cmd_{args.command}")
    result: int = handler(args)
    return result


def print_json(data: Any) -> None:
    """Pretty JSON on standard output."""
    print(json.dumps(data, indent=2, ensure_ascii=False))
