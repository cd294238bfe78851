"""The sub-commands of ``safety-manual``; each returns an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from generator import __version__
from generator.catalog import Catalog, default_catalog, load_catalog
from generator.cli import print_json
from generator.errors import UserError
from generator.profile import Profile


def _console() -> Console:
    """A console that does not squeeze tables when output goes to a pipe or file."""
    return Console() if sys.stdout.isatty() else Console(width=200)


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.profile import profile_schema

    print_json(profile_schema())
    return 0


def cmd_packs(args: argparse.Namespace) -> int:
    catalog = default_catalog()
    packs = sorted(catalog.packs.values(), key=lambda p: (p.provinces[0], p.partner.id, p.stream))
    if args.json:
        print_json(
            [
                {
                    "id": p.id,
                    "partner": p.partner.id,
                    "partner_name": p.partner.name,
                    "stream": p.stream,
                    "provinces": p.provinces,
                    "sectors": p.sectors,
                    "min_workers": p.min_workers,
                    "max_workers": p.max_workers,
                    "protocol": p.protocol.name,
                    "protocol_version": p.protocol.version,
                    "elements": [{"number": e.number, "name": e.name, "verified": e.verified} for e in p.elements],
                }
                for p in packs
            ]
        )
        return 0
    table = Table(title="Certifying-partner packs")
    for column in ("pack", "partner", "stream", "provinces", "sectors", "workers", "elements"):
        table.add_column(column)
    for p in packs:
        size = f"{p.min_workers}-{p.max_workers}" if p.max_workers else f"{p.min_workers}+"
        table.add_row(
            p.id, p.partner.short, p.stream, ", ".join(p.provinces), ", ".join(p.sectors), size, str(len(p.elements))
        )
    _console().print(table)
    return 0


def cmd_hazards(args: argparse.Namespace) -> int:
    catalog = default_catalog()
    hazards = sorted(catalog.hazards.values(), key=lambda h: h.id)
    if args.industry:
        industry = catalog.industries.get(args.industry)
        if industry is None:
            from generator.validation import suggest

            raise UserError(
                f"--industry: unknown industry {args.industry!r}{suggest(args.industry, catalog.industries)}"
            )
        hazards = [catalog.hazards[h] for h in industry.hazards]
    if args.json:
        print_json(
            {
                "hazards": [
                    {"id": h.id, "name": h.name, "category": h.category, "equipment": h.equipment, "trades": h.trades}
                    for h in hazards
                ],
                "industries": [
                    {"id": i.id, "name": i.name, "sector": i.sector, "hazards": i.hazards}
                    for i in catalog.industries.values()
                ],
            }
        )
        return 0
    table = Table(title="Hazard library")
    for column in ("id", "name", "category", "trades"):
        table.add_column(column)
    for h in hazards:
        table.add_row(h.id, h.name, h.category, ", ".join(h.trades))
    _console().print(table)
    return 0


def cmd_stream(args: argparse.Namespace) -> int:
    from generator.advisor import advise

    advice = advise(default_catalog(), args.province.upper(), args.workers, args.industry)
    if args.json:
        print_json(advice.as_dict())
        return 0
    console = _console()
    console.print(f"[bold]Recommended stream: {advice.stream}[/bold]")
    for reason in advice.reasons:
        console.print(f"  - {reason}", markup=False)
    for warning in advice.warnings:
        console.print(f"  ! {warning}", markup=False)
    if advice.packs:
        table = Table(title=f"Partners serving {advice.province}")
        for column in ("partner", "name", "pack", "stream"):
            table.add_column(column)
        for p in advice.packs:
            table.add_row(p.partner.id, p.partner.name, p.id, p.stream)
        console.print(table)
    return 0


def cmd_interview(args: argparse.Namespace) -> int:
    from generator.profile import load_profile, profile_from_text, profile_to_data, save_profile
    from generator.questionnaire import Interview, load_questionnaires
    from generator.yamlio import dump_yaml, load_yaml

    catalog = _catalog_for(args)
    saved_profile = load_profile(args.profile, catalog) if args.profile else None
    output: Path = args.profile or args.output
    if saved_profile is None and output.exists() and not args.force:
        raise UserError(f"{output}: already exists; use --force to replace it or -o to choose another file")
    answers: dict = {}
    name = "answers"
    if args.answers:
        located = load_yaml(args.answers)
        if located.data is not None and not isinstance(located.data, dict):
            raise UserError(f"{args.answers}: answers must be a mapping of question ids to answers")
        answers = located.data or {}
        name = str(args.answers)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    asker = None
    if interactive:
        from generator.prompting import ask

        asker = ask
    saved = profile_to_data(saved_profile) if saved_profile else None
    result = Interview(catalog, load_questionnaires(), answers, name, saved=saved).run(asker)
    if saved is not None:
        result = _merged(saved, result)
    if saved is None:
        # a new profile records its revision date, so rebuilding on another day gives the same text
        import datetime as dt

        result.setdefault("document", {}).setdefault("date", dt.date.today().isoformat())
    profile = profile_from_text(dump_yaml(result), catalog, name=name)
    if saved_profile is None:
        save_profile(profile, output, packs_version=__version__)
        print(f"Profile written to {output}. Build the manual with: safety-manual build {output}")
        return 0
    if profile == saved_profile:
        print(f"No answers changed; {output} stays at revision {saved_profile.document.revision}.")
        return 0
    return _revise_and_build(
        profile, saved_profile, output, "Answers updated in the questionnaire", args.build_dir, "docx,pdf", catalog
    )


def _merged(base: dict, changes: dict) -> dict:
    """``base`` with ``changes`` laid over it, key by key (profile keys no question asks survive)."""
    out = dict(base)
    for key, value in changes.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _revise_and_build(
    profile: Profile, previous: Profile, path: Path, changes: str, out: Path | None, formats: str, catalog: Catalog
) -> int:
    """Raise the revision, save the profile and rebuild."""
    import datetime as dt

    from generator.build import build_profile, parse_formats
    from generator.profile import save_profile
    from generator.updating import next_revision

    revised = next_revision(profile, changes, dt.date.today())
    target = out or _default_out(path, "manual")
    chosen = parse_formats(formats)
    save_profile(revised, path, packs_version=__version__, keep_comments=True)
    result = build_profile(revised, path, target, catalog, chosen)
    print(f"{path}: revision {previous.document.revision} -> {revised.document.revision} ({changes}).")
    report = result.manifest.get("change_report")
    print(
        f"Wrote {len(result.files)} files to {target}/" + (f"; changes listed in {target / report}" if report else "")
    )
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from generator.profile import load_profile
    from generator.updating import change_hazards

    catalog = _catalog_for(args)
    profile = load_profile(args.profile, catalog)
    if not args.add_hazard and not args.remove_hazard and not args.note:
        raise UserError("update: nothing to do; give --add-hazard, --remove-hazard or --note")
    hazards, what = change_hazards(profile, catalog, args.add_hazard, args.remove_hazard)
    changes = "; ".join(p for p in (what, args.note) if p)
    updated = profile.model_copy(update={"hazards": hazards})
    return _revise_and_build(updated, profile, args.profile, changes, args.output, args.format, catalog)


def _catalog_for(args: argparse.Namespace) -> Catalog:
    """The bundled catalog, plus any pack folders named with --packs."""
    extra = tuple(getattr(args, "packs", []) or [])
    for folder in extra:
        if not folder.is_dir():
            raise UserError(f"--packs: {folder} is not a folder")
    return load_catalog(extra_pack_dirs=extra) if extra else default_catalog()


def _default_out(profile: Path, suffix: str) -> Path:
    return Path(f"{profile.stem}-{suffix}")


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build import build, parse_formats

    formats = parse_formats(args.format)
    out = args.output or _default_out(args.profile, "manual")
    console = Console(stderr=True)
    with console.status("Building the manual...") as status:
        if args.jobs < 1:
            raise UserError(f"--jobs: must be at least 1 (got {args.jobs})")
        result = build(
            args.profile,
            out,
            _catalog_for(args),
            formats,
            progress=lambda m: status.update(m),
            jobs=args.jobs,
            fresh=args.fresh,
        )
    for warning in result.warnings:
        console.print(warning, markup=False, highlight=False, soft_wrap=True)
    pages = f" (manual: {result.pages} pages)" if result.pages else ""
    reused = result.manifest.get("reused") or []
    unchanged = f"; {len(reused)} files unchanged since the last build, reused" if reused else ""
    console.print(
        f"Wrote {len(result.files)} files to {out}/{pages}{unchanged}", markup=False, highlight=False, soft_wrap=True
    )
    notes = result.manifest.get("review_notes") or []
    if notes:
        # for the preparer: what to check before the owner signs (never printed in the manual)
        console.print(
            f"{len(notes)} facts to check before the owner signs: see {out}/review-notes.md",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from generator.batch import BatchRow, find_profiles, run_batch
    from generator.build import parse_formats

    formats = parse_formats(args.format)
    if args.jobs < 1:
        raise UserError(f"--jobs: must be at least 1 (got {args.jobs})")
    total = len(find_profiles(args.folder))
    console = Console(stderr=True)
    columns = (
        TextColumn("Building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=total)

        def done(row: BatchRow) -> None:
            progress.update(task, advance=1, description=f"{row.profile}: {row.status}")

        rows = run_batch(args.folder, args.output, args.jobs, formats, on_done=done, fresh=args.fresh)
    table = Table(title=f"Batch build: {args.folder} -> {args.output}")
    for column in ("client", "stream", "partner", "pages", "seconds", "status"):
        table.add_column(column, justify="right" if column in ("pages", "seconds") else "left")
    for row in rows:
        status = "ok" if row.status == "ok" else f"FAILED: {row.error}"
        if row.status == "ok" and row.reused:
            status += f" ({row.reused} files unchanged)"
        table.add_row(
            row.client or row.profile, row.stream, row.partner, str(row.pages or ""), f"{row.seconds:.1f}", status
        )
    _console().print(table)
    failed = [r for r in rows if r.status != "ok"]
    if failed:
        for row in failed:
            print(f"error: {row.profile}: {row.error}", file=sys.stderr)
        return 1
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    import time

    from generator.check import run_check
    from generator.cli import default_jobs

    start = time.monotonic()
    for folder in args.packs:
        if not folder.is_dir():
            raise UserError(f"--packs: {folder} is not a folder")
    result = run_check(tuple(args.packs), workers=default_jobs())
    print(
        f"No problems: {result.packs} packs checked in {result.manuals} manuals (each pack in each province "
        f"it serves) with {result.hazards} hazards, in {time.monotonic() - start:.1f} s."
    )
    return 0


def cmd_forms(args: argparse.Namespace) -> int:
    from generator.assemble import gather_facts
    from generator.build import form_documents, parse_formats
    from generator.output_writer import Staging, write_documents
    from generator.profile import load_profile

    catalog = _catalog_for(args)
    formats = parse_formats(args.format)
    profile = load_profile(args.profile, catalog)
    facts = gather_facts(profile, catalog)
    only = tuple(n.strip() for n in args.only.split(",") if n.strip())
    items = form_documents(facts, catalog, only)
    out = args.output or _default_out(args.profile, "forms")
    with Staging(out) as staging:
        write_documents(staging, items, formats, lambda _m: None)
        staging.commit()
    print(f"Wrote {len(staging.files)} form files to {out}/")
    return 0
