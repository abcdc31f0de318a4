"""Installed is not enabled: dispatch, settings, URL gating and discovery of plugins."""

from __future__ import annotations

import logging

import pytest
from marshmallow import ValidationError

from core.extensions import db
from core.plugins import PluginError, PluginMeta, check_metadata, get_host, set_plugin_state, tenant_hooks
from core.tenancy import PluginEnablement, tenant_context
from tests.fixtures import make_app
from tests.plugins import dummy


def _nav_endpoints(tenant):
    with tenant_context(tenant):
        return [
            item.endpoint
            for group in tenant_hooks().register_nav_items(tenant=tenant, user=None)
            for item in group
        ]


def test_hook_skips_plugin_the_tenant_has_not_enabled(app_ctx, tenant):
    assert "dummy.index" not in _nav_endpoints(tenant)
    assert "home.tenant_home" in _nav_endpoints(tenant)  # core's own implementation always runs


def test_hook_calls_plugin_once_enabled_and_only_for_that_tenant(
    app_ctx, tenant, other_tenant, enable_plugin
):
    enable_plugin(tenant)
    dummy.calls.clear()
    assert "dummy.index" in _nav_endpoints(tenant)
    assert "dummy.index" not in _nav_endpoints(other_tenant)
    assert dummy.calls == [("register_nav_items", tenant.slug)]


def test_disabling_keeps_settings_and_reenabling_brings_them_back(app_ctx, tenant, enable_plugin):
    enable_plugin(tenant, settings={"greeting": "ahlan", "ceiling": 7})
    enable_plugin(tenant, enabled=False)
    assert "dummy.index" not in _nav_endpoints(tenant)
    enable_plugin(tenant)
    with tenant_context(tenant):
        row = db.session.execute(db.select(PluginEnablement)).scalar_one()
    assert row.enabled and row.settings == {"greeting": "ahlan", "ceiling": 7}


