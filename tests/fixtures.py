"""Core's own test fixtures, on top of the shared kit in ``core.testing`` (a pytest plugin loaded by
the root conftest.py for core's tests and every plugin's tests).

The shared fixtures (app, client, tenants, users, plugins, households, requests, Playwright page,
query counter) live in core.testing; the names below are re-exported for tests that import helpers
from here. Fixtures only core's tests use belong in this module.
"""

from __future__ import annotations

from core.testing import (
    BASE_URL,
    PASSWORD,
    TEST_KEYS,
    BrowserClient,
    is_postgres,
    make_app,
    owner_url,
)

# The dummy plugin is a test asset of core (tests/plugins/dummy), installed in every test app
# through the ini option ``charity_extra_plugins`` in pyproject.toml.
DUMMY = "tests.plugins.dummy"

__all__ = [
    "BASE_URL",
    "DUMMY",
    "PASSWORD",
    "TEST_KEYS",
    "BrowserClient",
    "is_postgres",
    "make_app",
    "owner_url",
]
