"""Flask extensions, created unbound; ``create_app`` binds them.

Importing this module changes nothing outside it: no SQLAlchemy listener is installed until
``create_app`` (:func:`init_database`, ``core.tenancy.scoping.install``, ``core.tenancy.rls.install``).
"""

from __future__ import annotations

import sqlite3
import time
import weakref

from flask import current_app, g, request
from flask.globals import request_ctx
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_qualified_name, get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event, exc
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TenantSafeSession(FlaskSession):
    """``session.get()`` may answer from the identity map without a query, so the ORM
    scoping never sees it: check the tenant of what it returns (another tenant's → None)."""

    def get(self, entity, ident, **kwargs):
        obj = super().get(entity, ident, **kwargs)
        if obj is not None:
            # cycle: core.tenancy imports db from this module
            from .tenancy.context import current_tenant_id, is_unscoped
            from .tenancy.models import TenantMixin  # cycle: as above

            if isinstance(obj, TenantMixin) and not is_unscoped():
                tenant_id = current_tenant_id()
                if tenant_id is not None and obj.tenant_id != tenant_id:
                    return None
        return obj


db = SQLAlchemy(model_class=Base, session_options={"class_": TenantSafeSession})
# ``flask db`` is our own group (core/cli.py) so that upgrades reach every plugin branch;
# Flask-Migrate's raw commands stay reachable as ``flask alembic``.
migrate = Migrate(command="alembic")
babel = Babel()
BEARER_REQUEST = "_bearer_request"  # g: this request's identity is its bearer token (core.auth.api_auth)


class _LoginManager(LoginManager):
    """Flask-Login, its after-request refresh of the remember cookie skipped on a request
    authenticated by a bearer token: the cookie session is not that request's identity and
    nothing is written to it (``core.auth.api_auth``). Reading it there only made the answer
    say ``Vary: Cookie`` and the session interface look up every cookie setting."""

    def _update_remember_cookie(self, response):
        if g.get(BEARER_REQUEST):
            return response
        return super()._update_remember_cookie(response)


login_manager = _LoginManager()
csrf = CSRFProtect()
_NO_LIMIT = "charity_endpoints_without_limits"


class _Limiter(Limiter):
    """Flask-Limiter, its request hooks doing nothing on a request no limit applies to.

    Only a few views declare limits (the logins, the password reset, the partner links), none of
    the default, application or meta kind. Flask-Limiter's own hooks still resolve every
    request's limits afresh and build its per-request state for the answer's headers and the
    teardown: 9 % of an API read (``bench/request_detail.py``). Its ``init_app`` registers them
    unless the app already lists this limiter, so :meth:`init_app` lists it first and registers
    these instead: the check only where :func:`_no_limit_applies` says a limit may apply, the
    headers and the release only when something (the check, a decorated view) made the
    limiter's per-request state. Flask-Limiter's hooks themselves run unchanged then: its
    version is pinned (``constraints.txt``); ``tests/test_hot_paths.py`` reads their headers and
    ``tests/test_login_protection.py`` their 429s."""

    _STATE = "_limiter_request_context"  # Flask-Limiter's per-request state on the request context

    def init_app(self, app) -> None:
        app.extensions.setdefault("limiter", set()).add(self)
        super().init_app(app)
        app.before_request(self._check_where_limited)
        app.after_request(self._headers_where_limited)
        app.teardown_request(self._release_where_limited)

    def _check_where_limited(self) -> None:
        if not _no_limit_applies():
            self._check_request_limit()

    def _headers_where_limited(self, response):
        if getattr(request_ctx, self._STATE, None) is None:
            return response
        return self._Limiter__inject_headers(response)

    def _release_where_limited(self, exc: BaseException | None = None) -> None:
        if getattr(request_ctx, self._STATE, None) is not None:
            self._Limiter__release_context(exc)


