"""Tailor each form definition to a profile and turn it into a document tree."""

from __future__ import annotations

from dataclasses import dataclass
from string import Template
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
from generator.forms_catalog import Column, FormBlock, FormDef, FormWording
from generator.records import Registry
from generator.risk import by_risk

# field-name prefixes by kind; the PDF writer makes the ``date_`` fields date fields
_PREFIX = {
    "date": "date",
    "datetime": "datetime",
    "number": "number",
    "yesno": "yesno",
    "signature": "signature",
    "checkbox": "check",
}
# the kinds of the default sign-off columns (their labels are in forms/_wording.yaml)
DEFAULT_SIGNATURE_KINDS = ("text", "signature", "date")


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
    registry: Registry
    wording: FormWording
    forms: dict[str, FormDef]  # the forms issued in this build, by id
    sites: tuple[str, ...] = ()
    legal_training: tuple[LegalDuty, ...] = ()  # training the law requires, with its validity


def _joined(items: list[str]) -> str:
    """Sentences joined into one cell: ``a; b; c``, without doubled punctuation."""
    return "; ".join(item.rstrip(" .;") for item in items)


# F-03's "key controls to confirm": what a worker can check on the day, from the safe work practice
KEY_PRACTICES = 2
SHORT_PRACTICE = 120  # characters; longer rules are left to the practice itself when shorter ones exist


def key_practices(practice: list[str]) -> list[str]:
    """The first few short rules of a safe work practice, in its order, for a one-cell checklist.

    Never the hazard's engineering controls: those are purchases and installations the
    company makes once, not something a worker confirms before the task.
    """
    short = [p for p in practice if len(p) <= SHORT_PRACTICE][:KEY_PRACTICES]
    rest = [p for p in practice if p not in short]
    chosen = set(short + rest[: KEY_PRACTICES - len(short)])
    return [p for p in practice if p in chosen]


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
    words = ctx.wording.id_line
    return Paragraph(
        (
            Run(words.company, bold=True),
            Run(ctx.company),
            Run(f"    {kind}: ", bold=True),
            Run(_fill(words.code, code=code, revision=ctx.revision, date=ctx.date)),
        )
    )


def _fill(text: str, **values: str) -> str:
    """A line of ``forms/_wording.yaml`` with its ``$name`` placeholders filled."""
    return Template(text).safe_substitute(values)


def build_form(form: FormDef, ctx: FormContext) -> Document:
    """The tailored document for one form."""
    builder = _Builder(form, ctx)
    element = ctx.element_for_topic.get(form.topic, "")
    wording = ctx.wording
    intro: list[Block] = [
        _id_line(ctx, wording.id_line.form, form.number),
        Paragraph(plain(form.purpose)),
    ]
    footer = [_fill(wording.keep, retention=ctx.registry.for_form(form.id).retention.period)]
    if element:
        footer.insert(
            0, _fill(wording.evidence, partner=ctx.pack.partner.short, stream=ctx.pack.stream, element=element)
        )
    intro.append(para(" ".join(footer), "small"))
    body = Section(title=form.title, level=1, blocks=intro, number=form.number, key=f"form/{form.id}")
    for block in form.blocks:
        body.blocks.extend(builder.block(block))
    return _form_document(
        body,
        ctx,
        f"{form.number} {form.title}",
        ("health and safety", "form", form.number, form.topic),
        _fill(wording.header_note, number=form.number),
        form.landscape,
    )


def build_handout(hazard: Hazard, code: str, ctx: FormContext) -> Document:
    """A one-page toolbox talk handout for one hazard: key points and crew questions."""
    wording = ctx.wording
    words = wording.handout
    blocks: list[Any] = [
        _id_line(ctx, wording.id_line.handout, code),
        para(hazard.description),
        Paragraph(plain(words.key_points), "lead"),
        bullets(hazard.toolbox_talk.points),
        Paragraph(plain(words.ask), "lead"),
        bullets(hazard.toolbox_talk.questions, ordered=True),
    ]
    if hazard.ppe:
        blocks.append(para(_fill(words.ppe, ppe=", ".join(p.rstrip(".") for p in hazard.ppe))))
    record = ctx.registry.records[ctx.registry.handout_record]
    form = ctx.forms.get(record.form or "")
    footer = [_fill(words.record, form=form.ref() if form else record.kept_outside)]
    element = ctx.element_for_topic.get(form.topic if form else record.topics[0], "")
    if element:
        footer.append(_fill(wording.evidence, partner=ctx.pack.partner.short, stream=ctx.pack.stream, element=element))
    blocks.append(para(" ".join(footer), "small"))
    body = Section(
        title=_fill(words.title, hazard=hazard.name), level=1, blocks=blocks, number=code, key=f"handout/{hazard.id}"
    )
    return _form_document(body, ctx, f"{code} toolbox talk handout", ("toolbox talk", hazard.name), code)


