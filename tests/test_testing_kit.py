"""core.testing, the test kit plugins' tests use: its fixtures work on their own."""

from __future__ import annotations

from core.extensions import db
from core.tenancy import Tenant


def test_query_counter_counts_the_statements_of_its_block_only(query_counter, tenant):
    def selects(queries) -> int:
        return sum("FROM tenants" in statement for statement in queries.statements)

    with query_counter() as once:
        db.session.scalars(db.select(Tenant)).all()
    with query_counter() as twice:
        db.session.scalars(db.select(Tenant)).all()
        db.session.scalars(db.select(Tenant)).all()
    counted = once.count
    db.session.scalars(db.select(Tenant)).all()

    assert selects(once) == 1
    assert selects(twice) == 2
    assert once.count == counted  # nothing counted after its block
    assert len(once) == once.count


def test_the_kit_installs_the_plugins_named_in_the_ini_option_in_every_app(app):
    # pyproject.toml: charity_extra_plugins = ["tests.plugins.dummy"] (a test asset of core)
    assert app.config["CHARITY_EXTRA_PLUGINS"] == ["tests.plugins.dummy"]
