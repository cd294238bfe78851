"""Print the verified and unverified fact counts per province as a Markdown table.

PYTHONPATH=. python scripts/count_facts.py
"""

from generator.catalog import load_catalog
from generator.fact_audit import counts_table, fact_counts

if __name__ == "__main__":
    print(counts_table(fact_counts(load_catalog())))
