"""The practice audit's outputs as document trees: the scored report (or gap assessment)
and the fillable workbook (see :mod:`generator.audit_workbook`).

Only data reaches the writers: every sentence here is fixed text or a value from the pack,
the question bank, the profile and the answers.
"""

from __future__ import annotations

import datetime as dt

from generator.audit import ANSWER_WORDS, AuditResult
from generator.audit_questions import AuditQuestion
from generator.audit_score import GAP_STATUS, ElementScore, first_steps, gap_status, shown
from generator.document import (
    BulletList,
    Callout,
    Cell,
    Cover,
    Document,
    ListItem,
    Run,
    Section,
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


def iso_day(day: dt.date | None) -> str:
    """A date as printed (ISO), or blank."""
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


def audit_document(
    result: AuditResult, title: str, sections: list[Section], cover: Cover | None, kind: str
) -> Document:
    """A numbered document of the audit: ``manual`` (report, with cover and contents) or ``form`` (workbook)."""
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
        rows.append(("Data gathering starts", iso_day(deadlines.start)))
    if deadlines.gathering_ends and not result.gap:
        rows.append(
            (f"Data gathering ends (at most {rules.data_gathering_days} days)", iso_day(deadlines.gathering_ends))
        )
    if deadlines.submit_by and not result.gap:
        rows.append((f"Submission deadline ({deadlines.submit_rule})", iso_day(deadlines.submit_by)))
    plan = result.plan
    rows.append(("Program start", iso_day(plan.start)))
    rows.append((f"Earliest audit ({plan.minimum_months} months of records)", iso_day(plan.earliest_audit)))
    for year in plan.years:
        label = f"Year {year.year}: {year.audit}"
        rows.append((label, f"{iso_day(year.opens)} to {iso_day(year.due)}"))
    if plan.years:
        rows.append(("Certificate anniversary", f"{plan.years[0].due.strftime('%B %d').replace(' 0', ' ')} each year"))
    return rows


def dates_section(result: AuditResult, level: int) -> Section:
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
    sections = [summary, plan, dates_section(result, 1), _answers_sections(result)]
    title = "Practice audit report"
    subtitle = f"{pack.partner.name} {pack.stream}: practice audit of the health and safety program"
    return audit_document(result, title, sections, _cover(result, title, subtitle), "manual")


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
    sections = [stand, first, dates_section(result, 1), _answers_sections(result)]
    title = "Gap assessment"
    subtitle = f"{pack.partner.name} {pack.stream}: what to keep, fix and add"
    return audit_document(result, title, sections, _cover(result, title, subtitle), "manual")
