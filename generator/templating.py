"""Jinja rendering in a sandbox, with every printed value escaped for Markdown.

Templates are content, possibly from a third party: they run in Jinja's immutable sandbox,
load only from their own folders, and fail loudly on an undefined name. Values printed
with ``{{ }}`` are data, never markup: each ASCII punctuation mark is backslash-escaped
(CommonMark treats ``\\x`` as a literal ``x``) and line breaks are folded, so a company
name such as ``*Smith* <b> {{ 7*7 }}`` prints exactly as typed.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import string
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.cache import cache_dir
from generator.errors import ContentError, Problem

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACE = re.compile(r"\s*\n\s*")


def md_escape(value: Any) -> str:
    """Make ``value`` print literally in Markdown."""
    text = "" if value is None else str(value)
    return _PUNCT.sub(r"\\\1", _SPACE.sub(" ", text).strip())


def _finalize(value: Any) -> Any:
    if isinstance(value, Literal):
        return str(value)
    return md_escape(value)


class Literal(str):
    """Markdown produced by our own code (never user text) that must not be escaped."""


def join_and(items: Iterable[Any], conjunction: str = "and") -> str:
    """``['a', 'b', 'c']`` -> ``a, b and c``."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def lower_first(text: Any) -> str:
    """Lower-case the first letter (for names used mid-sentence)."""
    text = str(text)
    return text[:1].lower() + text[1:]


def sentences(items: Iterable[Any]) -> str:
    """Items printed in one paragraph: full sentences stay sentences (a missing full stop is
    added), and a list of phrases none of which ends a sentence becomes one sentence of clauses
    joined by semicolons, so items never run into one another."""
    texts = [str(i).strip() for i in items if str(i).strip()]
    if not texts:
        return ""
    if not any(t.endswith((".", "!", "?")) for t in texts):
        return "; ".join(texts) + "."
    return " ".join(t if t.endswith((".", "!", "?")) else t + "." for t in texts)


def merge_rows(table: Any) -> Literal:
    """Merge the rows of a Markdown table (``| a | b |`` lines) whose first cell names the same
    thing: the first row keeps its place and each other cell lists every distinct text, so a
    training item asked for by the law and by two hazards is one row that keeps every "who",
    refresh and reason."""
    rows: dict[str, list[list[str]]] = {}
    out: list[str | list[list[str]]] = []
    for line in str(table).splitlines():
        if not (line.startswith("| ") and line.endswith(" |")):
            out.append(line)
            continue
        cells = line[2:-2].split(" | ")
        key = cells[0].strip().casefold()
        if key in rows:
            merged = rows[key]
            for i, cell in enumerate(cells[1:], start=1):
                while len(merged) <= i:
                    merged.append([])
                if cell.strip() and cell.strip() not in merged[i]:
                    merged[i].append(cell.strip())
            continue
        rows[key] = [[cells[0]], *([c.strip()] if c.strip() else [] for c in cells[1:])]
        out.append(rows[key])
    lines = [line if isinstance(line, str) else "| " + " | ".join("; ".join(c) for c in line) + " |" for line in out]
    return Literal("\n".join(lines) + ("\n" if str(table).endswith("\n") else ""))


