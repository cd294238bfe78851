"""The questionnaire: questions are data (``questionnaires/*.yaml``), answers are validated.

One path turns answers into a profile whether they come from a file, the interactive
prompt or saved defaults. Conditions (``when``) are sandboxed Jinja expressions over the
answers so far, never Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field

from generator.catalog import Catalog
from generator.certification import STREAMS, Fit
from generator.errors import ContentError, Problem, UserError
from generator.paths import data_dir
from generator.validation import one_of, suggest, validate_located
from generator.yamlio import load_yaml

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # what a profile refuses (see profile.py)
QuestionType = Literal["text", "integer", "select", "checkbox", "confirm", "date", "list"]
_ENV = ImmutableSandboxedEnvironment()


class Question(BaseModel):
    """One question, as declared in a questionnaire file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z_]+(\.[a-z_]+)*$")  # dotted profile key
    type: QuestionType
    prompt: str
    help: str = ""
    required: bool = True
    default: Any = None
    default_from: Literal["industry_hazards", "advised_stream", "owner", "industry_operations"] | None = None
    choices: list[str] = []
    choice_titles: dict[str, str] = {}  # plain words shown for each choice value
    choices_from: Literal["provinces", "industries", "partners", "hazards", "streams"] | None = None
    when: str | None = None
    min: int | None = None
    max: int | None = None
    max_length: int = 300


class Questionnaire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    order: int = 0
    questions: list[Question]


def load_questionnaires(root: Path | None = None) -> list[Questionnaire]:
    """Every questionnaire file, validated, in ``order``."""
    root = root or data_dir("questionnaires")
    found: list[Questionnaire] = []
    problems: list[Problem] = []
    for path in sorted(root.glob("*.yaml")):
        located = load_yaml(path, display=f"questionnaires/{path.name}")
        item, errors = validate_located(Questionnaire, located)
        problems += errors
        if item is not None:
            for i, q in enumerate(item.questions):
                if q.when:
                    try:
                        _ENV.compile_expression(q.when)
                    except Exception as exc:  # noqa: BLE001 - any template syntax error
                        problems.append(located.problem(("questions", i, "when"), f"invalid condition: {exc}"))
            found.append(item)
    if problems:
        raise ContentError("the questionnaires have problems:", problems)
    return sorted(found, key=lambda q: q.order)


def get_path(data: dict[str, Any], dotted: str) -> Any:
    """Value at ``a.b.c`` in nested dicts, or None."""
    current: Any = data
    for part in dotted.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current


