"""The plugin contract (``core/testing/contract.py``), run for every installed plugin.

The plugins are found as the app finds them (``plugins/``, the entry points, the ini option
``charity_extra_plugins``), one test per rule and plugin with the plugin id as the test id: a plugin
added to the checkout gets its contract tests with no code here. A plugin hints what the contract
cannot drive through ``PluginMeta.contract`` (``ContractHints``), each exception with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from core.auth.models import TENANT_ROLES
from core.extensions import db
from core.plugins import get_host
from core.tenancy import Tenant, tenant_context
from core.testing import contract
from core.testing.app import EXTRA_PLUGINS

# Installed plugins that are test assets, not plugins an association runs, with the reason.
EXEMPT = {
    "dummy": "core's test double for dispatch and gating (tests/plugins/dummy): it records hook calls "
    "in module state, serves a deliberately unguarded API ping and untranslated labels",
}
# Ids tried, as tenant A, for the id-bearing routes: the demo data's first rows.
CANDIDATE_IDS = list(range(1, 9))


def pytest_generate_tests(metafunc) -> None:
    if "plugin_id" in metafunc.fixturenames:
        ids = [pid for pid in contract.installed_plugin_ids(EXTRA_PLUGINS) if pid not in EXEMPT]
        metafunc.parametrize("plugin_id", ids)


def test_every_installed_plugin_is_under_contract_or_exempt_with_a_reason():
    installed = contract.installed_plugin_ids(EXTRA_PLUGINS)
    assert {"makkah_aid", "prisoner_families"} <= set(installed)
    assert set(EXEMPT) <= set(installed), "an exemption for a plugin that is not installed"
    assert all(reason.strip() for reason in EXEMPT.values())


@dataclass
class World:
    """Tenant A (the plugin enabled, its demo data loaded), tenant B (enabled, no data) and tenant
    C (not enabled); in each a member holding every role, signed in on their own client."""

    app: Flask
    plugin_id: str
    a: Tenant
    b: Tenant
    c: Tenant
    clients: dict

    def routes(self, **kw) -> list[contract.Route]:
        return contract.plugin_routes(self.app, self.plugin_id, **kw)


@pytest.fixture
def world(app, plugin_id, create_tenant, enable_plugin, make_member) -> World:
    host = get_host(app)
    a, b, c = (create_tenant(slug) for slug in ("contract-a", "contract-b", "contract-c"))
    needed = [*host.plugins[plugin_id].meta.depends_on, plugin_id]
    for tenant in (a, b):
        for pid in needed:
            enable_plugin(tenant, pid)
    clients = {}
    for tenant in (a, b, c):
        member = make_member(f"everyone@{tenant.slug}.example.org", tenant, list(TENANT_ROLES))
        clients[tenant.slug] = _signed_in(app, member)
    return World(app, plugin_id, a, b, c, clients)


def _signed_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": contract_password()})
    assert response.status_code == 302, response.data
    return client


def contract_password() -> str:
    from core.testing import PASSWORD

    return PASSWORD


def load_demo(tenant: Tenant) -> None:
    from core.plugins import tenant_hooks

    with tenant_context(tenant):
        tenant_hooks().load_demo_data(tenant=tenant)
        db.session.commit()


def test_routes_answer_404_where_the_plugin_is_not_enabled(world):
    client = world.clients[world.c.slug]
    answers = {
        str(route): contract.send(client, route, route.url(world.c.slug)).status_code
        for route in world.routes()
    }
    assert answers and {route: code for route, code in answers.items() if code != 404} == {}


def test_routes_answer_404_for_another_tenants_ids(world):
    load_demo(world.a)
    routes = world.routes()
    mine, theirs = world.clients[world.a.slug], world.clients[world.b.slug]
    known = contract.ids_in_tenant(world.a, world.plugin_id, [p for r in routes for p in r.params])
    found = contract.find_ids(mine, routes, world.a.slug, known, CANDIDATE_IDS)
    missing = [str(r) for r in routes if r.has_ids and r.safe and r not in found]
    assert missing == [], (
        "no object of tenant A answers these routes: skip them with a reason (ContractHints)"
    )
    found.update(contract.unsafe_ids(routes, found, known))
    unresolved = [str(r) for r in routes if r.has_ids and r not in found]
    assert unresolved == [], (
        "write routes whose ids no read route finds: skip them with a reason (ContractHints)"
    )
    answers = {}
    for route, values in found.items():
        code = contract.send(theirs, route, route.url(world.b.slug, values)).status_code
        if code == 422 and route.api and not route.safe:
            # The API validates a body before the view runs: sent empty, it is refused for anyone
            # (tenant A's member too) before the object is looked up — and nothing is written.
            mine_code = contract.send(mine, route, route.url(world.a.slug, values)).status_code
            code = 404 if mine_code == 422 else code
        answers[str(route)] = code
    assert answers and {route: code for route, code in answers.items() if code != 404} == {}


def _pages(world, client) -> dict[str, str]:
    """URL → route of every HTML page of the plugin (GET), ids from tenant A's data."""
    routes = [r for r in world.routes() if r.safe and not r.api]
    known = contract.ids_in_tenant(world.a, world.plugin_id, [p for r in routes for p in r.params])
    found = contract.find_ids(client, routes, world.a.slug, known, CANDIDATE_IDS)
    return {
        route.url(world.a.slug, found.get(route)): str(route)
        for route in routes
        if not route.has_ids or route in found
    }


