"""The fillable workbook for the internal and maintenance audits, as a document tree.

Question pages per element (how each question is verified, its evidence, its sample, blanks
for points and notes), a sampling plan, interview sheets for workers and supervisors, a
score summary, the auditor's declaration and the dates that matter.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from generator.audit import AuditResult
from generator.audit_docs import METHOD_CODES, audit_document, dates_section
from generator.document import Block, Cell, Document, Field, FieldGrid, Section, SignatureBlock, Table, para, plain


class _Names:
    """Field names unique in the workbook (PDF field names must be)."""

    def __init__(self) -> None:
        self.count = itertools.count(1)

    def __call__(self, hint: str) -> str:
        return f"{hint}_{next(self.count)}"


def _interview_sheet(result: AuditResult, who: str, title: str, names: _Names) -> Section | None:
    questions = [
        q
        for element in result.facts.pack.elements
        for q in result.bank.for_element(element)
        if getattr(q.interview, who)
    ]
    if not questions:
        return None
    section = Section(title, 1, page_break=True, key=f"workbook/interview/{who}")
    rule = result.bank.sampling.get(who)
    count = rule.text(result.facts.profile.company.workers) if rule else ""
    section.blocks.append(
        para(f"Use one sheet for each person interviewed ({count}). Ask in your own words; write what is said.")
    )
    section.blocks.append(
        FieldGrid(
            (
                Field(names("name"), "text", "Name"),
                Field(names("job"), "text", "Job or crew"),
                Field(names("date"), "date", "Date"),
                Field(names("site"), "text", "Site"),
            ),
            columns=2,
        )
    )
    rows = tuple(
        (
            plain(str(getattr(q.interview, who))),
            Field(names("answer"), "textarea", "Answer", 2),
            Field(names("ok"), "checkbox"),
        )
        for q in questions
    )
    section.blocks.append(Table((plain("Question"), plain("What was said"), plain("Meets it")), rows, (4, 5, 1)))
    return section


def _element_pages(result: AuditResult, names: _Names) -> Iterator[Section]:
    workers = result.facts.profile.company.workers
    for element in result.facts.pack.elements:
        questions = result.bank.for_element(element)
        section = Section(f"Element {element.number}: {element.name}", 1, page_break=True, key=f"workbook/{element.id}")
        rows: list[tuple[Cell, ...]] = []
        for i, q in enumerate(questions, start=1):
            rows.append(
                (
                    plain(f"{element.number}.{i}"),
                    plain(q.text),
                    plain(" ".join(METHOD_CODES[m] for m in q.verified_by)),
                    plain("; ".join(result.evidence.get(q.id, ()))),
                    plain(result.bank.sample_text(q, workers) or "Whole program"),
                    Field(names("points"), "text", f"of {q.weight}"),
                    Field(names("notes"), "textarea", "Notes", 2),
                )
            )
        header = tuple(plain(h) for h in ("No.", "Question", "Verified", "Evidence", "Sample", "Points", "Notes"))
        section.blocks.append(Table(header, tuple(rows), (0.8, 5, 1, 3.2, 2, 1.2, 3.5)))
        possible = sum(q.weight for q in questions)
        section.blocks.append(
            FieldGrid(
                (
                    Field(
                        names("earned"),
                        "text",
                        f"Element points earned (of {possible} possible, less any not applicable)",
                    ),
                    Field(names("percent"), "text", "Element score (%)"),
                ),
                columns=2,
            )
        )
        yield section


def workbook_document(result: AuditResult) -> Document:
    """The fillable workbook for the internal and maintenance audits."""
    facts = result.facts
    pack = facts.pack
    marks = pack.requirements.pass_marks
    rules = pack.requirements.audit
    names = _Names()
    intro = Section("About this audit", 1, key="workbook/about")
    blocks: list[Block] = [
        para(
            f"Workbook for {facts.profile.company.name}'s internal and maintenance audits against the "
            f"{pack.partner.short} {pack.stream} elements. Each question says how it is verified "
            "(D documents, O observation, I interviews), the form or manual section that gives the "
            "evidence and how many records or people to check."
        ),
        FieldGrid(
            (
                Field(names("auditor"), "text", "Auditor"),
                Field(names("audit_type"), "text", "Audit (certification, maintenance, recertification)"),
                Field(names("date_start"), "date", "Data gathering started"),
                Field(names("date_end"), "date", "Data gathering ended"),
                Field(names("date_submitted"), "date", "Submitted on"),
                Field(names("sites"), "text", "Sites in scope"),
            ),
            columns=2,
        ),
        para(
            f"Pass mark: {marks.overall}% overall and at least {marks.per_element}% in every element"
            + (f"; maintenance audits at least {marks.maintenance_overall}%" if marks.maintenance_overall else "")
            + ". Questions that do not apply are left out of both the points earned and the points possible."
            + ("" if rules.partial_credit else f" {pack.partner.short} gives all or none of a question's points.")
        ),
    ]
    if rules.corrective_action_for_no:
        blocks.append(
            para(f"Every 'no' answer needs a corrective action plan sent with the audit to {pack.partner.short}.")
        )
    intro.blocks = blocks
    sampling = Section("Sampling plan", 1, key="workbook/sampling")
    workers = facts.profile.company.workers
    sampling.blocks.append(
        Table(
            (
                plain("What is sampled"),
                plain(f"For {workers} workers"),
                plain("Chosen (names, dates or record numbers)"),
            ),
            tuple(
                (plain(rule.what.capitalize()), plain(rule.text(workers)), Field(names("chosen"), "textarea", "", 2))
                for rule in result.bank.sampling.values()
            ),
            (3, 2, 5),
        )
    )
    dates = dates_section(result, 1)
    sections = [intro, dates, sampling, *_element_pages(result, names)]
    for who, title in (("workers", "Interview sheet: workers"), ("supervisors", "Interview sheet: supervisors")):
        sheet = _interview_sheet(result, who, title, names)
        if sheet is not None:
            sections.append(sheet)
    summary = Section("Score summary", 1, page_break=True, key="workbook/summary")
    summary.blocks.append(
        Table(
            (plain("Element"), plain("Points earned"), plain("Points possible"), plain("Score (%)")),
            tuple(
                (
                    plain(f"{e.number} {e.name}"),
                    Field(names("earned"), "text"),
                    Field(names("possible"), "text"),
                    Field(names("score"), "text"),
                )
                for e in pack.elements
            ),
            (5, 2, 2, 2),
        )
    )
    summary.blocks.append(
        FieldGrid(
            (Field(names("overall"), "text", "Overall score (%)"), Field(names("passed"), "checkbox", "Passes")), 2
        )
    )
    declaration = Section("Auditor's declaration", 1, key="workbook/declaration")
    declaration.blocks += [
        para(
            "I carried out this audit myself, on the dates above. The scores rest on the documents I "
            "read, the work I observed and the people I interviewed, and I recorded them truthfully. "
            "I have kept the evidence for each answer."
        ),
        SignatureBlock(("Auditor's signature", "Name (print)", "Date"), name=names("auditor_sign")),
        SignatureBlock(("Owner or senior manager", "Name (print)", "Date"), name=names("owner_sign")),
    ]
    sections += [summary, declaration]
    document = audit_document(result, "Internal audit workbook", sections, None, "form")
    document.header_note = f"{pack.partner.short} {pack.stream}"
    return document
