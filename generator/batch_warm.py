"""Imported once by the batch's fork server: every worker forked from it starts with the catalog loaded.

Each profile of a batch is built in a fresh process (so caches that grow in a long-lived
process are dropped); loading the bundled catalog here saves each of them reading it again.
"""

from __future__ import annotations

import contextlib

from generator.catalog import default_catalog
from generator.errors import GeneratorError

# on failure each worker loads it again and reports the problem against its profile
with contextlib.suppress(GeneratorError, OSError):
    default_catalog()