limiter = _Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _no_limit_applies() -> bool:
    """True on an endpoint where no limit can apply (also Flask-Limiter's request filter, for
    its checks from a decorated view). Which limits an endpoint's view and blueprint declare is
    fixed once the app is built, so it is looked up once per endpoint; the limits met while a
    view ran (Flask-Limiter's "hints": a decorated helper) are asked for on every request."""
    endpoint = request.endpoint
    if not endpoint:
        return False
    app = current_app._get_current_object()
    known = app.extensions.setdefault(_NO_LIMIT, {})
    verdict = known.get(endpoint)
    if verdict is None:
        manager = limiter.limit_manager
        limits, declared = manager.resolve_limits(app, endpoint, request.blueprint, in_middleware=True)
        view = app.view_functions.get(endpoint)
        own = manager.decorated_limits(get_qualified_name(view)) if view is not None else []
        verdict = known[endpoint] = not (
            limits
            or declared
            or own
            or app.config.get("RATELIMIT_META")
            or app.config.get("RATELIMIT_APPLICATION")
        )
    return verdict and not limiter.limit_manager.has_hints(endpoint)


api = Api()


def listen_once(target, identifier: str, fn) -> None:
    """``event.listen`` unless ``fn`` already listens to ``target``: building a second app in
    one process (the tests build many) never stacks a listener."""
    if not event.contains(target, identifier, fn):
        event.listen(target, identifier, fn)


def init_database(app) -> None:
    """Bind ``db`` to ``app``: each SQLite engine gets its pragmas, each server engine its
    pipeline listener and its idle-connection check (:class:`PingWhenIdle`)."""
    db.init_app(app)
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        if engine.dialect.name == "sqlite":
            listen_once(engine, "connect", _sqlite_pragmas)
        elif engine.dialect.name == "postgresql":
            from .bulk import answer_in_pipeline  # cycle: core.bulk imports db from this module

            listen_once(engine, "after_cursor_execute", answer_in_pipeline)
        idle = app.config.get("DATABASE_PING_AFTER_IDLE_SECONDS")
        if engine.dialect.name != "sqlite" and idle is not None and engine not in _IDLE_PINGS:
            _IDLE_PINGS[engine] = ping = PingWhenIdle(engine.dialect, float(idle))
            event.listen(engine, "checkin", ping.checkin)
            event.listen(engine, "checkout", ping.checkout)


class PingWhenIdle:
    """A pooled connection to a database server is tried (the dialect's ping: one empty
    statement, a round trip) before it is handed out only when it has sat idle in the pool
    longer than ``idle`` seconds; a dead one is replaced at once (``DisconnectionError``: the
    pool opens a new connection and tries again), so a request never sees it.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout — a round trip on every request of
    a busy server, for connections used a moment ago. What kills a pooled connection is mostly
    time: the server's or a firewall's idle timeouts, a restart during a quiet hour; those
    connections have idled, and are still tried. A server restarted while every connection
    was in use within the last ``idle`` seconds fails each such connection's next statement
    once (SQLAlchemy then discards it and every connection opened before it), as without a ping.
    ``DATABASE_PING_AFTER_IDLE_SECONDS``: 0 pings every checkout (``pool_pre_ping``), empty
    never."""

    INFO_KEY = "charity_idle_since"

    def __init__(self, dialect, idle: float) -> None:
        self.dialect = dialect
        self.idle = idle

    def checkin(self, dbapi_connection, record) -> None:
        if dbapi_connection is not None:  # None: the connection was discarded
            record.info[self.INFO_KEY] = time.monotonic()

    def checkout(self, dbapi_connection, record, proxy) -> None:
        since = record.info.get(self.INFO_KEY)  # None: opened for this checkout (nothing to try)
        if since is None or time.monotonic() - since < self.idle:
            return
        try:
            self.dialect.do_ping(dbapi_connection)
        except self.dialect.loaded_dbapi.Error as error:
            if self.dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError(f"a pooled connection idle since {since:.0f} is gone") from error
            raise


_IDLE_PINGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine → its PingWhenIdle


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, write-ahead log for concurrent readers, wait on locks, and
    let a big sort (an index built afresh by an import, a long ORDER BY) use a second core."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA threads=2")
        cursor.close()
