"""The checks end to end: three tenants with a member holding every role in each (the world),
and the contract's checks that drive the plugin's routes in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from core.auth.models import TENANT_ROLES
from core.extensions import db
from core.plugins import get_host, tenant_hooks
from core.tenancy import Tenant, tenant_context

from .audit import recording_writes
from .pages import arabic_catalogues, catalogue_messages, page_problems
from .permissions import permissions_granted_to_nobody, roles_without_permissions
from .routes import (
    Route,
    body_schema,
    find_ids,
    hints,
    ids_in_tenant,
    plugin_routes,
    sample_body,
    send,
    unsafe_ids,
)

CANDIDATE_IDS = tuple(range(1, 9))  # ids tried as tenant A when no table names a parameter


@dataclass
class World:
    """Tenant A (the plugin enabled, its demo data loaded on demand), tenant B (enabled, no data)
    and tenant C (not enabled); in each a member holding every role, signed in on a client."""

    app: Flask
    plugin_id: str
    a: Tenant
    b: Tenant
    c: Tenant
    clients: dict[str, object]
    sign_in: Callable[[object], object]  # user -> signed-in client

    def routes(self) -> list[Route]:
        return plugin_routes(self.app, self.plugin_id)

    def client(self, tenant: Tenant):
        return self.clients[tenant.slug]

    def load_demo(self) -> None:
        """The plugin's demo data (``load_demo_data``, as ``flask demo load`` calls it) in tenant A."""
        with tenant_context(self.a):
            tenant_hooks().load_demo_data(tenant=self.a)
            db.session.commit()

    def ids(self, routes: list[Route]) -> dict[Route, dict]:
        """Ids of tenant A's objects for the id-bearing routes (see :func:`find_ids`)."""
        known = ids_in_tenant(self.a, self.plugin_id, [p for r in routes for p in r.params])
        found = find_ids(self.client(self.a), routes, self.a.slug, known, list(CANDIDATE_IDS))
        found.update(unsafe_ids(routes, found, known))
        return found

    def pages(self) -> list[str]:
        """URLs of the plugin's HTML pages (GET) in tenant A, ids from its data."""
        routes = [r for r in self.routes() if r.safe and not r.api]
        found = self.ids(routes)
        return [r.url(self.a.slug, found.get(r)) for r in routes if not r.has_ids or r in found]


def build_world(app: Flask, plugin_id: str, create_tenant, enable_plugin, make_member, sign_in) -> World:
    """``create_tenant``, ``enable_plugin``, ``make_member`` are core.testing's factories;
    ``sign_in(user)`` returns a client signed in as ``user``."""
    host = get_host(app)
    a, b, c = (create_tenant(slug) for slug in ("contract-a", "contract-b", "contract-c"))
    for tenant in (a, b):
        for pid in (*host.plugins[plugin_id].meta.depends_on, plugin_id):
            enable_plugin(tenant, pid)
    clients = {
        t.slug: sign_in(make_member(f"everyone@{t.slug}.example.org", t, list(TENANT_ROLES)))
        for t in (a, b, c)
    }
    return World(app, plugin_id, a, b, c, clients, sign_in)


def _not(expected: int, answers: dict[str, int]) -> dict[str, int]:
    return {route: code for route, code in answers.items() if code != expected}


def ungated_routes(world: World) -> dict[str, int]:
    """Routes that do not answer 404 in tenant C, which has not enabled the plugin (hinted routes
    included: this needs no object)."""
    client = world.client(world.c)
    routes = plugin_routes(world.app, world.plugin_id, skipped=True)
    return _not(404, {str(r): send(client, r, r.url(world.c.slug)).status_code for r in routes})


