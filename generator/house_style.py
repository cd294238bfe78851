"""House styles: a consultant's colours, fonts, logo, preparer block and Word shell.

A style is a folder kept once and named by any profile (``style: ../styles/northwind``) or
with ``--style DIR``. It holds ``style.yaml`` (the manifest), the files it names (a logo)
and, optionally, ``shell.docx``: a Word document designed in Word with docxtpl tags
(``{{ company.name }}``) in its cover, headers and footers, the style definitions the
manual's text takes on, and one paragraph holding only ``{{ body }}`` where the text goes.

Everything is checked when the style is loaded, before a build writes anything: the
manifest's keys and values (located by file, line and key, like a profile), the logo, the
shell's XML and every tag in it (located by part and paragraph). The shell is rendered
later by the Word writer in a sandbox, with every value escaped.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from generator.document import Style
from generator.errors import Problem, UserError
from generator.validation import suggest, validate_located
from generator.writers.docx_shell import shell_environment
from generator.writers.fonts import FAMILIES
from generator.yamlio import Located, load_yaml

MANIFEST = "style.yaml"
SHELL = "shell.docx"
MAX_LOGO_BYTES = 2_000_000
MAX_SHELL_BYTES = 10_000_000

# Every tag a shell may print. The manual fills them (see assemble.shell_values); the
# preparer and style values come from the manifest. ``body`` marks where the text goes and
# ``logo`` prints the style's logo, ``company.logo`` the profile's.
SHELL_TAGS: tuple[str, ...] = (
    "company.name",
    "company.logo",
    "company.legal_name",
    "company.address",
    "company.phone",
    "company.email",
    "company.website",
    "company.province",
    "document.title",
    "document.subtitle",
    "document.revision",
    "document.date",
    "document.approved_by",
    "document.partner",
    "document.stream",
    "preparer.firm",
    "preparer.contact",
    "preparer.licence",
    "style.name",
    "logo",
    "body",
)
BODY_TAG = "body"
_BODY_PARAGRAPH = re.compile(r"^\{\{-?\s*body\s*-?\}\}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _colour(value: str) -> str:
    if not _COLOUR.match(value):
        raise ValueError(f"must be a colour written #rrggbb, e.g. #1f4e79 (got {value!r})")
    return value.lower()


def _family(value: str) -> str:
    if value not in FAMILIES:
        raise ValueError(f"unknown font {value!r}{suggest(value, FAMILIES)} (the bundled fonts: {', '.join(FAMILIES)})")
    return value


Colour = Annotated[str, AfterValidator(_colour)]
Family = Annotated[str, AfterValidator(_family)]
Line = Annotated[str, Field(max_length=300)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Colours(_Model):
    accent: Colour = "#1f4e79"
    table_header: Colour = "#d9e2f3"
    callout: Colour = "#eef3fa"


class Fonts(_Model):
    body: Family = "Liberation Sans"
    headings: Family | None = None  # the body font unless given


class Preparer(_Model):
    firm: Line = ""
    contact: Line = ""
    licence: Line = ""


class Manifest(_Model):
    """``style.yaml``."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    colours: Colours = Colours()
    fonts: Fonts = Fonts()
    logo: Line = Field("", description="PNG or JPEG inside the style folder, e.g. logo.png.")
    preparer: Preparer | None = None


def preparer_lines(preparer: Preparer | None) -> tuple[str, ...]:
    """The cover's "prepared by" block, one line each: firm, contact, licence."""
    if preparer is None:
        return ()
    lines = [f"Prepared by {preparer.firm}" if preparer.firm else "", preparer.contact, preparer.licence]
    return tuple(line.strip() for line in lines if line.strip())


def _manifest_values(manifest: Manifest) -> tuple[tuple[str, str], ...]:
    preparer = manifest.preparer or Preparer()
    return (
        ("preparer.firm", preparer.firm),
        ("preparer.contact", preparer.contact),
        ("preparer.licence", preparer.licence),
        ("style.name", manifest.name),
    )


