"""House styles: a consultant's Word shell, colours, fonts, logo and preparer block in both formats."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
import yaml
from conftest import EXAMPLE, ROOT, docx_text, libreoffice_convert, pdf_text, run_cli
from docx.oxml.ns import qn
from lxml import etree

STYLE = ROOT / "examples" / "styles" / "northwind"
CASES = Path(__file__).parent / "cases"
HOSTILE = "Prairie {{ 7*7 }} <w:t>x</w:t> & Sons"
ACCENT = (0x7A, 0x1F, 0x3D)  # examples/styles/northwind/style.yaml colours.accent
PREPARER = (
    "Prepared by Northwind Safety Consulting Ltd.",
    "Morgan Whitfield · 587-555-0199 · morgan@northwind-safety.example",
    "Auditor no. NW-2291",
)


def _png(size: int) -> bytes:
    """A logo of ``size`` pixels, drawn by the example style's own script."""
    spec = importlib.util.spec_from_file_location("make_shell", STYLE / "make_shell.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.logo_png(size)


@pytest.fixture(scope="module")
def styled(tmp_path_factory, catalog):
    """The example's manual with a hostile company name, a logo and the example style named in the profile.

    Written once in both formats by the writers themselves (the forms are not needed here).
    """
    from generator.assemble import assemble_manual, gather_facts, load_logo
    from generator.house_style import resolve_style
    from generator.profile import load_profile
    from generator.writers import docx_writer, pdf_writer

    folder = tmp_path_factory.mktemp("styled")
    shutil.copytree(STYLE, folder / "styles" / "northwind")
    text = EXAMPLE.read_text(encoding="utf-8").replace("name: Prairie Green Landscaping Ltd.", f"name: '{HOSTILE}'", 1)
    text = text.replace("company:\n", "company:\n  logo: client-logo.png\n", 1)
    (folder / "client-logo.png").write_bytes(_png(48))  # not the style's: Typst would share one image
    profile_path = folder / "profile.yaml"
    profile_path.write_text(text + "style: styles/northwind\n", encoding="utf-8")
    profile = load_profile(profile_path, catalog)
    manual = assemble_manual(gather_facts(profile, catalog), catalog, load_logo(profile, folder))
    manual.style = resolve_style(profile.style, profile_path, None)
    docx_writer.write(manual, folder / "manual.docx")
    pdf_writer.write(manual, folder / "manual.pdf")
    return folder, manual


def _doubled_page_breaks(word) -> int:
    """Paragraphs holding only a page break right after another: each one is a blank page."""
    breaks = [
        not p.text.strip() and any(b.get(qn("w:type")) == "page" for b in p._p.iter(qn("w:br")))
        for p in word.paragraphs
    ]
    return sum(1 for a, b in zip(breaks, breaks[1:], strict=False) if a and b)


def test_cover_header_and_heading_style_come_from_the_shell(styled):
    folder, manual = styled
    word = docx.Document(str(folder / "manual.docx"))
    texts = [p.text for p in word.paragraphs]
    # the shell's own cover: its firm line, then the company and title it prints with tags
    firm = texts.index("NORTHWIND SAFETY CONSULTING")
    assert texts[firm + 2 : firm + 4] == [HOSTILE, manual.title]
    assert "Approved by Dana Kowalski" in texts
    # {{ logo }} and {{ company.logo }}: the style's logo and the client's
    assert [shape.width for shape in word.inline_shapes] == [docx.shared.Cm(4)] * 2
    section = word.sections[-1]
    assert section.different_first_page_header_footer
    assert [p.text for p in section.header.paragraphs] == [f"{HOSTILE} | {manual.title}"]
    assert section.footer.paragraphs[0].text.startswith(
        "Prepared by Northwind Safety Consulting Ltd. · Revision 1 · Page "
    )
    # the shell's style definitions, taken on by the manual's headings
    heading = word.styles["Heading 1"]
    assert (heading.font.name, heading.font.size.pt, str(heading.font.color.rgb)) == ("Liberation Sans", 20, "7A1F3D")
    assert word.styles["Normal"].font.name == "DejaVu Sans"
    first = manual.sections[0]
    chapter = next(p for p in word.paragraphs if p.text == first.heading)
    assert chapter.style.name == f"Heading {first.level}"
    # the body sits where {{ body }} was: after the cover, nothing of the marker left
    assert texts.index("Contents") > texts.index(PREPARER[2])
    assert not any("{{ body }}" in t or "safety-manual-body" in t for t in texts)
    assert _doubled_page_breaks(word) == 0


def test_hostile_profile_text_in_shell_tags_stays_literal(styled):
    folder, _manual = styled
    text = docx_text(folder / "manual.docx")
    assert text.count(HOSTILE) >= 3  # cover, header, body
    assert "Prairie 49" not in text
    with zipfile.ZipFile(folder / "manual.docx") as archive:
        body = archive.read("word/document.xml").decode()
    assert "Prairie {{ 7*7 }} &lt;w:t&gt;x&lt;/w:t&gt; &amp; Sons" in body


def test_libreoffice_opens_the_styled_manual(styled, tmp_path):
    folder, _manual = styled
    converted = pdf_text(libreoffice_convert(folder / "manual.docx", tmp_path))
    assert "NORTHWIND SAFETY CONSULTING" in converted
    assert HOSTILE in converted
    assert PREPARER[0] in converted


def _fill_colours(page: pikepdf.Page) -> set[tuple[int, ...]]:
    """The RGB fill colours a page's content stream sets (Typst writes them with scn or rg)."""
    out = set()
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) in ("scn", "rg") and len(operands) == 3:
            out.add(tuple(round(float(v) * 255) for v in operands))
    return out


