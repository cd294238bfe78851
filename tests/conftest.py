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
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required by the tests (scripts/setup.sh installs it)"
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
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = out_dir / (docx.stem + ".pdf")
    assert proc.returncode == 0, proc.stderr
    assert pdf.is_file() and pdf.stat().st_size > 1000, (
        f"LibreOffice did not convert {docx.name}: {proc.stdout} {proc.stderr}"
    )
    return pdf


def pdf_text(path: Path) -> str:
    """All text of a PDF, read back with poppler's pdftotext.

    poppler decodes every font encoding WeasyPrint writes (pypdf misreads the two-byte
    custom CMaps WeasyPrint uses once a font has many glyphs, as with CJK text).
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
