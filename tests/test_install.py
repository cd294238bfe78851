"""The wheel carries the data folders, templates and fonts: an installed copy works from any
directory and writes both formats with no system libraries for PDF layout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT


def test_wheel_install_finds_its_data(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(wheels.glob("safety_manual-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))
    where = subprocess.run(
        [sys.executable, "-c", "import generator.paths as p; print(p.data_dir('manual_templates'))"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(target)), where.stdout
    script = target / "bin" / "safety-manual"
    proc = subprocess.run([str(script), "packs", "--json"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert any(p["id"] == "acsa-secor" for p in json.loads(proc.stdout))
    # the build runs in-process so its memory map can be read at the end: both formats are
    # written without any system text-layout library (the PDF engine and fonts are in the wheels)
    probe = (
        "import sys\n"
        "from generator.cli import main\n"
        f"sys.argv = ['safety-manual', 'build', {str(ROOT / 'examples' / 'alberta-landscaping.yaml')!r}, '-o', 'out']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "maps = open('/proc/self/maps').read()\n"
        "print('pango' in maps, 'harfbuzz' in maps, 'weasyprint' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False", "False"]
    assert (elsewhere / "out" / "manual.docx").is_file()
    assert (elsewhere / "out" / "manual.pdf").read_bytes().startswith(b"%PDF")
    assert (elsewhere / "out" / "forms").is_dir()
