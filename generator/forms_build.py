"""Tailor each form definition to a profile and turn it into a document tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.content_models import Hazard, LegalDuty, Pack, RiskMatrix
from generator.document import (
    Block,
    Callout,
    Cell,
    Document,
    Field,
    FieldGrid,
    Paragraph,
    Run,
    Section,
    SignatureBlock,
    Table,
    bullets,
    para,
    plain,
)
from generator.forms_catalog import FormBlock, FormDef
from generator.risk import by_risk

YES_NO_NA = ("Yes", "No", "N/A")


@dataclass(frozen=True)
class FormContext:
    """What a form needs to know about the company and its program."""

    company: str
    revision: str
    date: str
    hazards: tuple[Hazard, ...]
    pack: Pack
    risk_matrix: RiskMatrix
    element_for_topic: dict[str, str]  # topic -> "Element 6 Hazard Control"
    sites: tuple[str, ...] = ()
    legal_training: tuple[LegalDuty, ...] = ()  # training the law requires, with its validity


def _joined(items: list[str]) -> str:
    """Sentences joined into one cell: ``a; b; c``, without doubled punctuation."""
    return "; ".join(item.rstrip(" .;") for item in items)


def _form_document(
    body: Section, ctx: FormContext, subject: str, keywords: tuple[str, ...], header_note: str, landscape: bool = False
) -> Document:
    """A one-section, fillable document (a form or a handout) titled by its section."""
    return Document(
        title=body.title,
        company=ctx.company,
        revision=ctx.revision,
        date=ctx.date,
        sections=[body],
        toc=False,
        subject=subject,
        keywords=keywords,
        header_note=header_note,
        kind="form",
        landscape=landscape,
    )


def _id_line(ctx: FormContext, kind: str, code: str) -> Paragraph:
    """The line under a form's title: company, form number, revision and date."""
    return Paragraph(
        (
            Run("Company: ", bold=True),
            Run(ctx.company),
            Run(f"    {kind}: ", bold=True),
            Run(f"{code}, revision {ctx.revision} ({ctx.date})"),
        )
    )


def applies(form: FormDef, hazards: tuple[Hazard, ...]) -> bool:
    """Whether a form belongs in this build (equipment forms need an equipment hazard)."""
    return form.when == "always" or any(h.equipment for h in hazards)


def build_form(form: FormDef, ctx: FormContext) -> Document:
    """The tailored document for one form."""
    builder = _Builder(form, ctx)
    element = ctx.element_for_topic.get(form.topic, "")
    intro: list[Block] = [
        _id_line(ctx, "Form", form.number),
        Paragraph(plain(form.purpose)),
    ]
    if element:
        intro.append(
            para(
                f"Audit evidence for: {ctx.pack.partner.short} {ctx.pack.stream} \u2014 {element}. "
                f"Keep completed copies for {form.retention}.",
                "small",
            )
        )
    body = Section(title=form.title, level=1, blocks=intro, number=form.number, key=f"form/{form.id}")
    for block in form.blocks:
        body.blocks.extend(builder.block(block))
    return _form_document(
        body,
        ctx,
        f"{form.number} {form.title}",
        ("health and safety", "form", form.number, form.topic),
        f"Form {form.number}",
        form.landscape,
    )


def build_handout(hazard: Hazard, code: str, ctx: FormContext) -> Document:
    """A one-page toolbox talk handout for one hazard: key points and crew questions."""
    blocks: list[Any] = [
        _id_line(ctx, "Handout", code),
        para(hazard.description),
        Paragraph(plain("Key points"), "lead"),
        bullets(hazard.toolbox_talk.points),
        Paragraph(plain("Ask the crew"), "lead"),
        bullets(hazard.toolbox_talk.questions, ordered=True),
    ]
    if hazard.ppe:
        blocks.append(para("PPE for this work: " + ", ".join(p.rstrip(".") for p in hazard.ppe) + "."))
    element = ctx.element_for_topic.get("communication", "")
    blocks.append(
        para(
            "Record the talk and attendance on Form F-08. "
            f"Audit evidence for: {ctx.pack.partner.short} {ctx.pack.stream} \u2014 {element}.",
            "small",
        )
    )
    body = Section(
        title=f"Toolbox talk: {hazard.name}", level=1, blocks=blocks, number=code, key=f"handout/{hazard.id}"
    )
    return _form_document(body, ctx, f"{code} toolbox talk handout", ("toolbox talk", hazard.name), code)