def set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``a.b.c`` in nested dicts, creating levels as needed."""
    parts = dotted.split(".")
    current = data
    for part in parts[:-1]:
        current = current.setdefault(part, {})
    current[parts[-1]] = value


class Choice(BaseModel):
    value: str
    title: str
    checked: bool = False


Asker = Callable[[Question, list[Choice], Any], Any]


class Interview:
    """Walks the questions, taking answers from a file first, then from an asker."""

    def __init__(
        self,
        catalog: Catalog,
        questionnaires: list[Questionnaire],
        answers: dict[str, Any],
        answers_name: str = "answers",
        saved: dict[str, Any] | None = None,
    ):
        self.catalog = catalog
        self.questionnaires = questionnaires
        self.given = answers
        self.answers_name = answers_name
        self.saved = saved or {}  # a saved profile's answers: the defaults when asking again
        self.result: dict[str, Any] = {}

    # ------------------------------------------------------------------ choices
    def choices(self, q: Question) -> list[Choice]:
        cat = self.catalog
        source = q.choices_from
        if source == "provinces":
            return [
                Choice(value=j.id, title=f"{j.id}  {j.name}")
                for j in sorted(cat.jurisdictions.values(), key=lambda j: j.id)
            ]
        if source == "industries":
            return [Choice(value=i.id, title=i.name) for i in sorted(cat.industries.values(), key=lambda i: i.name)]
        if source == "streams":
            fit = self.fit()
            if fit is None:
                return [Choice(value=s, title=s) for s in STREAMS]
            return [Choice(value=value, title=title) for value, title in fit.stream_options()]
        if source == "hazards":
            # the industry's usual hazards first, ticked; then the rest of the library
            suggested = self._suggested_hazards()
            first = [Choice(value=h, title=cat.hazards[h].name, checked=True) for h in suggested]
            rest = [
                Choice(value=h.id, title=h.name)
                for h in sorted(cat.hazards.values(), key=lambda h: h.name)
                if h.id not in suggested
            ]
            return first + rest
        if source == "partners":
            fit = self.fit()
            return [Choice(value=value, title=title) for value, title in fit.partner_options()] if fit else []
        return [Choice(value=c, title=q.choice_titles.get(c, c)) for c in q.choices]

    def fit(self) -> Fit | None:
        """What fits the company as answered so far; None before province and workers."""
        province = get_path(self.result, "company.province")
        workers = get_path(self.result, "company.workers")
        if province not in self.catalog.jurisdictions or workers is None:
            return None
        industry = get_path(self.result, "company.industry")
        industry = industry if industry in self.catalog.industries else None
        return Fit(self.catalog, province, int(workers), industry, get_path(self.result, "stream"))

    def no_partner_fits(self) -> str | None:
        """Who to ask when no bundled partner serves this company, or None when one does."""
        fit = self.fit()
        return fit.no_partner() if fit else None

    def _suggested_hazards(self) -> list[str]:
        industry = self.catalog.industries.get(get_path(self.result, "company.industry") or "")
        return list(industry.hazards) if industry else []

    def default(self, q: Question) -> Any:
        if q.default_from == "industry_hazards":
            return self._suggested_hazards()
        if q.default_from == "advised_stream":
            fit = self.fit()
            return fit.advice.stream if fit else None
        if q.default_from == "owner":
            return get_path(self.result, "people.owner.name")
        if q.default_from == "industry_operations":
            # the usual answer for the industry (manual_templates/industries.yaml)
            industry = self.catalog.industries.get(get_path(self.result, "company.industry") or "")
            key = q.id.removeprefix("operations.")
            own = industry.operations if industry else {}
            return own.get(key, self.catalog.operations.get(key, q.default))
        return q.default

    # --------------------------------------------------------------- validation
    def check(self, q: Question, value: Any, choices: list[Choice]) -> tuple[Any, str | None]:
        """Normalise ``value`` for ``q``; return (value, error message or None)."""
        if value is None or value == "" or value == []:
            return value, ("is required" if q.required else None)
        if q.type == "integer":
            try:
                number = int(str(value).strip())
            except ValueError:
                return value, f"must be a whole number (got {value!r})"
            if q.min is not None and number < q.min:
                return value, f"must be at least {q.min} (got {number})"
            if q.max is not None and number > q.max:
                return value, f"must be at most {q.max} (got {number})"
            return number, None
        if q.type == "confirm":
            if isinstance(value, bool):
                return value, None
            return value, "must be yes or no"
        if q.type == "date":
            try:
                return dt.date.fromisoformat(str(value)).isoformat(), None
            except ValueError:
                return value, f"must be a date written YYYY-MM-DD (got {value!r})"
        allowed = [c.value for c in choices]
        if q.type == "select":
            if allowed and value not in allowed:
                return value, self._refusal(q, str(value), choices)
            return value, None
        if q.type in ("checkbox", "list"):
            items = value if isinstance(value, list) else [v.strip() for v in str(value).split(",") if v.strip()]
            for i, item in enumerate(items):
                if item in items[:i]:
                    return value, f"lists {item!r} twice"
                if q.type == "checkbox" and allowed and item not in allowed:
                    titles = {c.value: c.title for c in choices}
                    return value, f"{item!r} is not one of the choices{suggest(str(item), titles)}"
            return [str(i) for i in items], None
        text = str(value).strip()
        if _BAD_CHARS.search(text):
            return value, "contains control characters that cannot be printed"
        if len(text) > q.max_length:
            return value, f"is too long (at most {q.max_length} characters)"
        return text, None

    def _refusal(self, q: Question, value: str, choices: list[Choice]) -> str:
        """Why ``value`` is not offered for ``q``, given the answers so far, and what to choose."""
        allowed = [c.value for c in choices if c.value != STOP]
        choose = f": choose {one_of(allowed)}" if 0 < len(allowed) <= 6 else ""
        fit = self.fit()
        if fit is not None and q.choices_from == "streams" and value in STREAMS:
            return fit.stream_refusal(value) + choose
        if fit is not None and q.choices_from == "partners" and (why := fit.partner_refusal(value)):
            return why + choose
        titles = {c.value: c.title for c in choices}
        return f"{value!r} is not one of the choices{suggest(value, titles) or choose}"

    def applies(self, q: Question) -> bool:
        if not q.when:
            return True
        return bool(_ENV.compile_expression(q.when)(**self.result))

    # ---------------------------------------------------------------------- run
    def run(self, ask: Asker | None) -> dict[str, Any]:
        """Answer every question; ``ask`` is None when there is no terminal.

        Each answer is checked at its question against the answers before it; a refused
        answer (typed, from the answers file, or saved) is explained and asked again.
        """
        missing: list[str] = []
        problems: list[str] = []
        for questionnaire in self.questionnaires:
            for q in questionnaire.questions:
                if not self.applies(q):
                    continue
                choices = self.choices(q)
                notes: list[str] = []
                if q.choices_from == "partners" and (who := self.no_partner_fits()):
                    if ask is None and get_path(self.given, q.id) is None:
                        closest = f" (e.g. {choices[0].value})" if choices else ""
                        problems.append(
                            f"{q.id}: {who}; or name the closest general partner{closest} in the answers file"
                        )
                        continue
                    # the question's own help ("only the partners that serve you are listed") is untrue here
                    q = q.model_copy(update={"help": ""})
                    notes.append(f"{who}. You can save the profile with the closest partner, or stop.")
                    choices = [*choices, Choice(value=STOP, title="Stop here and keep my answers in a draft")]
                given = get_path(self.given, q.id)
                if given is not None:
                    value, error = self.check(q, given, choices)
                    if error is None:
                        if value not in (None, "", []):
                            set_path(self.result, q.id, value)
                        continue
                    problems.append(f"{self.answers_name}: {q.id}: {error}")
                    if ask is None:
                        continue
                    notes.append(f"The answer {given!r} from {self.answers_name} was refused: {error}.")
                default = self._default_for(q, choices, notes)
                if ask is None:
                    # an industry default left unanswered stays out of the profile: the build
                    # reads it from the industry, so the profile records only real answers
                    if q.default_from == "industry_operations" and get_path(self.saved, q.id) in (None, "", []):
                        continue
                    if default not in (None, "", []):
                        set_path(self.result, q.id, default)
                    elif q.required:
                        missing.append(q.id)
                    continue
                asked = q.model_copy(update={"help": " ".join([*notes, q.help]).strip()}) if notes else q
                value, error = self.check(q, ask(asked, choices, default), choices)
                while error is not None:
                    retry = q.model_copy(update={"help": f"That answer {error}. Please try again."})
                    value, error = self.check(q, ask(retry, choices, default), choices)
                if value == STOP:
                    raise Stopped(notes[0] if notes else "stopped")
                unsaved_default = (
                    q.default_from == "industry_operations"
                    and get_path(self.saved, q.id) in (None, "", [])
                    and value == default
                )
                # an industry default accepted with Enter stays out of the profile, as without a
                # terminal: the build reads it from the industry, and the profile is unchanged
                if value not in (None, "", []) and not unsaved_default:
                    set_path(self.result, q.id, value)
        if ask is None and (missing or problems):
            lines = problems[:]
            if missing:
                lines.append(
                    "no terminal to ask on, and the answers are missing: "
                    + ", ".join(missing)
                    + " (put them in the file given with --answers, or run in a terminal)"
                )
            raise UserError(lines)
        return self.result

    def _default_for(self, q: Question, choices: list[Choice], notes: list[str]) -> Any:
        """The saved answer when it still fits the answers so far, else the suggested one."""
        saved = get_path(self.saved, q.id)
        if saved not in (None, "", []):
            _, error = self.check(q, saved, choices)
            if error is None:
                return saved
            notes.append(f"Your saved answer {saved!r} no longer fits: {error}.")
        return self.default(q)


class Stopped(Exception):
    """The user chose to stop (no partner fits); the answers so far go to a draft."""


STOP = "__stop__"
