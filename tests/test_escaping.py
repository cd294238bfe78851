"""User text is data: markup, Jinja and XML in a company name print literally."""

from __future__ import annotations

import re
import zipfile

import yaml
from conftest import EXAMPLE, docx_text, libreoffice_convert, pdf_text

from generator.build import build

NAME = "Smith & Sons <Roofing> Société {{ 7*7 }}"


def test_hostile_company_name_prints_literally(tmp_path, catalog):
    data = yaml.safe_load(EXAMPLE.read_text())
    data["company"]["name"] = NAME
    data["people"]["owner"]["name"] = "*Dana* {% if true %}x{% endif %} </w:t>"
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    build(profile, out, catalog)

    pdf = re.sub(r"\s+", " ", pdf_text(out / "manual.pdf"))
    assert NAME in pdf
    assert "*Dana* {% if true %}x{% endif %} </w:t>" in pdf
    assert "Sons 49" not in pdf and "Société 49" not in pdf

    text = docx_text(out / "manual.docx")
    assert NAME in text
    xml = zipfile.ZipFile(out / "manual.docx").read("word/document.xml").decode()
    assert "Smith &amp; Sons &lt;Roofing&gt; Société {{ 7*7 }}" in xml
    converted = libreoffice_convert(out / "manual.docx", tmp_path)
    assert NAME in re.sub(r"\s+", " ", pdf_text(converted))

    form = next((out / "forms").glob("F-03-*.pdf"))
    assert NAME in re.sub(r"\s+", " ", pdf_text(form))
