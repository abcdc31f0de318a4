"""core.testing, the test kit plugins' tests use: its fixtures work on their own."""

from __future__ import annotations

from core.extensions import db
from core.tenancy import Tenant


def test_query_counter_counts_the_statements_of_its_block_only(query_counter, tenant):
    with query_counter() as queries:
        db.session.scalars(db.select(Tenant)).all()
    inside = queries.count
    with query_counter() as twice:
        db.session.scalars(db.select(Tenant)).all()
        db.session.scalars(db.select(Tenant)).all()
    db.session.scalars(db.select(Tenant)).all()

    assert inside >= 1
    assert queries.count == inside  # nothing counted after the block
    assert twice.count > inside
    assert any("FROM tenants" in statement for statement in queries.statements)


def test_the_kit_installs_the_plugins_named_in_the_ini_option_in_every_app(app):
    # pyproject.toml: charity_extra_plugins = ["tests.plugins.dummy"] (a test asset of core)
    assert app.config["CHARITY_EXTRA_PLUGINS"] == ["tests.plugins.dummy"]
