"""Assemble the manual: profile + pack + templates -> one document tree.

The pack decides the chapters (its elements, in its order and words); each chapter opens
with what that partner's auditor looks for, then renders the topics the pack places there.
Front matter and appendices are templates too, so all prose lives in manual_templates/.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from generator.advisor import pack_for
from generator.catalog import Catalog
from generator.content_models import Controls, Hazard, Inspection, Procedure, Risk, ToolboxTalk, TrainingItem
from generator.context import BuildFacts, apply_terms, build_context, committee_kind
from generator.document import Block, Callout, Cover, Document, Section, bullets, para
from generator.errors import UserError
from generator.forms_catalog import load_forms
from generator.markdown_tree import parse_markdown
from generator.operations import resolve_operations
from generator.profile import CustomHazard, Profile
from generator.records import Selection
from generator.risk import rated
from generator.templating import make_environment, render
from generator.timeline import certification_plan
from generator.variants import apply_variants
from generator.wording import fill, load_manual_wording

FRONT = ("about", "company", "document_control")
APPENDICES = ("hazard_register", "forms", "cross_reference", "certification_plan", "references")
MAX_LOGO_BYTES = 2_000_000


def gather_facts(profile: Profile, catalog: Catalog, today: dt.date | None = None) -> BuildFacts:
    """Resolve the pack, province, hazards and forms a profile builds with."""
    pack = pack_for(catalog, profile)
    jur = catalog.jurisdictions[profile.company.province]
    ops = resolve_operations(profile, catalog)
    chosen = [apply_terms(apply_variants(catalog.hazards[h], ops.flags), jur.terms, jur.id) for h in profile.hazards]
    chosen += [custom_hazard(c) for c in profile.custom.hazards]
    chosen = [rated(h, catalog.risk_matrix, ops.flags) for h in chosen]
    hazards = tuple(sorted(chosen, key=lambda h: h.name.lower()))
    jur = catalog.jurisdictions[profile.company.province]
    selection = Selection(
        hazards=hazards,
        topics=frozenset(t for e in pack.elements for t in e.topics),
        committee=committee_kind(jur, profile.company.workers),
        flags=ops.flags,
    )
    # a record applies when its condition holds; its form is issued exactly then
    records = tuple(r for r in catalog.registry.records.values() if selection.matches(r.when))
    issued = {r.form for r in records if r.form}
    forms = tuple(f for f in load_forms().values() if f.id in issued)
    return BuildFacts(
        profile=profile,
        pack=pack,
        jur=jur,
        hazards=hazards,
        forms=forms,
        date=profile.document.date or today or dt.date.today(),
        revision=profile.document.revision,
        federal=tuple(catalog.federal.duties),
        sector=catalog.industries[profile.company.industry].sector,
        industry_name=catalog.industries[profile.company.industry].name,
        records=records,
        ops=ops,
        risk_matrix=catalog.risk_matrix,
    )


def custom_hazard(custom: CustomHazard) -> Hazard:
    """A company's own hazard as a library record, so every chapter and form treats it alike."""
    practice = list(custom.safe_work_practice)
    words = load_manual_wording().custom_hazard
    return Hazard.model_construct(
        id=custom.id,
        name=custom.name,
        category="general",
        trades=[],
        equipment=False,
        description=custom.description,
        who_is_at_risk=custom.who_is_at_risk,
        harms=[fill(words.harm, hazard=custom.name.lower())],
        risk=Risk(severity=custom.severity, likelihood=custom.likelihood),
        controls=Controls(**custom.controls),
        ppe=list(custom.ppe),
        safe_work_practice=practice,
        safe_job_procedure=(
            Procedure.model_construct(title=sjp.title, steps=list(sjp.steps))
            if (sjp := custom.safe_job_procedure)
            else None
        ),
        training=[
            TrainingItem(name=t, who=words.training_who, refresh=custom.training_refresh) for t in custom.training
        ],
        inspection=Inspection.model_construct(
            frequency=custom.inspection_frequency, items=list(custom.inspection_items)
        ),
        toolbox_talk=ToolboxTalk.model_construct(
            points=practice[:6],
            questions=[fill(q, hazard=custom.name.lower()) for q in words.questions],
        ),
        emergency=[],
        legislation={},
        sources=[],
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _key_children(section: Section, prefix: str) -> None:
    for child in section.children:
        child.key = f"{prefix}/{_slug(child.title)}"
        _key_children(child, child.key)


class ManualAssembler:
    """Renders the templates of one build into sections."""

    def __init__(self, facts: BuildFacts, catalog: Catalog):
        self.facts = facts
        self.catalog = catalog
        pack_dir = catalog.pack_dirs[facts.pack.id]
        self.root = catalog.root
        # a pack without templates of its own shares the bundled templates' compiled environment
        own = any(child.is_dir() for child in pack_dir.iterdir())
        self.env = make_environment([pack_dir, catalog.root] if own else [catalog.root])
        self.context = build_context(facts, catalog)

    def render_sections(self, name: str, level: int, extra: dict[str, Any] | None = None) -> list[Section]:
        context = dict(self.context, **(extra or {}))
        text = render(self.env, name, context, display_root=self.root.parent)
        parsed = parse_markdown(text, level, f"manual_templates/{name}")
        if parsed.blocks and parsed.sections:
            parsed.sections[0].blocks[:0] = parsed.blocks
        return parsed.sections

    def front(self) -> list[Section]:
        out: list[Section] = []
        for name in FRONT:
            for section in self.render_sections(f"front/{name}.md", 1):
                section.key = "front"
                # the short front matter runs on from one page; each chapter starts a page
                section.page_break = not out
                _key_children(section, f"front/{_slug(section.title)}")
                out.append(section)
        return out

    def chapters(self) -> list[Section]:
        pack = self.facts.pack
        out = []
        for position, element in enumerate(pack.elements, start=1):
            chapter = Section(title=element.name, level=1, page_break=True, key=f"element/{element.id}")
            box = load_manual_wording().auditor_box
            looks: list[Block] = [bullets(element.looks_for)]
            if str(element.number) != str(position):  # the chapter number already says it otherwise
                lead = fill(
                    box.lead,
                    partner=pack.partner.short,
                    stream=pack.stream,
                    number=element.number,
                    element=element.name,
                )
                looks.insert(0, para(lead, "small"))
            chapter.blocks.append(Callout(tuple(looks), fill(box.title, partner=pack.partner.short), "auditor"))
            for topic in element.topics:
                rendered = self.render_sections(f"sections/{topic}.md", 2)
                for section in rendered:
                    section.key = f"topic/{topic}"
                    _key_children(section, section.key)
                    chapter.children.append(section)
                self._add_company_text(topic, rendered)
            out.append(chapter)
        return out

    def _add_company_text(self, topic: str, rendered: list[Section]) -> None:
        """The company's own paragraphs for a topic, kept across every rebuild and update."""
        paragraphs = self.facts.profile.custom.sections.get(topic, [])
        if not paragraphs or not rendered:
            return
        name = self.facts.profile.company.name
        title = fill(load_manual_wording().company_text, company=name)
        extra = Section(title=title, level=3, key=f"topic/{topic}/company-text")
        extra.blocks = [para(text) for text in paragraphs]
        rendered[0].children.append(extra)

    def appendices(self, document: Document) -> list[Section]:
        extra = {"xref": self._cross_reference(document), "plan": self._certification_plan()}
        out: list[Section] = []
        for name in APPENDICES:
            for section in self.render_sections(f"appendices/{name}.md", 1, extra):
                section.key = f"appendix/{name}"
                section.page_break = not out  # the appendices start a page and run on
                _key_children(section, section.key)
                out.append(section)
        return out

    def _certification_plan(self) -> dict[str, Any]:
        """Dates for the certification timeline, counted from the program start."""
        facts = self.facts
        start = facts.profile.document.program_start or facts.date
        return certification_plan(facts.pack, start).as_dict()

    def _evidence(self, pack_forms: list[str], topics: list[str]) -> list[str]:
        """The forms the pack names for an element, then every registry record (form or
        outside record) that proves one of the element's topics."""
        forms = self.context["forms"]
        records = self.context["record_list"]
        named = [forms[f]["ref"] for f in pack_forms if f in forms]
        # a record kept outside the program is named, not described, in this narrow column
        proved = [r["form"] or r["name"] for r in records if set(r["topics"]) & set(topics)]
        return _unique(named + proved)

    def _cross_reference(self, document: Document) -> list[dict[str, Any]]:
        """Each element with the manual sections and forms that give evidence for it."""
        by_key = {s.key: s for s in document.all_sections()}
        rows = []
        for element in self.facts.pack.elements:
            chapter = by_key.get(f"element/{element.id}")
            sections = [c.heading for c in chapter.children] if chapter else []
            rows.append(
                {
                    "number": element.number,
                    "name": element.name,
                    "chapter": chapter.heading if chapter else "",
                    "sections": sections,
                    "forms": self._evidence(element.forms, element.topics),
                    "verified": element.verified,
                }
            )
        return rows


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def load_logo(profile: Profile, base: Path) -> tuple[bytes | None, str]:
    """Read the profile's logo (PNG or JPEG) so it can be embedded; never fetched later.

    Only a regular file up to 2 MB is read (checked before reading), and an image declaring
    more pixels than a printed logo could need is refused before it is embedded.
    """
    from generator.limits import check_image, read_capped

    if not profile.company.logo:
        return None, ""
    path = (base / profile.company.logo).resolve()
    name = f"company.logo: {profile.company.logo!r}"
    try:
        data = read_capped(path, MAX_LOGO_BYTES, name, "a logo")
    except OSError as exc:
        raise UserError(f"company.logo: cannot read {profile.company.logo!r} ({exc.strerror})") from None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    else:
        raise UserError(f"company.logo: {profile.company.logo!r} is not a PNG or JPEG image")
    check_image(data, name)
    return data, kind


def assemble_manual(facts: BuildFacts, catalog: Catalog, logo: tuple[bytes | None, str] = (None, "")) -> Document:
    """The whole manual as a document tree, numbered."""
    assembler = ManualAssembler(facts, catalog)
    profile = facts.profile
    pack = facts.pack
    words = load_manual_wording()
    cover = Cover(
        title=facts.title,
        subtitle=fill(words.cover.subtitle, partner=pack.partner.name, stream=pack.stream),
        company=profile.company.name,
        lines=(
            (words.cover.province, facts.jur.name),
            (words.cover.partner, f"{pack.partner.name} ({pack.partner.short})"),
            (words.cover.stream, pack.stream),
            (words.cover.revision, str(facts.revision)),
            (words.cover.revision_date, facts.date.isoformat()),
            (words.cover.approved_by, profile.document.approved_by or profile.people.owner.name),
        ),
        logo=logo[0],
        logo_type=logo[1],
    )
    document = Document(
        title=facts.title,
        company=profile.company.name,
        revision=str(facts.revision),
        date=facts.date.isoformat(),
        sections=assembler.front() + assembler.chapters(),
        cover=cover,
        # the contents lists chapters and appendices; each chapter's sections are listed
        # once, in the audit cross-reference appendix (and all levels are PDF bookmarks)
        toc_depth=1,
        subject=fill(words.subject, partner=pack.partner.short, stream=pack.stream),
        keywords=(
            "health and safety",
            pack.stream,
            pack.partner.short,
            facts.jur.name,
            *(h.name for h in facts.hazards),
        ),
    )
    document.shell_values = _shell_values(facts, cover)
    document.number()
    document.sections += assembler.appendices(document)
    document.number()
    return document


def _shell_values(facts: BuildFacts, cover: Cover) -> tuple[tuple[str, str], ...]:
    """What a house style's Word shell may print (its tags are listed in house_style.SHELL_TAGS)."""
    company = facts.profile.company
    address = ", ".join(p for p in (company.address.street, company.address.city, company.address.postal_code) if p)
    pack = facts.pack
    return (
        ("company.name", company.name),
        ("company.legal_name", company.legal_name or company.name),
        ("company.address", address),
        ("company.phone", company.phone),
        ("company.email", company.email),
        ("company.website", company.website),
        ("company.province", facts.jur.name),
        ("document.title", cover.title),
        ("document.subtitle", cover.subtitle),
        ("document.revision", str(facts.revision)),
        ("document.date", facts.date.isoformat()),
        ("document.approved_by", facts.profile.document.approved_by or facts.profile.people.owner.name),
        ("document.partner", f"{pack.partner.name} ({pack.partner.short})"),
        ("document.stream", pack.stream),
    )
