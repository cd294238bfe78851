"""YAML reading that remembers the line of every key, and safe writing.

Profiles and content files are read through :func:`load_yaml`, which builds plain Python
data from PyYAML's node tree so that every value keeps the line it came from. Anchors and
aliases are refused: they are the vector of "billion laughs" bombs and no profile needs them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem, UserError

Path_ = tuple[str | int, ...]
MAX_YAML_BYTES = 2_000_000
MAX_YAML_DEPTH = 40  # a profile nests five levels; content files a few more


@dataclass
class Located:
    """Data read from a YAML file, with the line of each key path."""

    data: Any
    file: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Iterable[str | int]) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    def problem(self, path: Iterable[str | int], message: str) -> Problem:
        """A problem located at ``path`` in this file."""
        path = tuple(path)
        return Problem(self.file, self.line_of(path), dotted(path), message)


def dotted(path: Iterable[str | int]) -> str:
    """``('hazards', 2)`` -> ``hazards[2]``; ``('company', 'name')`` -> ``company.name``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _SharedNode(Exception):
    """A node reached twice: the document used an alias."""


class _Builder:
    def __init__(self, file: str, loader: Any):
        self.file = file
        self.loader = loader
        self.lines: dict[Path_, int] = {}
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if len(path) > MAX_YAML_DEPTH:
            raise self._error(node, path[:1], f"nested more than {MAX_YAML_DEPTH} levels deep")
        # the C composer resolves aliases to the anchored node itself, so a node met twice
        # is an alias; the pure-Python loader then reports it with the alias's own line
        if id(node) in self.seen:
            raise _SharedNode
        self.seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._error(key_node, path, "mapping keys must be plain text")
                # Keys are always the text as written: YAML 1.1 would read ON or NO as
                # booleans, and province codes are keys in our content.
                key = str(key_node.value)
                if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                    raise self._error(key_node, path, "YAML merge keys are not supported")
                if key in result:
                    raise self._error(key_node, path + (key,), f"duplicate key {key!r}")
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node)

    def _error(self, node: yaml.Node, path: Path_, message: str) -> UserError:
        return UserError(problems=[Problem(self.file, node.start_mark.line + 1, dotted(path), message)])


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader that refuses aliases and reads YAML 1.2 booleans only.

    YAML 1.1 reads ``ON``, ``NO``, ``yes`` and ``off`` as booleans, which would turn the
    province code ``ON`` (Ontario) into ``True``; only true/false are booleans here.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise UserError(
                problems=[
                    Problem(
                        str(self.name),
                        event.start_mark.line + 1,
                        "",
                        "YAML aliases (*name) are not allowed; write the value out in full",
                    )
                ]
            )
        return super().compose_node(parent, index)


_NoAliasLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class _FastLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's C parser with the same YAML 1.2 booleans; used for input that parses cleanly."""

    yaml_implicit_resolvers = _NoAliasLoader.yaml_implicit_resolvers


def _load_fast(text: str, file: str) -> Located | None:
    """Parse with libyaml (about ten times faster); ``None`` when the text has any problem.

    Problems are then reported by the pure-Python loader, whose messages and lines are the
    ones users see, so the fast path never changes an error message.
    """
    if not yaml.__with_libyaml__:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, file, {(): 1})
        builder = _Builder(file, loader)
        return Located(builder.build(node, ()), file, builder.lines)
    except (yaml.YAMLError, _SharedNode, UserError, RecursionError):
        return None
    finally:
        loader.dispose()


def _too_deep(text: str, file: str) -> UserError:
    """The error for text nested too deeply to compose, located by walking its events.

    The parser produces events without recursion, so this works where composing the
    node tree ran out of stack.
    """
    depth, line, top, last = 0, None, "", ""
    loader = _FastLoader(text) if yaml.__with_libyaml__ else yaml.SafeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.ScalarEvent) and depth == 1:
                last = str(event.value)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                top = last if depth == 2 else top
                if depth > MAX_YAML_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
    finally:
        loader.dispose()
    return UserError(problems=[Problem(file, line, top, f"nested more than {MAX_YAML_DEPTH} levels deep")])


def load_yaml_text(text: str, file: str) -> Located:
    """Parse YAML ``text`` (named ``file`` in messages) into located plain data."""
    fast = _load_fast(text, file)
    if fast is not None:
        return fast
    loader = _NoAliasLoader(text)
    loader.name = file
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, file, {(): 1})
        builder = _Builder(file, loader)
        data = builder.build(node, ())
        return Located(data, file, builder.lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise UserError(problems=[Problem(file, line, "", _plain_reason(reason, text, line))]) from None
    except yaml.YAMLError as exc:
        raise UserError(problems=[Problem(file, None, "", f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise _too_deep(text, file) from None
    finally:
        loader.dispose()


def _plain_reason(reason: str, text: str, line: int | None) -> str:
    """The parser's message, in words a profile's author can act on."""
    row = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    if "\\t" in reason or ("\t" in row and "cannot start any token" in reason):
        return "a tab character is used for indentation; YAML needs spaces: replace the tab with spaces"
    return f"invalid YAML: {reason}"


def load_yaml(path: Path, display: str | None = None) -> Located:
    """Read and parse a YAML file; every failure becomes a one-line :class:`UserError`.

    Only a regular file is read (a FIFO or a device would block or never end), and its
    size is checked before reading.
    """
    from generator.limits import read_capped

    name = display or str(path)
    try:
        raw = read_capped(path, MAX_YAML_BYTES, name, "a profile or content file")
    except FileNotFoundError:
        raise UserError(f"{name}: file not found") from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a folder, not a YAML file") from None
    except PermissionError:
        raise UserError(f"{name}: permission denied") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read ({exc.strerror})") from None
    except UserError as exc:
        if "larger than" in str(exc):
            raise UserError(
                problems=[Problem(name, None, "", "file is too large to be a profile or content file")]
            ) from None
        raise
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        message = (
            f"not UTF-8 text (byte 0x{byte} cannot be read, often an accented letter saved as Latin-1 or "
            "Windows-1252): open the file in your editor and save it again with the encoding UTF-8"
        )
        raise UserError(problems=[Problem(name, line, "", message)]) from None
    return load_yaml_text(text, name)


def write_atomic(path: Path, data: bytes | str, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A crash part-way leaves the previous file whole: the rename is the only step that
    touches ``path``. The file gets ``mode``, by default what the user's umask gives a new
    file (a temporary file alone would be private, 0600).
    """
    from generator.outdir import file_mode

    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), file_mode() if mode is None else mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def dump_yaml(data: Any, width: int = 88) -> str:
    """Readable YAML: keys in the given order, Unicode kept, no aliases.

    Files people keep (profiles, drafts) pass a large ``width``: a long value stays on one
    line, so a later round-trip save cannot re-fold it and change lines nobody edited.
    """

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # noqa: D102
            return True

    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=width)
