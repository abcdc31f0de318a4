"""The plugin contract (``core/testing/contract/``), run for every installed plugin.

The plugins are found as the app finds them (``plugins/``, the entry points, the ini option
``charity_extra_plugins``), one test per rule and plugin with the plugin id as the test id: a plugin
added to the checkout gets its contract tests with no code here. What the contract cannot drive, a
plugin says in ``PluginMeta.contract`` (``ContractHints``), each exception with its reason.
"""

from __future__ import annotations

from dataclasses import replace

import click
import pytest
from flask.cli import AppGroup

from core.auth.permissions import Permission
from core.extensions import db
from core.plugins import ContractHints, get_host
from core.testing import PASSWORD, contract
from core.testing.app import EXTRA_PLUGINS
from core.toolkit import audit_record

# Installed plugins that are test assets rather than plugins an association runs, with the reason.
EXEMPT = {
    "dummy": "core's test double for hook dispatch and URL gating (tests/plugins/dummy): it records hook "
    "calls in module state, answers an unguarded API ping and shows untranslated labels on purpose",
}


def pytest_generate_tests(metafunc) -> None:
    if "plugin_id" in metafunc.fixturenames:
        ids = [pid for pid in contract.installed_plugin_ids(EXTRA_PLUGINS) if pid not in EXEMPT]
        metafunc.parametrize("plugin_id", ids)


@pytest.fixture
def sign_in(app):
    def sign_in(user):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.data
        return client

    return sign_in


@pytest.fixture
def world(app, plugin_id, create_tenant, enable_plugin, make_member, sign_in) -> contract.World:
    return contract.build_world(app, plugin_id, create_tenant, enable_plugin, make_member, sign_in)


# --------------------------------------------------------------------------- the contract


def test_routes_answer_404_where_the_plugin_is_not_enabled(world):
    assert world.routes(), "the plugin serves no route"
    assert contract.ungated_routes(world) == {}


def test_routes_answer_404_for_another_tenants_ids(world):
    assert contract.foreign_id_problems(world) == {}


def test_writes_are_audited_by_the_plugin(world):
    assert contract.unaudited_writes(world) == []


def test_pages_render_in_arabic_and_in_english_without_raw_codes(world):
    assert contract.page_problems_in_both_languages(world) == {}


def test_permissions_are_declared(app, plugin_id):
    assert contract.permission_problems(app, plugin_id) == []


def test_permissions_are_enforced_on_every_route(world, make_member):
    assert contract.unguarded_routes(world, make_member) == {}


def test_tables_carry_tenant_id_in_keys_and_foreign_keys(app_ctx, plugin_id):
    assert contract.table_problems(plugin_id) == []


def test_cli_commands_live_under_the_plugin_id(app, plugin_id):
    assert contract.cli_problems(app, plugin_id) == []


def test_contract_hints_name_real_routes_with_a_reason(app, plugin_id):
    assert contract.hint_problems(app, plugin_id) == []


# --------------------------------------------------------------------------- the suite itself


def test_every_installed_plugin_is_under_contract_or_exempt_with_a_reason():
    installed = contract.installed_plugin_ids(EXTRA_PLUGINS)
    assert {"makkah_aid", "prisoner_families"} <= set(installed)
    assert set(EXEMPT) <= set(installed), "an exemption for a plugin that is not installed"
    assert all(reason.strip() for reason in EXEMPT.values())


def test_a_plugin_write_with_no_audit_entry_of_its_own_is_reported(in_first):
    table = db.metadata.tables["prisoner_families_programs"]
    row = {"tenant_id": in_first.id, "id": 1, "code": "x", "name_ar": "س", "name_en": "x"}
    with contract.recording_writes("prisoner_families") as log:
        db.session.execute(table.insert().values(**row))
        db.session.commit()  # no entry at all
        db.session.execute(table.update().values(name_en="y"))
        audit_record("registry.file.status_changed", "file", 1)  # someone else's entry only
        db.session.commit()
        db.session.execute(table.update().values(name_en="z"))
        audit_record("prisoner_families.program.renamed", "Program", 1)  # its own: audited
        db.session.commit()
        db.session.execute(table.delete())
        db.session.rollback()  # nothing written
    assert log.problems == [
        "insert prisoner_families_programs: committed with no prisoner_families.… audit entry after it",
        "update prisoner_families_programs: committed with no prisoner_families.… audit entry after it",
    ]
    assert log.written == {"prisoner_families_programs"}


