"""The company profile: one validated, immutable record that drives every build.

A profile is a YAML file the user keeps and edits. The key names ``company.name``,
``company.province``, ``company.workers``, ``company.industry``, ``partner`` and ``hazards``
are a public contract: other tools rely on them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import stat
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from generator import __version__
from generator.catalog import Catalog
from generator.content_models import PROVINCES
from generator.errors import Problem, UserError
from generator.validation import one_of, suggest, validate_located
from generator.yamlio import Located, dump_yaml, load_yaml, load_yaml_text, write_atomic

# XML 1.0 forbids most control characters; Word and PDF would choke on them.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _clean(value: str) -> str:
    if _BAD_CHARS.search(value):
        raise ValueError("contains control characters that cannot be printed")
    return value.strip()


Text = Annotated[str, Field(max_length=2000), AfterValidator(_clean)]
Name = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_clean)]


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


RequiredName = Annotated[Name, AfterValidator(_not_blank)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Address(_Model):
    street: Text = ""
    city: Text = ""
    postal_code: Text = ""


class Person(_Model):
    name: RequiredName
    title: Text = ""
    phone: Text = ""
    email: Text = ""


class Company(_Model):
    name: RequiredName = Field(description="Operating name printed on the manual and forms.")
    legal_name: Text = ""
    province: Literal[PROVINCES] = Field(description="Two-letter province code, e.g. AB.")  # type: ignore[valid-type]
    workers: int = Field(ge=1, le=100000, description="Workers on the payroll, owners included.")
    industry: str = Field(description="An industry id; `safety-manual hazards --json` lists them.")
    address: Address = Address()
    phone: Text = ""
    email: Text = ""
    website: Text = ""
    logo: Text = Field("", description="Path to a PNG or JPEG logo, relative to the profile.")


class People(_Model):
    owner: Person = Field(description="Owner or senior manager who signs the policy.")
    safety_contact: Person | None = Field(None, description="Person who runs the program day to day.")
    supervisors: list[Name] = []


class Contact(_Model):
    name: RequiredName
    role: Text = ""
    phone: Text = ""


class Hospital(_Model):
    name: RequiredName
    address: Text = ""
    phone: Text = ""


class Emergency(_Model):
    muster_point: Text = "Outside the main entrance, at a safe distance, unless the site plan names another"
    hospital: Hospital | None = None
    contacts: list[Contact] = []
    first_aiders: list[Name] = []


class Site(_Model):
    name: RequiredName
    address: Text = ""
    description: Text = ""


class RevisionEntry(_Model):
    """One line of the revision history."""

    revision: int = Field(ge=1, le=999)
    date: dt.date
    changes: RequiredName
    approved_by: Text = ""


class DocumentInfo(_Model):
    revision: int = Field(1, ge=1, le=999)
    date: dt.date | None = Field(None, description="Date of this revision; defaults to the build date.")
    program_start: dt.date | None = Field(
        None, description="Date the program started running (for the certification plan)."
    )
    approved_by: Text = ""
    history: list[RevisionEntry] = Field([], description="Revision history, oldest first; `update` adds to it.")


class CustomProcedure(_Model):
    """A safe job procedure of the company's own: the task and its steps, in order."""

    title: RequiredName = Field(description='The task, e.g. "Transferring a client from bed to chair".')
    steps: list[Annotated[Text, Field(min_length=1)]] = Field(
        min_length=3, description="The steps in the order they are done, one action per step (at least 3)."
    )


class CustomHazard(_Model):
    """A hazard of the company's own, with its own controls, kept across every update."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: RequiredName
    description: Annotated[Text, Field(min_length=1)]
    who_is_at_risk: Text = "Workers who do this task, and anyone near the work."
    severity: int = Field(3, ge=1, le=5)
    likelihood: int = Field(3, ge=1, le=5)
    controls: dict[Literal["elimination", "substitution", "engineering", "administrative", "ppe"], list[Text]] = {}
    ppe: list[Text] = []
    safe_work_practice: list[Text] = Field(min_length=1)
    training: list[Text] = []
    training_refresh: Text | None = Field(
        None, description='How long the training stays valid, e.g. "Every 3 years"; printed in the training matrix.'
    )
    inspection_items: list[Text] = Field(min_length=1)
    inspection_frequency: Text = "Before each use"
    safe_job_procedure: CustomProcedure | None = Field(
        None,
        description=(
            "Optional step-by-step procedure for the task, printed in the safe job procedures section. "
            "A task rated High or Critical needs one; without it the review notes list the hazard."
        ),
    )


class Custom(_Model):
    """Company text kept across rebuilds: paragraphs per topic and the company's own hazards."""

    sections: dict[str, list[Text]] = Field({}, description="Topic id -> paragraphs added at the end of that topic.")
    hazards: list[CustomHazard] = []