def foreign_id_problems(world: World) -> dict[str, object]:
    """Id-bearing routes that do not answer 404 to tenant B for ids of tenant A's objects (the
    demo data loaded first), and the ones the contract could not drive (no object of A found).

    A write route is sent a body built from its schema (:func:`sample_body`); when the API refuses
    that body's shape (422) for tenant A's member too, the body is refused before any lookup, for
    anyone, and nothing is written: that counts as not found."""
    world.load_demo()
    routes = [r for r in world.routes() if r.has_ids]
    found = world.ids(routes)
    problems: dict[str, object] = {
        str(r): "no object of tenant A found for its ids: give a reason to skip it (ContractHints)"
        for r in routes
        if r not in found
    }
    mine, theirs = world.client(world.a), world.client(world.b)
    for route, values in found.items():
        schema = body_schema(world.app, route) if route.api and not route.safe else None
        body = sample_body(schema) if schema is not None else None
        code = send(theirs, route, route.url(world.b.slug, values), body).status_code
        if code == 422 and schema is not None:
            code = (
                404 if send(mine, route, route.url(world.a.slug, values), body).status_code == 422 else code
            )
        if code != 404:
            problems[str(route)] = code
    return problems


def page_problems_in_both_languages(world: World) -> dict[str, list[str]]:
    """Each page of the plugin in tenant A (demo data loaded), in Arabic then English: status 200
    after redirects, ``<html lang dir>``, no raw code (:func:`page_problems`)."""
    world.load_demo()
    client = world.client(world.a)
    pages = world.pages()
    messages = catalogue_messages(arabic_catalogues(world.app, world.plugin_id))
    problems: dict[str, list[str]] = {} if pages else {"-": ["the plugin serves no page"]}
    for language in ("ar", "en"):
        client.get(f"/lang/{language}")
        for url in pages:
            response = client.get(url, follow_redirects=True)
            found = [f"status {response.status_code}"] if response.status_code != 200 else []
            if response.status_code == 200 and response.mimetype != "text/html":
                continue  # a download (a contract, a photo): a file, not a page to read
            found += page_problems(response.get_data(as_text=True), language, messages)
            if found:
                problems[f"{language} {url}"] = found
    return problems


def unaudited_writes(world: World) -> list[str]:
    """Loading the demo data in tenant A and reading every page: :class:`WriteLog`'s problems."""
    with recording_writes(world.plugin_id) as log:
        world.load_demo()
        client = world.client(world.a)
        for url in world.pages():
            client.get(url)
    if not log.written and not log.problems:
        return [f"the demo data writes none of the {world.plugin_id}_… tables: nothing was checked"]
    return log.problems


def unguarded_routes(world: World, make_member=None) -> dict[str, object]:
    """Routes that do not answer 403 (demo data in tenant A, its ids in the URLs): to tenant A's
    member holding every role while no role holds the plugin's permissions; and (given
    ``make_member``) to a member with a role that holds none of them."""
    world.load_demo()
    routes = world.routes()
    found = world.ids(routes)
    urls = {route: route.url(world.a.slug, found.get(route)) for route in routes}
    client = world.client(world.a)
    with permissions_granted_to_nobody(world.app, world.plugin_id):
        problems: dict[str, object] = _not(
            403,
            {f"every role, no permission: {r}": send(client, r, url).status_code for r, url in urls.items()},
        )
    for role in roles_without_permissions(world.app, world.plugin_id) if make_member else ():
        member = make_member(f"{role.replace('_', '-')}@{world.a.slug}.example.org", world.a, [role])
        other = world.sign_in(member)
        problems.update(
            _not(403, {f"{role}: {r}": send(other, r, url).status_code for r, url in urls.items()})
        )
    return problems


def hint_problems(app: Flask, plugin_id: str) -> list[str]:
    """Hints that name no route of the plugin or give no reason."""
    endpoints = {r.endpoint for r in plugin_routes(app, plugin_id, skipped=True)}
    return [
        f"skip_routes[{endpoint!r}]: " + ("no such route" if endpoint not in endpoints else "no reason given")
        for endpoint, reason in hints(app, plugin_id).skip_routes.items()
        if endpoint not in endpoints or not str(reason).strip()
    ]