def test_pdf_carries_the_styles_colours_fonts_and_preparer_block(styled):
    folder, manual = styled
    text = pdf_text(folder / "manual.pdf")
    cover = " ".join(text.split("\f")[0].split())  # lines as laid out, wrapping undone
    for line in PREPARER:
        assert line in cover
    assert HOSTILE in cover
    with pikepdf.open(folder / "manual.pdf") as pdf:
        assert ACCENT in _fill_colours(pdf.pages[0])  # the company name on the cover
        fonts = {str(f.BaseFont).split("+")[-1] for f in pdf.pages[2].Resources.Font.values()}
        images = len(pdf.pages[0].get_images())
    assert "DejaVuSans" in fonts  # the style's body font
    assert images == 2  # the client's logo and the preparer's


def test_form_takes_the_styles_colours_in_word(styled, catalog):
    from generator.assemble import gather_facts
    from generator.build import form_documents
    from generator.profile import load_profile
    from generator.writers.docx_writer import render_docx

    folder, manual = styled
    facts = gather_facts(load_profile(folder / "profile.yaml", catalog), catalog)
    _stem, form = form_documents(facts, catalog, ("flha",))[0]
    form.style = manual.style
    with zipfile.ZipFile(io.BytesIO(render_docx(form))) as archive:
        body = archive.read("word/document.xml").decode()
    assert 'w:fill="F2DFE5"' in body and 'w:fill="D9E2F3"' not in body


def test_reuse_digests_change_with_the_style(styled):
    from generator.reuse import source_digests

    _folder, manual = styled
    other = dataclasses.replace(manual.style, accent="#000000")
    plain = dataclasses.replace(manual, style=None)
    digests = [source_digests(dataclasses.replace(manual, style=s), ("docx", "pdf")) for s in (manual.style, other)]
    assert digests[0] != digests[1] != source_digests(plain, ("docx", "pdf"))


def test_without_a_shell_word_takes_the_colours_fonts_and_preparer_block(styled):
    from generator.writers.docx_writer import render_docx

    _folder, manual = styled
    plain = dataclasses.replace(manual, style=dataclasses.replace(manual.style, shell=None))
    word = docx.Document(io.BytesIO(render_docx(plain)))
    texts = [p.text for p in word.paragraphs]
    assert texts[texts.index(HOSTILE) + 1] == manual.title  # our own cover
    block = next(p for p in word.paragraphs if p.text.startswith(PREPARER[0]))
    assert block.text.split("\n") == list(PREPARER)
    assert str(word.styles["Heading 1"].font.color.rgb) == "7A1F3D"
    assert word.styles["Heading 1"].font.name == "Liberation Sans"
    assert word.styles["Normal"].font.name == "DejaVu Sans"
    assert [p.text for p in word.sections[0].header.paragraphs] == [f"{HOSTILE} \u2014 {manual.title}"]
    assert _doubled_page_breaks(word) == 0


def test_styles_a_shell_lacks_come_from_the_default_template(styled):
    """A shell designed in Word holds only the styles it uses; lists and tables still get theirs."""
    from generator.writers.docx_writer import render_docx

    _folder, manual = styled
    buffer = io.BytesIO()
    with zipfile.ZipFile(STYLE / "shell.docx") as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/styles.xml":
                styles = etree.fromstring(data)
                for style in styles.findall(qn("w:style")):
                    if style.get(qn("w:styleId")) in ("ListBullet", "TableGrid"):
                        styles.remove(style)
                data = etree.tostring(styles)
            target.writestr(name, data)
    lean = dataclasses.replace(manual, style=dataclasses.replace(manual.style, shell=buffer.getvalue()))
    word = docx.Document(io.BytesIO(render_docx(lean)))
    assert any(p.style.name == "List Bullet" for p in word.paragraphs)
    assert word.tables[0].style.name == "Table Grid"


