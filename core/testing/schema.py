"""What a migrated database lacks or has beyond the models (Alembic's comparison), as the
migrations see it: what the models build on another database only is not a difference."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.tenancy import built_on


def schema_differences(connection: sa.Connection, metadata: sa.MetaData) -> list:
    """Alembic's differences between ``metadata`` and the database of ``connection`` (types
    compared), leaving out what ``metadata`` builds on another dialect only (SQLite's unique
    key ``(tenant_id, id)`` on PostgreSQL; ``core.tenancy.sqlite_only``)."""
    dialect = connection.dialect.name

    def include_object(item, name, type_, reflected, compare_to) -> bool:
        return type_ == "table" or reflected or built_on(item, dialect)

    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": include_object}
    )
    return list(compare_metadata(context, metadata))
