"""Schemas of the reference data: hazards, jurisdictions, industries, packs, risk matrix.

These mirror docs/authoring.md. Every record that states a legal or program fact carries
``source`` and ``verified`` so the data says what is known and how well.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PROVINCES = ("AB", "BC", "SK", "MB", "ON", "NB", "NS", "PE", "NL")

TOPICS = (
    "policy", "responsibilities", "worker_rights", "committee", "legislation",
    "contractors_visitors", "procurement", "hazard_assessment", "hazard_control", "ppe",
    "preventive_maintenance", "violence_harassment", "working_alone", "whmis",
    "fitness_for_duty", "safe_work_practices", "safe_job_procedures", "company_rules",
    "training", "communication", "inspections", "emergency_response", "first_aid",
    "incident_investigation", "records_statistics", "program_administration",
    "management_review",
)  # fmt: skip

HAZARD_CATEGORIES = (
    "work_at_height", "equipment", "vehicles", "electrical", "excavation", "materials",
    "chemical", "physical", "biological", "environment", "ergonomic", "psychosocial",
    "fire_explosion", "general",
)  # fmt: skip

SECTORS = (
    "construction", "oil_gas", "general", "manufacturing", "transportation", "agriculture",
    "municipal", "forestry", "hospitality",
)  # fmt: skip

STREAMS = ("SECOR", "Small COR", "COR")


class Strict(BaseModel):
    """Base: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Strict):
    ref: str
    title: str | None = None
    source: str | None = None
    verified: bool = False
    conflict: bool = False
    note: str | None = None


class Sourced(Strict):
    source: str | None = None
    verified: bool = False
    conflict: bool = False
    note: str | None = None


# --------------------------------------------------------------------------- hazards
class Risk(Strict):
    severity: int = Field(ge=1, le=5)
    likelihood: int = Field(ge=1, le=5)


class Controls(Strict):
    elimination: list[str] = []
    substitution: list[str] = []
    engineering: list[str] = []
    administrative: list[str] = []
    ppe: list[str] = []


class Procedure(Strict):
    title: str
    steps: list[str] = Field(min_length=3)


class TrainingItem(Strict):
    name: str
    who: str
    refresh: str | None = None
    provinces: list[Literal[PROVINCES]] = []  # type: ignore[valid-type]  # empty: every province


class Inspection(Strict):
    frequency: str
    items: list[str] = Field(min_length=3)


class ToolboxTalk(Strict):
    points: list[str] = Field(min_length=3)
    questions: list[str] = Field(min_length=2)


class Swap(Strict):
    """Replace the one text of a hazard that contains ``old`` with ``new`` ("" drops it)."""

    old: str = Field(min_length=8)
    new: str = ""


class Variant(Strict):
    """Text of a hazard for companies that work a certain way (``when`` flags all hold).

    Flags come from the profile's ``operations`` answers (see generator/operations.py), e.g.
    ``hires:electrical``, ``alone``, ``vehicle:flatdeck``; ``!flag`` means the flag is absent.
    ``set`` replaces whole fields; ``swap`` replaces single lines.
    """

    when: list[str] = Field(min_length=1)
    why: str = ""
    set: dict[str, object] = {}
    swap: list[Swap] = []