def _broken_copy(tmp_path: Path, part: str, old: bytes, new: bytes) -> Path:
    style = tmp_path / "style"
    shutil.copytree(STYLE, style)
    with zipfile.ZipFile(STYLE / "shell.docx") as source, zipfile.ZipFile(style / "shell.docx", "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == part:
                assert old in data
                data = data.replace(old, new)
            target.writestr(name, data)
    return style


def test_broken_shell_is_reported_with_its_location_and_nothing_is_written(tmp_path):
    style = _broken_copy(tmp_path, "word/header1.xml", b"</w:hdr>", b"</w:hd>")
    out = tmp_path / "out"
    proc = run_cli("build", str(EXAMPLE), "-o", str(out), "--style", str(style))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {style}/shell.docx:word/header1.xml:2: broken XML: Opening and ending tag")
    assert not out.exists()


def test_unknown_tags_are_located_by_part_and_paragraph(tmp_path):
    from generator.errors import UserError
    from generator.house_style import load_style

    style = _broken_copy(tmp_path, "word/header1.xml", b"{{ company.name }}", b"{{ company.nmae }} {{ ''.__class__ }}")
    with pytest.raises(UserError) as error:
        load_style(style)
    assert error.value.lines == [
        f"{style}/shell.docx:word/header1.xml:2: {{{{ company.nmae }}}}: unknown tag: did you mean 'company.name'?",
    ]
    style = _broken_copy(tmp_path / "a", "word/header1.xml", b"{{ company.name }}", b"{{ ''.__class__ }}")
    with pytest.raises(UserError) as error:
        load_style(style)
    assert error.value.lines == [
        f"{style}/shell.docx:word/header1.xml:2: {{{{ ''.__class__ }}}} | {{{{ document.title }}}}: bad tag:"
        " access to attribute '__class__' of 'str' object is unsafe."
    ]
    style = _broken_copy(tmp_path / "c", "word/header1.xml", b"{{ company.name }}", b"{{ company.name|safe }}")
    with pytest.raises(UserError) as error:
        load_style(style)
    assert error.value.lines == [
        f"{style}/shell.docx:word/header1.xml:2: |safe: values are always escaped; the safe filter is not allowed"
    ]
    style = _broken_copy(tmp_path / "b", "word/document.xml", b"{{ body }}", b"{{ body }} here")
    with pytest.raises(UserError) as error:
        load_style(style)
    assert error.value.lines == [
        f"{style}/shell.docx:word/document.xml: {{{{ body }}}}: must be alone in its paragraph"
    ]


def test_manifest_problems_are_located_all_at_once(tmp_path):
    from generator.errors import UserError
    from generator.house_style import load_style

    style = tmp_path / "style"
    style.mkdir()
    (style / "style.yaml").write_text(
        "name: Bad\ncolours:\n  accent: red\nfonts:\n  body: Arial\nlogo: ../elsewhere.png\ncolor: {}\n"
    )
    with pytest.raises(UserError) as error:
        load_style(style)
    assert error.value.lines == [
        f"{style}/style.yaml:3: colours.accent: must be a colour written #rrggbb, e.g. #1f4e79 (got 'red')",
        f"{style}/style.yaml:5: fonts.body: unknown font 'Arial' (the bundled fonts: Liberation Sans, DejaVu Sans,"
        " Noto Sans Arabic, Noto Sans Hebrew, Droid Sans Fallback, NanumSquare)",
        f"{style}/style.yaml:7: color: unknown key: did you mean 'colours'?",
    ]


def test_profile_naming_a_missing_style_folder_is_located(tmp_path):
    profile = tmp_path / "client.yaml"
    profile.write_text(EXAMPLE.read_text(encoding="utf-8") + "style: styles/none\n", encoding="utf-8")
    line = len(profile.read_text(encoding="utf-8").splitlines())
    proc = run_cli("build", str(profile), "-o", str(tmp_path / "out"), "--format", "docx")
    assert proc.returncode == 2
    assert (
        proc.stderr.strip() == f"error: {profile}:{line}: style: 'styles/none' is not a folder (a house style folder)"
    )
    assert not (tmp_path / "out").exists()


def test_batch_style_applies_to_every_client(tmp_path):
    folder = tmp_path / "clients"
    folder.mkdir()
    for client in ("redriver", "summit"):
        # one hazard each: fewer handouts to write, the same manual and forms to style
        data = yaml.safe_load((CASES / "ab-roofing" / "profile.yaml").read_text(encoding="utf-8"))
        data["hazards"] = data["hazards"][:1]
        data["company"]["name"] = f"{client.title()} Ltd."
        (folder / f"{client}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("batch", str(folder), "-o", str(out), "--jobs", "2", "--format", "docx", "--style", str(STYLE))
    assert proc.returncode == 0, proc.stderr
    for client in ("redriver", "summit"):
        word = docx.Document(str(out / client / "manual.docx"))
        assert "NORTHWIND SAFETY CONSULTING" in [p.text for p in word.paragraphs]
        assert word.sections[-1].footer.paragraphs[0].text.startswith("Prepared by Northwind Safety Consulting Ltd.")
