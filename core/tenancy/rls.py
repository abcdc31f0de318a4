"""PostgreSQL Row-Level Security: the second wall behind the ORM scoping. It fails closed.

Every table with a ``tenant_id`` column gets the policy ``tenant_isolation``::

    tenant_id = (SELECT charity_tenant()) OR (SELECT charity_platform_scope())

for reading and for writing. The app connects as a role that does not own the tables
(``DATABASE_URL``); migrations run as the owner (``DATABASE_OWNER_URL``);
``FORCE ROW LEVEL SECURITY`` makes the policy bind the owner too.

**Signed scope.** At the start of every transaction (and whenever the tenant in context
changes) the app sets ``app.tenant`` to a *signed* scope: ``"<tenant id>.<mac>"`` for the
tenant in context, ``"*.<mac>"`` for the platform scope inside :func:`unscoped`, or ``""``
with neither. ``<mac>`` is HMAC-SHA256 under ``RLS_KEY`` (configuration, outside the
database). The database checks it in ``charity_rls_scope()``, a ``SECURITY DEFINER``
function owned by the table owner that reads the key from ``charity_rls_keys`` — a table
only the owner can read (``REVOKE ALL`` from everyone else) — and returns the scope, or
NULL when the value is missing, malformed or not signed by a current key. So:

* no tenant set → ``charity_tenant()`` is NULL, ``charity_platform_scope()`` false →
  no rows, and every insert is refused;
* the app role setting ``app.tenant`` (or the old ``app.tenant_id``) to another tenant's
  id by hand → not signed → no rows. It cannot compute a signature: the key is neither
  in its reach in the database nor derivable from what it can read;
* work across tenants enters each one with ``tenant_context`` (``tenants apply``, ``demo
  load``, cron commands, platform admin pages); what must read several at once (migrations,
  the cross-tenant duplicate signal, a user's own memberships, key rotation, audit
  checkpoints) runs inside ``unscoped(reason)``, which logs who entered it and why (logger
  ``charity_platform.platform_scope``) and signs ``*``;
* re-reading an object already in the session with no tenant in context (an expired column,
  a lazy relationship: keyed by the object's own id, as the ORM scoping allows) runs that one
  statement in the platform scope (:func:`_refresh_loaded_objects`), so PostgreSQL and
  SQLite behave alike.

A signed value is the same for every transaction of a tenant under one key: SQL running for
tenant A can read A's value (it already sees A), never B's; the platform value exists only
in transactions inside ``unscoped``. Rotating ``RLS_KEY`` retires every value.

The two helpers are called through scalar sub-selects, so PostgreSQL evaluates them once
per statement (an InitPlan) and the ``tenant_id = …`` the ORM adds to every query stays an
index condition.

The key table, the functions and the policies are (re)installed by every ``flask db
upgrade`` (``migrations/env.py``: :func:`prepare_migration`, then :func:`apply_policies`);
``flask db rls-key`` re-writes the keys alone (rotation: put the new key first in
``RLS_KEY``, keep the old one after a comma until every process runs with the new list).
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from flask import current_app, has_app_context
from sqlalchemy import String, bindparam, func, inspect, literal_column, select, text, true
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session

from ..extensions import db, listen_once
from ..prepared import Prepared
from .context import ROW_LEVEL_SECURITY, current_tenant_id, is_unscoped
from .models import TenantMixin

POLICY = "tenant_isolation"
SETTING = "app.tenant"
PLATFORM = "*"
KEY_TABLE = "charity_rls_keys"
_CONDITION = "tenant_id = (SELECT charity_tenant()) OR (SELECT charity_platform_scope())"

log = logging.getLogger("charity_platform.platform_scope")


# --------------------------------------------------------------------------- keys and tokens


def _derived_key(secret_key: str) -> bytes:
    return hashlib.sha256(f"charity-rls:{secret_key}".encode()).digest()


def keys(config=None) -> list[bytes]:
    """The RLS keys, newest first: ``RLS_KEY`` (comma separated), or the development default
    derived from ``SECRET_KEY`` (refused in production, core/config.py)."""
    config = current_app.config if config is None else config
    configured = config.get("RLS_KEY")
    if configured:
        return [part.strip().encode() for part in str(configured).split(",") if part.strip()]
    return [_derived_key(config["SECRET_KEY"])]


def _message(scope: str) -> bytes:
    return f"charity-rls:{scope}".encode()


_SIGNED: dict[tuple[bytes, str], str] = {}


def sign(scope: str, key: bytes | None = None) -> str:
    """``"<scope>.<hex HMAC-SHA256>"`` — the value of ``app.tenant`` the database accepts
    (remembered per key and scope: a request asks for its tenant's value several times)."""
    key = keys()[0] if key is None else key
    signed = _SIGNED.get((key, scope))
    if signed is None:
        if len(_SIGNED) > 10_000:
            _SIGNED.clear()
        signed = _SIGNED[(key, scope)] = (
            f"{scope}.{hmac.new(key, _message(scope), hashlib.sha256).hexdigest()}"
        )
    return signed


def platform_token() -> str:
    """The signed platform scope (migrations, maintenance scripts run as the owner, tests)."""
    return sign(PLATFORM)


def _pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC's inner and outer padded keys (RFC 2104), so the database needs only sha256()."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def fingerprint(key: bytes) -> str:
    """A short public name for a key (never the key): shown by ``flask db rls-key``."""
    return hashlib.sha256(b"charity-rls-fingerprint:" + key).hexdigest()[:12]


def _setting() -> str:
    if not has_app_context():
        return ""
    if is_unscoped():
        return platform_token()
    tenant_id = current_tenant_id()
    return "" if tenant_id is None else sign(str(tenant_id))


# --------------------------------------------------------------------------- database objects


def _schema(connection: Connection) -> str:
    return connection.execute(text("SELECT current_schema()")).scalar_one()


def _functions_sql(schema: str) -> list[str]:
    table = f'"{schema}".{KEY_TABLE}'
    return [
        # Reads the owner-only key table: SECURITY DEFINER, with a search path nobody else can
        # plant objects in (pg_temp last, names schema-qualified).
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".charity_rls_scope() RETURNS text
        LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $fn$
        DECLARE
            token text := current_setting('{SETTING}', true);
            dot integer;
            scope text;
        BEGIN
            IF token IS NULL OR length(token) > 200 THEN
                RETURN NULL;
            END IF;
            dot := strpos(token, '.');
            IF dot < 2 THEN
                RETURN NULL;
            END IF;
            scope := left(token, dot - 1);
            IF EXISTS (
                SELECT 1 FROM {table} k
                WHERE encode(sha256(k.outer_pad || sha256(k.inner_pad
                      || convert_to('charity-rls:' || scope, 'UTF8'))), 'hex') = substr(token, dot + 1)
            ) THEN
                RETURN scope;
            END IF;
            RETURN NULL;
        END
        $fn$
        """,
        # The registry's statistics, refreshed by a bulk import that filled the tables inside its
        # own transaction (core.registry.importer_write): without them the planner may check each
        # foreign key by scanning the association's persons (bench/README.md, "Import on
        # PostgreSQL"). ANALYZE needs the owner. Another ANALYZE of these tables (autovacuum's,
        # which gives way to a waiting lock after deadlock_timeout, or another import's) is
        # waited for up to `wait_ms`: skipping it would leave this import with the plans it
        # has (the other one does not count this transaction's rows). Past that, the import
        # goes on without (no error: the lock timeout is caught in the function's own block).
        f'DROP FUNCTION IF EXISTS "{schema}".charity_refresh_registry_statistics()',
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".charity_refresh_registry_statistics(wait_ms integer DEFAULT 10000)
        RETURNS boolean
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $fn$
        DECLARE
            kept text := current_setting('lock_timeout');
        BEGIN
            PERFORM set_config('lock_timeout', greatest(wait_ms, 1)::text || 'ms', true);
            BEGIN
                ANALYZE "{schema}".registry_persons, "{schema}".registry_households, "{schema}".registry_files;
            EXCEPTION WHEN lock_not_available THEN
                PERFORM set_config('lock_timeout', kept, true);
                RETURN false;
            END;
            PERFORM set_config('lock_timeout', kept, true);
            RETURN true;
        END
        $fn$
        """,
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".charity_tenant() RETURNS integer
        LANGUAGE sql STABLE PARALLEL SAFE
        SET search_path = pg_catalog, pg_temp
        AS $fn$
            SELECT CASE WHEN s ~ '^[0-9]{{1,9}}$' THEN s::integer END FROM "{schema}".charity_rls_scope() s
        $fn$
        """,
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".charity_platform_scope() RETURNS boolean
        LANGUAGE sql STABLE PARALLEL SAFE
        SET search_path = pg_catalog, pg_temp
        AS $fn$
            SELECT coalesce("{schema}".charity_rls_scope() = '{PLATFORM}', false)
        $fn$
        """,
    ]


def install_database_objects(connection: Connection) -> None:
    """The owner-only key table and the checking functions (idempotent). PostgreSQL only."""
    if connection.dialect.name != "postgresql":
        return
    schema = _schema(connection)
    connection.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {KEY_TABLE} ("
            " slot smallint PRIMARY KEY,"
            " inner_pad bytea NOT NULL,"
            " outer_pad bytea NOT NULL,"
            " fingerprint text NOT NULL,"
            " written_at timestamptz NOT NULL DEFAULT now())"
        )
    )
    # Nobody but the owner: not PUBLIC, and not the app role that default privileges may have
    # granted every new table to. RLS without a policy denies anyone granted access later.
    connection.execute(text(f"REVOKE ALL ON {KEY_TABLE} FROM PUBLIC"))
    grantees = connection.execute(
        text(
            "SELECT DISTINCT a.grantee::regrole::text FROM pg_class c, aclexplode(c.relacl) a "
            "WHERE c.oid = CAST(:t AS regclass) AND a.grantee <> 0 AND a.grantee <> c.relowner"
        ),
        {"t": f'"{schema}".{KEY_TABLE}'},
    ).scalars()
    for grantee in list(grantees):
        connection.execute(text(f"REVOKE ALL ON {KEY_TABLE} FROM {grantee}"))
    connection.execute(text(f"ALTER TABLE {KEY_TABLE} ENABLE ROW LEVEL SECURITY"))
    for statement in _functions_sql(schema):
        connection.execute(text(statement))


