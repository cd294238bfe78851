"""Print the verified and unverified fact counts per province as a Markdown table.

PYTHONPATH=. python scripts/count_facts.py                 # the current content
PYTHONPATH=. python scripts/count_facts.py --before REV    # compared with a git revision
"""

import argparse
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from generator.fact_audit import counts_table, fact_counts

ROOT = Path(__file__).resolve().parent.parent


def _content_at(revision: str, into: Path) -> Path:
    """manual_templates/ as it was at a git revision, unpacked into ``into``."""
    archive = subprocess.run(
        ["git", "archive", revision, "manual_templates"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "manual_templates"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="a git revision to compare with")
    args = parser.parse_args()
    after = fact_counts(ROOT / "manual_templates")
    if args.before:
        with tempfile.TemporaryDirectory() as tmp:
            print(counts_table(after, fact_counts(_content_at(args.before, Path(tmp)))))
    else:
        print(counts_table(after))