def test_raw_codes_and_english_messages_are_found_in_the_visible_text():
    html = (
        '<!doctype html><html lang="ar" dir="rtl"><head><title>t</title><style>.a_b{}</style></head>'
        '<body data-state="in_committee"><p>الحالة: in_committee</p><a href="/t/x/make_aid">رابط</a>'
        '<p>user_1@example.org</p><input placeholder="prisoner_family"><p>Debt cases</p>'
        "<script>var a_b = 1;</script></body></html>"
    )
    assert contract.raw_codes(contract.visible_text(html)) == ["in_committee", "prisoner_family"]
    assert contract.page_problems(html, "ar", {"Debt cases", "Log in"}) == [
        "raw code 'in_committee' in the visible text",
        "raw code 'prisoner_family' in the visible text",
        "English message 'Debt cases' on the Arabic page",
    ]
    assert contract.page_problems(html, "en")[0].startswith("<html> is")


def test_a_command_outside_the_plugin_namespace_is_reported(app, monkeypatch):
    stray = click.Command("tick", callback=lambda: None)
    stray.callback.__module__ = "plugins.makkah_aid.cli"
    monkeypatch.setitem(app.cli.commands, "tick", stray)
    assert contract.cli_problems(app, "makkah_aid") == [
        "`flask tick` runs plugins.makkah_aid.cli code: a plugin's commands live under `flask makkah_aid`"
    ]
    assert isinstance(app.cli.commands["makkah_aid"], AppGroup)


def test_a_route_no_permission_guards_is_reported(app, create_tenant, enable_plugin, make_member, sign_in):
    # The dummy plugin's API ping (a test asset, exempt from the contract) needs no permission.
    world = contract.build_world(app, "dummy", create_tenant, enable_plugin, make_member, sign_in)
    assert contract.unguarded_routes(world) == {
        "every role, no permission: GET /t/<tenant>/api/v1/dummy/ping": 200
    }


def test_hints_skip_their_routes_and_a_hint_naming_no_route_is_reported(app, monkeypatch):
    plugin = get_host(app).plugins["dummy"]
    hints = ContractHints(skip_routes={"dummy.index": "needs a seeded greeting", "dummy.gone": ""})
    monkeypatch.setattr(plugin, "meta", replace(plugin.meta, contract=hints))
    assert [r.endpoint for r in contract.plugin_routes(app, "dummy")] == ["dummy_api.ping"]
    assert {r.endpoint for r in contract.plugin_routes(app, "dummy", skipped=True)} == {
        "dummy.index",
        "dummy_api.ping",
    }
    assert contract.hint_problems(app, "dummy") == ["skip_routes['dummy.gone']: no such route"]


def test_a_permission_label_left_in_english_is_reported(app):
    # The dummy plugin's permission label is not translated (a test asset, exempt from the contract).
    assert contract.permission_problems(app, "dummy") == [
        "dummy.view: label 'Dummy page' is not translated to Arabic"
    ]


def test_a_permission_outside_the_plugin_namespace_is_reported_unless_core_declares_it(app, monkeypatch):
    impl = next(
        i for i in get_host(app).pm.hook.register_permissions.get_hookimpls() if i.plugin_name == "dummy"
    )
    declared = [
        Permission("dummy.view", "صفحة", ("researcher",)),
        Permission("requests.create", "تسجيل الطلبات", ("researcher",)),  # core's: more roles
        Permission("registry.purge", "حذف", ("researcher",)),  # nobody's: refused
    ]
    monkeypatch.setattr(impl, "function", lambda: declared)
    assert contract.permission_problems(app, "dummy") == [
        "registry.purge: not named dummy.<name> (nor an action of core)"
    ]
