"""The ``max_queries`` fixture (core/testing_queries.py) and the per-request settings cache it
keeps honest."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.extensions import db
from core.plugins import plugin_settings
from core.tenancy import PluginEnablement, tenant_context
from core.testing.budget import TooManyQueries, count_queries, is_housekeeping


def test_counter_counts_the_statements_of_the_block_only(app_ctx, tenant, max_queries):
    db.session.execute(text("SELECT 1"))
    with max_queries(2) as captured:
        db.session.execute(text("SELECT 2"))
        db.session.execute(text("SELECT 3"))
    db.session.execute(text("SELECT 4"))
    assert captured.statements == ["SELECT 2", "SELECT 3"]


def test_over_budget_fails_and_lists_every_statement(app_ctx, max_queries):
    with pytest.raises(TooManyQueries) as failed, max_queries(1, label="a page"):
        db.session.execute(text("SELECT 11"))
        db.session.execute(text("SELECT 12"))
    message = str(failed.value)
    assert "at most 1 queries (a page), 2 were executed" in message
    assert "1. SELECT 11" in message and "2. SELECT 12" in message


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT set_config('app.tenant', %(t)s, true)",
        "select set_config(?, ?, true)",
        "SAVEPOINT sa_savepoint_1",
        "RELEASE SAVEPOINT sa_savepoint_1",
        "ROLLBACK TO SAVEPOINT sa_savepoint_1",
    ],
)
def test_row_level_security_and_savepoint_housekeeping_is_not_counted(statement):
    assert is_housekeeping(statement)


@pytest.mark.parametrize("statement", ["SELECT * FROM config_set", "INSERT INTO savepoints VALUES (1)"])
def test_real_work_is_counted(statement):
    assert not is_housekeeping(statement)


def test_savepoints_inside_the_block_are_free(app_ctx, tenant):
    with tenant_context(tenant), count_queries(db.engine) as captured, db.session.begin_nested():
        db.session.execute(db.select(PluginEnablement))
    assert [s for s in captured.statements if "plugin_enablements" in s] == captured.statements
    assert len(captured.statements) == 1


def test_plugin_settings_are_read_once_per_request_and_again_after_a_change(
    app_ctx, tenant, enable_plugin, max_queries
):
    enable_plugin(tenant, settings={"ceiling": 5})
    with tenant_context(tenant):
        with max_queries(1) as captured:
            first = plugin_settings("dummy")
            for _ in range(20):
                assert plugin_settings("dummy") == first
        assert captured.count == 1
        first["ceiling"] = 99  # a caller's copy: changing it changes nothing
        assert plugin_settings("dummy")["ceiling"] == 5
    enable_plugin(tenant, settings={"ceiling": 7})
    with tenant_context(tenant):
        assert plugin_settings("dummy")["ceiling"] == 7


def test_plugin_settings_cache_is_per_tenant(app_ctx, tenant, other_tenant, enable_plugin):
    enable_plugin(tenant, settings={"ceiling": 5})
    enable_plugin(other_tenant, settings={"ceiling": 8})
    with tenant_context(tenant):
        assert plugin_settings("dummy")["ceiling"] == 5
    with tenant_context(other_tenant):
        assert plugin_settings("dummy")["ceiling"] == 8
