"""Load and cross-check the reference data: hazards, jurisdictions, industries, packs.

Everything is validated at start-up, and every problem in every file is reported at once
(file, line, key), so a broken content pack never produces a half-right manual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from generator.content_models import (
    TOPICS,
    FederalDuties,
    Hazard,
    Industry,
    IndustryList,
    Jurisdiction,
    Pack,
    RiskMatrix,
    Terms,
)
from generator.errors import ContentError, Problem, UserError
from generator.pack_inherit import resolve_inheritance
from generator.paths import data_dir
from generator.records import Registry, load_records
from generator.validation import suggest, validate_located
from generator.yamlio import Located, load_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Catalog:
    """All reference data, validated and indexed by id."""

    root: Path
    hazards: dict[str, Hazard]
    jurisdictions: dict[str, Jurisdiction]
    industries: dict[str, Industry]
    packs: dict[str, Pack]
    pack_dirs: dict[str, Path]
    risk_matrix: RiskMatrix
    registry: Registry
    federal: FederalDuties = FederalDuties()
    operations: dict[str, object] = field(default_factory=dict)  # every industry's default answers

    def packs_for_partner(self, partner: str) -> list[Pack]:
        """The packs (streams) a partner offers, in a stable order."""
        return [p for p in self.packs.values() if p.partner.id == partner]

    @property
    def partners(self) -> dict[str, str]:
        """Partner id -> partner name."""
        return {p.partner.id: p.partner.name for p in self.packs.values()}


def _display(path: Path, root: Path) -> str:
    """A path as messages show it: relative to the content root when inside it."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _load(model: type[M], path: Path, root: Path, problems: list[Problem]) -> M | None:
    located = load_yaml(path, display=_display(path, root))
    obj, found = validate_located(model, located)
    problems.extend(found)
    return obj


def load_catalog(root: Path | None = None, extra_pack_dirs: tuple[Path, ...] = ()) -> Catalog:
    """Read every content file under ``root`` (the manual_templates folder)."""
    root = root or data_dir("manual_templates")
    problems: list[Problem] = []

    def load_all(folder: str, model: type[M]) -> dict[str, M]:
        found: dict[str, M] = {}
        for path in sorted((root / folder).glob("*.yaml")):
            try:
                obj = _load(model, path, root, problems)
            except ContentError as exc:
                problems.extend(exc.problems)
                continue
            if obj is None:
                continue
            key = str(obj.id)  # type: ignore[attr-defined]  # every record model has an id
            if str(key).lower() != path.stem.lower():
                problems.append(
                    Problem(
                        str(path.relative_to(root.parent)),
                        1,
                        "id",
                        f"id {key!r} must match the file name {path.stem!r}",
                    )
                )
            found[key] = obj
        return found

    hazards = load_all("hazards", Hazard)
    jurisdictions = load_all("jurisdictions", Jurisdiction)
    industries_file = _load(IndustryList, root / "industries.yaml", root, problems)
    industries = {i.id: i for i in industries_file.industries} if industries_file else {}
    risk_matrix = _load(RiskMatrix, root / "risk_matrix.yaml", root, problems)
    federal_file = root / "federal.yaml"
    federal = _load(FederalDuties, federal_file, root, problems) if federal_file.is_file() else None

    packs, pack_dirs = _load_packs(root, extra_pack_dirs, problems)

    problems += _cross_check(root, hazards, industries, packs, pack_dirs)
    operations = industries_file.operations if industries_file else {}
    problems += _check_operations(operations, industries)
    problems += _check_terms_and_duties(hazards, jurisdictions, federal, industries)
    from generator.variants import variant_problems

    for hazard in hazards.values():
        problems += variant_problems(hazard, set(hazards))
    from generator.forms_catalog import form_ids, load_wording

    registry, found = load_records(
        root / "records.yaml", _display(root / "records.yaml", root), set(hazards), form_ids()
    )
    problems += found
    from generator.wording import load_manual_wording

    for check in (load_wording, load_manual_wording):
        try:
            check()  # checked now, so a broken file stops the build before anything is written
        except ContentError as exc:
            problems += exc.problems
    if problems:
        raise ContentError("the content files have problems:", problems)
    assert risk_matrix is not None and registry is not None
    return Catalog(
        root,
        hazards,
        jurisdictions,
        industries,
        packs,
        pack_dirs,
        risk_matrix,
        registry,
        federal or FederalDuties(),
        operations,
    )


def pack_manifests(
    root: Path, extra_pack_dirs: tuple[Path, ...], problems: list[Problem]
) -> tuple[dict[str, Located], dict[str, Path]]:
    """Every pack.yaml, merged over the pack it extends (abstract packs left out), and its folder."""
    manifests: dict[str, Located] = {}
    folders: dict[str, Path] = {}
    for pack_dir in sorted((root / "packs").iterdir()) + [
        d for base in extra_pack_dirs for d in sorted(base.iterdir())
    ]:
        manifest = pack_dir / "pack.yaml"
        if not manifest.is_file():
            continue
        try:
            manifests[pack_dir.name] = load_yaml(manifest, display=_display(manifest, root))
        except UserError as exc:
            problems.extend(exc.problems)
            continue
        folders[pack_dir.name] = pack_dir
    merged, found = resolve_inheritance(manifests)
    problems.extend(found)
    return merged, folders