def load_style(folder: Path, display: str | None = None) -> Style:
    """Read and check the style folder; raise one :class:`UserError` listing every problem."""
    name = display or str(folder)
    if not folder.is_dir():
        raise UserError(f"{name}: not a folder (a house style is a folder with {MANIFEST})")
    located = load_yaml(folder / MANIFEST, f"{name}/{MANIFEST}")
    if not isinstance(located.data, dict):
        raise UserError(problems=[located.problem((), "a style manifest must be a mapping with name and colours")])
    manifest, problems = validate_located(Manifest, located)
    logo: tuple[bytes | None, str] = (None, "")
    if manifest is not None and manifest.logo:
        logo = _read_logo(folder, manifest.logo, located, problems)
    shell = None
    shell_path = folder / SHELL
    shell_name = f"{name}/{SHELL}"
    if shell_path.is_file():
        shell = shell_path.read_bytes() if shell_path.stat().st_size <= MAX_SHELL_BYTES else b""
        problems += check_shell(shell, shell_name) if shell else [Problem(shell_name, None, "", "larger than 10 MB")]
    if problems:
        raise UserError(problems=problems)
    assert manifest is not None
    digest = hashlib.sha256((folder / MANIFEST).read_bytes())
    for data in (logo[0], shell):
        digest.update(hashlib.sha256(data or b"").digest())
    return Style(
        name=manifest.name,
        accent=manifest.colours.accent,
        header_fill=manifest.colours.table_header,
        callout_fill=manifest.colours.callout,
        body_font=manifest.fonts.body,
        heading_font=manifest.fonts.headings or manifest.fonts.body,
        preparer=preparer_lines(manifest.preparer),
        shell_values=_manifest_values(manifest),
        digest=digest.hexdigest(),
        logo=logo[0],
        logo_type=logo[1],
        shell=shell,
        shell_name=shell_name,
    )


def _read_logo(folder: Path, relative: str, located: Located, problems: list[Problem]) -> tuple[bytes | None, str]:
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()):
        problems.append(located.problem(("logo",), f"{relative!r} is outside the style folder"))
        return None, ""
    try:
        data = path.read_bytes()[: MAX_LOGO_BYTES + 1]
    except OSError as exc:
        problems.append(located.problem(("logo",), f"cannot read {relative!r} ({exc.strerror})"))
        return None, ""
    if len(data) > MAX_LOGO_BYTES:
        problems.append(located.problem(("logo",), f"{relative!r} is larger than 2 MB"))
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data, "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        return data, "image/jpeg"
    else:
        problems.append(located.problem(("logo",), f"{relative!r} is not a PNG or JPEG image"))
    return None, ""


# ------------------------------------------------------------------------------ the shell
def _template_parts(names: list[str]) -> list[str]:
    """The parts docxtpl renders: the body, headers, footers, footnotes and document properties."""
    return [
        n
        for n in names
        if n in ("word/document.xml", "docProps/core.xml")
        or re.fullmatch(r"word/(header|footer)\d*\.xml|word/footnotes\.xml", n)
    ]


def check_shell(data: bytes, name: str) -> list[Problem]:
    """Every problem of a Word shell: not a .docx, broken XML, bad or unknown tags, no body marker."""
    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile:
        return [Problem(name, None, "", "not a Word file (.docx is a zip archive)")]
    if "word/document.xml" not in names:
        return [Problem(name, None, "", "not a Word file (no word/document.xml)")]
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    for part in names:
        if not part.endswith((".xml", ".rels")):
            continue
        try:
            parsed[part] = etree.fromstring(archive.read(part))
        except etree.XMLSyntaxError as exc:
            problems.append(Problem(f"{name}:{part}", exc.lineno, "", f"broken XML: {exc.msg}"))
    if problems:
        return problems
    bodies = 0
    for part in _template_parts(names):
        found, more = _check_part(parsed[part], part, name)
        problems += found
        if part == "word/document.xml":
            bodies = more
    if bodies == 0 and not problems:
        message = "no paragraph holding only {{ body }}: the manual's text has no place"
        problems.append(Problem(f"{name}:word/document.xml", None, "", message))
    elif bodies > 1:
        problems.append(Problem(f"{name}:word/document.xml", None, "", "{{ body }} must appear once"))
    return problems


