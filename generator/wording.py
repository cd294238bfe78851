"""The words the generator prints around the manual's own text (``manual_templates/wording.yaml``).

Kept as data, like the form wording in ``forms/_wording.yaml``, so every sentence a reader
sees is edited in the content files and none is written in Python.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from generator.content_models import Strict
from generator.errors import ContentError
from generator.paths import data_dir
from generator.validation import validate_located
from generator.yamlio import load_yaml

WORDING_FILE = "wording.yaml"


class CoverWording(Strict):
    subtitle: str  # $partner $stream
    province: str
    partner: str
    stream: str
    revision: str
    revision_date: str
    approved_by: str


class AuditorBox(Strict):
    title: str  # $partner
    lead: str  # $partner $stream $number $element


class CustomHazardWording(Strict):
    harm: str  # $hazard
    training_who: str
    questions: list[str]  # $hazard


class PlaceWording(Strict):
    own_shop: str
    client_sites: str
    oil_gas_leases: str
    homes: str
    public_roads: str
    vehicles: str


class ManualWording(Strict):
    """The words printed around the manual's text."""

    cover: CoverWording
    subject: str  # $partner $stream
    auditor_box: AuditorBox
    company_text: str  # $company
    custom_hazard: CustomHazardWording
    places: PlaceWording


@lru_cache(maxsize=4)
def load_manual_wording(root: Path | None = None) -> ManualWording:
    """The manual wording, validated (every problem reported at once)."""
    path = (root or data_dir("manual_templates")) / WORDING_FILE
    located = load_yaml(path, display=f"manual_templates/{WORDING_FILE}")
    wording, problems = validate_located(ManualWording, located)
    if wording is None or problems:
        raise ContentError("the manual wording has problems:", problems)
    return wording


def fill(text: str, **values: object) -> str:
    """A wording line with its ``$name`` placeholders filled (unknown names are left as they are)."""
    return Template(text).safe_substitute({k: str(v) for k, v in values.items()})