@pytest.mark.parametrize(
    "settings, field",
    [
        ({"ceiling": -1}, "ceiling"),
        ({"ceiling": "lots"}, "ceiling"),
        ({"greeting": ""}, "greeting"),
        ({"x": 1}, "x"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(app_ctx, tenant, settings, field):
    with pytest.raises(ValidationError) as caught:
        set_plugin_state(tenant, "dummy", True, settings)
    db.session.rollback()
    assert field in caught.value.messages
    with tenant_context(tenant):
        assert db.session.execute(db.select(PluginEnablement)).first() is None


def test_settings_defaults_fill_in_missing_keys(app_ctx, tenant, enable_plugin):
    enable_plugin(tenant, settings={"ceiling": 5})
    from core.plugins import plugin_settings

    with tenant_context(tenant):
        assert plugin_settings("dummy") == {"greeting": "marhaba", "ceiling": 5}


def test_disabled_plugin_pages_and_api_answer_404(client, tenant, create_user_, login, token_for):
    user = create_user_(roles={tenant: ["tenant_admin"]})
    login(user)
    assert client.get("/t/first/dummy/").status_code == 404
    assert client.get("/t/first/api/v1/dummy/ping", headers=token_for(user)).status_code == 404


def test_enabling_takes_effect_on_the_next_request_without_restart(
    client, tenant, other_tenant, create_user_, login, enable_plugin
):
    user = create_user_(roles={tenant: ["tenant_admin"], other_tenant: ["tenant_admin"]})
    login(user)
    assert client.get("/t/first/dummy/").status_code == 404
    enable_plugin(tenant, settings={"greeting": "ahlan"})
    page = client.get("/t/first/dummy/")
    assert page.status_code == 200 and b"ahlan" in page.data
    assert client.get("/t/second/dummy/").status_code == 404
    assert client.get("/t/first/api/v1/dummy/ping").json == {"pong": "ahlan"}
    enable_plugin(tenant, enabled=False)
    assert client.get("/t/first/dummy/").status_code == 404


def test_plugin_permission_is_default_deny_for_other_roles(
    client, tenant, create_user_, login, enable_plugin
):
    enable_plugin(tenant)
    login(create_user_(roles={tenant: ["finance_officer"]}))
    assert client.get("/t/first/dummy/").status_code == 403


def test_every_discovered_plugin_has_valid_metadata(app):
    host = get_host(app)
    assert "dummy" in host.plugins
    for plugin in host.plugins.values():
        check_metadata(plugin.meta)
        assert plugin.default_settings() is not None


def test_plugin_id_rules_are_enforced():
    with pytest.raises(PluginError):
        check_metadata(PluginMeta(id="Bad-Id", name_ar="س", name_en="x", version="1"))
    with pytest.raises(PluginError):
        check_metadata(PluginMeta(id="future", name_ar="س", name_en="x", version="1", core_compat=">=9"))


def test_blueprint_must_be_named_after_the_plugin(app):
    host = get_host(app)
    with pytest.raises(PluginError):
        host.claim_blueprint("dummy", "someone_else")


def test_plugin_table_outside_its_namespace_is_refused(app):
    import types

    import sqlalchemy as sa
    from sqlalchemy.orm import DeclarativeBase

    from core.plugins import PluginHost, check_namespaces

    class OtherBase(DeclarativeBase):
        pass

    module = types.ModuleType("badtables")
    module.PLUGIN = PluginMeta(id="badtables", name_ar="س", name_en="Bad", version="1")

    class Thing(OtherBase):
        __tablename__ = "things"
        __module__ = "badtables"
        id = sa.Column(sa.Integer, primary_key=True)

    host = PluginHost()
    host.add(module)
    with pytest.raises(PluginError, match="badtables_"):
        check_namespaces(host, mappers=OtherBase.registry.mappers)


def test_plugin_templates_outside_their_folder_are_refused(tmp_path):
    import types

    from core.plugins import PluginHost, check_namespaces

    (tmp_path / "templates" / "elsewhere").mkdir(parents=True)
    (tmp_path / "__init__.py").write_text("")
    module = types.ModuleType("strayt")
    module.__file__ = str(tmp_path / "__init__.py")
    module.PLUGIN = PluginMeta(id="strayt", name_ar="س", name_en="Stray", version="1")
    host = PluginHost()
    host.add(module)
    with pytest.raises(PluginError, match="templates/strayt"):
        check_namespaces(host, mappers=[])


def test_external_plugin_is_found_through_the_entry_point(database_url, tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "external_charity_plugin").mkdir(parents=True)
    (site / "external_charity_plugin" / "__init__.py").write_text(
        "from core.toolkit import PluginMeta\n"
        "PLUGIN = PluginMeta(id='external', name_ar='خارجية', name_en='External', version='0.1')\n"
    )
    dist = site / "external_charity_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: external-charity-plugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[charity_platform.plugins]\nexternal = external_charity_plugin\n")
    monkeypatch.syspath_prepend(str(site))
    app = make_app(database_url)
    plugin = get_host(app).plugins["external"]
    assert plugin.source == "entry-point"


def test_charity_plugins_limits_which_installed_plugins_load(database_url):
    app = make_app(database_url, CHARITY_PLUGINS=["nothing-like-dummy"])
    assert "dummy" not in get_host(app).plugins
    assert "dummy" in get_host(make_app(database_url)).plugins


def test_trace_hooks_logs_every_call_with_tenant_plugins_args_and_duration(database_url, caplog):
    app = make_app(database_url, CHARITY_TRACE_HOOKS=True)
    with app.app_context():
        from core.tenancy.services import create_tenant

        tenant = create_tenant({"slug": "traced", "name_ar": "تتبع", "name_en": "Traced"})
        db.session.commit()
        set_plugin_state(tenant, "dummy", True, None)
        db.session.commit()
        with caplog.at_level(logging.INFO, logger="charity_platform.hooks"), tenant_context(tenant):
            tenant_hooks().register_permissions()
    line = next(r.getMessage() for r in caplog.records if "register_permissions" in r.getMessage())
    assert "tenant=traced" in line and "dummy" in line and "duration_ms=" in line and "args=" in line


def test_what_an_enabled_set_declares_is_built_once_and_again_after_a_plugin_is_registered():
    import types

    from core.plugins import PluginHost

    host = PluginHost()
    built = []

    def build():
        built.append(1)
        return len(built)

    enabled = frozenset({"a"})
    assert host.declared("steps", enabled, build) == host.declared("steps", enabled, build) == 1
    assert host.declared("steps", frozenset(), build) == 2  # another set: its own
    module = types.ModuleType("later")
    module.PLUGIN = PluginMeta(id="later", name_ar="لاحقة", name_en="Later", version="1")
    host.add(module)  # its declarations may change any set's
    assert host.declared("steps", enabled, build) == 3
    host.forget_declared("steps")
    assert host.declared("steps", enabled, build) == 4
