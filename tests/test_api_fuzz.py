"""Schemathesis (``--checks all``) against the API served over HTTP: no 5xx, no response that
disagrees with the OpenAPI document, no input handled differently from what it declares.

Runs on the suite's database (SQLite, and PostgreSQL in ``make test-postgres``): the served app
is the production configuration (CSRF and rate limits on) with a high login limit, see
``scripts/api_fuzz.py``; the checks narrowed, and why, are in ``scripts/schemathesis.toml``.
"""

from __future__ import annotations

import re

from scripts.api_fuzz import SERVED_CONFIG, run_schemathesis, seed, served
from tests.fixtures import make_app

MIN_CASES = 1000


def test_schemathesis_finds_no_server_error_or_schema_mismatch(app, database_url, tmp_path):
    served_app = make_app(
        database_url,
        **SERVED_CONFIG,
        WTF_CSRF_ENABLED=True,
        CHARITY_EXTRA_PLUGINS=[],  # the test-only dummy plugin is not part of the product's API
        STORAGE_DIR=str(tmp_path / "storage"),
    )
    token = seed(served_app)
    with served(served_app) as base_url:
        code, output, seconds = run_schemathesis(base_url, token)
    generated = re.search(r"(\d+) generated", output)
    cases = int(generated.group(1)) if generated else 0
    print(f"schemathesis: {cases} cases in {seconds:.0f} s, exit code {code}")
    if code:
        (tmp_path / "schemathesis.txt").write_text(output)  # the whole report, beside the test
    assert code == 0, output[-25000:]
    assert cases >= MIN_CASES, output[-5000:]