class _Builder:
    def __init__(self, form: FormDef, ctx: FormContext):
        self.form = form
        self.ctx = ctx
        self.count = 0

    def name(self, hint: str) -> str:
        """A field name unique within the form (PDF field names must be)."""
        self.count += 1
        return f"{hint}_{self.count}"

    def block(self, block: FormBlock) -> list[Any]:
        handler = getattr(self, f"_{block.type}")
        out: list[Any] = []
        if block.title and block.type not in ("signatures",):
            out.append(Paragraph(plain(block.title), "lead"))
        out.extend(handler(block))
        return out

    # ---------------------------------------------------------------- plain blocks
    def _fields(self, block: FormBlock) -> list[Any]:
        fields = tuple(
            Field(self.name(("date_" if f.kind == "date" else "") + f.id), f.kind, f.label, f.lines)
            for f in block.fields
        )
        return [FieldGrid(fields, columns=2 if len(fields) > 1 else 1)]

    def _note(self, block: FormBlock) -> list[Any]:
        out: list[Any] = [para(block.text)] if block.text else []
        if block.items:
            out.append(bullets(block.items))
        return out

    def _text_area(self, block: FormBlock) -> list[Any]:
        return [FieldGrid((Field(self.name(block.id or "notes"), "textarea", block.text, block.lines),), columns=1)]

    def _table(self, block: FormBlock) -> list[Any]:
        header: tuple[Cell, ...] = tuple(plain(c) for c in block.columns)
        rows: list[tuple[Cell, ...]] = []
        for r in range(block.rows or 6):
            rows.append(tuple(self._blank_cell(col, r) for col in block.columns))
        return [Table(header, tuple(rows), tuple(block.widths) or None)]

    def _blank_cell(self, column: str, row: int) -> Cell:
        lowered = column.lower()
        if "date" in lowered or lowered in ("due", "done on"):
            return Field(self.name("date"), "date")
        if lowered in ("done", "complete", "closed", "yes", "no", "present", "verified", "oriented", "competent"):
            return Field(self.name("check"), "checkbox")
        return Field(self.name("cell"), "text")

    def _signatures(self, block: FormBlock) -> list[Any]:
        columns = block.columns or ["Name (print)", "Signature", "Date"]
        header = tuple(plain(c) for c in columns)
        rows = tuple(tuple(self._blank_cell(c, r) for c in columns) for r in range(block.rows or 8))
        out: list[Any] = [Paragraph(plain(block.title), "lead")] if block.title else []
        out.append(Table(header, rows))
        return out

    def _checklist(self, block: FormBlock) -> list[Any]:
        return [self._check_table(block.items)]

    def _check_table(self, items: list[str] | tuple[str, ...]) -> Table:
        header = (plain("Item"), *(plain(x) for x in YES_NO_NA), plain("Comment / deficiency"))
        rows: list[tuple[Cell, ...]] = []
        for item in items:
            rows.append(
                (
                    plain(item),
                    *(Field(self.name(x.lower().replace("/", "")), "checkbox") for x in YES_NO_NA),
                    Field(self.name("comment"), "text"),
                )
            )
        return Table(header, tuple(rows), (46, 6, 6, 6, 36))

    # ------------------------------------------------------------ tailored blocks
    def _hazard_checklist(self, block: FormBlock) -> list[Any]:
        header = (plain("Present"), plain("Hazard"), plain("Key controls to confirm"), plain("Controls in place"))
        rows: list[tuple[Cell, ...]] = []
        for h in self.ctx.hazards:
            key_controls = (h.controls.engineering + h.controls.administrative)[:2] + h.ppe[:1]
            rows.append(
                (
                    Field(self.name("present"), "checkbox"),
                    plain(h.name),
                    plain(_joined(key_controls)),
                    Field(self.name("in_place"), "checkbox"),
                )
            )
        for _r in range(2):
            rows.append(
                (
                    Field(self.name("present"), "checkbox"),
                    Field(self.name("other_hazard"), "text"),
                    Field(self.name("other_controls"), "text"),
                    Field(self.name("in_place"), "checkbox"),
                )
            )
        return [Table(header, tuple(rows), (8, 24, 58, 10))]

    def _hazard_inspection(self, block: FormBlock) -> list[Any]:
        out: list[Any] = []
        for h in self.ctx.hazards:
            out.append(Paragraph(plain(f"{h.name} ({h.inspection.frequency.lower()})"), "lead"))
            out.append(self._check_table(h.inspection.items))
        return out

    def _equipment_inspection(self, block: FormBlock) -> list[Any]:
        out: list[Any] = []
        for h in self.ctx.hazards:
            if not h.equipment:
                continue
            out.append(Paragraph(plain(f"{h.name}: pre-use checks"), "lead"))
            out.append(self._check_table(h.inspection.items))
        return out

    def _hazard_rows(self, block: FormBlock) -> list[Any]:
        header = tuple(
            plain(c)
            for c in (
                "Task / hazard",
                "Severity (1-5)",
                "Likelihood (1-5)",
                "Risk (S x L)",
                "Controls (hierarchy)",
                "Residual risk",
                "Responsible",
            )
        )
        rows: list[tuple[Cell, ...]] = []
        for h in by_risk(list(self.ctx.hazards)):
            band = self.ctx.risk_matrix.band(h.risk.severity * h.risk.likelihood)
            after = h.residual or h.risk
            after_score = after.severity * after.likelihood
            controls = (h.controls.elimination + h.controls.engineering + h.controls.administrative)[:3]
            rows.append(
                (
                    plain(f"{h.name}: {h.harms[0]}"),
                    plain(str(h.risk.severity)),
                    plain(str(h.risk.likelihood)),
                    plain(f"{h.risk.severity * h.risk.likelihood} {band.name}"),
                    plain(_joined(controls)),
                    plain(f"{after_score} {self.ctx.risk_matrix.band(after_score).name}"),
                    Field(self.name("responsible"), "text"),
                )
            )
        for _r in range(block.rows or 4):
            rows.append(tuple(Field(self.name("row"), "text") for _ in header))
        return [Table(header, tuple(rows), (22, 7, 7, 9, 33, 11, 11))]

    def _risk_matrix(self, block: FormBlock) -> list[Any]:
        matrix = self.ctx.risk_matrix
        header = (plain("Severity \\ Likelihood"), *(plain(f"{lk.level} {lk.name}") for lk in matrix.likelihood))
        rows: list[tuple[Cell, ...]] = []
        for s in reversed(matrix.severity):
            rows.append(
                (
                    plain(f"{s.level} {s.name}"),
                    *(plain(f"{s.level * k.level} {matrix.band(s.level * k.level).name}") for k in matrix.likelihood),
                )
            )
        bands = bullets([f"{b.min}-{b.max} {b.name}: {b.action}" for b in matrix.bands])
        return [Table(header, tuple(rows)), Callout((bands,), "Risk bands")]

    def _toolbox_topics(self, block: FormBlock) -> list[Any]:
        header = (plain("Covered"), plain("Topic"), plain("Key points"))
        rows: list[tuple[Cell, ...]] = []
        for h in self.ctx.hazards:
            rows.append(
                (Field(self.name("topic"), "checkbox"), plain(h.name), plain(_joined(h.toolbox_talk.points[:2])))
            )
        rows.append(
            (
                Field(self.name("topic"), "checkbox"),
                Field(self.name("other_topic"), "text"),
                Field(self.name("other_points"), "text"),
            )
        )
        return [Table(header, tuple(rows), (9, 26, 65))]

    def _training_rows(self, block: FormBlock) -> list[Any]:
        header = tuple(
            plain(c)
            for c in (
                "Training / ticket",
                "Who needs it",
                "Valid for / refresh",
                "Worker",
                "Date completed",
                "Expiry",
                "Verified by",
            )
        )
        rows: list[tuple[Cell, ...]] = []
        seen: set[str] = set()
        for duty in self.ctx.legal_training:
            seen.add(duty.title)
            rows.append(
                (
                    plain(duty.title),
                    plain(duty.who or ""),
                    plain(duty.validity or "As the law sets"),
                    Field(self.name("worker"), "text"),
                    Field(self.name("date_done"), "date"),
                    Field(self.name("date_expiry"), "date"),
                    Field(self.name("verified"), "text"),
                )
            )
        for h in self.ctx.hazards:
            for t in h.training:
                if t.name in seen:
                    continue
                seen.add(t.name)
                rows.append(
                    (
                        plain(t.name),
                        plain(t.who),
                        plain(t.refresh or "As needed"),
                        Field(self.name("worker"), "text"),
                        Field(self.name("date_done"), "date"),
                        Field(self.name("date_expiry"), "date"),
                        Field(self.name("verified"), "text"),
                    )
                )
        for _r in range(block.rows or 4):
            rows.append(tuple(Field(self.name("row"), "text") for _ in header))
        return [Table(header, tuple(rows), (22, 20, 12, 14, 11, 10, 11))]


# re-exported so callers need one import for form building
__all__ = ["FormContext", "applies", "build_form", "SignatureBlock"]