class Hazard(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    category: Literal[HAZARD_CATEGORIES]  # type: ignore[valid-type]
    trades: list[str] = []
    equipment: bool = False
    description: str
    who_is_at_risk: str
    harms: list[str] = Field(min_length=1)
    risk: Risk
    controls: Controls
    ppe: list[str] = []
    safe_work_practice: list[str] = Field(min_length=5)
    safe_job_procedure: Procedure | None = None
    training: list[TrainingItem] = []
    inspection: Inspection
    toolbox_talk: ToolboxTalk
    emergency: list[str] = []
    legislation: dict[Literal[PROVINCES], list[Citation]] = {}  # type: ignore[valid-type]
    sources: list[str] = []
    variants: list[Variant] = []
    residual: Risk | None = None  # set per company by generator/risk.py: the risk with controls in place


# --------------------------------------------------------------------- jurisdictions
class Statute(Sourced):
    name: str
    citation: str | None = None
    short: str | None = None


class Legislation(Strict):
    act: Statute
    regulations: list[Statute] = []


class Body(Sourced):
    name: str
    short: str | None = None
    contact: str | None = None
    website: str | None = None


class WorkerRight(Strict):
    right: Literal["know", "participate", "refuse", "reprisal"]
    summary: str
    citation: Citation | None = None


class Committee(Sourced):
    committee_min_workers: int | None = None
    representative_min_workers: int | None = None
    representative_max_workers: int | None = None
    # where the law requires a representative only at some places of employment
    representative_condition: str | None = None
    committee_name: str | None = None
    representative_name: str | None = None
    meeting_frequency: str | None = None
    training: str | None = None
    citation: Citation | None = None


class ProgramRequirement(Sourced):
    min_workers: int | None = None
    summary: str
    citation: Citation | None = None


class ReportingDuty(Sourced):
    to: Literal["regulator", "board"]
    what: str
    when: str
    how: str | None = None
    citation: Citation | None = None


class FirstAid(Sourced):
    summary: str
    citation: Citation | None = None


class Terms(Strict):
    """Words and rules that differ by province; shared templates and hazard text use them.

    Templates read ``jur.terms.<key>``; hazard text writes ``{key}`` and gets the province's
    words when a manual is built (see :func:`generator.context.apply_terms`).
    """

    site_lead: str  # the party in charge of a multi-employer site: prime contractor, constructor
    site_leads: str
    site_lead_title: str
    site_lead_scope: str  # what the site lead is in charge of: "work site", "project"
    head_protection: str  # the rule for hard hats, as a list item in the PPE section
    fall_plan: str  # the written fall protection document the law calls for
    fall_plans: str
    monitor_rule: str  # a safe work practice on safety monitors and control zones, or ""
    asbestos_classes: str
    asbestos_low: str
    asbestos_higher: str


class SiteLead(Sourced):
    """The duties of the party in charge of a site with more than one employer."""

    summary: str
    citation: Citation | None = None


class LegalDuty(Sourced):
    """One duty the law sets: training, a notice, a classification or a practice.

    ``hazards`` (ids), ``sectors`` and ``industries`` (ids) narrow when it applies; empty means
    every employer.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["training", "notice", "classification", "practice"]
    title: str
    summary: str
    who: str | None = None
    validity: str | None = None  # training: how long it stays valid, or that it does not expire
    record: str | None = None  # what must be kept as proof
    hazards: list[str] = []
    sectors: list[Literal[SECTORS]] = []  # type: ignore[valid-type]
    industries: list[str] = []  # for a duty that law sets for one trade only (late-night retail)
    citation: Citation


class FederalDuties(Strict):
    """Duties set by federal law that apply in every province (manual_templates/federal.yaml)."""

    duties: list[LegalDuty] = []


class SmallEmployer(Sourced):
    stream: Literal["SECOR", "Small COR"] | None = None
    max_workers: int | None = None


class Rebate(Sourced):
    name: str | None = None
    summary: str


class Jurisdiction(Strict):
    id: Literal[PROVINCES]  # type: ignore[valid-type]
    name: str
    coverage: Literal["full", "basic"]
    legislation: Legislation
    regulator: Body
    compensation_board: Body
    worker_rights: list[WorkerRight] = Field(min_length=3)
    refusal_procedure: list[str] = []
    committee: Committee
    program_requirement: ProgramRequirement | None = None
    reporting: list[ReportingDuty] = []
    first_aid: FirstAid | None = None
    topics: dict[str, list[Citation]] = {}
    small_employer: SmallEmployer
    rebate: Rebate | None = None
    terms: Terms
    site_lead: SiteLead | None = None
    duties: list[LegalDuty] = []
    sources: list[str] = []


# ------------------------------------------------------------------------ industries
class Industry(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    sector: Literal[SECTORS]  # type: ignore[valid-type]
    hazards: list[str] = []
    # how such a company usually works: defaults for the profile's ``operations`` answers,
    # checked against generator.profile.Operations when the catalog loads
    operations: dict[str, object] = {}


class IndustryList(Strict):
    operations: dict[str, object] = {}  # defaults for every industry, before the industry's own
    industries: list[Industry]


# ----------------------------------------------------------------------------- packs
class PartnerInfo(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    short: str
    website: str | None = None


class Protocol(Sourced):
    name: str
    version: str | None = None


class Element(Strict):
    id: str
    number: str
    name: str
    verified: bool = False
    source: str | None = None
    looks_for: list[str] = Field(min_length=1)
    topics: list[str] = []
    forms: list[str] = []


class PassMarks(Sourced):
    overall: int = 80
    per_element: int = 50
    maintenance_overall: int | None = None


class Course(Sourced):
    name: str
    who: str | None = None
    when: str | None = None


class AuditYear(Sourced):
    year: int
    audit: str
    who: str | None = None


class RecordsRule(Sourced):
    minimum_months: int | None = None
    full_months: int | None = None
    summary: str


class Summary(Sourced):
    summary: str


class AuditRules(Sourced):
    """How the partner runs and scores an audit: deadlines, credit and follow-up.

    Read by the practice audit and its workbook; every rule is optional, so a pack without
    an ``audit`` block still gets a practice audit (with partial credit and no deadlines).
    """

    data_gathering_days: int | None = Field(None, ge=1, le=365)  # longest data-gathering window
    submission_days: int | None = Field(None, ge=1, le=365)  # days allowed to submit the audit
    submission_after: Literal["completion", "data_gathering"] = "completion"  # when those days start
    corrective_action_for_no: bool = False  # every "no" answer needs a corrective action plan
    partial_credit: bool = True  # the partner scores part of a question's points
    verification_codes: bool = False  # the partner codes each question documents/observation/interview
    maintenance: str | None = None  # how often maintenance audits are done, in words
    summary: str | None = None


class Requirements(Strict):
    eligibility: Summary
    pass_marks: PassMarks
    courses: list[Course] = []
    audit_cycle: list[AuditYear] = []
    records_before_audit: RecordsRule
    submission: Summary | None = None
    audit: AuditRules = AuditRules()
    notes: list[str] = []


class Pack(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    partner: PartnerInfo
    stream: Literal[STREAMS]  # type: ignore[valid-type]
    title: str
    provinces: list[Literal[PROVINCES]]  # type: ignore[valid-type]
    sectors: list[Literal[SECTORS]]  # type: ignore[valid-type]
    industries: list[str] = []  # when set, the pack serves only these industries
    min_workers: int = 1
    max_workers: int | None = None
    protocol: Protocol
    elements: list[Element] = Field(min_length=3)
    requirements: Requirements
    sources: list[str] = []


# ----------------------------------------------------------------------- risk matrix
class Level(Strict):
    level: int
    name: str
    description: str


class Band(Strict):
    min: int
    max: int
    name: str
    action: str


class RiskRule(Strict):
    """A change to a hazard's rating for a company that works a certain way (or by category)."""

    hazards: list[str] = []  # empty: any hazard (then categories narrows it)
    categories: list[str] = []
    when: list[str] = []  # operations flags that must all hold (generator/operations.py)
    severity: int = Field(0, ge=-4, le=4)
    likelihood: int = Field(0, ge=-4, le=4)
    why: str


class RiskMatrix(Strict):
    severity: list[Level]
    likelihood: list[Level]
    bands: list[Band]
    # how the answers move the rating before controls, then how controls lower it
    answers: list[RiskRule] = []
    residual_default: RiskRule = RiskRule(likelihood=-2, why="Controls in place make the harm less likely.")
    residual: list[RiskRule] = []  # by category: the first that matches replaces the default

    def band(self, score: int) -> Band:
        """The band a score of severity x likelihood falls in."""
        for band in self.bands:
            if band.min <= score <= band.max:
                return band
        raise ValueError(f"risk score {score} is outside the matrix")
