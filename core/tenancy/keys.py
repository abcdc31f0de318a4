"""Migration steps for the keys every tenant table has (:class:`core.tenancy.models.TenantMixin`).

Until migration core_0026 a tenant table carried three B-trees that begin with ``tenant_id``:
the primary key ``(tenant_id, id)``, a unique key ``(tenant_id, id)`` that the foreign keys
between tenant tables pointed at, and an index on ``tenant_id`` alone. On PostgreSQL the unique
key repeats the primary key; on both databases the index on ``tenant_id`` is served by either
key. Every row written paid for all three (an import of 50,000 rows writes ~400,000 search keys).

:func:`drop_redundant_tenant_keys` keeps what each database needs: on SQLite, whose primary key
is the rowid ``id`` alone, the unique key stays (foreign keys need it) and only the index goes;
on PostgreSQL both go, every foreign key that used the unique key being declared again as it
was, so that it uses the primary key. Call it from a revision with the tables that revision's
branch owns (a plugin's own revision for its tables), :func:`restore_redundant_tenant_keys`
from its ``downgrade``.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def drop_redundant_tenant_keys(tables: list[str]) -> None:
    """Drop ``ix_<table>_tenant_id`` of each table, and on PostgreSQL ``uq_<table>_tenant_id_id``
    (the foreign keys that relied on it are dropped and declared again unchanged, before and
    after it, so they rely on the primary key ``(tenant_id, id)``)."""
    for table in tables:
        op.drop_index(f"ix_{table}_tenant_id", table_name=table)
    if not _postgresql():
        return
    unique_keys = [f"uq_{table}_tenant_id_id" for table in tables]
    relying = (
        op.get_bind()
        .execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conindid = ANY (SELECT to_regclass(name) FROM unnest(CAST(:names AS text[])) AS name) "
                "ORDER BY 1, 2"
            ),
            {"names": unique_keys},
        )
        .all()
    )
    for table, name, _definition in relying:
        op.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for table, unique_key in zip(tables, unique_keys, strict=True):
        op.drop_constraint(unique_key, table, type_="unique")
    for table, name, definition in relying:
        op.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def restore_redundant_tenant_keys(tables: list[str]) -> None:
    """The keys :func:`drop_redundant_tenant_keys` dropped, back (a revision's ``downgrade``)."""
    for table in tables:
        op.create_index(f"ix_{table}_tenant_id", table, ["tenant_id"])
        if _postgresql():
            op.create_unique_constraint(f"uq_{table}_tenant_id_id", table, ["tenant_id", "id"])