def _check_part(root: Any, part: str, name: str) -> tuple[list[Problem], int]:
    """Problems of one part's tags, and how many paragraphs hold only ``{{ body }}``."""
    import jinja2
    from docxtpl import DocxTemplate
    from lxml import etree

    where = f"{name}:{part}"
    xml = etree.tostring(root, encoding="unicode")
    # the same preprocessing docxtpl applies before rendering: tags split across runs are
    # joined, and each paragraph starts a line (so a line number is a paragraph number)
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", DocxTemplate.patch_xml(_PatchSelf(), xml))
    environment = shell_environment()
    try:
        tree = environment.parse(source)
        environment.from_string(source)  # unknown filters and tests fail when compiled
    except jinja2.TemplateSyntaxError as exc:
        return [Problem(where, exc.lineno, _paragraph_text(source, exc.lineno), f"bad tag: {exc.message}")], 0
    except jinja2.TemplateError as exc:
        return [Problem(where, None, "", f"bad tag: {exc}")], 0
    problems = [
        Problem(where, line, "{{ " + path + " }}", f"unknown tag{suggest(path, SHELL_TAGS)}")
        for path, line in _tag_paths(tree)
        if path not in SHELL_TAGS
    ]
    problems += [
        Problem(where, loop.lineno, "{% for %}", "loops are not supported: every tag is a single value")
        for loop in tree.find_all(jinja2.nodes.For)
    ]
    # values are always escaped: a profile's text must never become Word XML
    problems += [
        Problem(where, node.lineno, "|safe", "values are always escaped; the safe filter is not allowed")
        for node in tree.find_all(jinja2.nodes.Filter)
        if node.name == "safe"
    ]
    problems += [
        Problem(where, node.lineno, "{% autoescape %}", "values are always escaped; autoescape cannot be changed")
        for node in tree.find_all((jinja2.nodes.EvalContextModifier, jinja2.nodes.ScopedEvalContextModifier))
    ]
    if not problems:
        # a trial rendering with every tag filled: whatever the sandbox refuses (a private
        # attribute, a filter on the wrong type) is reported now, not half-way through a build
        try:
            environment.from_string(source).render(_trial_context())
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None) or _failing_line(environment, source)
            problems.append(Problem(where, line, _paragraph_text(source, line), f"bad tag: {exc}"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    bodies = 0
    for paragraph in root.iter(f"{w}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{w}t")).strip()
        if _BODY_PARAGRAPH.match(text):
            bodies += 1
            if part == "word/document.xml" and paragraph.getparent().tag != f"{w}body":
                problems.append(Problem(where, None, "{{ body }}", "must be a paragraph of the page, not in a table"))
        elif re.search(r"\{\{-?\s*body\b", text):
            problems.append(Problem(where, None, "{{ body }}", "must be alone in its paragraph"))
    if part != "word/document.xml" and bodies:
        problems.append(Problem(where, None, "{{ body }}", "belongs in the document, not a header or footer"))
    return problems, bodies


def _failing_line(environment: Any, source: str) -> int | None:
    """The first paragraph whose tags fail on their own (sandbox errors carry no line)."""
    import jinja2

    for number, line in enumerate(source.splitlines(), start=1):
        if "{{" not in line:
            continue
        try:
            environment.from_string(line).render(_trial_context())
        except jinja2.TemplateError:
            return number
    return None


def _trial_context() -> dict[str, Any]:
    context: dict[str, Any] = {}
    for path in SHELL_TAGS:
        *groups, leaf = path.split(".")
        target = context
        for group in groups:
            target = target.setdefault(group, {})
        target[leaf] = "text"
    return context


class _PatchSelf:
    """``patch_xml`` reads nothing from its template object; this stands in for one."""


def _paragraph_text(source: str, line: int | None) -> str:
    if not line:
        return ""
    lines = source.splitlines()
    text = re.sub(r"<[^>]+>", "", lines[line - 1]) if 0 < line <= len(lines) else ""
    return text.strip()[:60]


def _tag_paths(tree: Any) -> list[tuple[str, int]]:
    """The dotted names a template reads (``company.name``), with their lines.

    Names the template sets itself (loop variables) are not checked: only what must come
    from the build.
    """
    from jinja2 import meta, nodes

    free = meta.find_undeclared_variables(tree)
    out: list[tuple[str, int]] = []

    def dotted(node: Any) -> str | None:
        if isinstance(node, nodes.Name):
            return node.name
        if isinstance(node, nodes.Getattr):
            base = dotted(node.node)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = dotted(node.node)
            return f"{base}.{node.arg.value}" if base else None
        return None

    def visit(node: Any) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            path = dotted(node)
            if path is not None and path.split(".")[0] in free:
                out.append((path, node.lineno))
                return
        for child in node.iter_child_nodes():
            visit(child)

    visit(tree)
    return out


# -------------------------------------------------------------------------- choosing a style
def resolve_style(profile_style: str, profile_path: Path, style_dir: Path | None) -> Style | None:
    """The build's house style: ``--style DIR`` if given, else the profile's ``style:`` key."""
    if style_dir is not None:
        return load_style(style_dir)
    if not profile_style:
        return None
    folder = profile_path.parent / profile_style
    if not folder.is_dir():
        try:
            located = load_yaml(profile_path)
            problem = located.problem(("style",), f"{profile_style!r} is not a folder (a house style folder)")
        except UserError:
            problem = Problem(str(profile_path), None, "style", f"{profile_style!r} is not a folder")
        raise UserError(problems=[problem])
    return load_style(folder, str(folder))