def write_keys(connection: Connection, key_list: list[bytes] | None = None) -> list[str]:
    """Store the keys the database accepts (replacing the previous ones); their fingerprints."""
    if connection.dialect.name != "postgresql":
        return []
    key_list = keys() if key_list is None else key_list
    connection.execute(text(f"DELETE FROM {KEY_TABLE}"))
    prints = []
    for position, key in enumerate(key_list):
        inner, outer = _pads(key)
        prints.append(fingerprint(key))
        connection.execute(
            text(
                f"INSERT INTO {KEY_TABLE} (slot, inner_pad, outer_pad, fingerprint) VALUES (:p, :i, :o, :f)"
            ),
            {"p": position, "i": inner, "o": outer, "f": prints[-1]},
        )
    return prints


def log_platform_scope(reason: str, **fields) -> None:
    """The structured line every entry to the platform scope leaves (who, what, why)."""
    details = " ".join(f"{key}={value!r}" for key, value in fields.items() if value is not None)
    log.info("platform scope entered: reason=%r %s", reason, details)


def prepare_migration(connection: Connection) -> None:
    """Before migrations: install the key and the functions, and enter the platform scope
    for this (owner's) transaction, so data migrations see every tenant's rows."""
    if connection.dialect.name != "postgresql":
        return
    install_database_objects(connection)
    write_keys(connection)
    log_platform_scope("database migration", actor="migrations", role=_role(connection))
    connection.execute(text("SELECT set_config(:s, :t, true)"), {"s": SETTING, "t": platform_token()})


