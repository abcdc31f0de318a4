"""Every table (core, both plugins, the test plugin) would distribute on Citus by ``tenant_id``.

The rules are :mod:`core.tenancy.distribution`'s (shared with ``flask db citus-plan`` and
docs/scaling.md): a tenant table's primary key, unique keys and foreign keys into other tenant
tables include ``tenant_id``; platform tables are reference tables and point into no tenant
table; a table that is neither says so.
"""

from __future__ import annotations

import sqlalchemy as sa

from core.extensions import NAMING_CONVENTION, db
from core.tenancy.distribution import DISTRIBUTED, LOCAL, REFERENCE, classification, plan, problems
from tests.fixtures import is_postgres


def test_every_table_would_distribute_by_tenant_id(app_ctx):
    assert problems(db.metadata) == []


def test_tenant_tables_are_distributed_and_platform_tables_are_reference_tables(app_ctx):
    kinds = classification(db.metadata)
    assert {name for name, kind in kinds.items() if kind == REFERENCE} == {
        "tenants",
        "users",
        "api_tokens",
        "password_resets",
        "registry_sharing_agreements",
    }
    assert {name for name, kind in kinds.items() if kind == LOCAL} == {"audit_events"}
    assert kinds["requests_requests"] == kinds["makkah_aid_renewals"] == kinds["prisoner_families_prisoners"]
    assert kinds["requests_requests"] == DISTRIBUTED


def _bad_schema() -> sa.MetaData:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    distributed = {"distribution": DISTRIBUTED}
    sa.Table(
        "tenants", metadata, sa.Column("id", sa.Integer, primary_key=True), info={"distribution": REFERENCE}
    )
    sa.Table(
        "cases",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),  # key without tenant_id
        sa.Column("tenant_id", sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("code", sa.String(8), unique=True),  # unique without tenant_id
        sa.UniqueConstraint("tenant_id", "id", name="uq_cases_tenant_id_id"),
        info=distributed,
    )
    sa.Table(
        "notes",
        metadata,
        sa.Column("tenant_id", sa.ForeignKey("tenants.id"), primary_key=True),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "case_id", sa.ForeignKey("cases.id", name="fk_notes_case")
        ),  # into a tenant table by id alone
        sa.Column("other_id", sa.Integer),
        sa.ForeignKeyConstraint(
            ["tenant_id", "other_id"],
            ["cases.tenant_id", "cases.id"],
            name="fk_notes_other",
            ondelete="SET NULL",
        ),
        info=distributed,
    )
    sa.Table(
        "settings",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer),
        sa.Column("tenant_id", sa.Integer),
        sa.ForeignKeyConstraint(
            ["tenant_id", "note_id"], ["notes.tenant_id", "notes.id"], name="fk_settings_note"
        ),
        info={"distribution": REFERENCE},
    )
    sa.Table("loose", metadata, sa.Column("id", sa.Integer, primary_key=True))
    return metadata


def test_a_table_that_would_not_distribute_is_named_with_its_constraint(app_ctx):
    found = "\n".join(problems(_bad_schema()))

    assert "cases: primary key pk_cases ['id'] does not include tenant_id" in found
    assert "cases: unique constraint uq_cases_code ['code'] does not include tenant_id" in found
    assert "notes: foreign key fk_notes_case ['case_id'] -> cases['id'] does not pair tenant_id" in found
    assert "notes: foreign key fk_notes_other has ON DELETE/UPDATE SET NULL" in found
    assert "settings: foreign key fk_settings_note points into the distributed table notes" in found
    assert "loose: not classified" in found


def test_the_citus_plan_covers_every_table_once_in_dependency_order(app_ctx):
    steps = plan(db.metadata)

    assert sorted(step.table for step in steps) == sorted(db.metadata.tables)
    position = {step.table: i for i, step in enumerate(steps)}
    kinds = [step.kind for step in steps]
    assert kinds == sorted(kinds, key=[REFERENCE, LOCAL, DISTRIBUTED].index)
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            if fk.referred_table is not table:
                assert position[fk.referred_table.name] < position[table.name], (table.name, fk.name)
    distributed = [step for step in steps if step.kind == DISTRIBUTED]
    anchor = distributed[0].table
    assert (
        distributed[0].sql
        == f"SELECT create_distributed_table('{anchor}', 'tenant_id', colocate_with => 'none');"
    )
    assert all(f"'tenant_id', colocate_with => '{anchor}');" in step.sql for step in distributed[1:])


def test_a_schema_that_would_not_distribute_has_no_plan(app_ctx):
    try:
        plan(_bad_schema())
    except ValueError as exc:
        assert "cases: primary key" in str(exc)
    else:
        raise AssertionError("plan() accepted tables that would not distribute")


def test_the_citus_plan_command_prints_every_statement(runner):
    result = runner.invoke(args=["db", "citus-plan"])

    assert result.exit_code == 0, result.output
    assert "SELECT create_reference_table('tenants');" in result.output
    assert "SELECT citus_add_local_table_to_metadata('audit_events');" in result.output
    with runner.app.app_context():
        for step in plan(db.metadata):
            assert step.sql in result.output


def test_the_migrated_primary_keys_are_the_models(app_ctx):
    """Alembic's comparison (tests/test_migrations.py) does not look at primary keys: this does.
    PostgreSQL carries ``(tenant_id, id)``; SQLite keeps ``id``, its rowid (core_0011)."""
    inspector = sa.inspect(db.engine)
    for table in db.metadata.sorted_tables:
        declared = [c.name for c in table.primary_key.columns]
        if not is_postgres() and declared == ["tenant_id", "id"]:
            declared = ["id"]
        assert inspector.get_pk_constraint(table.name)["constrained_columns"] == declared, table.name


def test_a_fresh_sqlite_schema_numbers_tenant_rows_itself(app_ctx):
    """Built from the models (as a new plugin's first migration would be), SQLite keeps ``id``
    as the rowid: rows get their ids without one being given."""
    engine = sa.create_engine("sqlite://")
    try:
        db.metadata.create_all(
            engine, tables=[db.metadata.tables["tenants"], db.metadata.tables["aid_catalog_items"]]
        )
        tenants, items = db.metadata.tables["tenants"], db.metadata.tables["aid_catalog_items"]
        with engine.begin() as connection:
            tenant = connection.execute(
                tenants.insert().values(
                    slug="s",
                    name_ar="س",
                    name_en="S",
                    service_area=[],
                    contact={},
                    default_locale="ar",
                    calendar_display="both",
                    currency="SAR",
                    hosts=[],
                    settings={},
                    is_active=True,
                    created_at=sa.func.now(),
                    updated_at=sa.func.now(),
                )
            ).inserted_primary_key[0]
            values = {"tenant_id": tenant, "name_ar": "س", "name_en": "S", "kind": "cash", "unit": "sar"}
            values |= {"seasonal": False, "active": True, "created_at": sa.func.now()}
            first = connection.execute(items.insert().values(code="a", **values)).inserted_primary_key
            second = connection.execute(items.insert().values(code="b", **values)).inserted_primary_key
        assert first.id and second.id and first.id != second.id
    finally:
        engine.dispose()
