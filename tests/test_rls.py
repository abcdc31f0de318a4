"""PostgreSQL Row-Level Security: the second wall, for SQL that bypasses the ORM scoping.

It fails closed: with no tenant set the app role sees no rows of any tenant table, a tenant
it names itself (unsigned) counts as no tenant, and only ``unscoped(reason)`` — logged —
opens the platform scope.
"""

from __future__ import annotations

import logging
import re

import pytest
from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from core.extensions import db
from core.registry.schemas import PersonSchema
from core.registry.services import create_person
from core.tenancy import rls, tenant_context, unscoped
from tests.registry.factories import person_payload, valid_id


@pytest.fixture
def postgres_only(app_ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Row-Level Security is a PostgreSQL feature; SQLite relies on the ORM scoping alone")


@pytest.fixture
def two_tenants_with_members(postgres_only, tenant, other_tenant, create_user_):
    create_user_(roles={tenant: ["researcher"], other_tenant: ["auditor"]})
    create_user_(roles={other_tenant: ["auditor"]})
    db.session.commit()
    return tenant, other_tenant


def _app_role_count(sql: str = "SELECT count(*) FROM memberships", setting: dict | None = None) -> int:
    """Raw SQL on a fresh connection of the app role, outside any ORM session."""
    with db.engine.connect() as conn:
        for name, value in (setting or {}).items():
            conn.execute(text("SELECT set_config(:n, :v, true)"), {"n": name, "v": value})
        return conn.execute(text(sql)).scalar_one()


def test_app_role_does_not_own_the_tables(postgres_only):
    owner = db.session.execute(
        text("SELECT tableowner FROM pg_tables WHERE tablename = 'memberships'")
    ).scalar_one()
    assert owner != db.session.execute(text("SELECT current_user")).scalar_one()


def test_raw_sql_without_a_filter_sees_only_the_tenant_in_context(two_tenants_with_members):
    tenant, other_tenant = two_tenants_with_members
    with tenant_context(tenant):
        assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 1
    db.session.commit()
    with tenant_context(other_tenant):
        assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 2


def test_raw_sql_with_no_tenant_set_sees_nothing(two_tenants_with_members):
    assert _app_role_count() == 0
    assert _app_role_count("SELECT count(*) FROM plugin_enablements") == 0
    # In the app's own session too, between tenant blocks.
    assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 0


def test_a_tenant_the_app_role_sets_itself_is_no_tenant(two_tenants_with_members):
    tenant, other_tenant = two_tenants_with_members
    wrong_key = rls.sign(str(other_tenant.id), b"not the key")
    borrowed = rls.sign(str(tenant.id)).split(".", 1)[1]  # tenant A's signature on B's id
    for forged in (
        {"app.tenant_id": str(other_tenant.id)},  # the old, unsigned setting
        {"app.tenant": str(other_tenant.id)},
        {"app.tenant": f"{other_tenant.id}.{'0' * 64}"},
        {"app.tenant": wrong_key},
        {"app.tenant": f"{other_tenant.id}.{borrowed}"},
        {"app.tenant": "*"},
        {"app.tenant": f"*.{borrowed}"},
    ):
        assert _app_role_count(setting=forged) == 0, forged
    assert _app_role_count(setting={"app.tenant": rls.sign(str(other_tenant.id))}) == 2


def test_a_forged_tenant_cannot_write_either(two_tenants_with_members):
    _, other_tenant = two_tenants_with_members
    with db.engine.connect() as conn, pytest.raises(ProgrammingError, match="row-level security"):
        conn.execute(
            text("SELECT set_config('app.tenant', :v, true)"), {"v": f"{other_tenant.id}.{'0' * 64}"}
        )
        conn.execute(
            text(
                "INSERT INTO plugin_enablements (tenant_id, plugin_id, enabled, settings, updated_at) "
                "VALUES (:t, 'dummy', true, '{}', now())"
            ),
            {"t": other_tenant.id},
        )


def test_the_app_role_cannot_read_or_change_the_key(postgres_only):
    for sql in (
        f"SELECT * FROM {rls.KEY_TABLE}",
        f"DELETE FROM {rls.KEY_TABLE}",
        f"INSERT INTO {rls.KEY_TABLE} (slot, inner_pad, outer_pad, fingerprint) VALUES (9, '', '', '')",
    ):
        with db.engine.connect() as conn, pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text(sql))


def test_the_platform_scope_is_only_unscoped_and_it_is_logged(two_tenants_with_members, caplog):
    with pytest.raises(ValueError, match="reason"), unscoped(""):
        pass
    caplog.set_level(logging.INFO, logger="charity_platform.platform_scope")
    with unscoped("test: count every tenant's members"):
        assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 3
    assert 'reason="test: count every tenant\'s members"' in caplog.text
    assert "actor=" in caplog.text
    db.session.commit()
    assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 0


def test_raw_insert_into_another_tenant_is_refused(postgres_only, tenant, other_tenant):
    with tenant_context(tenant), pytest.raises(ProgrammingError, match="row-level security"):
        db.session.execute(
            text(
                "INSERT INTO plugin_enablements (tenant_id, plugin_id, enabled, settings, updated_at) "
                "VALUES (:t, 'dummy', true, '{}', now())"
            ),
            {"t": other_tenant.id},
        )
    db.session.rollback()


