"""How long each golden manual is: pages (from the real PDF) and words, printed for every case.

Each case's manual PDF is rendered once, in memory (about 3 s each); nothing else here builds.
Run with ``-s`` to see the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.document import section_text

CASES = sorted(p.parent for p in (Path(__file__).parent / "cases").glob("*/profile.yaml"))
SECOR_TARGET = 60  # pages, for a SECOR manual of 10 or fewer workers with 8 hazards (issue 16)
CEILING = 66  # no golden manual may grow past this (longest today: the 4-worker Ontario COR manual, 65)


@pytest.fixture(scope="module")
def lengths(golden_manual):
    from generator.writers.pdf_writer import render_pdf

    found = {}
    for case in CASES:
        facts, document = golden_manual(case)
        _, pages = render_pdf(document)
        words = sum(len(section_text(s).split()) for s in document.sections)
        found[case.name] = (facts, pages, words)
    print("\ncase                              stream     workers hazards pages  words")
    for name, (facts, pages, words) in found.items():
        print(
            f"{name:33} {facts.pack.stream:10} {facts.profile.company.workers:7} "
            f"{len(facts.hazards):7} {pages:5} {words:6}"
        )
    return found


def test_every_golden_case_reports_its_length(lengths):
    assert set(lengths) == {c.name for c in CASES}
    for name, (_, pages, words) in lengths.items():
        assert 20 <= pages <= CEILING, f"{name}: {pages} pages"
        assert words >= 12000, f"{name}: {words} words"


def test_small_secor_manuals_fit_in_sixty_pages(lengths):
    small = {
        name: pages
        for name, (facts, pages, _) in lengths.items()
        if facts.pack.stream != "COR" and facts.profile.company.workers <= 10 and len(facts.hazards) == 8
    }
    assert small
    too_long = {name: pages for name, pages in small.items() if pages > SECOR_TARGET}
    assert not too_long, too_long
