"""Rebuilding a client reuses the files whose source did not change, and only those.

A consultant reruns every client after a pack or law change; a file is copied from the
previous build only when it would be written from the same document tree by the same
writers and is still byte-for-byte what build.json recorded.
"""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import EXAMPLE, docx_text, pdf_text, run_cli

from generator import reuse
from generator.yamlio import load_yaml

OWN_TEXT = "Cedar Ridge crews also check irrigation valve boxes for wasps before opening them."
F01 = "forms/F-01-annual-policy-and-program-review.pdf"


def _manifest(out):
    return json.loads((out / "build.json").read_text(encoding="utf-8"))


def _outputs(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.suffix in (".pdf", ".docx")}


def _build(profile, out, *extra):
    proc = run_cli("build", str(profile), "-o", str(out), *extra)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A first build of the example (nothing to reuse) and an unchanged rebuild."""
    root = tmp_path_factory.mktemp("reuse")
    profile = root / "profile.yaml"
    profile.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = root / "out"
    first = _build(profile, out)
    first_files, first_manifest = _outputs(out), _manifest(out)
    again = _build(profile, out)
    return profile, out, first, first_files, first_manifest, again


def test_first_build_renders_everything_and_records_sources(built):
    _, _, first, first_files, manifest, _ = built
    assert manifest["reused"] == []
    assert "unchanged" not in first.stderr
    sources = {e["path"]: e.get("source") for e in manifest["files"]}
    assert all(len(sources[path]) == 64 for path in first_files), "every PDF and .docx records its source digest"


def test_unchanged_rebuild_reuses_every_file_byte_for_byte(built):
    _, out, _, first_files, first_manifest, again = built
    manifest = _manifest(out)
    assert sorted(manifest["reused"]) == sorted(first_files)
    assert f"{len(first_files)} files unchanged since the last build, reused" in again.stderr
    assert _outputs(out) == first_files
    pages = {e["path"]: e.get("pages") for e in first_manifest["files"]}
    assert {e["path"]: e.get("pages") for e in manifest["files"]} == pages
    assert manifest["page_count"] == first_manifest["page_count"] > 50


def test_company_text_in_the_manual_renders_only_the_manual_again(built, tmp_path):
    profile, out, *_ = built
    data = load_yaml(profile).data
    data["custom"] = {"sections": {"policy": [OWN_TEXT]}}
    changed = tmp_path / "profile.yaml"
    changed.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    target = tmp_path / "out"
    target.mkdir()
    for relative, data_bytes in _outputs(out).items():
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_bytes(data_bytes)
    (target / "build.json").write_bytes((out / "build.json").read_bytes())

    _build(changed, target)
    reused = set(_manifest(target)["reused"])
    assert "manual.pdf" not in reused and "manual.docx" not in reused
    assert F01 in reused and "forms/toolbox-talks/TT-chainsaws.pdf" in reused
    assert OWN_TEXT in " ".join(pdf_text(target / "manual.pdf").split())
    assert OWN_TEXT in docx_text(target / "manual.docx")


def test_a_damaged_file_is_laid_out_again(built, tmp_path):
    profile, out, _, first_files, _, _ = built
    (out / F01).write_bytes(b"%PDF-1.7 damaged by a sync client")
    _build(profile, out)
    assert F01 not in _manifest(out)["reused"]
    assert (out / F01).read_bytes() == first_files[F01]
    assert "Annual Policy and Program Review" in pdf_text(out / F01)


def test_fresh_lays_out_everything_to_the_same_bytes(built):
    profile, out, _, first_files, _, _ = built
    proc = _build(profile, out, "--fresh")
    assert _manifest(out)["reused"] == []
    assert "unchanged" not in proc.stderr
    assert _outputs(out) == first_files, "the same profile builds byte-identical Word and PDF files"


def test_source_digest_changes_with_the_document_and_the_writers(monkeypatch, catalog):
    from generator.assemble import assemble_manual, gather_facts
    from generator.profile import load_profile

    facts = gather_facts(load_profile(EXAMPLE, catalog), catalog)
    manual = assemble_manual(facts, catalog)
    digest = reuse.source_digest(manual, "pdf")
    assert reuse.source_digest(assemble_manual(facts, catalog), "pdf") == digest
    assert reuse.source_digest(manual, "docx") != digest
    manual.sections[0].title += " (edited)"
    assert reuse.source_digest(manual, "pdf") != digest
    manual.sections[0].title = manual.sections[0].title.removesuffix(" (edited)")
    monkeypatch.setattr(reuse, "writer_fingerprint", lambda: "another weasyprint")
    assert reuse.source_digest(manual, "pdf") != digest
