"""The compiled-template cache: used when it can be, never trusted over a changed template."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator import templating
from generator.cache import cache_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "alberta-landscaping.yaml"


def test_off_and_unusable_caches_are_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFETY_MANUAL_CACHE", "off")
    assert cache_dir("jinja-sandbox") is None
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SAFETY_MANUAL_CACHE", str(blocked))
    assert cache_dir("jinja-sandbox") is None
    monkeypatch.setenv("SAFETY_MANUAL_CACHE", str(tmp_path / "cache"))
    folder = cache_dir("jinja-sandbox")
    assert folder is not None and folder.is_dir() and folder.parent == tmp_path / "cache"


def test_a_changed_template_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFETY_MANUAL_CACHE", str(tmp_path / "cache"))
    templates = tmp_path / "templates"
    templates.mkdir()
    page = templates / "page.md"
    page.write_text("first {{ name }}\n", encoding="utf-8")
    templating._environment.cache_clear()  # a new process: nothing compiled in memory
    env = templating.make_environment([templates])
    assert templating.render(env, "page.md", {"name": "x"}) == "first x\n"
    assert list((tmp_path / "cache").rglob("*.cache")), "the compiled template was not kept"
    page.write_text("second {{ name }}\n", encoding="utf-8")
    templating._environment.cache_clear()
    env = templating.make_environment([templates])
    assert templating.render(env, "page.md", {"name": "x"}) == "second x\n"
    templating._environment.cache_clear()


def test_a_build_with_an_unwritable_cache_still_builds(tmp_path):
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(EXAMPLE), "-o", str(out), "--format", "docx"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT), SAFETY_MANUAL_CACHE=str(blocked)),
    )
    assert result.returncode == 0, result.stderr
    assert (out / "manual.docx").is_file()
    assert blocked.read_text() == ""


def test_the_catalog_is_kept_between_runs_and_read_again_after_an_edit(tmp_path, monkeypatch):
    from generator import catalog_cache

    monkeypatch.setenv("SAFETY_MANUAL_CACHE", str(tmp_path / "cache"))
    calls = []

    def load():
        calls.append(1)
        return {"hazards": len(calls)}

    assert catalog_cache.cached("test", load) == {"hazards": 1}
    assert catalog_cache.cached("test", load) == {"hazards": 1}, "the second run did not use the kept catalog"
    assert len(calls) == 1
    # any change to the content (here: a new file in the forms folder's fingerprint) loads it again
    real = catalog_cache._fingerprint
    monkeypatch.setattr(catalog_cache, "_fingerprint", lambda folders: real(folders) + "-edited")
    assert catalog_cache.cached("test", load) == {"hazards": 2}
    assert len(list((tmp_path / "cache").rglob("test-*.pickle"))) == 1, "the stale catalog was not removed"


def test_the_fingerprint_changes_when_a_content_file_changes(tmp_path):
    from generator.catalog_cache import _fingerprint

    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.yaml").write_text("x: 1\n")
    first = _fingerprint([folder])
    (folder / "a.yaml").write_text("x: 12\n")
    assert _fingerprint([folder]) != first
