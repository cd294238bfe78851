"""Form definitions (``forms/*.yaml``) and how each becomes a tailored document.

A form is data: a number, a title, the topic (and so the audit element) it gives evidence
for, and blocks. Some blocks are tailored from the profile: the hazards the company
selected become tick lists, inspection items, risk-ranking rows and toolbox-talk topics.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from generator.document import FieldKind
from generator.errors import ContentError, Problem
from generator.paths import data_dir
from generator.validation import validate_located
from generator.yamlio import load_yaml

BlockType = Literal[
    "fields", "checklist", "hazard_checklist", "hazard_inspection", "hazard_rows",
    "risk_matrix", "table", "text_area", "signatures", "note", "toolbox_topics",
    "training_rows", "equipment_inspection",
]  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    kind: FieldKind = "text"
    lines: int = 1


class Column(_Strict):
    """A table column: its printed label and the kind of blank each row gets."""

    label: str
    kind: FieldKind = "text"


def _columns(value: object) -> object:
    """``"Action"`` is short for ``{label: Action, kind: text}``; every other kind is declared."""
    if isinstance(value, list):
        return [{"label": v, "kind": "text"} if isinstance(v, str) else v for v in value]
    return value


class FormBlock(_Strict):
    type: BlockType
    title: str = ""
    text: str = ""
    fields: list[FieldSpec] = []
    columns: list[Column] = []
    roles: list[str] = []  # signatures: one pre-printed row per role, before the blank rows
    items: list[str] = []
    rows: int = Field(0, ge=0, le=60)
    lines: int = Field(3, ge=1, le=30)
    id: str = ""
    widths: list[float] = []

    _plain_columns = field_validator("columns", mode="before")(_columns)


class FormDef(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    number: str = Field(pattern=r"^F-\d{2}$")
    title: str
    topic: str
    purpose: str
    landscape: bool = False
    blocks: list[FormBlock] = Field(min_length=1)

    def ref(self) -> str:
        """How the manual refers to this form: ``Form F-03 Field-Level Hazard Assessment``."""
        return f"Form {self.number} {self.title}"

    def slug(self) -> str:
        """File-name stem: ``F-03-field-level-hazard-assessment``."""
        words = "".join(c.lower() if c.isalnum() else "-" for c in self.title)
        return f"{self.number}-" + "-".join(w for w in words.split("-") if w)


class IdLine(_Strict):
    company: str
    form: str
    handout: str
    code: str  # $code $revision $date


class HandoutWording(_Strict):
    title: str  # $hazard
    key_points: str
    ask: str
    ppe: str  # $ppe
    record: str  # $form: the form a toolbox talk is recorded on


class ChecklistWording(_Strict):
    item: str
    answers: tuple[str, str, str]
    comment: str


class MatrixWording(_Strict):
    corner: str
    bands: str


class FormWording(_Strict):
    """The words printed around every form and handout (``forms/_wording.yaml``)."""

    id_line: IdLine
    evidence: str  # $partner $stream $element
    keep: str  # $retention
    header_note: str  # $number
    handout: HandoutWording
    checklist: ChecklistWording
    role_column: str
    signatures: tuple[str, str, str]  # name, signature, date
    hazard_checklist: tuple[str, str, str, str]
    hazard_rows: tuple[str, str, str, str, str, str, str]
    risk_matrix: MatrixWording
    toolbox_topics: tuple[str, str, str]
    training_rows: tuple[str, str, str, str, str, str, str]
    training_refresh: str
    training_validity: str  # a legal duty whose validity the law leaves open
    equipment_checks: str  # $equipment


WORDING_FILE = "_wording.yaml"


def _forms_root() -> Path:
    return data_dir("forms")


@lru_cache(maxsize=4)
def load_wording(root: Path | None = None) -> FormWording:
    """The words printed around forms, validated (every problem reported at once)."""
    path = (root or _forms_root()) / WORDING_FILE
    located = load_yaml(path, display=f"forms/{WORDING_FILE}")
    wording, problems = validate_located(FormWording, located)
    if wording is None or problems:
        raise ContentError("the form wording has problems:", problems)
    return wording


@lru_cache(maxsize=4)
def load_forms(root: Path | None = None) -> dict[str, FormDef]:
    """Every form definition, validated, by id, in form-number order."""
    root = root or _forms_root()
    problems: list[Problem] = []
    forms: dict[str, FormDef] = {}
    numbers: dict[str, str] = {}
    for path in sorted(root.glob("*.yaml")):
        if path.name.startswith("_"):
            continue  # not a form: _wording.yaml
        located = load_yaml(path, display=f"forms/{path.name}")
        form, found = validate_located(FormDef, located)
        problems += found
        if form is None:
            continue
        if form.id != path.stem:
            problems.append(located.problem(("id",), f"id {form.id!r} must match the file name {path.stem!r}"))
        if form.number in numbers:
            problems.append(
                located.problem(("number",), f"number {form.number} is also used by {numbers[form.number]}")
            )
        numbers[form.number] = form.id
        forms[form.id] = form
    if problems:
        raise ContentError("the form definitions have problems:", problems)
    return dict(sorted(forms.items(), key=lambda kv: kv[1].number))


def form_ids() -> tuple[str, ...]:
    """The ids of the bundled forms (packs may name only these)."""
    return tuple(load_forms())
