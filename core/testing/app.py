"""The app and database of a test session, the browser-like client, and cleanup between tests.

One database per test session (built by the real migrations, SQLite by default, PostgreSQL when
``TEST_DATABASE_URL`` points at one), emptied after each test. The app is the production
configuration (CSRF on, rate limits on) with keys that exist only for the tests. Plugins the suite
adds to every app (a test asset such as a dummy plugin) are named by the ini option
``charity_extra_plugins``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask, g, session
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_wtf.csrf import generate_csrf
from sqlalchemy import create_engine, inspect, make_url, text
from werkzeug.datastructures import Headers, MultiDict

from core import create_app
from core.auth.api_auth import SAFE_METHODS
from core.auth.throttle import login_guard
from core.extensions import db, limiter
from core.tenancy.rls import platform_token

PASSWORD = "correct-horse-battery"
EXTRA_PLUGINS: list[str] = []  # set from the ini option ``charity_extra_plugins`` (pytest_configure)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def owner_url(url: str) -> str | None:
    """PostgreSQL: the table owner's URL (migrations, cleanup); the app connects as another role."""
    if not url.startswith("postgresql"):
        return None
    return os.environ.get("TEST_DATABASE_OWNER_URL") or url


# The production configuration (CHARITY_ENV=production: CSRF on, rate limits on, every key set),
# with keys that exist only for the tests. A setting ``core.config.PRODUCTION_RULES`` demands in
# production gets its test value here.
BASE_URL = "https://localhost"  # production is served over TLS (Secure cookies, strict CSRF referrer)
TEST_KEYS = {
    "SECRET_KEY": "test-only-secret-key-never-used-in-production",
    "ID_ENCRYPTION_KEYS": ["dGVzdC1vbmx5LW5hdGlvbmFsLWlkLWtleS0zMmJ5dGU="],  # Fernet, 32 bytes
    "ID_HMAC_KEY": "test-only-id-hmac-key",
    "RLS_KEY": "test-only-row-level-security-key-0123456789",
    "AUDIT_HMAC_KEY": "test-only-audit-chain-hmac-key-0123456789",
    "PUBLIC_URL": BASE_URL,
}


def make_app(url: str, **overrides) -> Flask:
    """An app as ``CHARITY_ENV=production`` serves it, on the test database; ``overrides`` on top."""
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "DATABASE_OWNER_URL": owner_url(url),
        "TESTING": True,
        "PRODUCTION": True,
        **TEST_KEYS,
        "CHARITY_EXTRA_PLUGINS": list(EXTRA_PLUGINS),
    }
    config.update(overrides)
    application = create_app(config)
    application.test_client_class = BrowserClient
    _extra_apps.append(application)
    return application


class BrowserClient(FlaskClient):
    """A test client that sends what a browser on this site's pages sends.

    Requests go to ``https://localhost`` (production serves TLS). An unsafe request without an
    ``Authorization`` header carries the session's CSRF token, as the page that sent it would
    have: in the ``csrf_token`` field of a form post, otherwise (JSON, uploads of raw bodies) in
    the ``X-CSRFToken`` header; and the same-origin ``Referer``. Bearer-token requests are sent as
    they are. ``csrf=False`` sends nothing extra (a request forged from another site).
    """

    def open(self, *args, buffered: bool = False, follow_redirects: bool = False, **kwargs):
        csrf = kwargs.pop("csrf", True)
        if not args or isinstance(args[0], str):
            path = args[0] if args else kwargs.get("path", "/")
            if "base_url" not in kwargs and "://" not in path:
                kwargs["base_url"] = BASE_URL
            method = str(kwargs.get("method", "GET")).upper()
            headers = Headers(kwargs.get("headers") or {})
            if csrf and method not in SAFE_METHODS and "Authorization" not in headers:
                parts = urlsplit(kwargs.get("base_url") or path)
                origin = f"{parts.scheme}://{headers.get('Host') or parts.netloc}"
                self._add_csrf_token(kwargs, headers, origin)
                kwargs["headers"] = headers
        return super().open(*args, buffered=buffered, follow_redirects=follow_redirects, **kwargs)

    def csrf_token(self, origin: str = BASE_URL) -> str:
        """The signed CSRF token of this client's session on ``origin`` (as a page view creates it)."""
        application = self.application
        context = application.test_request_context(base_url=origin)
        self._add_cookies_to_wsgi(context.request.environ)  # as session_transaction() does
        response = application.response_class()
        with context:
            g.pop("csrf_token", None)
            token = generate_csrf()
            g.pop("csrf_token", None)
            application.session_interface.save_session(application, session._get_current_object(), response)
        self._update_cookies_from_response(
            context.request.host.partition(":")[0], "/", response.headers.getlist("Set-Cookie")
        )
        return token

    def _add_csrf_token(self, kwargs: dict, headers: Headers, origin: str) -> None:
        token = self.csrf_token(origin)
        data = kwargs.get("data")
        if "json" not in kwargs and isinstance(data, dict | MultiDict):
            data = data.copy()
            data.setdefault("csrf_token", token)
            kwargs["data"] = data
        else:
            headers.setdefault("X-CSRFToken", token)
        headers.setdefault("Referer", f"{origin}/")


