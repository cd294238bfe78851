"""A whole build: profile -> manual and forms in Word and PDF, plus build.json.

The files are written through a staging folder (see :mod:`generator.output_writer`), so a
build that fails or is killed part-way leaves the previous outputs whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import __version__, revisions
from generator.assemble import assemble_manual, gather_facts, load_logo
from generator.catalog import Catalog
from generator.commit import archive, preflight, stale_previous_files
from generator.context import BuildFacts, applicable_duties
from generator.document import Document
from generator.errors import UserError
from generator.faults import checkpoint
from generator.formats import FORMATS
from generator.forms_build import FormContext, build_form, build_handout
from generator.forms_catalog import load_wording
from generator.house_style import resolve_style
from generator.manifest import MANIFEST, FileEntry, Manifest, Warn, read_manifest, warn_stderr
from generator.output_writer import DocumentWriter, Progress, Staging
from generator.profile import Profile, load_profile, profile_digest
from generator.reuse import PreviousOutputs
from generator.review_notes import notes_as_json, notes_markdown, partner_misfit, review_notes
from generator.writers import fonts
from generator.yamlio import dotted, load_yaml, write_atomic

REVIEW_NOTES = "review-notes.md"  # for the preparer, beside the outputs; never part of the manual


@dataclass
class BuildResult:
    """What a build wrote."""

    out_dir: Path
    files: list[str] = field(default_factory=list)
    pages: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)
    facts: BuildFacts | None = None
    warnings: list[str] = field(default_factory=list)


def form_context(facts: BuildFacts, catalog: Catalog) -> FormContext:
    """What the forms need from a build."""
    element_for_topic = {}
    for element in facts.pack.elements:
        for topic in element.topics:
            element_for_topic[topic] = f"Element {element.number} {element.name}"
    return FormContext(
        company=facts.profile.company.name,
        revision=str(facts.revision),
        date=facts.date.isoformat(),
        hazards=facts.hazards,
        pack=facts.pack,
        risk_matrix=catalog.risk_matrix,
        element_for_topic=element_for_topic,
        registry=catalog.registry,
        wording=load_wording(),
        forms={f.id: f for f in facts.forms},
        sites=tuple(s.name for s in facts.profile.sites),
        legal_training=tuple(d for d in applicable_duties(facts) if d.kind == "training"),
    )


HANDOUTS = "handouts"


def form_documents(facts: BuildFacts, catalog: Catalog, only: tuple[str, ...] = ()) -> list[tuple[str, Document]]:
    """(file stem, document) for each form and toolbox talk handout, optionally only some.

    ``only`` names form ids; the name ``handouts`` selects the toolbox talk handouts.
    """
    known = {f.id: f for f in facts.forms}
    if only:
        from generator.validation import suggest

        names = [*known, HANDOUTS]
        unknown = [n for n in only if n not in names]
        if unknown:
            raise UserError(
                f"--only: unknown form {unknown[0]!r}{suggest(unknown[0], names)} (forms: {', '.join(names)})"
            )
    ctx = form_context(facts, catalog)
    items = [(f.slug(), build_form(f, ctx)) for f in facts.forms if not only or f.id in only]
    if not only or HANDOUTS in only:
        # named by hazard id, not by position, so adding a hazard leaves the others' files alone
        for hazard in facts.hazards:
            slug = hazard.id.replace("_", "-")
            items.append((f"toolbox-talks/TT-{slug}", build_handout(hazard, f"TT-{slug}", ctx)))
    return items


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(
    profile_path: Path,
    out_dir: Path,
    catalog: Catalog,
    formats: tuple[str, ...] = FORMATS,
    progress: Progress | None = None,
    today: dt.date | None = None,
    jobs: int = 1,
    fresh: bool = False,
    style_dir: Path | None = None,
) -> BuildResult:
    """Build the manual, every form and build.json for the profile at ``profile_path``.

    ``style_dir`` is a house style folder (``--style``); it overrides the profile's ``style:``.
    """
    progress = progress or (lambda _message: None)
    profile = load_profile(profile_path, catalog)
    return build_profile(
        profile, profile_path, out_dir, catalog, formats, progress, today, jobs, fresh, style_dir=style_dir
    )


def build_profile(
    profile: Profile,
    profile_path: Path,
    out_dir: Path,
    catalog: Catalog,
    formats: tuple[str, ...] = FORMATS,
    progress: Progress | None = None,
    today: dt.date | None = None,
    jobs: int = 1,
    fresh: bool = False,
    save_profile: tuple[Path, str] | None = None,
    warn: Warn = warn_stderr,
    style_dir: Path | None = None,
) -> BuildResult:
    """Build from an already validated profile; ``jobs`` processes lay out the PDFs.

    Files the previous build in ``out_dir`` wrote from the same source are reused unless
    ``fresh`` is set (see :mod:`generator.reuse`). ``save_profile`` (the profile's path and
    new text, for ``update``) is saved in the same step that puts the new files in place,
    so a failed or killed build never leaves a profile revision that was not built.
    The previous revision is archived whole first when the revision changes (see
    :mod:`generator.commit`). The house style (``style_dir`` or the profile's ``style:``)
    is read and checked before anything is written.
    """
    progress = progress or (lambda _message: None)
    style = resolve_style(profile.style, profile_path, style_dir)
    facts = gather_facts(profile, catalog, today)
    logo = load_logo(profile, profile_path.parent)
    with DocumentWriter(formats, progress, jobs) as writer, Staging(out_dir, warn) as staging:
        # the folder is locked from here to the commit; an interrupted commit is finished first
        checkpoint("build-started")
        previous = read_manifest(out_dir, warn)
        progress("assembling the manual")
        manual = assemble_manual(facts, catalog, logo)
        items = [("manual", manual)] + [(f"forms/{stem}", doc) for stem, doc in form_documents(facts, catalog)]
        for _stem, document in items:
            document.style = style
        writer.submit(staging, items, None if fresh else PreviousOutputs(out_dir, previous))
        # while the workers lay out the PDFs: the outline for the change report, the Word files
        content = _outline(facts, catalog)
        writer.finish()
        change_report = _change_report(staging, facts, previous, content)
        notes = review_notes(facts)
        write_atomic(staging.target(REVIEW_NOTES), notes_markdown(notes, facts))
        stale = stale_previous_files(previous, [*staging.files, MANIFEST])
        preflight(out_dir, [*staging.files, MANIFEST], stale)  # a link in the way stops us here
        archived = None
        if previous is not None and previous.revision != facts.revision:
            checkpoint("archive")
            archived = archive(out_dir, previous)
        manifest = _manifest(facts, profile, profile_path, staging, content, change_report, archived)
        manifest.review_notes = notes_as_json(notes)
        write_atomic(staging.target(MANIFEST), manifest.text())
        checkpoint("staged")
        staging.commit(stale, save_profile)
    warnings = partner_warnings(facts, profile_path)
    warnings += glyph_warnings(profile, profile_path) if "pdf" in formats else []
    return BuildResult(out_dir, list(staging.files), manifest.page_count, manifest.as_dict(), facts, warnings)


def partner_warnings(facts: BuildFacts, profile_path: Path) -> list[str]:
    """One line when the chosen partner does not serve the company's industry."""
    misfit = partner_misfit(facts)
    if misfit is None:
        return []
    try:
        located = load_yaml(profile_path) if profile_path.is_file() else None
    except UserError:
        located = None
    line = located.line_of(("partner",)) if located else 1
    return [f"warning: {profile_path.name}:{line}: partner: {misfit.fact}. {misfit.check}"]


def glyph_warnings(profile: Profile, profile_path: Path) -> list[str]:
    """One line per profile value with characters the PDF's fonts cannot print.

    The PDF prints such a character as its code (``[U+1F9BA]``), so nothing is lost
    silently; the Word file keeps the character itself.
    """
    try:
        located = load_yaml(profile_path) if profile_path.is_file() else None
    except UserError:
        located = None
    out = []
    for path, text in _strings(profile.model_dump(mode="json"), ()):
        gaps = fonts.missing(text)
        if not gaps:
            continue
        where = f"{profile_path.name}:{located.line_of(path) if located else 1}: {dotted(path)}"
        shown = ", ".join(f"{c!r} ({fonts.code(c)[1:-1]})" for c in gaps[:5])
        out.append(f"warning: {where}: {shown} not in the PDF's fonts; the PDF prints the code instead")
    return out


def _strings(value: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [item for key, v in value.items() for item in _strings(v, (*path, key))]
    if isinstance(value, list):
        return [item for i, v in enumerate(value) for item in _strings(v, (*path, i))]
    return []


def _outline(facts: BuildFacts, catalog: Catalog) -> dict[str, Any]:
    """Digests of the content, from a rendering with a neutral revision and date."""
    plain_facts = revisions.neutral(facts)
    return revisions.outline(assemble_manual(plain_facts, catalog), form_documents(plain_facts, catalog))


def _change_report(
    staging: Staging, facts: BuildFacts, previous: Manifest | None, content: dict[str, Any]
) -> str | None:
    """Write ``changes-rev-N.md`` when the content differs from the previous build's."""
    if previous is None or previous.outline is None:
        return None
    diff = revisions.compare(previous.outline.model_dump(), content)
    if not revisions.has_changes(diff):
        return None
    name = f"changes-rev-{facts.revision}.md"
    report = revisions.report(diff, facts.revision, previous.as_dict())
    write_atomic(staging.target(name), report)
    return name


def _manifest(
    facts: BuildFacts,
    profile: Profile,
    profile_path: Path,
    staging: Staging,
    content: dict[str, Any],
    change_report: str | None,
    archived: str | None,
) -> Manifest:
    files = []
    for relative in staging.files:
        path = staging.path / relative
        files.append(
            FileEntry(
                path=relative,
                bytes=path.stat().st_size,
                sha256=_sha256(path),
                pages=staging.pages.get(relative),
                source=staging.sources.get(relative),
            )
        )
    pack = facts.pack
    return Manifest.model_validate(
        {
            "generator": {"name": "safety-manual", "version": __version__},
            "built_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "profile": {"path": str(profile_path), "digest": profile_digest(profile)},
            "company": profile.company.name,
            "province": profile.company.province,
            "pack": {
                "id": pack.id,
                "partner": pack.partner.id,
                "stream": pack.stream,
                "protocol": pack.protocol.name,
                "version": pack.protocol.version or "unversioned",
            },
            "revision": facts.revision,
            "revision_date": facts.date.isoformat(),
            "page_count": staging.pages.get("manual.pdf", 0),
            "hazards": [h.id for h in facts.hazards],
            "forms": [f.id for f in facts.forms],
            "reused": list(staging.reused),
            "files": files,
            "outline": content,
            "change_report": change_report,
            "archived": archived,
        },
        strict=False,
    )
