"""Hostile and odd input: nothing a user types may break output, run, read a file or fetch."""

from __future__ import annotations

import http.server
import re
import sys
import threading
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import EXAMPLE, docx_text, libreoffice_convert, pdf_text
from pypdf import PdfReader

from generator.build import build
from generator.errors import UserError
from generator.profile import profile_from_text
from generator.yamlio import load_yaml

OPENED: list[str] = []
_WATCH = {"on": False}


def _audit(event: str, args: tuple) -> None:
    # Record every file and URL the process opens while a hostile build runs.
    if _WATCH["on"] and event in ("open", "urllib.Request", "socket.connect"):
        OPENED.append(f"{event} {args[0]!r}")


sys.addaudithook(_audit)


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"probe")

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Counter.hits = 0
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _hostile_strings(url: str, probe: Path) -> list[str]:
    return [
        "Smith & Sons <Roofing> Société {{ 7*7 }}",
        "{% for x in range(10) %}loop{% endfor %} {{ config }} {{ ''.__class__.__mro__ }}",
        "</w:t></w:r><w:r><w:t>injected",
        f'<img src="file://{probe}"> <img src="{url}/img.png">',
        f'<link rel="attachment" href="file://{probe}"> <link rel="stylesheet" href="{url}/x.css">',
        f"body {{ background: url({url}/bg.png) }} url(file://{probe})",
        "**bold** _em_ # heading | pipe | `code` [link](http://example.com) > quote",
        "Ça coûte 5 $ — naïve façade, Œuvre, «guillemets»",
        "安全衛生マニュアル 건설 안전",
        "شركة السلامة المحدودة עברית",
        "Crew 🚧👷‍♀️🔥 ok",
        "\\u0000 literal backslash \\ and ]]> and <!-- comment -->",
    ]


def _profile_with(strings: list[str]) -> dict:
    data = load_yaml(EXAMPLE).data
    cycle = iter(strings * 4)
    data["company"]["name"] = strings[0]
    data["company"]["legal_name"] = next(cycle)
    data["company"]["address"] = {"street": next(cycle), "city": next(cycle), "postal_code": next(cycle)}
    data["people"]["owner"] = {"name": next(cycle), "title": next(cycle), "phone": next(cycle)}
    data["people"]["safety_contact"] = {"name": next(cycle), "title": next(cycle)}
    data["people"]["supervisors"] = strings[:3]
    data["emergency"]["muster_point"] = next(cycle)
    data["emergency"]["hospital"] = {"name": next(cycle), "address": next(cycle)}
    data["emergency"]["contacts"] = [{"name": s, "role": s[:20], "phone": s[:10]} for s in strings]
    data["emergency"]["first_aiders"] = strings[3:6]
    data["sites"] = [{"name": s, "address": s, "description": s} for s in strings]
    data["document"]["approved_by"] = next(cycle)
    return data


