"""Shared fixtures: the catalog, builds of the example, and real readers for outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "alberta-landscaping.yaml"
sys.path.insert(0, str(ROOT))

# the tests keep their compiled templates and catalog in a cache folder of their own (each
# test process, and the commands it runs, inherit it), never in the user's
if "SAFETY_MANUAL_CACHE" not in os.environ:
    import tempfile

    os.environ["SAFETY_MANUAL_CACHE"] = tempfile.mkdtemp(prefix="safety-manual-test-cache-")


@pytest.fixture(scope="session")
def catalog():
    from generator.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def golden_manual(catalog):
    """Assemble a golden case (``tests/cases/<name>``) once per session: (facts, document).

    Several test modules read the same manuals; assembling each once keeps the suite fast.
    Tests must only read the returned document.
    """
    from generator.assemble import assemble_manual, gather_facts
    from generator.profile import load_profile

    cache: dict = {}

    def get(case_dir: Path):
        if case_dir not in cache:
            facts = gather_facts(load_profile(case_dir / "profile.yaml", catalog), catalog)
            cache[case_dir] = (facts, assemble_manual(facts, catalog))
        return cache[case_dir]

    return get


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """The bundled example built once, in both formats."""
    from generator.build import build
    from generator.catalog import load_catalog

    out = tmp_path_factory.mktemp("example") / "out"
    result = build(EXAMPLE, out, load_catalog())
    return out, result


def run_cli(
    *args: str, cwd: Path | None = None, input: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run ``python -m generator`` as a user would, capturing its output."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        input=input,
        env=full_env,
        timeout=600,
    )


def libreoffice_convert(docx: Path, out_dir: Path) -> Path:
    """Open ``docx`` with LibreOffice headless and convert it to PDF; fail on any error."""
    return libreoffice_convert_all([docx], out_dir)[0]


def libreoffice_convert_all(files: list[Path], out_dir: Path) -> list[Path]:
    """Open every .docx in ``files`` with one LibreOffice run and convert each to PDF.

    LibreOffice starts once (its start-up is most of a conversion's time); a file it could
    not open is named in the failure, since each must leave its own PDF.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required by the tests (scripts/setup.sh installs it)"
    stems = [f.stem for f in files]
    assert len(set(stems)) == len(stems), "one output folder needs distinct file names"
    profile = out_dir / "lo-profile"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *(str(f) for f in files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    pdfs = [out_dir / (f.stem + ".pdf") for f in files]
    for source, pdf in zip(files, pdfs, strict=True):
        assert pdf.is_file() and pdf.stat().st_size > 1000, (
            f"LibreOffice did not convert {source.name}: {proc.stdout} {proc.stderr}"
        )
    return pdfs


def pdf_text(path: Path) -> str:
    """All text of a PDF, read back with poppler's pdftotext.

    poppler is the reader most viewers' text search behaves like; it decodes the
    ToUnicode maps Typst writes for every font, CJK and Arabic included.
    """
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def docx_text(path: Path) -> str:
    """All paragraph and table text of a .docx, read back with python-docx."""
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


CASES_DIR = ROOT / "tests" / "cases"


def case_manual(golden_manual, name: str):
    """A golden case's (facts, document, whole text of its sections)."""
    from generator.document import section_text

    facts, document = golden_manual(CASES_DIR / name)
    return facts, document, "\n".join(section_text(s) for s in document.sections)


def cell_text(cell) -> str:
    """The text of a table cell (a run of text pieces, or a plain string)."""
    return cell if isinstance(cell, str) else "".join(getattr(r, "text", "") for r in cell)


def section_by_key(document, key: str):
    """The section with ``key`` (the test fails when there is none)."""
    found = [s for s in document.all_sections() if s.key == key]
    assert found, f"no section {key}"
    return found[0]
