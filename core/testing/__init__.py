"""The test kit: a pytest plugin for core's tests and every plugin's tests (Indico's
``indico/testing/pytest_plugin.py`` is the model).

The root ``conftest.py`` loads it (``pytest_plugins = ["core.testing"]``), so a plugin's tests in
``plugins/<id>/tests`` get its fixtures without importing anything; helpers they call directly
come from here too, and everything else from ``core.toolkit``. A plugin's tests import nothing
else from core (import-linter checks it in ``make lint``).

Fixtures:
    app, app_ctx, database_url, client (``BrowserClient``: CSRF token on unsafe requests, https),
    runner, login, token_for, api — the app, its clients and sign-in;
    tenant, other_tenant, create_tenant, create_user_ (a user with roles per tenant), make_member,
    staff (one user per tenant role), officer, enable_plugin, in_tenant, in_first — tenancy;
    create_person, create_household, new_request, advance — households and aid requests;
    make_file — real, tiny files to upload; query_counter — SQL statements sent by a block;
    set_clock — the moment ``today()`` (the association's date) reads, for the test;
    schema_differences — what a migrated database lacks or has beyond the models;
    page, phone_page, browser, live_server, browser_login, signed_in (a logged-in page of a given
    width and language) — Playwright on Debian's Chromium.

Ini option ``charity_extra_plugins``: plugins (dotted module paths) every test app installs.
"""

from __future__ import annotations

# Names tests use at run time that are not part of the plugin runtime API (core.toolkit): tests
# of plugins reach them here, not in core's internals.
from core.aid.services import record_disbursement
from core.audit.models import AuditEvent
from core.auth.permissions import forget_roles_cache
from core.auth.services import grant_role, set_roles
from core.calendar import to_hijri
from core.notifications import MASK, unsealed
from core.notifications.models import OutboxMessage
from core.plugins import enabled_plugin_ids, set_plugin_state
from core.registry.models import FileEvent
from core.requests import services as request_services
from core.tenancy.models import PluginEnablement
from core.tenancy.services import get_tenant

from . import app as _app
from .app import (
    BASE_URL,
    PASSWORD,
    TEST_KEYS,
    BrowserClient,
    _clean_database,
    _dispose_extra_apps,
    _forget_failed_logins,
    _fresh_rate_limits,
    app,
    app_ctx,
    client,
    database_url,
    is_postgres,
    make_app,
    owner_url,
    runner,
)
from .browser import browser, browser_login, live_server, page, phone_page, screenshot, signed_in
from .clock import set_clock
from .factories import (
    ROLES,
    advance,
    api,
    create_household,
    create_person,
    create_tenant,
    create_user_,
    enable_plugin,
    household_payload,
    in_first,
    in_tenant,
    link_new_file,
    login,
    make_file,
    make_member,
    new_file,
    new_file_id,
    new_request,
    officer,
    other_tenant,
    password_hash,
    person_payload,
    staff,
    tenant,
    token_for,
    valid_id,
)
from .files import JPEG, PDF, PNG, WEBP, make_image, make_pdf
from .queries import Queries, count_queries, max_queries, note_query_figure, page_budget, query_counter
from .schema import schema_differences


def pytest_addoption(parser) -> None:
    parser.addini(
        "charity_extra_plugins",
        "plugins (dotted module paths) every test app installs besides the discovered ones",
        type="linelist",
        default=[],
    )


def pytest_configure(config) -> None:
    _app.EXTRA_PLUGINS[:] = config.getini("charity_extra_plugins")


__all__ = [
    "BASE_URL",
    "JPEG",
    "PASSWORD",
    "PDF",
    "PNG",
    "ROLES",
    "TEST_KEYS",
    "WEBP",
    "AuditEvent",
    "BrowserClient",
    "FileEvent",
    "OutboxMessage",
    "unsealed",
    "MASK",
    "PluginEnablement",
    "Queries",
    "max_queries",
    "note_query_figure",
    "page_budget",
    "_clean_database",
    "_dispose_extra_apps",
    "_forget_failed_logins",
    "_fresh_rate_limits",
    "advance",
    "api",
    "app",
    "app_ctx",
    "browser",
    "browser_login",
    "client",
    "count_queries",
    "create_household",
    "create_person",
    "create_tenant",
    "create_user_",
    "database_url",
    "enable_plugin",
    "enabled_plugin_ids",
    "forget_roles_cache",
    "get_tenant",
    "grant_role",
    "household_payload",
    "in_first",
    "in_tenant",
    "is_postgres",
    "link_new_file",
    "live_server",
    "login",
    "make_app",
    "make_file",
    "make_image",
    "make_member",
    "make_pdf",
    "new_file",
    "new_file_id",
    "new_request",
    "officer",
    "other_tenant",
    "owner_url",
    "page",
    "password_hash",
    "person_payload",
    "phone_page",
    "query_counter",
    "record_disbursement",
    "request_services",
    "runner",
    "schema_differences",
    "screenshot",
    "set_plugin_state",
    "set_clock",
    "set_roles",
    "signed_in",
    "staff",
    "tenant",
    "to_hijri",
    "token_for",
    "valid_id",
]