def _role(connection: Connection) -> str:
    return connection.execute(text("SELECT current_user")).scalar_one()


def tenant_tables(connection: Connection) -> list[str]:
    inspector = inspect(connection)
    return sorted(
        name
        for name in inspector.get_table_names()
        if any(column["name"] == "tenant_id" for column in inspector.get_columns(name))
    )


def apply_policies(connection: Connection) -> list[str]:
    """Enable RLS with the tenant policy on every tenant table (idempotent; brings policies
    of an older definition up to date). PostgreSQL only."""
    if connection.dialect.name != "postgresql":
        return []
    existing = {
        row.tablename: row.qual
        for row in connection.execute(
            text(
                "SELECT tablename, qual FROM pg_policies "
                "WHERE schemaname = current_schema() AND policyname = :p"
            ),
            {"p": POLICY},
        )
    }
    changed = []
    for table in tenant_tables(connection):
        connection.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
        connection.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
        if table not in existing:
            connection.execute(
                text(f'CREATE POLICY {POLICY} ON "{table}" USING ({_CONDITION}) WITH CHECK ({_CONDITION})')
            )
            changed.append(table)
        elif "charity_platform_scope" not in (existing[table] or ""):
            connection.execute(
                text(f'ALTER POLICY {POLICY} ON "{table}" USING ({_CONDITION}) WITH CHECK ({_CONDITION})')
            )
            changed.append(table)
    return changed