def test_hostile_text_everywhere_prints_literally_and_fetches_nothing(tmp_path, server, catalog):
    probe = tmp_path / "secret-probe.txt"
    probe.write_text("TOP-SECRET-PROBE-CONTENT")
    strings = _hostile_strings(server, probe)
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(_profile_with(strings), allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    OPENED.clear()
    _WATCH["on"] = True
    try:
        build(profile, out, catalog)
    finally:
        _WATCH["on"] = False
    assert _Counter.hits == 0, "the PDF engine fetched from the network"
    assert not [o for o in OPENED if "secret-probe" in o], OPENED
    assert not [o for o in OPENED if o.startswith(("urllib", "socket"))], OPENED

    pdf = re.sub(r"\s+", " ", pdf_text(out / "manual.pdf"))
    assert "TOP-SECRET-PROBE-CONTENT" not in pdf
    assert strings[0] in pdf and "Crew" in pdf
    assert "安全衛生マニュアル" in pdf
    assert "Ça coûte 5 $ — naïve façade" in pdf
    assert "injected" in pdf and "</w:t></w:r><w:r><w:t>injected" in pdf
    assert "looploop" not in pdf.replace(" ", ""), "user text ran as a template"
    assert "{% for x in range(10) %}" in pdf
    for path in out.rglob("*.pdf"):
        reader = PdfReader(str(path))
        root = reader.trailer["/Root"]
        assert "/EmbeddedFiles" not in str(root.get("/Names", {})), f"{path.name} embeds a file"
    document = docx.Document(str(out / "manual.docx"))
    assert document.core_properties.author == strings[0]
    xml = zipfile.ZipFile(out / "manual.docx").read("word/document.xml").decode()
    assert "&lt;/w:t&gt;&lt;/w:r&gt;" in xml
    assert "Smith &amp; Sons &lt;Roofing&gt; Société {{ 7*7 }}" in xml
    assert strings[0] in docx_text(out / "manual.docx")
    # the same text in the Word file as LibreOffice reads it, and on a form's PDF
    converted = libreoffice_convert(out / "manual.docx", tmp_path)
    assert strings[0] in re.sub(r"\s+", " ", pdf_text(converted))
    form = next((out / "forms").glob("F-03-*.pdf"))
    assert strings[0] in re.sub(r"\s+", " ", pdf_text(form))
    assert "Sons 49" not in pdf and "Société 49" not in pdf


def test_very_long_values_and_every_hazard(tmp_path, catalog):
    data = load_yaml(EXAMPLE).data
    data["company"]["name"] = "Long " * 59 + "Name"
    data["sites"] = [{"name": "Site", "description": "word " * 390}]
    data["hazards"] = sorted(catalog.hazards)
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = build(profile, tmp_path / "out", catalog, formats=("docx",))
    assert (tmp_path / "out" / "manual.docx").is_file()
    assert len(result.facts.hazards) == len(catalog.hazards)


BAD_PROFILES = [
    (
        "duplicate hazard",
        lambda d: d.update(hazards=["chainsaws", "chainsaws"]),
        "hazards[1]: hazard 'chainsaws' is listed twice",
    ),
    (
        "workers as text",
        lambda d: d["company"].update(workers="eight"),
        "company.workers: must be a whole number (got 'eight')",
    ),
    ("hazards not a list", lambda d: d.update(hazards="chainsaws"), "hazards: must be a list"),
    ("empty name", lambda d: d["company"].update(name="   "), "company.name: must not be empty"),
    (
        "control character",
        lambda d: d["company"].update(name="Bad\x07Bell"),
        "company.name: contains control characters that cannot be printed",
    ),
    ("company not a mapping", lambda d: d.update(company=["x"]), "company: must be a mapping of keys to values"),
    (
        "name too long",
        lambda d: d["company"].update(name="x" * 301),
        "company.name: is too long (at most 300 characters)",
    ),
    (
        "logo not an image",
        lambda d: d["company"].update(logo="notes.txt"),
        "company.logo: logo must be a .png or .jpg file",
    ),
]


@pytest.mark.parametrize("label,mutate,message", BAD_PROFILES, ids=[b[0] for b in BAD_PROFILES])
def test_wrong_values_are_user_errors(catalog, label, mutate, message):
    data = load_yaml(EXAMPLE).data
    mutate(data)
    with pytest.raises(UserError) as info:
        profile_from_text(yaml.safe_dump(data, allow_unicode=True), catalog, name="p.yaml")
    assert any(line.endswith(message) for line in info.value.lines), info.value.lines


def test_logo_outside_is_read_only_as_an_image(tmp_path, catalog):
    data = load_yaml(EXAMPLE).data
    data["company"]["logo"] = "../../../etc/passwd.png"
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(UserError) as info:
        build(profile, tmp_path / "out", catalog, formats=("docx",))
    assert info.value.lines[0].startswith("company.logo: cannot read")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
