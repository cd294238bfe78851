"""The practice audit's outputs as document trees: the scored report (or gap assessment)
and the fillable workbook for the internal and maintenance audits.

Only data reaches the writers: every sentence here is fixed text or a value from the pack,
the question bank, the profile and the answers.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

from generator.audit import ANSWER_WORDS, AuditResult
from generator.audit_questions import AuditQuestion
from generator.audit_score import GAP_STATUS, ElementScore, first_steps, gap_status, shown
from generator.document import (
    Block,
    BulletList,
    Callout,
    Cell,
    Cover,
    Document,
    Field,
    FieldGrid,
    ListItem,
    Run,
    Section,
    SignatureBlock,
    Table,
    bullets,
    para,
    plain,
)

METHOD_CODES = {"documents": "D", "observation": "O", "interview": "I"}
STATUS_WORDS = {"keep": "Keep", "fix": "Fix", "missing": "Missing"}


def _points(value: object) -> str:
    text = f"{float(value):.1f}"  # type: ignore[arg-type]
    return text[:-2] if text.endswith(".0") else text


def _methods(question: AuditQuestion) -> str:
    return ", ".join(f"{m} ({METHOD_CODES[m]})" for m in question.verified_by)


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _cover(result: AuditResult, title: str, subtitle: str) -> Cover:
    facts = result.facts
    pack = facts.pack
    lines = [
        ("Certifying partner", f"{pack.partner.name} ({pack.partner.short})"),
        ("Program stream", pack.stream),
        ("Workers", str(facts.profile.company.workers)),
        ("Date", result.date.isoformat()),
    ]
    if result.auditor:
        lines.append(("Auditor", result.auditor))
    return Cover(title=title, subtitle=subtitle, company=facts.profile.company.name, lines=tuple(lines))


def _document(result: AuditResult, title: str, sections: list[Section], cover: Cover | None, kind: str) -> Document:
    facts = result.facts
    document = Document(
        title=title,
        company=facts.profile.company.name,
        revision=str(facts.revision),
        date=result.date.isoformat(),
        sections=sections,
        cover=cover,
        toc=cover is not None,
        subject=f"{facts.pack.partner.short} {facts.pack.stream} {title.lower()}",
        keywords=("health and safety", "audit", facts.pack.partner.short, facts.pack.stream),
        kind="manual" if kind == "manual" else "form",
        landscape=kind != "manual",
    )
    document.number()
    return document


# ----------------------------------------------------------------------- dates
def date_rows(result: AuditResult) -> list[tuple[str, str]]:
    """The dates that matter, from the partner's data: this audit's deadlines and the cycle's."""
    rules = result.facts.pack.requirements.audit
    deadlines = result.deadlines
    rows = []
    if not result.gap:  # a gap assessment is not an audit: only the cycle's dates apply
        rows.append(("Data gathering starts", _day(deadlines.start)))
    if deadlines.gathering_ends and not result.gap:
        rows.append((f"Data gathering ends (at most {rules.data_gathering_days} days)", _day(deadlines.gathering_ends)))
    if deadlines.submit_by and not result.gap:
        rows.append((f"Submission deadline ({deadlines.submit_rule})", _day(deadlines.submit_by)))
    plan = result.plan
    rows.append(("Program start", _day(plan.start)))
    rows.append((f"Earliest audit ({plan.minimum_months} months of records)", _day(plan.earliest_audit)))
    for year in plan.years:
        label = f"Year {year.year}: {year.audit}"
        rows.append((label, f"{_day(year.opens)} to {_day(year.due)}"))
    if plan.years:
        rows.append(("Certificate anniversary", f"{plan.years[0].due.strftime('%B %d').replace(' 0', ' ')} each year"))
    return rows


def _dates_section(result: AuditResult, level: int) -> Section:
    section = Section("Dates that matter", level, key="audit/dates")
    table = Table((plain("What"), plain("Date")), tuple((plain(a), plain(b)) for a, b in date_rows(result)), (3, 2))
    section.blocks.append(table)
    maintenance = result.facts.pack.requirements.audit.maintenance
    if maintenance:
        section.blocks.append(para(f"Maintenance audits: {maintenance}."))
    return section


# ---------------------------------------------------------------------- report
def _element_rows(result: AuditResult) -> list[tuple[Cell, ...]]:
    marks = result.score.marks
    rows: list[tuple[Cell, ...]] = []
    for element in result.score.elements:
        if element.score is None:
            verdict = "Not scored (no question applies)"
        elif element.score >= marks.per_element:
            verdict = "At or above the element mark"
        else:
            verdict = "Below the element mark"
        rows.append(
            (
                plain(f"{element.element.number} {element.element.name}"),
                plain(f"{_points(element.earned)} of {_points(element.possible)}"),
                plain(shown(element.score)),
                plain(verdict),
            )
        )
    return rows


def _answer_table(result: AuditResult, element: ElementScore) -> Table:
    workers = result.facts.profile.company.workers
    rows = []
    for r in element.results:
        q = r.question
        rows.append(
            (
                plain(q.text),
                plain(_methods(q)),
                plain("; ".join(result.evidence.get(q.id, ()))),
                plain(result.bank.sample_text(q, workers)),
                plain(ANSWER_WORDS[r.answer]),
                plain(f"{_points(r.earned)} of {_points(r.possible)}" if r.applies else "left out"),
            )
        )
    header = tuple(plain(h) for h in ("Question", "Verified by", "Evidence", "Sample", "Answer", "Points"))
    return Table(header, tuple(rows), (6, 2.2, 3.5, 2.2, 1.4, 1.4))