class _Loader(jinja2.FileSystemLoader):
    """Loads templates from the given folders only.

    FileSystemLoader already refuses ``..`` in names; this also refuses a file that is a
    link (or sits behind one) leading outside its folder, so a pack reads only its own files.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        roots = [Path(p).resolve() for p in self.searchpath]
        if not any(real.is_relative_to(root) for root in roots):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


# A pack's template is rendered within these budgets: a loop that never ends or a string
# of billions of characters stops with a located error instead of hanging or eating memory.
MAX_TEMPLATE_SECONDS = float(os.environ.get("SAFETY_MANUAL_TEMPLATE_SECONDS", "10"))
MAX_TEMPLATE_CHARS = 2_000_000  # any one value, and one template's whole output


class BudgetExceeded(Exception):
    """A template ran out of its time or size budget."""


_deadline = threading.local()


def _check_time() -> None:
    deadline = getattr(_deadline, "at", None)
    if deadline is not None and time.monotonic() > deadline:
        raise BudgetExceeded(f"took longer than {MAX_TEMPLATE_SECONDS:g} seconds")


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class _BudgetedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with the time budget checked on every call and sizes on ``*``, ``**`` and ``+``."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:  # noqa: D102
        _check_time()
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _length(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_TEMPLATE_CHARS:
                    raise BudgetExceeded(f"a value would be longer than {MAX_TEMPLATE_CHARS:,} characters")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(right) > 1000:
            raise BudgetExceeded("a power with an exponent over 1000")
        if operator == "+":
            sizes = (_length(left), _length(right))
            if None not in sizes and sum(s for s in sizes if s) > MAX_TEMPLATE_CHARS:
                raise BudgetExceeded(f"a value would be longer than {MAX_TEMPLATE_CHARS:,} characters")
        return super().call_binop(context, operator, left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: D102
        _check_time()
        return super().call(__context, __obj, *args, **kwargs)


@contextmanager
def _time_budget() -> Iterator[None]:
    """Stop rendering after the time budget; in the main thread also inside a bare loop."""
    outer = getattr(_deadline, "at", None)
    _deadline.at = time.monotonic() + MAX_TEMPLATE_SECONDS
    timer = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous: Any = None
    if timer:

        def _expired(_sig: int, frame: Any) -> None:
            if not _in_template(frame):
                # not yet (or no longer) inside the template's code, e.g. a busy machine held the
                # process before rendering began: stop it a moment later, where the error can
                # name the template's line
                signal.setitimer(signal.ITIMER_REAL, 0.05)
                return
            raise BudgetExceeded(f"took longer than {MAX_TEMPLATE_SECONDS:g} seconds")

        previous = signal.signal(signal.SIGALRM, _expired)
        signal.setitimer(signal.ITIMER_REAL, MAX_TEMPLATE_SECONDS)
    try:
        yield
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _deadline.at = outer


def make_environment(search_path: list[Path]) -> jinja2.Environment:
    """A sandboxed environment that loads templates from ``search_path``, first match wins.

    One environment per search path and process: Jinja keeps compiled templates in its
    environment (checking each file's modification time before reuse), and compiling them
    was most of the time spent assembling a manual, twice per build.
    """
    return _environment(tuple(str(p) for p in search_path))


@functools.lru_cache(maxsize=32)
def _environment(search_path: tuple[str, ...]) -> jinja2.Environment:
    folder = cache_dir("jinja-sandbox")
    env = _BudgetedSandbox(
        loader=_Loader(list(search_path), followlinks=False),
        # compiled templates are kept between runs, keyed by each template's checksum: compiling
        # them was most of a single build's time before layout (see generator/cache.py)
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(folder)) if folder else None,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["join_and"] = join_and
    env.filters["lower_first"] = lower_first
    env.filters["merge_rows"] = merge_rows
    env.filters["sentences"] = sentences
    return env


def render(env: jinja2.Environment, name: str, context: dict[str, Any], display_root: Path | None = None) -> str:
    """Render template ``name``; any template fault becomes a located :class:`ContentError`."""
    try:
        template = env.get_template(name)
        with _time_budget():
            return _render_capped(template, context)
    except BudgetExceeded as exc:
        where, line = _template_frame(exc, name, display_root)
        raise ContentError(problems=[Problem(where, line, "", f"template stopped: {exc}")]) from None
    except RecursionError as exc:
        where, line = _template_frame(exc, name, display_root)
        raise ContentError(
            problems=[Problem(where, line, "", "template stopped: calls nested too deeply (a macro calling itself?)")]
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        where = _display(exc.filename or name, display_root)
        raise ContentError(problems=[Problem(where, exc.lineno, "", f"template syntax error: {exc.message}")]) from None
    except jinja2.TemplateNotFound as exc:
        raise ContentError(f"template {exc.name} not found") from None
    except jinja2.UndefinedError as exc:
        where, line = _template_frame(exc, name, display_root)
        raise ContentError(problems=[Problem(where, line, "", f"template error: {exc.message}")]) from None
    except jinja2.exceptions.SecurityError as exc:
        where, line = _template_frame(exc, name, display_root)
        raise ContentError(problems=[Problem(where, line, "", f"template tried an unsafe operation: {exc}")]) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
        where, line = _template_frame(exc, name, display_root)
        raise ContentError(
            problems=[Problem(where, line, "", f"template error: {type(exc).__name__}: {exc}")]
        ) from None


_TEMPLATE_SUFFIXES = (".md", ".html", ".j2")


def _is_template_code(frame: Any) -> bool:
    return "__jinja_template__" in frame.f_globals or frame.f_code.co_filename.endswith(_TEMPLATE_SUFFIXES)


def _in_template(frame: Any) -> bool:
    """Whether ``frame`` or a frame that called it runs a template's compiled code."""
    while frame is not None:
        if _is_template_code(frame):
            return True
        frame = frame.f_back
    return False


def _render_capped(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render ``template``, stopping once its output passes the size budget."""
    parts, total = [], 0
    for chunk in template.generate(context):
        total += len(chunk)
        if total > MAX_TEMPLATE_CHARS:
            raise BudgetExceeded(f"its output would be longer than {MAX_TEMPLATE_CHARS:,} characters")
        parts.append(chunk)
    return "".join(parts)


def _display(filename: str, root: Path | None) -> str:
    if root is None:
        return filename
    try:
        return str(Path(filename).resolve().relative_to(root.resolve()))
    except ValueError:
        return filename


def _template_frame(exc: BaseException, name: str, root: Path | None) -> tuple[str, int | None]:
    """The template file and line where ``exc`` was raised, from its traceback."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (name, None)
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(_TEMPLATE_SUFFIXES) or "template" in code.co_name:
            filename = tb.tb_frame.f_globals.get("__jinja_template__")
            if filename is not None:
                found = (_display(filename.filename or name, root), filename.get_corresponding_lineno(tb.tb_lineno))
            elif code.co_filename.endswith(_TEMPLATE_SUFFIXES):
                # Jinja rewrites the traceback: its frames carry the template's own file (in a
                # custom pack, the pack's file, not the bundled one it overrides) and line
                found = (_display(code.co_filename, root), tb.tb_lineno)
        tb = tb.tb_next
    return found


ContextFn = Callable[..., Any]
