"""The sub-commands of ``safety-manual``; each returns an exit code."""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from generator import __version__
from generator.catalog import Catalog, default_catalog, load_catalog
from generator.cli import command_name, print_json
from generator.errors import UserError
from generator.profile import Profile, save_profile

if TYPE_CHECKING:
    from generator.audit import AuditResult


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
    import datetime as dt

    from generator.advisor import advise

    start = args.start or dt.date.today()
    advice = advise(default_catalog(), args.province.upper(), args.workers, args.industry, start)
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
        table = Table(title=f"Partners serving {advice.province}; audit dates for a program started {start}")
        for column in ("partner", "name", "pack", "stream", "earliest audit", "full-records audit"):
            table.add_column(column)
        for p in advice.packs:
            dates = advice.dates(p)
            table.add_row(
                p.partner.id, p.partner.name, p.id, p.stream, dates["earliest_audit"], dates["full_records_audit"]
            )
        console.print(table)
    return 0


def cmd_interview(args: argparse.Namespace) -> int:
    from generator.drafts import count_answers, draft_path, load_draft, remove_draft, save_draft
    from generator.profile import load_profile, profile_to_data
    from generator.questionnaire import Interview, Stopped, load_questionnaires
    from generator.yamlio import load_yaml

    catalog = _catalog_for(args)
    saved_profile = load_profile(args.profile, catalog) if args.profile else None
    output: Path = args.profile or args.output
    if output.is_dir():
        raise UserError(f"-o: {output} is a folder; give the profile's file name, e.g. {output / 'profile.yaml'}")
    if saved_profile is None and output.exists() and not args.force:
        raise UserError(f"{output}: already exists; use --force to replace it or -o to choose another file")
    answers: dict = {}
    name = "the answers"
    if args.answers:
        located = load_yaml(args.answers)
        if located.data is not None and not isinstance(located.data, dict):
            raise UserError(f"{args.answers}: answers must be a mapping of question ids to answers")
        answers = located.data or {}
        name = str(args.answers)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    asker = None
    resume = f"{command_name()} interview " + (f"--profile {output}" if args.profile else f"-o {output}")
    if interactive:
        from generator.prompting import ask, confirm

        asker = ask
        draft = load_draft(output)
        if draft and confirm(f"Resume the {count_answers(draft)} answers kept in {draft_path(output)}?"):
            answers, name = _merged(answers, draft), str(draft_path(output))
    saved = profile_to_data(saved_profile) if saved_profile else None
    interview = Interview(catalog, load_questionnaires(), answers, name, saved=saved)
    try:
        result = interview.run(asker)
    except KeyboardInterrupt:
        if not interview.result:
            raise
        kept = save_draft(output, interview.result)
        print(
            f"\ninterrupted: your {count_answers(interview.result)} answers are kept in {kept}; "
            f"run `{resume}` to resume",
            file=sys.stderr,
        )
        return 130
    except Stopped as stop:
        kept = save_draft(output, interview.result)
        print(f"{stop}. Your answers are kept in {kept}; when you know the partner, run `{resume}` to resume.")
        return 1
    profile = _profile_from_answers(catalog, result, saved, output, resume)
    if saved_profile is None:
        save_profile(profile, output, packs_version=__version__)
        remove_draft(output)
        print(f"Profile written to {output}. Build the manual with: {command_name()} build {output}")
        return 0
    remove_draft(output)
    if profile == saved_profile:
        print(f"No answers changed; {output} stays at revision {saved_profile.document.revision}.")
        return 0
    return _revise_and_build(
        profile,
        saved_profile,
        output,
        "Answers updated in the questionnaire",
        args.build_dir,
        "docx,pdf",
        catalog=catalog,
    )


def _profile_from_answers(catalog: Catalog, result: dict, saved: dict | None, output: Path, resume: str) -> Profile:
    """The profile the answers make; on a problem, the answers are kept in a draft first."""
    import datetime as dt

    from generator.drafts import save_draft
    from generator.profile import profile_from_text
    from generator.yamlio import dump_yaml

    answers = _merged(saved, result) if saved is not None else copy.deepcopy(result)
    if saved is None:
        # a new profile records its revision date, so rebuilding on another day gives the same text
        answers.setdefault("document", {}).setdefault("date", dt.date.today().isoformat())
    try:
        return profile_from_text(dump_yaml(answers), catalog, name=str(output))
    except UserError as exc:
        kept = copy.deepcopy(result)
        for problem in exc.problems:
            _drop(kept, problem.key.split("[")[0])  # asked again on resume
        path = save_draft(output, kept)
        lines = [f"{p.key}: {p.message}" if p.key else p.message for p in exc.problems] or exc.lines
        raise UserError([*lines, f"your other answers are kept in {path}; run `{resume}` to resume"]) from None


def _drop(data: dict, dotted: str) -> None:
    """Remove ``a.b.c`` from nested dicts, if there."""
    *parents, last = dotted.split(".")
    for part in parents:
        data = data[part] if isinstance(data.get(part), dict) else {}
    data.pop(last, None)


