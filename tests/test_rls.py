"""PostgreSQL Row-Level Security: the second wall, for SQL that bypasses the ORM scoping."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.extensions import db
from core.tenancy import tenant_context


@pytest.fixture
def postgres_only(app_ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Row-Level Security is a PostgreSQL feature; SQLite relies on the ORM scoping alone")


def test_app_role_does_not_own_the_tables(postgres_only):
    owner = db.session.execute(
        text("SELECT tableowner FROM pg_tables WHERE tablename = 'memberships'")
    ).scalar_one()
    assert owner != db.session.execute(text("SELECT current_user")).scalar_one()


def test_raw_sql_without_a_filter_sees_only_the_tenant_in_context(
    postgres_only, tenant, other_tenant, create_user_
):
    create_user_(roles={tenant: ["researcher"], other_tenant: ["auditor"]})
    create_user_(roles={other_tenant: ["auditor"]})
    with tenant_context(tenant):
        assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 1
    db.session.commit()
    with tenant_context(other_tenant):
        assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 2


def test_raw_insert_into_another_tenant_is_refused(postgres_only, tenant, other_tenant):
    from sqlalchemy.exc import ProgrammingError

    with tenant_context(tenant), pytest.raises(ProgrammingError, match="row-level security"):
        db.session.execute(
            text(
                "INSERT INTO plugin_enablements (tenant_id, plugin_id, enabled, settings, updated_at) "
                "VALUES (:t, 'dummy', true, '{}', now())"
            ),
            {"t": other_tenant.id},
        )
    db.session.rollback()


def test_every_tenant_table_has_the_policy(postgres_only):
    from core.tenancy.rls import POLICY, tenant_tables

    tables = tenant_tables(db.session.connection())
    with_policy = set(
        db.session.execute(
            text("SELECT tablename FROM pg_policies WHERE policyname = :p"), {"p": POLICY}
        ).scalars()
    )
    assert tables and set(tables) <= with_policy