def test_pages_render_in_arabic_and_in_english_without_raw_codes(world):
    load_demo(world.a)
    client = world.clients[world.a.slug]
    pages = _pages(world, client)
    assert pages, "the plugin serves no page"
    messages = contract.catalogue_messages(contract.arabic_catalogues(world.app, world.plugin_id))
    problems = {}
    for language in ("ar", "en"):
        client.get(f"/lang/{language}")
        for url in pages:
            response = client.get(url, follow_redirects=True)
            found = [f"status {response.status_code}"] if response.status_code != 200 else []
            found += contract.page_problems(response.get_data(as_text=True), language, messages)
            if found:
                problems[f"{language} {url}"] = found
    assert problems == {}


def test_writes_are_audited_by_the_plugin(world):
    with contract.recording_writes(world.plugin_id) as log:
        load_demo(world.a)
        client = world.clients[world.a.slug]
        for url in _pages(world, client):
            client.get(url)
    assert log.problems == []
    assert log.written, "the demo data writes none of the plugin's tables: nothing was checked"


def test_permissions_are_declared(world):
    assert contract.permission_problems(world.app, world.plugin_id) == []


def test_permissions_are_enforced_on_every_route(world, make_member):
    load_demo(world.a)
    routes = world.routes()
    client = world.clients[world.a.slug]
    known = contract.ids_in_tenant(world.a, world.plugin_id, [p for r in routes for p in r.params])
    found = contract.find_ids(client, routes, world.a.slug, known, CANDIDATE_IDS)
    found.update(contract.unsafe_ids(routes, found, known))
    urls = {route: route.url(world.a.slug, found.get(route)) for route in routes}
    with contract.permissions_granted_to_nobody(world.app, world.plugin_id):
        answers = {str(route): contract.send(client, route, url).status_code for route, url in urls.items()}
    assert answers and {route: code for route, code in answers.items() if code != 403} == {}
    for role in contract.roles_without_permissions(world.app, world.plugin_id):
        member = make_member(f"{role.replace('_', '-')}@{world.a.slug}.example.org", world.a, [role])
        other = _signed_in(world.app, member)
        answers = {str(route): contract.send(other, route, url).status_code for route, url in urls.items()}
        assert {route: code for route, code in answers.items() if code != 403} == {}, role


def test_tables_carry_tenant_id_in_keys_and_foreign_keys(app_ctx, plugin_id):
    assert contract.table_problems(plugin_id) == []


def test_cli_commands_live_under_the_plugin_id(app, plugin_id):
    assert contract.cli_problems(app, plugin_id) == []