def _merged(base: dict, changes: dict) -> dict:
    """``base`` with ``changes`` laid over it, key by key (profile keys no question asks survive)."""
    out = dict(base)
    for key, value in changes.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _revise_and_build(
    profile: Profile,
    previous: Profile,
    path: Path,
    changes: str,
    out: Path | None,
    formats: str,
    style_dir: Path | None = None,
    catalog: Catalog | None = None,
) -> int:
    """Raise the revision and rebuild; the profile is saved only with a successful build."""
    import datetime as dt

    from generator.build import build_profile
    from generator.formats import parse_formats
    from generator.profile import profile_text
    from generator.updating import next_revision

    revised = next_revision(profile, changes, dt.date.today())
    catalog = catalog or default_catalog()
    target = _output_folder(out, path, "manual")
    chosen = parse_formats(formats)
    text = profile_text(revised, path, packs_version=__version__, keep_comments=True)
    # a broken house style is refused by the build before anything, the profile included, is saved
    result = build_profile(revised, path, target, catalog, chosen, save_profile=(path, text), style_dir=style_dir)
    print(f"{path}: revision {previous.document.revision} -> {revised.document.revision} ({changes}).")
    report = result.manifest.get("change_report")
    print(
        f"Wrote {len(result.files)} files to {target}/" + (f"; changes listed in {target / report}" if report else "")
    )
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from generator.locks import profile_lock
    from generator.profile import load_profile
    from generator.updating import change_hazards

    catalog = _catalog_for(args)
    with profile_lock(args.profile):
        # read under the lock, so a second update starts from this one's revision
        profile = load_profile(args.profile, catalog)
        if not args.add_hazard and not args.remove_hazard and not args.note:
            raise UserError("update: nothing to do; give --add-hazard, --remove-hazard or --note")
        hazards, what = change_hazards(profile, catalog, args.add_hazard, args.remove_hazard)
        changes = "; ".join(p for p in (what, args.note) if p)
        updated = profile.model_copy(update={"hazards": hazards})
        return _revise_and_build(
            updated, profile, args.profile, changes, args.output, args.format, args.style, catalog=catalog
        )


def _catalog_for(args: argparse.Namespace) -> Catalog:
    """The bundled catalog, plus any pack folders named with --packs."""
    extra = tuple(getattr(args, "packs", []) or [])
    for folder in extra:
        if not folder.is_dir():
            raise UserError(f"--packs: {folder} is not a folder")
    return load_catalog(extra_pack_dirs=extra) if extra else default_catalog()


def _default_out(profile: Path, suffix: str) -> Path:
    return Path(f"{profile.stem}-{suffix}")