# --------------------------------------------------------------------------- per transaction


# The signed value this connection's open transaction holds, kept in the DBAPI connection's
# ``info`` (so it follows the connection through the pool). ``set_config(..., true)`` lasts
# until the transaction (or the savepoint it was sent in) ends: the entry is dropped then, and
# set again by the next transaction's ``after_begin``.
_APPLIED = "charity_rls_applied"


# Sent at the start of every transaction: compiled once and sent on the connection's cursor
# (``core.prepared``), without ``Connection.execute``'s per-statement work.
_SET = Prepared(select(func.set_config(literal_column(f"'{SETTING}'"), bindparam("t", type_=String), true())))


def _send(connection: Connection, value: str) -> None:
    _SET.raw(connection, {"t": value})
    connection.info[_APPLIED] = value


def _set_for_transaction(session: Session, transaction, connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        _send(connection, _setting())


def sync_session(session: Session) -> None:
    """The tenant in context changed: tell the open PostgreSQL transaction, if any — only when
    the value it holds differs (entering the tenant already in context sends nothing)."""
    transaction = session.get_transaction()
    if transaction is None:
        return
    value = None
    for conn in transaction.connections:
        if conn.dialect.name != "postgresql" or conn.closed or not conn.in_transaction():
            continue
        info = getattr(conn.connection.dbapi_connection, "info", None)
        if info is not None and info.transaction_status.name == "INERROR":
            continue  # the transaction failed and will be rolled back; nothing to keep in step
        value = _setting() if value is None else value
        if conn.info.get(_APPLIED) != value:
            _send(conn, value)


def _forget_applied(conn: Connection, *args) -> None:
    """The transaction or a savepoint ended: what it held is gone (or back to an earlier value
    this module cannot know), so the next change in context sends the setting again. A
    connection the server dropped (invalidated) holds nothing, and its ``info`` cannot be read
    until it is rolled back: this rollback is that one, and must not fail on it."""
    if conn.invalidated:
        return
    conn.info.pop(_APPLIED, None)


def _has_tenant_column(mapper) -> bool:
    # TenantMixin tables, and the audit trail (tenant_id, not a TenantMixin: it has platform rows).
    return issubclass(mapper.class_, TenantMixin) or "tenant_id" in mapper.local_table.c


def _refresh_loaded_objects(state: ORMExecuteState):
    """Re-reading an object already in the session (an expired or deferred column, a lazy
    relationship) with no tenant in context: the ORM scoping lets it through, since the
    statement is keyed by the object's own primary or (tenant_id, id) foreign key and cannot
    reach another tenant's rows. Row-Level Security would answer "no row" (the object looks
    deleted, a collection looks empty) — on PostgreSQL only. So that one statement runs in
    the platform scope, which is restored at once; raw SQL and new queries never get this."""
    if not (state.is_column_load or state.is_relationship_load) or is_unscoped() or current_tenant_id():
        return None
    if not any(_has_tenant_column(mapper) for mapper in state.all_mappers):
        return None
    if state.session.get_bind(**state.bind_arguments).dialect.name != "postgresql":
        return None
    connection = state.session.connection(bind_arguments=state.bind_arguments)
    _send(connection, platform_token())
    # Every row is read while the scope holds. If the statement fails, the transaction (or
    # savepoint) is aborted and rolled back, which undoes the transaction-local setting too.
    frozen = state.invoke_statement().freeze()
    _send(connection, _setting())
    return frozen()


def install(app, sessions) -> None:
    """Attach the per-transaction setting to the sessions made by ``sessions`` (``db.session``),
    after :func:`core.tenancy.scoping.install`, and the bookkeeping of what a connection holds
    to ``app``'s PostgreSQL engines; ``app`` records whether it has one (a SQLite app then skips
    this module on every change of tenant). Idempotent, like it."""
    listen_once(sessions, "after_begin", _set_for_transaction)
    listen_once(sessions, "do_orm_execute", _refresh_loaded_objects)
    with app.app_context():
        engines = [engine for engine in db.engines.values() if engine.dialect.name == "postgresql"]
    for engine in engines:
        for identifier in ("begin", "commit", "rollback", "rollback_savepoint"):
            listen_once(engine, identifier, _forget_applied)
    app.extensions[ROW_LEVEL_SECURITY] = bool(engines)
