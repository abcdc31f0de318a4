"""Core's own test fixtures, on top of the shared kit in ``core.testing`` (a pytest plugin loaded by
the root conftest.py for core's tests and every plugin's tests).

The shared fixtures (app, client, tenants, users, plugins, households, requests, Playwright page,
query counter) live in core.testing; the names below are re-exported for tests that import helpers
from here. Fixtures only core's tests use belong in this module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.demo import load_demo
from core.extensions import db
from core.plugins import get_host
from core.tenancy.services import apply_manifests
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


# --------------------------------------------------------------------------- demo data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_tenants(app_ctx, tmp_path):
    """``demo_tenants("makkah", "aoun-prisoners")``: those associations from their manifests in
    ``tenants/``, with the demo data ``flask demo load`` gives them (users, requests in every state,
    grievances, surveys) — for the tests that walk the application as its users find it."""

    def load(*slugs: str) -> None:
        folder = tmp_path / "tenants"
        folder.mkdir()
        for slug in slugs:
            shutil.copy(ROOT / "tenants" / f"{slug}.toml", folder)
        apply_manifests(folder, get_host())
        db.session.commit()
        for _line in load_demo():
            pass
        db.session.remove()

    return load