LoneWork = Literal["no", "sometimes", "always"]
AloneWhen = Literal["driving", "client_sites", "shop", "night", "remote"]
Crews = Literal["owner_only", "owner_leads", "crew_leads"]
OwnerRole = Literal["supervisor", "safety_coordinator", "first_aider", "trainer", "investigator", "dispatcher"]
HiredTrade = Literal["electrical", "gas", "asbestos_abatement", "confined_space", "crane_lifts"]
Vehicle = Literal["pickup", "flatdeck", "vacuum_tank"]
Access = Literal["none", "ladders_only", "ladders_and_scaffolds"]
Location = Literal["own_shop", "client_sites", "homes", "oil_gas_leases", "public_roads"]
Travel = Literal["local", "regional", "remote"]


class Operations(_Model):
    """How the company works. Each answer left out takes the industry's default.

    The answers decide what the manual commits to: a check-in procedure or a second person,
    doing a trade or hiring it out, which variant of a hazard applies, how often things happen.
    """

    works_alone: LoneWork | None = Field(None, description="Do people work alone or out of sight of others?")
    alone_when: list[AloneWhen] | None = Field(None, description="When people work alone.")
    crews: Crews | None = Field(None, description="Who leads the work: the owner alone, the owner's crew, crew leads.")
    owner_roles: list[OwnerRole] | None = Field(None, description="Roles the owner holds when no one else does.")
    hires_out: list[HiredTrade] | None = Field(None, description="Work the company hires a licensed trade to do.")
    vehicles: list[Vehicle] | None = Field(None, description="Kinds of vehicle the company runs.")
    access: Access | None = Field(None, description="Ladders only, or ladders and scaffolds.")
    locations: list[Location] | None = Field(None, description="Where the work happens.")
    shift_hours: int | None = Field(None, ge=1, le=24, description="Usual length of a working day, in hours.")
    travel: Travel | None = Field(None, description="How far people travel to work.")


