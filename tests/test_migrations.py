"""The migrations (core and every plugin branch) build exactly the schema the models declare."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import text

from core.extensions import db
from core.testing import schema_differences


def test_migrated_database_matches_the_models(app_ctx):
    with db.engine.connect() as connection:
        differences = [
            d
            for d in schema_differences(connection, db.metadata)
            # charity_rls_keys: Row-Level Security's owner-only key table (core/tenancy/rls.py).
            if "alembic_version" not in str(d) and "charity_rls_keys" not in str(d)
        ]
    assert differences == []


def _tenant_tables() -> list[str]:
    """Every table keyed ``(tenant_id, id)`` (``TenantMixin``), core's and the plugins'."""
    return [
        table.name
        for table in db.metadata.sorted_tables
        if [column.name for column in table.primary_key.columns] == ["tenant_id", "id"]
    ]


def test_tenant_tables_keep_no_key_their_primary_key_already_is(app_ctx):
    """Core_0026 and each plugin's revision like it: no index on ``tenant_id`` alone anywhere,
    and on PostgreSQL no unique key repeating the primary key; every foreign key between tenant
    tables then relies on the primary key. SQLite keeps its unique key ``(tenant_id, id)``."""
    inspector = sa.inspect(db.engine)
    tenant_tables = _tenant_tables()
    assert len(tenant_tables) > 100
    for name in tenant_tables:
        assert [i["name"] for i in inspector.get_indexes(name) if i["column_names"] == ["tenant_id"]] == []
        repeated = [
            u["name"]
            for u in inspector.get_unique_constraints(name)
            if u["column_names"] == ["tenant_id", "id"]
        ]
        assert repeated == ([] if db.engine.dialect.name == "postgresql" else [f"uq_{name}_tenant_id_id"])
    if db.engine.dialect.name == "postgresql":
        relying = db.session.execute(
            text(
                "SELECT count(*) FILTER (WHERE i.indisprimary), count(*) FROM pg_constraint c "
                "JOIN pg_index i ON i.indexrelid = c.conindid "
                "WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY (CAST(:tables AS text[]))"
            ),
            {"tables": tenant_tables},
        ).one()
        assert relying[0] == relying[1] > 50


def test_every_tenant_table_goes_with_its_tenant_through_cascading_keys(app_ctx):
    """Each tenant table has a foreign key to ``tenants`` that cascades, or (a table declaring
    ``__tenant_from_parent__``, on PostgreSQL) a cascading ``(tenant_id, …)`` key into a table
    that does, at any depth: deleting an association deletes every row of it, and no row can
    name a tenant that does not exist."""
    inspector = sa.inspect(db.engine)
    tenant_tables = set(_tenant_tables())
    parents = {
        name: {
            key["referred_table"]
            for key in inspector.get_foreign_keys(name)
            if key["constrained_columns"][0] == "tenant_id"
            and (key.get("options") or {}).get("ondelete", "").upper() == "CASCADE"
        }
        for name in tenant_tables
    }

    def reaches_tenants(name, seen=()):
        return "tenants" in parents[name] or any(
            parent in tenant_tables and parent not in seen and reaches_tenants(parent, (*seen, name))
            for parent in parents[name]
        )

    assert sorted(name for name in tenant_tables if not reaches_tenants(name)) == []
    keys_own = [
        k for k in inspector.get_foreign_keys("registry_person_name_keys") if k["referred_table"] == "tenants"
    ]
    assert len(keys_own) == (0 if db.engine.dialect.name == "postgresql" else 1)


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