_extra_apps: list[Flask] = []


@pytest.fixture(autouse=True)
def _dispose_extra_apps() -> Iterator[None]:
    """Apps a test builds for itself close their connections (no ResourceWarning)."""
    yield
    while _extra_apps:
        application = _extra_apps.pop()
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def schema_of(url: str) -> str:
    """The PostgreSQL schema a URL works in: ``?options=-csearch_path%3D<schema>``, else public."""
    match = re.search(r"search_path=(\w+)", make_url(url).query.get("options", ""))
    return match.group(1) if match else "public"


def reset_schema(url: str, owner: str | None = None) -> None:
    """PostgreSQL: empty the URL's schema as its owner (``owner``, default ``owner_url(url)``),
    usable by the app's role."""
    schema = schema_of(url)
    owner = owner or owner_url(url)
    engine = create_engine(owner)
    app_role = make_url(url).username
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        if app_role and app_role != make_url(owner).username:
            conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{app_role}"'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        reset_schema(url)
    return url


@pytest.fixture(scope="session")
def app(database_url) -> Iterator[Flask]:
    application = make_app(database_url)
    _extra_apps.remove(application)  # the session app lives for the whole run
    with application.app_context():
        upgrade(revision="heads")
    yield application
    with application.app_context():
        db.engine.dispose()
    for engine in _cleanup_engines.values():
        engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        engine = _cleanup_engine(application)
        existing = _existing_tables(engine)
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name in existing]
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                _empty_postgres(conn, tables)
            else:
                for table in tables:
                    conn.execute(table.delete())


# A table never written since the schema was built has no pages; one that was has at least one.
_WRITTEN_TABLES = text(
    "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
    "AND c.relkind = 'r' AND pg_relation_size(c.oid) > 0"
)
_RESTART_USED_SEQUENCES = text(
    "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) FROM pg_sequences "
    "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


def _empty_postgres(conn, tables) -> None:
    """Delete the rows of the tables that were written, children first, and restart the used
    sequences. ``TRUNCATE`` of every table took 0.3–1.5 s per test (a new file per table and
    index); a ``DELETE`` of the few written tables takes milliseconds. The owner deletes in the
    signed platform scope (Row-Level Security binds it too), with the audit log's append-only
    trigger off for this transaction alone."""
    written = set(conn.execute(_WRITTEN_TABLES).scalars())
    tables = [t for t in tables if t.name in written]
    if not tables:
        return
    conn.exec_driver_sql("SELECT set_config('app.tenant', %(t)s, true)", {"t": platform_token()})
    audited = any(t.name == "audit_events" for t in tables)
    if audited:
        conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
    for table in tables:
        conn.execute(table.delete())
    if audited:
        conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
    conn.execute(_RESTART_USED_SEQUENCES)


@pytest.fixture(autouse=True)
def _forget_failed_logins(request) -> Iterator[None]:
    """Failed-login counts (memory or Redis) do not carry over to the next test."""
    yield
    if "app" not in request.fixturenames:
        return

    with request.getfixturevalue("app").app_context():
        login_guard().reset()


_cleanup_engines: dict[str, object] = {}
_tables_cache: dict[object, set[str]] = {}


def _existing_tables(engine) -> set[str]:
    if engine not in _tables_cache:
        _tables_cache[engine] = set(inspect(engine).get_table_names())
    return _tables_cache[engine]


def _cleanup_engine(application: Flask):
    """The owner may TRUNCATE; the app role may not (it owns nothing)."""
    url = application.config.get("DATABASE_OWNER_URL")
    if not url:
        return db.engine
    if url not in _cleanup_engines:
        _cleanup_engines[url] = create_engine(url)
    return _cleanup_engines[url]


@pytest.fixture
def app_ctx(app) -> Iterator[Flask]:
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request) -> Iterator[None]:
    """Rate limits are on; each test starts with none used (its logins do not count for the next)."""
    if "app" in request.fixturenames:
        application = request.getfixturevalue("app")
        # Flask-Limiter is one shared extension: an app a test built for itself may have re-set it.
        limiter.enabled = application.config["RATELIMIT_ENABLED"]
        with application.app_context():
            limiter.reset()
    yield


@pytest.fixture
def client(app) -> BrowserClient:
    """A browser on this site (see ``BrowserClient``): CSRF token on unsafe requests, https."""
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