def _output_folder(given: Path | None, profile: Path, suffix: str) -> Path:
    """The output folder: ``-o`` or ``<profile name>-<suffix>``; refused when it names a file."""
    out = given or _default_out(profile, suffix)
    if out.exists() and not out.is_dir():
        example = out.parent / _default_out(profile, suffix)
        raise UserError(f"-o: {out} is a file; -o names the folder the manual and forms are written to, e.g. {example}")
    return out


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build import build
    from generator.formats import parse_formats
    from generator.workers import discard_early_workers

    formats = parse_formats(args.format)
    out = _output_folder(args.output, args.profile, "manual")
    console = Console(stderr=True)
    with console.status("Building the manual...") as status:
        if args.jobs < 1:
            raise UserError(f"--jobs: must be at least 1 (got {args.jobs})")
        # the command line started the layout workers before importing this module (cli.py);
        # a build that stops before writing stops them
        try:
            result = build(
                args.profile,
                out,
                _catalog_for(args),
                formats,
                progress=lambda m: status.update(m),
                jobs=args.jobs,
                fresh=args.fresh,
                style_dir=args.style,
            )
        finally:
            discard_early_workers()
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

    from generator.batch import BatchInterrupted, BatchRow, find_profiles, run_batch
    from generator.formats import parse_formats

    formats = parse_formats(args.format)
    if args.jobs < 1:
        raise UserError(f"--jobs: must be at least 1 (got {args.jobs})")
    if args.timeout <= 0:
        raise UserError(f"--timeout: must be more than 0 seconds (got {args.timeout:g})")
    if args.output.exists() and not args.output.is_dir():
        raise UserError(f"-o: {args.output} is a file; -o names the folder that gets one subfolder per profile")
    total = len(find_profiles(args.folder))
    if args.style is not None:
        from generator.house_style import load_style

        load_style(args.style)  # one broken style fails the batch once, up front
    console = Console(stderr=True)
    columns = (
        TextColumn("Building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    interrupted = False
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=total)

        def done(row: BatchRow) -> None:
            progress.update(task, advance=1, description=f"{row.profile}: {row.status}")

        try:
            rows = run_batch(
                args.folder,
                args.output,
                args.jobs,
                formats,
                on_done=done,
                fresh=args.fresh,
                timeout=args.timeout,
                style_dir=args.style,
            )
        except BatchInterrupted as stop:
            rows, interrupted = stop.rows, True
    _batch_table(rows, f"Batch build: {args.folder} -> {args.output}")
    failed = [r for r in rows if r.status == "failed"]
    for row in failed:
        print(f"error: {row.profile}: {row.error}", file=sys.stderr)
    if interrupted:
        built = [r.profile for r in rows if r.status == "ok"]
        missing = [r.profile for r in rows if r.status in ("interrupted", "not started")]
        print(
            f"interrupted: {len(built)} of {total} profiles built"
            + (f"; not built (previous outputs kept): {', '.join(missing)}" if missing else ""),
            file=sys.stderr,
        )
        return 130
    return 1 if failed else 0


def _batch_table(rows: list, title: str) -> None:
    """The batch summary: one row per profile with its client, pages, time and status."""
    table = Table(title=title)
    for column in ("client", "stream", "partner", "pages", "seconds", "status"):
        table.add_column(column, justify="right" if column in ("pages", "seconds") else "left")
    for row in rows:
        status = "ok" if row.status == "ok" else f"FAILED: {row.error}" if row.status == "failed" else row.status
        if row.status == "ok" and row.reused:
            status += f" ({row.reused} files unchanged)"
        table.add_row(
            row.client or row.profile, row.stream, row.partner, str(row.pages or ""), f"{row.seconds:.1f}", status
        )
    _console().print(table)


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
    from generator.build import form_documents
    from generator.formats import parse_formats
    from generator.house_style import resolve_style
    from generator.output_writer import Staging, write_documents
    from generator.profile import load_profile

    if args.list:
        return _list_forms(args)
    if args.profile is None:
        raise UserError("forms: give a profile, or --list to see the form ids")
    catalog = _catalog_for(args)
    formats = parse_formats(args.format)
    profile = load_profile(args.profile, catalog)
    style = resolve_style(profile.style, args.profile, None)
    facts = gather_facts(profile, catalog)
    only = tuple(n.strip() for n in args.only.split(",") if n.strip())
    items = form_documents(facts, catalog, only)
    for _stem, document in items:
        document.style = style  # the colours and fonts of the profile's house style
    out = _output_folder(args.output, args.profile, "forms")
    with Staging(out) as staging:
        write_documents(staging, items, formats, lambda _m: None)
        staging.commit()
    print(f"Wrote {len(staging.files)} form files to {out}/")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from generator.audit import ANSWERS_FILE, answers_yaml, review_markdown, run_audit
    from generator.audit_docs import gap_document, report_document
    from generator.audit_workbook import workbook_document
    from generator.formats import parse_formats
    from generator.output_writer import Staging, write_documents

    catalog = _catalog_for(args)
    formats = parse_formats(args.format)
    asker = None
    if sys.stdin.isatty() and sys.stdout.isatty():
        from generator.prompting import choose

        asker = choose
    result = run_audit(args.profile, catalog, args.answers, asker, gap=args.gap)
    report = ("gap-assessment", gap_document(result)) if args.gap else ("audit-report", report_document(result))
    items = [report, ("audit-workbook", workbook_document(result))]
    out = _output_folder(args.output, args.profile, "audit")
    with Staging(out) as staging:
        write_documents(staging, items, formats, lambda _m: None)
        staging.target(ANSWERS_FILE).write_text(answers_yaml(result), encoding="utf-8")
        unverified, notes = review_markdown(result)
        staging.target("review-notes.md").write_text(notes, encoding="utf-8")
        staging.commit()
    _print_audit(result, out)
    if unverified:
        # for the preparer: never printed in the report
        print(f"{unverified} partner rules to check before relying on the result: see {out}/review-notes.md")
    return 0


def _print_audit(result: AuditResult, out: Path) -> None:
    """The result in the terminal: the score or the gap counts, and where the files are."""
    from generator.audit import ANSWERS_FILE
    from generator.audit_score import gap_status, shown

    score = result.score
    if result.gap:
        statuses = [gap_status(e) for e in score.elements]
        print(
            f"Gap assessment: {statuses.count('keep')} elements to keep, {statuses.count('fix')} to fix, "
            f"{statuses.count('missing')} missing."
        )
    else:
        marks = score.marks
        verdict = "passes" if score.passed else "does not pass"
        print(
            f"Practice audit: {shown(score.overall)} overall; {verdict} "
            f"({marks.overall}% overall and {marks.per_element}% in every element)."
        )
        for element in score.below_element_mark():
            print(f"  element {element.element.number} {element.element.name}: {shown(element.score)}")
        print(f"{len(result.actions)} actions in the action plan.")
    print(f"Wrote the report, the workbook and {ANSWERS_FILE} to {out}/")


def _list_forms(args: argparse.Namespace) -> int:
    """``forms --list``: the ids ``--only`` takes, with each form's number and title."""
    from generator.forms_catalog import load_forms

    forms = load_forms()
    registry = _catalog_for(args).registry
    table = Table(title="Forms (ids for --only)")
    for column in ("id", "number", "title", "written"):
        table.add_column(column)
    for form in forms.values():
        table.add_row(form.id, form.number, form.title, registry.for_form(form.id).when.describe())
    _console().print(table)
    return 0
