"""Tenancy on the web: which tenant a request is for, the links it builds, and what it forgets.

:func:`init_app` installs, on one app:

* **resolution from the URL** — ``/t/<slug>/…`` names the tenant (an unknown or inactive slug is
  a 404, answered once the request is authenticated, so an anonymous visitor learns nothing
  before a logged-in one would);
* **resolution from the host** — on a host name listed in a tenant's ``hosts`` (its manifest in
  ``tenants/`` or the platform admin's association form: the one host → tenant source) the
  bare ``/`` redirects to that tenant's home page, ``/t/<slug>/``, whose pages are then served
  on that host like on any other. Pages outside a tenant (login, account, platform admin, the
  platform API) stay platform pages there: no tenant is put in context for them, so a platform
  admin or another association's member is not judged as if inside this one. The lookup is
  made at most once per request (:func:`host_tenant`);
* **URL defaults** — ``url_for`` fills ``tenant`` from the tenant in context; :func:`page_path`
  builds the same path where no page is being answered (a job, a command, demo data), and
  :func:`page_url` the whole address a text message or an e-mail carries;
* **the request-state teardown** — per-request caches on ``flask.g`` are dropped at the end of
  each request (an app context reused across requests, as tests do, must not carry them over).
  Each feature names its own keys with :func:`forget_after_request`.

The ``before_request`` order of every request is written once, in :func:`_before`:
authentication (401, then CSRF) → the tenant gate and the other gates (404) → permission (403);
the view, and the parsing of its body (422), only after all of them. The stages above tenancy
(authentication, the plugin gate, authorization) are handed in by ``create_app``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, has_request_context, redirect, request, url_for

from .context import current_tenant, require_tenant, set_current_tenant
from .models import Tenant
from .services import get_tenant, tenant_for_host

REQUEST_STATE = "charity_request_state"
STAGES = "charity_request_stages"
# The ``g`` keys tenancy itself keeps for one request.
TENANCY_STATE = (
    "_tenant",
    "_tenant_id",
    "_tenancy_unscoped",
    "_unknown_tenant",
    "_host_tenant",
    "_tenant_hooks",
)
_NOT_LOOKED_UP = object()


def init_app(
    app: Flask,
    *,
    authenticate: Callable[[], None],
    gates: Iterable[Callable[[], None]] = (),
    authorize: Callable[[], None],
    resolve: Callable[[str], Tenant | None] = get_tenant,
) -> None:
    """Install tenant resolution, URL defaults and the request-state teardown on ``app``.

    ``authenticate`` (401) runs first, then the tenant gate and each of ``gates`` (404), then
    ``authorize`` (403) — see :func:`_before`. ``resolve`` reads the active tenant of a URL's
    slug (``create_app`` hands in one that reads the request's identity with it).
    """
    forget_after_request(app, *TENANCY_STATE)
    app.extensions[STAGES] = _Stages(authenticate, tuple(gates), authorize, resolve)
    app.url_value_preprocessor(_tenant_from_url)
    app.url_defaults(_tenant_in_urls)
    app.before_request(_before)
    app.teardown_request(_forget_request_state)


def forget_after_request(app: Flask, *keys: str) -> None:
    """Drop these ``flask.g`` keys at the end of every request of ``app`` (per-request caches)."""
    app.extensions.setdefault(REQUEST_STATE, set()).update(keys)


class _Stages(NamedTuple):
    authenticate: Callable[[], None]
    gates: tuple[Callable[[], None], ...]
    authorize: Callable[[], None]
    resolve: Callable[[str], Tenant | None]


def _before():
    """The one ``before_request`` order: 401 → 404 → 403 (see the module's docstring)."""
    stages: _Stages = current_app.extensions[STAGES]
    stages.authenticate()
    response = _tenant_gate()
    if response is not None:
        return response
    for gate in stages.gates:
        gate()
    stages.authorize()
    return None


def _tenant_from_url(endpoint, values) -> None:
    if values and "tenant" in values:
        tenant = current_app.extensions[STAGES].resolve(values.pop("tenant"))
        if tenant is None:
            g._unknown_tenant = True  # 404, once the request is authenticated (_tenant_gate)
        else:
            set_current_tenant(tenant)


def _tenant_gate():
    """404 for an unknown tenant in the URL; ``/`` on a tenant's host name → its home page."""
    if g.get("_unknown_tenant"):
        abort(404)
    if request.endpoint == "home.index" and g.get("_tenant") is None:
        tenant = host_tenant()
        if tenant is not None:
            return redirect(url_for("home.tenant_home", tenant=tenant.slug))
    return None


_HOST_RE = re.compile(r"^[a-z0-9.-]+(:\d+)?$")  # the form TenantSchema.hosts accepts


def host_tenant() -> Tenant | None:
    """The active tenant whose ``hosts`` list this request's host name (once per request)."""
    cached = g.get("_host_tenant", _NOT_LOOKED_UP)
    if cached is _NOT_LOOKED_UP:
        host = request.host.lower()
        cached = tenant_for_host(host) if _HOST_RE.match(host) else None
        g._host_tenant = cached
    return cached


def _tenant_in_urls(endpoint, values) -> None:
    tenant = g.get("_tenant")
    if (
        tenant is not None
        and "tenant" not in values
        and current_app.url_map.is_endpoint_expecting(endpoint, "tenant")
    ):
        values["tenant"] = tenant.slug


def page_path(endpoint: str, **values) -> str:
    """The path of a page of the tenant in context (``tenant`` filled in as by ``url_for``), in a
    request or outside one — a background job, a command, demo data: the link a notification
    keeps for the page it is about."""
    if "tenant" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "tenant"):
        values["tenant"] = require_tenant().slug
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def page_url(endpoint: str, **values) -> str:
    """The absolute address of a page (``tenant`` filled in as by :func:`page_path`): what an SMS
    or an e-mail carries. In a request, on the host the request came to; outside one (a
    background job, a command), on the first of the tenant's own ``hosts``, or else under the
    platform's ``PUBLIC_URL`` — never on a host no one can reach."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    path = page_path(endpoint, **values)
    public = current_app.config["PUBLIC_URL"].rstrip("/")
    tenant = current_tenant()
    if tenant is not None and tenant.hosts:
        return f"{urlsplit(public).scheme}://{tenant.hosts[0]}{path}"
    return public + path


def _forget_request_state(exc) -> None:
    kept = vars(g._get_current_object())  # the app context's namespace, looked up once
    for key in current_app.extensions.get(REQUEST_STATE, ()) & kept.keys():
        del kept[key]