class Profile(_Model):
    """A company's answers: everything a build needs and nothing else."""

    company: Company
    partner: str = Field(description="Certifying-partner id, e.g. acsa; `safety-manual packs` lists them.")
    stream: Literal["SECOR", "Small COR", "COR"] | None = Field(
        None, description="Leave out to let the stream advisor choose by worker count."
    )
    hazards: list[str] = Field(min_length=1, description="Hazard ids; `safety-manual hazards` lists them.")
    people: People
    emergency: Emergency = Emergency()
    # bounded: every site is listed in several chapters and forms (10,000 took gigabytes)
    sites: list[Site] = Field([], max_length=500)
    operations: Operations = Operations()
    document: DocumentInfo = DocumentInfo()
    custom: Custom = Custom()
    style: Text = Field("", description="A house style folder (style.yaml, logo, shell.docx), relative to the profile.")


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a profile file."""
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "safety-manual profile"
    return schema


def _id_problems(data: dict[str, Any], located: Located, catalog: Catalog) -> list[Problem]:
    """Ids that must exist in the reference data, checked on the raw data.

    These run even when other keys are invalid, so one run reports every problem.
    """
    problems: list[Problem] = []
    company: dict[str, Any] = data["company"] if isinstance(data.get("company"), dict) else {}
    industry = company.get("industry")
    if isinstance(industry, str) and industry not in catalog.industries:
        problems.append(
            located.problem(
                ("company", "industry"), f"unknown industry {industry!r}{_hint(industry, catalog.industries)}"
            )
        )
    hazards = data.get("hazards")
    seen: set[str] = set()
    for i, hazard in enumerate(hazards if isinstance(hazards, list) else []):
        if not isinstance(hazard, str):
            continue
        if hazard in seen:
            problems.append(located.problem(("hazards", i), f"hazard {hazard!r} is listed twice"))
        elif hazard not in catalog.hazards:
            problems.append(
                located.problem(
                    ("hazards", i),
                    f"unknown hazard {hazard!r}"
                    + (suggest(hazard, catalog.hazards) or " (`safety-manual hazards` lists them)"),
                )
            )
        seen.add(hazard)
    partner = data.get("partner")
    if isinstance(partner, str) and partner not in catalog.partners:
        problems.append(
            located.problem(("partner",), f"unknown certifying partner {partner!r}{_hint(partner, catalog.partners)}")
        )
    from generator.content_models import TOPICS

    custom: dict[str, Any] = data["custom"] if isinstance(data.get("custom"), dict) else {}
    sections = custom.get("sections")
    for topic in sections if isinstance(sections, dict) else {}:
        if topic not in TOPICS:
            problems.append(
                located.problem(("custom", "sections", topic), f"unknown topic {topic!r}{suggest(topic, TOPICS)}")
            )
    return problems


def _hint(word: str, choices: dict[str, Any]) -> str:
    """A suggestion, or the list of valid ids when nothing is close."""
    return suggest(word, choices) or f" (use one of {one_of(sorted(choices))})"


def _semantic_problems(profile: Profile, located: Located, catalog: Catalog) -> list[Problem]:
    """Checks that need a valid profile: library ids reused, partner that must fit."""
    from generator.advisor import pack_for

    problems: list[Problem] = []
    for i, custom in enumerate(profile.custom.hazards):
        if custom.id in catalog.hazards:
            problems.append(
                located.problem(
                    ("custom", "hazards", i, "id"), f"{custom.id!r} is a library hazard id; give yours another id"
                )
            )
    if profile.partner in catalog.partners:
        try:
            pack_for(catalog, profile)
        except UserError as exc:
            problems.append(located.problem(("partner",), "; ".join(exc.lines)))
    if profile.company.logo:
        logo = Path(profile.company.logo)
        if logo.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            problems.append(located.problem(("company", "logo"), "logo must be a .png or .jpg file"))
    return problems


def _explained(problem: Problem, located: Located, catalog: Catalog) -> Problem:
    """A province refused by the schema, explained: closest code, or why the tool does not cover it."""
    from generator.advisor import province_error

    company = located.data.get("company") if isinstance(located.data, dict) else None
    value = company.get("province") if isinstance(company, dict) else None
    if problem.key != "company.province" or not isinstance(value, str):
        return problem
    return Problem(problem.file, problem.line, problem.key, province_error(catalog, value))


def parse_profile(located: Located, catalog: Catalog) -> Profile:
    """Validate located profile data; raise one :class:`UserError` listing every problem."""
    if not isinstance(located.data, dict):
        raise UserError(
            problems=[located.problem((), "a profile must be a mapping with company, partner, hazards and people")]
        )
    profile, problems = validate_located(Profile, located)
    problems = [_explained(p, located, catalog) for p in problems]
    problems += _id_problems(located.data, located, catalog)
    if profile is not None:
        problems += _semantic_problems(profile, located, catalog)
    if problems:
        # in file order, so the list reads top to bottom like the file
        raise UserError(problems=sorted(problems, key=lambda p: p.line or 0))
    assert profile is not None
    return profile


def load_profile(path: Path, catalog: Catalog) -> Profile:
    """Read, parse and validate the profile at ``path``."""
    return parse_profile(load_yaml(path), catalog)


def profile_from_text(text: str, catalog: Catalog, name: str = "<profile>") -> Profile:
    """Parse a profile given as YAML text (used by tests and the interview)."""
    return parse_profile(load_yaml_text(text, name), catalog)


def profile_to_data(profile: Profile) -> dict[str, Any]:
    """Plain data for YAML: defaults and empty values left out, so the file stays readable."""
    return profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def profile_digest(profile: Profile) -> str:
    """A stable digest of the profile's content (not of its file's formatting)."""
    return hashlib.sha256(dump_yaml(profile.model_dump(mode="json")).encode()).hexdigest()


def profile_text(profile: Profile, path: Path, packs_version: str, keep_comments: bool = False) -> str:
    """The YAML text of ``profile`` as it would be saved at ``path``.

    With ``keep_comments`` (a revision of the profile already at ``path``) the file keeps
    its comments and key order and only the values change (see :mod:`generator.profile_file`);
    otherwise it is written afresh with our header comment.
    """
    from generator.profile_file import merged_text

    original = None
    if keep_comments:
        try:
            original = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            original = None
    merged = merged_text(original, profile) if original else None
    if merged is not None:
        return merged
    header = (
        "# Health and safety manual profile: edit it and run `safety-manual build` again.\n"
        f"# Written by safety-manual {__version__} (content {packs_version}) on {dt.date.today().isoformat()}.\n"
        "# Key names under company, partner and hazards are stable; see `safety-manual schema`.\n"
    )
    return header + dump_yaml(profile_to_data(profile), width=4096)


def write_profile_text(path: Path, text: str) -> None:
    """Save profile ``text`` at ``path`` atomically, keeping the file's mode.

    A profile that is a link is written through it: the real file gets the new text and
    the link stays a link.
    """
    real = path.resolve()
    try:
        mode = stat.S_IMODE(real.stat().st_mode)
    except FileNotFoundError:
        mode = None  # a new file: the user's umask decides
    write_atomic(real, text, mode=mode)


def save_profile(profile: Profile, path: Path, packs_version: str, keep_comments: bool = False) -> None:
    """Write the profile as commented YAML, atomically (see :func:`profile_text`)."""
    write_profile_text(path, profile_text(profile, path, packs_version, keep_comments))
