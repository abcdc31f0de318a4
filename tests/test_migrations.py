"""The migrations (core and every plugin branch) build exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from core.extensions import db


def test_migrated_database_matches_the_models(app_ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [
            d
            for d in compare_metadata(context, db.metadata)
            # charity_rls_keys: Row-Level Security's owner-only key table (core/tenancy/rls.py).
            if "alembic_version" not in str(d) and "charity_rls_keys" not in str(d)
        ]
    assert differences == []


def test_name_search_columns_compare_by_code_point_on_postgresql(app_ctx):
    if db.engine.dialect.name != "postgresql":
        return  # SQLite compares by code point already
    collations = db.session.execute(
        text(
            "SELECT column_name, collation_name FROM information_schema.columns "
            "WHERE table_name = 'registry_persons' AND column_name LIKE '%_normalized'"
        )
    ).all()
    assert dict(collations) == {"name_normalized": "C", "family_normalized": "C"}
