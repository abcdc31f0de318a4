"""PostgreSQL Row-Level Security: the second wall behind the ORM scoping.

Every table with a ``tenant_id`` column gets a policy that shows and accepts only
the rows of the tenant set for the current transaction (``app.tenant_id``). The
app connects as a role that does not own the tables (``DATABASE_URL``), while
migrations run as the owner (``DATABASE_OWNER_URL``); ``FORCE ROW LEVEL SECURITY``
makes the policy hold for the owner too.

With no tenant set (platform-level work, which the ORM layer already confines to
explicit ``unscoped()`` blocks and to objects already loaded) the policy lets rows
through: the wall is against reading tenant B while working for tenant A — e.g. a
raw SQL statement that forgot its filter.
"""

from __future__ import annotations

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .context import current_tenant_id, is_unscoped

POLICY = "tenant_isolation"
_SETTING = "NULLIF(current_setting('app.tenant_id', true), '')::integer"
_CONDITION = f"{_SETTING} IS NULL OR tenant_id = {_SETTING}"
_installed = False


def tenant_tables(connection: Connection) -> list[str]:
    inspector = inspect(connection)
    return sorted(
        name
        for name in inspector.get_table_names()
        if any(column["name"] == "tenant_id" for column in inspector.get_columns(name))
    )


def apply_policies(connection: Connection) -> list[str]:
    """Enable RLS with the tenant policy on every tenant table (idempotent). PostgreSQL only."""
    if connection.dialect.name != "postgresql":
        return []
    existing = {
        row[0]
        for row in connection.execute(
            text("SELECT tablename FROM pg_policies WHERE schemaname = current_schema() AND policyname = :p"),
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
    return changed


def _setting() -> str:
    if is_unscoped():
        return ""
    tenant_id = current_tenant_id()
    return "" if tenant_id is None else str(tenant_id)


def _set_for_transaction(session: Session, transaction, connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT set_config('app.tenant_id', %(t)s, true)", {"t": _setting()})


def sync_session(session: Session) -> None:
    """The tenant in context changed: tell the open PostgreSQL transaction, if any."""
    transaction = session.get_transaction()
    if transaction is None:
        return
    for conn in transaction.connections:
        if conn.dialect.name != "postgresql" or conn.closed or not conn.in_transaction():
            continue
        info = getattr(conn.connection.dbapi_connection, "info", None)
        if info is not None and info.transaction_status.name == "INERROR":
            continue  # the transaction failed and will be rolled back; nothing to keep in step
        conn.exec_driver_sql("SELECT set_config('app.tenant_id', %(t)s, true)", {"t": _setting()})


def install() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_begin", _set_for_transaction)
        _installed = True
