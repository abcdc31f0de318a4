"""Fixtures live in core.testing and tests/fixtures.py (loaded by the root conftest.py).

These names are re-exported for tests that import helpers directly.
"""

from tests.fixtures import (
    BASE_URL,
    DUMMY,
    PASSWORD,
    TEST_KEYS,
    BrowserClient,
    is_postgres,
    make_app,
    owner_url,
)

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