def test_every_tenant_table_has_the_fail_closed_policy(postgres_only):
    tables = rls.tenant_tables(db.session.connection())
    policies = dict(
        db.session.execute(
            text("SELECT tablename, qual FROM pg_policies WHERE policyname = :p"), {"p": rls.POLICY}
        ).all()
    )
    assert tables and set(tables) <= set(policies)
    assert all(
        "charity_tenant()" in policies[t] and "charity_platform_scope()" in policies[t] for t in tables
    )
    assert not any("app.tenant_id" in (policies[t] or "") for t in tables)


def test_the_tenant_filter_stays_an_index_condition(two_tenants_with_members):
    """The policy's helpers are scalar sub-selects (one InitPlan per statement): the registry
    search's ``tenant_id = … AND name range`` is still answered from its index."""
    tenant, _ = two_tenants_with_members
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    with tenant_context(tenant):
        # Rows and statistics, as a live registry has them: on an empty, unanalysed table every
        # index leading with tenant_id costs the same, the primary key (tenant_id, id) included.
        for n in range(60):
            family = "ال" + letters[n % len(letters)] + letters[(n * 7) % len(letters)] + "ي"
            create_person(PersonSchema().load(person_payload(national_id=valid_id(), family_name=family)))
        db.session.commit()
    owner = create_engine(current_app.config["DATABASE_OWNER_URL"])
    with owner.begin() as connection:
        connection.execute(text("ANALYZE registry_persons"))
    owner.dispose()
    with tenant_context(tenant):
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            db.session.execute(
                text(
                    "EXPLAIN SELECT id FROM registry_persons WHERE tenant_id = CAST(:t AS integer) "
                    "AND family_normalized >= :p AND family_normalized < :u"
                ),
                {"t": tenant.id, "p": "محمد", "u": "محمد\U0010ffff"},
            ).scalars()
        )
    db.session.rollback()
    assert "Seq Scan" not in plan, plan
    assert re.search(r"Index Cond: \(\(tenant_id = \d+\) AND \(\(family_normalized\)", plan), plan
    assert "InitPlan" in plan, plan


def test_rls_key_command_rewrites_and_checks_the_key(two_tenants_with_members, app, runner):
    tenant, _ = two_tenants_with_members
    result = runner.invoke(args=["db", "rls-key", "--check"])
    assert result.exit_code == 0 and "accepts" in result.output
    first, second = "first-rls-key-of-at-least-32-characters", "second-rls-key-of-at-least-32-characters"
    configured = app.config["RLS_KEY"]
    try:
        app.config["RLS_KEY"] = first
        assert runner.invoke(args=["db", "rls-key", "--check"]).exit_code == 1  # not written yet
        assert _app_role_count() == 0
        assert runner.invoke(args=["db", "rls-key"]).exit_code == 0
        assert runner.invoke(args=["db", "rls-key", "--check"]).exit_code == 0
        # Rotation: the new key signs, the old one is still accepted until it leaves RLS_KEY.
        app.config["RLS_KEY"] = f"{second},{first}"
        written = runner.invoke(args=["db", "rls-key"])
        assert written.exit_code == 0 and len(re.findall(r"\b[0-9a-f]{12}\b", written.output)) == 2, (
            written.output
        )
        old_token = rls.sign(str(tenant.id), first.encode())
        assert _app_role_count(setting={"app.tenant": old_token}) == 1
        app.config["RLS_KEY"] = second
        runner.invoke(args=["db", "rls-key"])
        assert _app_role_count(setting={"app.tenant": old_token}) == 0
        assert _app_role_count(setting={"app.tenant": rls.sign(str(tenant.id))}) == 1
    finally:
        app.config["RLS_KEY"] = configured  # the suite's production key, as later tests expect
        runner.invoke(args=["db", "rls-key"])
    assert runner.invoke(args=["db", "rls-key", "--check"]).exit_code == 0


def test_migrations_run_in_the_platform_scope(postgres_only, app, tenant, create_user_):
    """A data migration (run as the owner, under FORCE ROW LEVEL SECURITY) sees every tenant."""

    create_user_(roles={tenant: ["researcher"]})
    engine = create_engine(current_app.config["DATABASE_OWNER_URL"])
    try:
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 0
            rls.prepare_migration(conn)
            assert conn.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 1
    finally:
        engine.dispose()


def test_an_object_already_loaded_is_re_read_outside_its_tenant_like_on_sqlite(two_tenants_with_members):
    """The ORM scoping lets an expired object refresh by its own id with no tenant in context;
    RLS does not turn that into "deleted" on PostgreSQL, and raw SQL still sees nothing."""
    from core.auth.models import Membership
    from core.tenancy import PluginEnablement

    tenant, _ = two_tenants_with_members
    with tenant_context(tenant):
        membership = db.session.execute(db.select(Membership)).scalar_one()
        db.session.add(PluginEnablement(plugin_id="dummy", enabled=True, settings={}))
        db.session.flush()
    db.session.commit()  # expires every loaded object
    assert membership.roles == ["researcher"]
    assert membership.user.email
    assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 0
    assert _app_role_count("SELECT count(*) FROM plugin_enablements") == 0