def _answers_sections(result: AuditResult) -> Section:
    top = Section("Answers by element", 1, page_break=True, key="audit/answers")
    for element in result.score.elements:
        title = f"Element {element.element.number}: {element.element.name}"
        child = Section(title, 2, key=f"audit/element/{element.element.id}")
        if element.results:
            child.blocks.append(_answer_table(result, element))
        top.children.append(child)
    return top


def report_document(result: AuditResult) -> Document:
    """The scored practice-audit report: result, action plan, dates and every answer."""
    score = result.score
    marks = score.marks
    pack = result.facts.pack
    verdict = "passes" if score.passed else "does not pass"
    summary = Section("Result", 1, page_break=True, key="audit/result")
    summary.blocks.append(
        para(
            f"Overall score {shown(score.overall)} ({_points(score.earned)} of {_points(score.possible)} points). "
            f"The {pack.partner.short} pass rule is {marks.overall}% overall and at least {marks.per_element}% "
            f"in every element: this practice audit {verdict}.",
            "lead",
        )
    )
    low = score.below_element_mark()
    if low:
        summary.blocks.append(para(f"Elements below {marks.per_element}%:"))
        summary.blocks.append(bullets([f"{e.element.number} {e.element.name}: {shown(e.score)}" for e in low]))
    header = tuple(plain(h) for h in ("Element", "Points", "Score", "Result"))
    summary.blocks.append(Table(header, tuple(_element_rows(result)), (5, 2, 1.5, 3)))
    summary.blocks.append(
        para(
            "Questions answered 'not applicable' are left out of both the points earned and the points possible.",
            "small",
        )
    )
    rules = pack.requirements.audit
    if rules.corrective_action_for_no or not rules.partial_credit:
        notes = []
        if not rules.partial_credit:
            notes.append(f"{pack.partner.short} scores each question yes or no; no part marks are given.")
        if rules.corrective_action_for_no:
            notes.append(
                f"{pack.partner.short} needs a corrective action plan for every 'no' answer, sent with the audit."
            )
        summary.blocks.append(Callout(tuple(para(n) for n in notes), f"{pack.partner.short} scoring rules", "auditor"))

    plan = Section("Action plan", 1, page_break=True, key="audit/actions")
    if result.actions:
        plan.blocks.append(para("Every question short of full marks, with what to do, who does it and by when."))
        rows = []
        for i, item in enumerate(result.actions, start=1):
            what = item.what + (" (corrective action plan required)" if item.required else "")
            rows.append(
                (
                    plain(str(i)),
                    plain(f"{item.element.number} {item.element.name}"),
                    plain(what),
                    plain("; ".join(item.evidence)),
                    plain(item.who),
                    plain(item.due.isoformat()),
                )
            )
        header = tuple(plain(h) for h in ("No.", "Element", "What to do", "Evidence", "Who", "By"))
        plan.blocks.append(Table(header, tuple(rows), (0.7, 3, 5, 3.5, 2.5, 1.8)))
    else:
        plan.blocks.append(para("Every question earned full marks; no action is needed."))
    sections = [summary, plan, _dates_section(result, 1), _answers_sections(result)]
    title = "Practice audit report"
    subtitle = f"{pack.partner.name} {pack.stream}: practice audit of the health and safety program"
    return _document(result, title, sections, _cover(result, title, subtitle), "manual")


def gap_document(result: AuditResult) -> Document:
    """The gap assessment: keep, fix or missing per element, and what to do first."""
    pack = result.facts.pack
    stand = Section("Where the company stands", 1, page_break=True, key="gap/status")
    statuses = [gap_status(e) for e in result.score.elements]
    counts = ", ".join(f"{statuses.count(s)} {STATUS_WORDS[s].lower()}" for s in GAP_STATUS)
    stand.blocks.append(para(f"Of the {len(statuses)} {pack.partner.short} {pack.stream} elements: {counts}.", "lead"))
    stand.blocks.append(
        bullets(
            [
                "Keep: what the company does today already meets every question.",
                "Fix: some of it is in place and needs finishing or recording.",
                "Missing: none of it is in place yet.",
            ]
        )
    )
    rows = tuple(
        (plain(f"{e.element.number} {e.element.name}"), plain(STATUS_WORDS[s]), plain(shown(e.score)))
        for e, s in zip(result.score.elements, statuses, strict=True)
    )
    stand.blocks.append(Table(tuple(plain(h) for h in ("Element", "Status", "In place today")), rows, (6, 1.5, 2)))

    first = Section("What to do first", 1, page_break=True, key="gap/first")
    steps = first_steps(result.score)
    if steps:
        first.blocks.append(para("In this order: whole elements that are missing first, then the heaviest questions."))
        items = []
        for element, r in steps:
            refs = "; ".join(result.evidence.get(r.question.id, ()))
            lead = Run(f"{r.question.action} ", bold=True)
            rest = Run(f"Element {element.element.number} {element.element.name}. Covered by: {refs}.")
            items.append(ListItem((lead, rest)))
        first.blocks.append(BulletList(tuple(items), ordered=True))
    else:
        first.blocks.append(para("Everything asked is in place today; keep records of it from now on."))
    sections = [stand, first, _dates_section(result, 1), _answers_sections(result)]
    title = "Gap assessment"
    subtitle = f"{pack.partner.name} {pack.stream}: what to keep, fix and add"
    return _document(result, title, sections, _cover(result, title, subtitle), "manual")


# --------------------------------------------------------------------- workbook
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
    dates = _dates_section(result, 1)
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
    document = _document(result, "Internal audit workbook", sections, None, "form")
    document.header_note = f"{pack.partner.short} {pack.stream}"
    return document
