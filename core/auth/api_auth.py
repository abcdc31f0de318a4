"""Who is asking, decided once per request and before anything else looks at it.

Every request goes through :func:`authenticate` (the app's first ``before_request``) and,
once the tenant and plugin gates have run, :func:`authorize`. In order:

1. ``Authorization: Bearer <token>``: a valid token is the identity for this request only (the
   session cookie is ignored and nothing is written to it; no CSRF token is needed: a page on
   another site cannot set the header). An invalid, expired or revoked token answers 401 at once, whatever the endpoint — before
   the CSRF check, the tenant lookup or the body.
2. An API endpoint that needs a login (``ApiBlueprint.requires`` / ``login_required``) and has no
   user answers 401.
3. Otherwise the identity, if any, comes from the session cookie, so every unsafe method needs the
   CSRF token (form field ``csrf_token`` or the ``X-CSRFToken`` header), whatever other headers the
   request carries. Views that authenticate by credentials themselves (the token endpoint) are
   exempt: :func:`by_credentials`.
4. (``create_app``: an unknown tenant, or a plugin the tenant has not enabled → 404: the endpoint
   does not exist there, and no permission could be held in it — a disabled plugin's permissions
   are not even declared — so this comes before the permission, as on the pages.)
5. :func:`authorize`: the endpoint's permission → 403.

Only then does the view run and parse its body (422). The requirement is recorded on the view
function by the decorators (``functools.wraps`` copies it to every outer wrapper, so it is found on
the function registered for the endpoint whatever the decorator order) and enforced here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g, request
from flask_login import current_user
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from ..extensions import BEARER_REQUEST, csrf, login_manager
from ..tenancy import current_tenant
from . import request_facts
from .permissions import can, is_member
from .services import user_from_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ATTRIBUTE = "_auth_requirement"


@dataclass(frozen=True)
class Requirement:
    """What a view needs: a logged-in user holding one of ``actions`` or, when there are none, a
    role in the association whose endpoint it is (the service checks the rest)."""

    actions: tuple[str, ...] = ()


def mark(view, requirement: Requirement):
    """Record ``requirement`` on ``view`` (read by :func:`authenticate` / :func:`authorize`)."""
    setattr(view, ATTRIBUTE, requirement)
    return view


def requirement_of(endpoint: str | None) -> Requirement | None:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, ATTRIBUTE, None)


def by_credentials(view):
    """The view authenticates the request by its body (e-mail and password), not by a cookie."""
    return csrf.exempt(view)


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header ("" when the header has none)."""
    scheme, _, value = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def unauthorized(error: str | None = None) -> Unauthorized:
    """401 with the RFC 6750 challenge."""
    params = {"error": error} if error else {}
    return Unauthorized(www_authenticate=WWWAuthenticate("bearer", params))


def resolve_tenant(slug: str):
    """The tenant resolver of ``core.tenancy.web``: the tenant of the URL read together with
    this request's identity, roles and enabled plugins (``core.auth.request_facts``)."""
    return request_facts.read(slug, bearer_token())


def authenticate() -> None:
    """``before_request``, first: the identity (bearer or cookie) and the CSRF check."""
    secret = bearer_token()
    if secret is not None:
        user = user_from_token(secret) if secret else None
        if user is None:
            raise unauthorized("invalid_token")
        login_manager._update_request_context_with_user(user)  # current_user, not the session
        setattr(g, BEARER_REQUEST, True)
        return
    if requirement_of(request.endpoint) is not None and not current_user.is_authenticated:
        raise unauthorized()
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect(apply_exemptions=True)


def authorize() -> None:
    """``before_request``, after the tenant and plugin gates: the endpoint's permission (403)."""
    requirement = requirement_of(request.endpoint)
    if requirement is not None:
        enforce(requirement)
        g._auth_enforced = requirement


def enforce_again(requirement: Requirement) -> None:
    """The view's own backstop (``ApiBlueprint``): :func:`enforce`, unless :func:`authorize`
    already enforced this requirement for this request (nothing it reads can have changed
    between the two: the view has not started)."""
    if g.get("_auth_enforced") is not requirement:
        enforce(requirement)


def enforce(requirement: Requirement) -> None:
    """401 without a user; 403 without one of the actions — or, for a requirement without actions
    on an association's endpoint, without a role in that association."""
    user = current_user._get_current_object()  # the proxy resolved once, not per attribute
    if not user.is_authenticated:
        raise unauthorized()
    if requirement.actions:
        allowed = any(can(user, action) for action in requirement.actions)
    else:
        tenant = current_tenant()
        allowed = tenant is None or is_member(user, tenant)
    if not allowed:
        abort(403)
