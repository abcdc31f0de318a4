"""Which plugins the contract checks, their routes, the requests it sends them (bodies built from
their schemas) and the ids of a tenant's objects it puts in their URLs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask
from marshmallow import fields as ma_fields
from marshmallow import validate

from core.api import ApiBlueprint
from core.extensions import db
from core.plugins import ContractHints, PluginHost, get_host
from core.tenancy import distribution, tenant_context

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