def _load_packs(
    root: Path, extra_pack_dirs: tuple[Path, ...], problems: list[Problem]
) -> tuple[dict[str, Pack], dict[str, Path]]:
    """Read every pack.yaml, merge each over the pack it extends, then validate the result."""
    merged, folders = pack_manifests(root, extra_pack_dirs, problems)
    packs: dict[str, Pack] = {}
    pack_dirs: dict[str, Path] = {}
    for name, located in merged.items():
        pack, found = validate_located(Pack, located)
        problems.extend(found)
        if pack is None:
            continue
        if pack.id != name:
            problems.append(located.problem(("id",), f"id {pack.id!r} must match the folder name {name!r}"))
        packs[pack.id] = pack
        pack_dirs[pack.id] = folders[name]
    return packs, pack_dirs


def _check_operations(defaults: dict[str, object], industries: dict[str, Industry]) -> list[Problem]:
    """Industry defaults for the operations answers must be valid answers themselves."""
    from pydantic import ValidationError

    from generator.profile import Operations

    problems: list[Problem] = []
    where = "manual_templates/industries.yaml"
    for key, values in [("operations", defaults)] + [(f"{i.id}.operations", i.operations) for i in industries.values()]:
        try:
            Operations.model_validate(values)
        except ValidationError as exc:
            for error in exc.errors():
                field_name = ".".join(str(x) for x in error["loc"])
                problems.append(Problem(where, None, f"{key}.{field_name}", error["msg"]))
    return problems


TOKEN = re.compile(r"\{([a-z_]+)\}")


def _strings(value: object) -> list[str]:
    """Every string inside a record, for the token check."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return [t for name in type(value).model_fields for t in _strings(getattr(value, name))]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _strings(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _strings(item)]
    return []


def _check_terms_and_duties(
    hazards: dict[str, Hazard],
    jurisdictions: dict[str, Jurisdiction],
    federal: FederalDuties | None,
    industries: dict[str, Industry],
) -> list[Problem]:
    """Hazard text may only name province terms that exist; duties only known hazards and industries."""
    problems: list[Problem] = []
    known = set(Terms.model_fields)
    for hazard in hazards.values():
        where = f"manual_templates/hazards/{hazard.id}.yaml"
        for text in _strings(hazard.model_dump(exclude={"legislation", "sources"})):
            for token in TOKEN.findall(text):
                if token not in known:
                    problems.append(
                        Problem(where, None, "text", f"unknown province term {{{token}}}{suggest(token, known)}")
                    )
    owners = [(f"manual_templates/jurisdictions/{j.id.lower()}.yaml", j.duties) for j in jurisdictions.values()]
    owners.append(("manual_templates/federal.yaml", federal.duties if federal else []))
    for where, duties in owners:
        for duty in duties:
            for hazard_id in duty.hazards:
                if hazard_id not in hazards:
                    problems.append(
                        Problem(
                            where,
                            None,
                            f"duties.{duty.id}.hazards",
                            f"unknown hazard {hazard_id!r}{suggest(hazard_id, hazards)}",
                        )
                    )
            for industry_id in duty.industries:
                if industry_id not in industries:
                    problems.append(
                        Problem(
                            where,
                            None,
                            f"duties.{duty.id}.industries",
                            f"unknown industry {industry_id!r}{suggest(industry_id, industries)}",
                        )
                    )
    return problems


def _cross_check(
    root: Path,
    hazards: dict[str, Hazard],
    industries: dict[str, Industry],
    packs: dict[str, Pack],
    pack_dirs: dict[str, Path],
) -> list[Problem]:
    problems: list[Problem] = []
    for industry in industries.values():
        for hazard_id in industry.hazards:
            if hazard_id not in hazards:
                problems.append(
                    Problem(
                        "manual_templates/industries.yaml",
                        None,
                        f"{industry.id}.hazards",
                        f"unknown hazard {hazard_id!r}{suggest(hazard_id, hazards)}",
                    )
                )
    from generator.forms_catalog import form_ids

    known_forms = form_ids()  # the form ids packs may name

    for pack in packs.values():
        where = _display(pack_dirs[pack.id] / "pack.yaml", root)
        for industry_id in pack.industries:
            if industry_id not in industries:
                problems.append(
                    Problem(
                        where, None, "industries", f"unknown industry {industry_id!r}{suggest(industry_id, industries)}"
                    )
                )
        placed: dict[str, str] = {}
        for element in pack.elements:
            for topic in element.topics:
                if topic not in TOPICS:
                    problems.append(
                        Problem(
                            where,
                            None,
                            f"elements.{element.id}.topics",
                            f"unknown topic {topic!r}{suggest(topic, TOPICS)}",
                        )
                    )
                elif topic in placed:
                    problems.append(
                        Problem(
                            where,
                            None,
                            f"elements.{element.id}.topics",
                            f"topic {topic!r} is already placed in element {placed[topic]}",
                        )
                    )
                placed[topic] = element.id
            for form in element.forms:
                if form not in known_forms:
                    problems.append(
                        Problem(
                            where,
                            None,
                            f"elements.{element.id}.forms",
                            f"unknown form {form!r}{suggest(form, known_forms)}",
                        )
                    )
        for topic in TOPICS:
            if topic not in placed:
                problems.append(Problem(where, None, "elements", f"topic {topic!r} is not placed in any element"))
    return problems


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The bundled catalog, loaded once per process (and kept between runs, see catalog_cache)."""
    from generator.catalog_cache import cached

    return cached("bundled", load_catalog)
