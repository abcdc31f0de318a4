"""The plugin contract: what every installed plugin must hold to, checked the same way for each.

``tests/test_plugin_contract.py`` runs these checks for every installed plugin (ids as test ids), so
a new plugin gets its contract tests with no extra code. The contract:

* **gated** — every route of the plugin (HTML and API, read from the app's URL map for the
  plugin's blueprints) answers 404 in a tenant that has not enabled it;
* **tenant-safe ids** — an id-bearing route that finds an object of tenant A (tenant A's
  member gets 200) answers 404 to tenant B's member asking for the same id;
* **audited** — every row the plugin writes into its tables (loading its demo data, serving its
  pages) is followed, before its transaction commits, by an audit entry of the plugin's own
  (``<plugin_id>.…``) — see :class:`WriteLog`;
* **translated** — its pages answer 200 in Arabic (``lang="ar" dir="rtl"``) and English with no
  raw code in the visible text (no snake_case choice code, on the Arabic page no English
  message of the catalogues);
* **guarded** — its permissions are declared (``register_permissions``, named ``<plugin_id>.…``
  — or an action of core it grants more roles —, labels in Arabic, roles that exist) and enforced: with its permissions granted to no role, a member holding
  every role gets 403 on each of its routes; a role that holds none of them gets 403 everywhere;
* **distributable** — its tables carry ``tenant_id`` in primary and foreign keys
  (:mod:`core.tenancy.distribution`'s rules);
* **namespaced CLI** — its commands live under ``flask <plugin_id> …``.

A plugin gives the contract hints through ``PluginMeta.contract`` (:class:`core.plugins.ContractHints`):
routes the contract cannot drive, each with its reason. There is no other way to bend it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import click
from babel.messages.pofile import read_po
from flask import Flask
from marshmallow import fields as ma_fields
from marshmallow import validate
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.api import ApiBlueprint
from core.audit.models import AuditEvent
from core.auth.models import TENANT_ROLES
from core.auth.permissions import Permission, forget_permission_tables
from core.extensions import db
from core.plugins import ContractHints, PluginHost, get_host, tenant_hooks
from core.tenancy import Tenant, distribution, tenant_context

PARAM_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
TENANT_PARAM = "tenant"


# --------------------------------------------------------------------------- which plugins


def installed_plugin_ids(extra_modules: Iterable[str] = ()) -> list[str]:
    """Ids of the plugins an app of this checkout installs (``plugins/``, the entry points and
    ``extra_modules``), found as the app finds them — at collection time, without an app."""
    host = PluginHost()
    host.discover(None, list(extra_modules))
    return sorted(host.plugins)


def hints(app: Flask, plugin_id: str) -> ContractHints:
    return get_host(app).plugins[plugin_id].meta.contract or ContractHints()


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    """One URL rule of a plugin and one of its methods."""

    endpoint: str
    rule: str
    method: str
    api: bool
    params: tuple[str, ...]  # besides the tenant, in order

    @property
    def has_ids(self) -> bool:
        return bool(self.params)

    @property
    def safe(self) -> bool:
        return self.method == "GET"

    def url(self, tenant_slug: str, values: dict[str, object] | None = None) -> str:
        values = {**(values or {}), TENANT_PARAM: tenant_slug}
        return PARAM_RE.sub(lambda m: str(values.get(m.group(2), 1)), self.rule)

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def plugin_routes(app: Flask, plugin_id: str, *, skipped: bool = False) -> list[Route]:
    """Every route (rule × method) of the plugin's blueprints, in a stable order; without the
    ones its hints skip unless ``skipped``."""
    host = get_host(app)
    skip = hints(app, plugin_id).skip_routes
    routes = []
    for rule in app.url_map.iter_rules():
        if host.blueprint_owner(rule.endpoint) != plugin_id:
            continue
        if not skipped and rule.endpoint in skip:
            continue
        blueprint = app.blueprints.get(rule.endpoint.split(".", 1)[0])
        params = tuple(name for _conv, name in PARAM_RE.findall(rule.rule) if name != TENANT_PARAM)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append(
                Route(rule.endpoint, rule.rule, method, isinstance(blueprint, ApiBlueprint), params)
            )
    return sorted(routes, key=lambda r: (r.rule, r.method))


def send(client, route: Route, url: str, body: dict | None = None):
    """The request a client sends: a GET, a form post (HTML) or a JSON body (API; ``body``, or
    empty); the CSRF token as the page would have sent it."""
    if route.safe:
        return client.get(url)
    if route.api:
        return client.open(url, method=route.method, json=body or {})
    return client.open(url, method=route.method, data=body or {})


def body_schema(app: Flask, route: Route):
    """The JSON body schema an API route reads (flask-smorest's ``arguments``), if any."""
    doc = getattr(app.view_functions[route.endpoint], "_apidoc", {})
    for parameter in doc.get("arguments", {}).get("parameters", []):
        if parameter.get("in") == "json":
            schema = parameter["schema"]
            return schema() if isinstance(schema, type) else schema
    return None


def sample_body(schema) -> dict:
    """A body with a plausible value for each required field of a marshmallow schema (the first
    choice of a ``OneOf``, above a range's minimum, a fixed date …): enough to get past validation of the
    shape, so that the view runs; rules beyond the shape may still refuse it."""
    return {(f.data_key or name): _sample(f) for name, f in schema.load_fields.items() if f.required}


def _sample(f: ma_fields.Field):
    validators = f.validators or []
    for validator in validators:
        if isinstance(validator, validate.OneOf) and validator.choices:
            return next(iter(validator.choices))
    minimum = next((v.min for v in validators if isinstance(v, validate.Range) and v.min is not None), None)
    length = next((v.min for v in validators if isinstance(v, validate.Length) and v.min), None)
    if isinstance(f, ma_fields.Nested):
        return sample_body(f.schema) if not f.many else []
    if isinstance(f, ma_fields.List):
        return [_sample(f.inner)] * (length or 0)
    if isinstance(f, ma_fields.Boolean):
        return True
    if isinstance(f, ma_fields.DateTime):
        return "2025-01-01T08:00:00+03:00"
    if isinstance(f, ma_fields.Date) or any("Date" in cls.__name__ for cls in type(f).__mro__):
        return "2025-01-01"  # date fields of their own (core's AnyDate reads Hijri too)
    if isinstance(f, ma_fields.Integer | ma_fields.Number):
        return max(1, int(minimum or 0) + 1)
    if isinstance(f, ma_fields.Dict):
        return {}
    if isinstance(f, ma_fields.String):
        return "نص تجريبي" + "ـ" * max(0, (length or 0) - 9)
    return "1"  # money, dates read from text and other text-typed fields


def find_ids(
    client, routes: Iterable[Route], tenant_slug: str, known: dict[str, int], candidates: list[int]
) -> dict[Route, dict]:
    """For each id-bearing GET route, ids for which ``client`` gets 200: objects that exist in the
    client's tenant. ``known`` ids (:func:`ids_in_tenant`) are tried first, then ``candidates``
    (the same value for every parameter). Routes with no such ids are left out (the caller
    reports them)."""
    found: dict[Route, dict] = {}
    for route in routes:
        if not (route.has_ids and route.safe):
            continue
        tries = []
        if all(p in known for p in route.params):
            tries.append({p: known[p] for p in route.params})
        tries += [dict.fromkeys(route.params, value) for value in candidates]
        for values in tries:
            if client.get(route.url(tenant_slug, values)).status_code == 200:
                found[route] = values
                break
    return found


def unsafe_ids(routes: Iterable[Route], found: dict[Route, dict], known: dict[str, int]) -> dict[Route, dict]:
    """Ids for the id-bearing write routes: those a GET route with the same parameter found, else
    ``known`` (:func:`ids_in_tenant`)."""
    by_param = {**known, **{param: value for values in found.values() for param, value in values.items()}}
    return {
        route: {param: by_param[param] for param in route.params}
        for route in routes
        if route.has_ids and not route.safe and all(param in by_param for param in route.params)
    }


def id_table(plugin_id: str, param: str) -> str | None:
    """The table a route parameter ``<thing>_id`` names: the plugin's ``<plugin_id>_…<things>``
    first, else a core tenant table ``…_<things>`` — when exactly one matches."""
    if not param.endswith("_id"):
        return None
    stem = param[: -len("_id")]
    plurals = {stem + "s", stem + "es", stem[:-1] + "ies" if stem.endswith("y") else stem + "s"}
    kinds = distribution.classification(db.metadata)
    tables = [n for n, kind in kinds.items() if kind == distribution.DISTRIBUTED]
    for group in (
        [n for n in tables if n.startswith(plugin_id + "_")],
        [n for n in tables if not any(n.startswith(p + "_") for p in _plugin_prefixes())],
    ):
        matches = [n for n in group if any(n == p or n.endswith("_" + p) for p in plurals)]
        if len(matches) == 1:
            return matches[0]
    return None


def _plugin_prefixes() -> list[str]:
    return list(get_host().plugins)


def ids_in_tenant(tenant, plugin_id: str, params: Iterable[str]) -> dict[str, int]:
    """For each parameter whose table :func:`id_table` finds, the first id of ``tenant``'s rows."""
    found = {}
    with tenant_context(tenant):
        for param in sorted(set(params)):
            table = id_table(plugin_id, param)
            if table is not None:
                columns = db.metadata.tables[table].c
                value = db.session.scalar(
                    db.select(columns.id).where(columns.tenant_id == tenant.id).order_by(columns.id).limit(1)
                )
                if value is not None:
                    found[param] = value
    return found


# --------------------------------------------------------------------------- audit


@dataclass
class WriteLog:
    """What a block wrote into the tables of one plugin, and whether each write was audited.

    Within each transaction, the rows written into tables named ``<plugin_id>_…`` (ORM flushes and
    statements alike) must be followed, before the commit, by an audit entry of the plugin
    (action ``<plugin_id>.…``); entries of others (core's, recorded by a core service the plugin
    called) in between do not count. A write followed by nothing, or only by someone else's
    entries, was not audited by the plugin: :attr:`problems` names it. Transactions rolled back
    are forgotten (nothing they wrote stays).
    """

    plugin_id: str
    written: set[str] = field(default_factory=set)  # tables that got rows
    problems: list[str] = field(default_factory=list)
    _pending: list[str] = field(default_factory=list)  # "table op" since the last entry

    def _table(self, name: str) -> bool:
        return name.startswith(self.plugin_id + "_")

    def wrote(self, table: str, op: str) -> None:
        if self._table(table):
            self._pending.append(f"{op} {table}")

    def audited(self, action: str) -> None:
        if action.startswith(self.plugin_id + "."):
            self.written.update(entry.split(" ", 1)[1] for entry in self._pending)
            self._pending.clear()

    def committed(self) -> None:
        if self._pending:
            self.problems.append(
                f"{', '.join(sorted(set(self._pending)))}: committed with no {self.plugin_id}.… audit entry after it"
            )
        self._pending.clear()

    def rolled_back(self) -> None:
        self._pending.clear()


@contextmanager
def recording_writes(plugin_id: str) -> Iterator[WriteLog]:
    """``with recording_writes("makkah_aid") as log: ...`` then ``log.problems`` (see ``WriteLog``)."""
    log = WriteLog(plugin_id)

    def before_flush(session, _context, _instances):
        # Rows flushed together with an audit entry were written before it was recorded.
        entries = [obj for obj in session.new if isinstance(obj, AuditEvent)]
        for op, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
            for obj in objects:
                table = getattr(obj, "__table__", None)
                if isinstance(obj, AuditEvent) or table is None:
                    continue
                if op != "update" or session.is_modified(obj, include_collections=False):
                    log.wrote(table.name, op)
        for entry in entries:
            log.audited(entry.action)

    def do_orm_execute(state):
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if table is not None and getattr(table, "name", None):
                log.wrote(
                    table.name, "insert" if state.is_insert else "update" if state.is_update else "delete"
                )

    def after_commit(_session):
        log.committed()

    def after_soft_rollback(_session, _previous_transaction):
        log.rolled_back()

    listeners = [
        ("before_flush", before_flush),
        ("do_orm_execute", do_orm_execute),
        ("after_commit", after_commit),
        ("after_soft_rollback", after_soft_rollback),
    ]
    for name, function in listeners:
        event.listen(Session, name, function)
    try:
        yield log
    finally:
        for name, function in listeners:
            event.remove(Session, name, function)


# --------------------------------------------------------------------------- pages and raw codes


class _VisibleText(HTMLParser):
    """The text a reader sees: element text outside script/style/template, plus the attributes
    that are read out or shown (title, placeholder, alt, aria-label, value of buttons)."""

    HIDDEN = {"script", "style", "template", "noscript"}
    SHOWN_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        attributes = dict(attrs)
        for name in self.SHOWN_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


_ADDRESS_RE = re.compile(r"\S+@\S+|\w+://\S+|/\S*")
SNAKE_CASE_RE = re.compile(r"(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")


def raw_codes(text: str) -> list[str]:
    """snake_case words in visible text — a choice code or a key shown instead of its label
    (e-mail addresses, URLs and paths set aside)."""
    return sorted(set(SNAKE_CASE_RE.findall(_ADDRESS_RE.sub(" ", text))))


def catalogue_messages(paths: Iterable[Path]) -> set[str]:
    """The English messages of ``.po`` catalogues that have an Arabic translation and are long
    enough (two words or more) not to be mistaken for a name or a code."""
    messages: set[str] = set()
    for path in paths:
        with path.open("rb") as handle:
            for message in read_po(handle):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                if not message.id or not message.string or "%(" in "".join(ids):
                    continue
                messages.update(text for text in ids if " " in text.strip() and len(text) >= 8)
    return messages


def arabic_catalogues(app: Flask, plugin_id: str) -> list[Path]:
    """The Arabic ``.po`` files of the plugin and of core (the layout around its pages)."""
    plugin = get_host(app).plugins[plugin_id]
    roots = [Path(app.root_path)]
    if plugin.path:
        roots.append(plugin.path)
    return sorted(p for root in roots for p in root.glob("**/translations/ar/LC_MESSAGES/*.po"))


def untranslated(text: str, messages: set[str]) -> list[str]:
    """English messages of the catalogues that appear, whole, in an Arabic page's visible text."""
    lines = set(text.splitlines())
    return sorted(m for m in messages if m in lines)


def page_problems(html: str, language: str, messages: set[str] = frozenset()) -> list[str]:
    """What is wrong with a page served in ``language`` (``ar`` or ``en``)."""
    direction = "rtl" if language == "ar" else "ltr"
    found = []
    head = html[: html.find(">", html.find("<html")) + 1] if "<html" in html else ""
    if f'lang="{language}"' not in head or f'dir="{direction}"' not in head:
        found.append(f'<html> is {head!r}, expected lang="{language}" dir="{direction}"')
    text = visible_text(html)
    found += [f"raw code {code!r} in the visible text" for code in raw_codes(text)]
    if language == "ar":
        found += [f"English message {m!r} on the Arabic page" for m in untranslated(text, messages)]
    return found


# --------------------------------------------------------------------------- permissions


def declared_permissions(app: Flask, plugin_id: str, *, own: bool = False) -> list[Permission]:
    """What the plugin's ``register_permissions`` returns (``own``: only its ``<plugin_id>.…``
    actions, not the roles it adds to an action of core)."""
    host = get_host(app)
    found = []
    for impl in host.pm.hook.register_permissions.get_hookimpls():
        if impl.plugin_name == plugin_id:
            found.extend(impl.function())
    return [p for p in found if p.action.startswith(plugin_id + ".")] if own else found


def core_actions(app: Flask) -> set[str]:
    """The actions core declares (its built-in ``register_permissions``)."""
    host = get_host(app)
    return {
        permission.action
        for impl in host.pm.hook.register_permissions.get_hookimpls()
        if impl.plugin_name not in host.plugins
        for permission in impl.function()
    }


ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")


def permission_problems(app: Flask, plugin_id: str) -> list[str]:
    """The declarations themselves: at least one of its own, each ``<plugin_id>.<name>`` (or an
    action core declares, to which the plugin adds roles), with a label that reads in Arabic,
    and roles that exist."""
    permissions = declared_permissions(app, plugin_id)
    if not declared_permissions(app, plugin_id, own=True):
        return [f"{plugin_id} declares no permission {plugin_id}.<name> (register_permissions)"]
    found = []
    core = core_actions(app)
    for permission in permissions:
        if not permission.action.startswith(plugin_id + ".") and permission.action not in core:
            found.append(f"{permission.action}: not named {plugin_id}.<name> (nor an action of core)")
        with app.test_request_context("/?lang=ar"):
            if not ARABIC_LETTER.search(str(permission.label)):
                found.append(
                    f"{permission.action}: label {str(permission.label)!r} is not translated to Arabic"
                )
        unknown = set(permission.roles) - set(TENANT_ROLES)
        if unknown or not permission.roles:
            found.append(f"{permission.action}: roles {sorted(unknown) or '()'} (known: {TENANT_ROLES})")
    return found


def roles_without_permissions(app: Flask, plugin_id: str) -> list[str]:
    """Tenant roles that hold none of the plugin's permissions."""
    holding = {role for p in declared_permissions(app, plugin_id, own=True) for role in p.roles}
    return [role for role in TENANT_ROLES if role not in holding]


@contextmanager
def permissions_granted_to_nobody(app: Flask, plugin_id: str) -> Iterator[None]:
    """The plugin declares its permissions as before, but with no role holding any of them
    (roles it adds to core's actions are withheld too: core's own grants stay)."""
    host = get_host(app)
    impls = [i for i in host.pm.hook.register_permissions.get_hookimpls() if i.plugin_name == plugin_id]
    originals = [impl.function for impl in impls]

    def nobody(function: Callable) -> Callable:
        return lambda: [Permission(p.action, p.label, ()) for p in function()]

    for impl in impls:
        impl.function = nobody(impl.function)
    forget_permission_tables(host)
    try:
        yield
    finally:
        for impl, original in zip(impls, originals, strict=True):
            impl.function = original
        forget_permission_tables(host)


# --------------------------------------------------------------------------- the checks, end to end

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


# --------------------------------------------------------------------------- tables and CLI


def plugin_tables(plugin_id: str) -> list[str]:
    return sorted(name for name in db.metadata.tables if name.startswith(plugin_id + "_"))


def table_problems(plugin_id: str) -> list[str]:
    """:func:`core.tenancy.distribution.problems` about the plugin's tables, and a plugin table
    that is not distributed by ``tenant_id`` (a plugin keeps no platform tables)."""
    tables = set(plugin_tables(plugin_id))
    found = [p for p in distribution.problems(db.metadata) if p.split(":", 1)[0] in tables]
    kinds = distribution.classification(db.metadata)
    found += [
        f"{name}: {kinds[name]} table — a plugin's tables are tenant tables (TenantMixin)"
        for name in sorted(tables)
        if kinds[name] != distribution.DISTRIBUTED
    ]
    return found


def _callback_modules(command: click.Command) -> Iterator[str]:
    callback = getattr(command, "callback", None)
    if callback is not None:
        yield getattr(callback, "__module__", "") or ""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _callback_modules(sub)


def cli_problems(app: Flask, plugin_id: str) -> list[str]:
    """Commands of the plugin (callbacks defined in its package) outside ``flask <plugin_id>``."""
    plugin = get_host(app).plugins[plugin_id]
    package = plugin.module.__name__
    found = []
    for name, command in app.cli.commands.items():
        own = [m for m in _callback_modules(command) if m == package or m.startswith(package + ".")]
        if own and name != plugin_id:
            found.append(
                f"`flask {name}` runs {own[0]} code: a plugin's commands live under `flask {plugin_id}`"
            )
    return found


__all__ = [
    "Route",
    "WriteLog",
    "arabic_catalogues",
    "catalogue_messages",
    "cli_problems",
    "declared_permissions",
    "find_ids",
    "hints",
    "installed_plugin_ids",
    "page_problems",
    "permission_problems",
    "permissions_granted_to_nobody",
    "plugin_routes",
    "plugin_tables",
    "raw_codes",
    "recording_writes",
    "roles_without_permissions",
    "send",
    "table_problems",
    "unsafe_ids",
    "untranslated",
    "visible_text",
]