def _field_hint(label: str) -> str:
    """A field-name stem from a printed answer: ``N/A`` -> ``na``."""
    return "".join(c for c in label.lower() if c.isalnum()) or "answer"


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
            Field(self.name(f"{_PREFIX[f.kind]}_{f.id}" if f.kind in _PREFIX else f.id), f.kind, f.label, f.lines)
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
        header: tuple[Cell, ...] = tuple(plain(c.label) for c in block.columns)
        rows: list[tuple[Cell, ...]] = []
        for _r in range(block.rows or 6):
            rows.append(tuple(self._blank_cell(col) for col in block.columns))
        return [Table(header, tuple(rows), tuple(block.widths) or None)]

    def _blank_cell(self, column: Column) -> Field:
        """A blank of the kind the form definition declares for the column."""
        return Field(self.name(_PREFIX.get(column.kind, "cell")), column.kind)

    def _signatures(self, block: FormBlock) -> list[Any]:
        words = self.ctx.wording
        defaults = [Column(label=w, kind=k) for w, k in zip(words.signatures, DEFAULT_SIGNATURE_KINDS, strict=True)]
        columns = block.columns or defaults
        header: tuple[Cell, ...] = tuple(plain(c.label) for c in columns)
        rows: list[tuple[Cell, ...]] = []
        if block.roles:
            # one pre-printed row per role that must sign, then any blank rows
            header = (plain(words.role_column), *header)
            rows += [(plain(role), *(self._blank_cell(c) for c in columns)) for role in block.roles]
            rows += [
                (self._blank_cell(Column(label=words.role_column)), *(self._blank_cell(c) for c in columns))
                for _r in range(block.rows)
            ]
        else:
            rows += [tuple(self._blank_cell(c) for c in columns) for _r in range(block.rows or 8)]
        out: list[Any] = [Paragraph(plain(block.title), "lead")] if block.title else []
        out.append(Table(header, tuple(rows), tuple(block.widths) or None))
        return out

    def _checklist(self, block: FormBlock) -> list[Any]:
        return [self._check_table(block.items)]

    def _check_table(self, items: list[str] | tuple[str, ...]) -> Table:
        words = self.ctx.wording.checklist
        header = (plain(words.item), *(plain(x) for x in words.answers), plain(words.comment))
        rows: list[tuple[Cell, ...]] = []
        for item in items:
            rows.append(
                (
                    plain(item),
                    *(Field(self.name(_field_hint(x)), "checkbox") for x in words.answers),
                    Field(self.name("comment"), "text"),
                )
            )
        return Table(header, tuple(rows), (46, 6, 6, 6, 36))

    # ------------------------------------------------------------ tailored blocks
    def _hazard_checklist(self, block: FormBlock) -> list[Any]:
        header = tuple(plain(c) for c in self.ctx.wording.hazard_checklist)
        rows: list[tuple[Cell, ...]] = []
        for h in self.ctx.hazards:
            key_controls = key_practices(h.safe_work_practice) + h.ppe[:1]
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
            out.append(Paragraph(plain(_fill(self.ctx.wording.equipment_checks, equipment=h.name)), "lead"))
            out.append(self._check_table(h.inspection.items))
        return out

    def _hazard_rows(self, block: FormBlock) -> list[Any]:
        header = tuple(plain(c) for c in self.ctx.wording.hazard_rows)
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
        words = self.ctx.wording.risk_matrix
        header = (plain(words.corner), *(plain(f"{lk.level} {lk.name}") for lk in matrix.likelihood))
        rows: list[tuple[Cell, ...]] = []
        for s in reversed(matrix.severity):
            rows.append(
                (
                    plain(f"{s.level} {s.name}"),
                    *(plain(f"{s.level * k.level} {matrix.band(s.level * k.level).name}") for k in matrix.likelihood),
                )
            )
        bands = bullets([f"{b.min}-{b.max} {b.name}: {b.action}" for b in matrix.bands])
        return [Table(header, tuple(rows)), Callout((bands,), words.bands)]

    def _toolbox_topics(self, block: FormBlock) -> list[Any]:
        header = tuple(plain(c) for c in self.ctx.wording.toolbox_topics)
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
        header = tuple(plain(c) for c in self.ctx.wording.training_rows)
        rows: list[tuple[Cell, ...]] = []
        seen: set[str] = set()
        for duty in self.ctx.legal_training:
            seen.add(duty.title)
            rows.append(
                (
                    plain(duty.title),
                    plain(duty.who or ""),
                    plain(duty.validity or self.ctx.wording.training_validity),
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
                        plain(t.refresh or self.ctx.wording.training_refresh),
                        Field(self.name("worker"), "text"),
                        Field(self.name("date_done"), "date"),
                        Field(self.name("date_expiry"), "date"),
                        Field(self.name("signature"), "signature"),
                    )
                )
        for _r in range(block.rows or 4):
            rows.append(tuple(Field(self.name("row"), "text") for _ in header))
        return [Table(header, tuple(rows), (22, 20, 12, 14, 11, 10, 11))]


# re-exported so callers need one import for form building
__all__ = ["FormContext", "build_form", "SignatureBlock"]
