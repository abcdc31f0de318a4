"""The one permission check: ``can(user, action, tenant)``, default deny.

Actions are declared through the tenant-scoped ``register_permissions`` hook (core
declares its own through the same hook), each with the roles that hold it. Actions
starting with ``platform.`` belong to platform admins; every other action needs a
membership in the tenant with one of the action's roles — a platform admin included.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from functools import wraps

from flask import abort, g
from flask_login import current_user

from ..extensions import db
from ..plugins import enabled_plugin_ids, get_host, tenant_hooks
from ..tenancy import current_tenant, current_tenant_id, is_unscoped, tenant_context
from .models import Membership


@dataclass(frozen=True)
class Permission:
    action: str
    label: str
    roles: tuple[str, ...] = ()


def _action_table() -> dict[str, frozenset[str]]:
    host = get_host()
    key = enabled_plugin_ids()
    cache = host.__dict__.setdefault("_permission_tables", {})
    if key not in cache:
        table: dict[str, set[str]] = {}
        for declared in tenant_hooks().register_permissions():
            for permission in declared:
                table.setdefault(permission.action, set()).update(permission.roles)
        cache[key] = {action: frozenset(roles) for action, roles in table.items()}
    return cache[key]


def declared_permissions() -> list[Permission]:
    merged: dict[str, Permission] = {}
    for declared in tenant_hooks().register_permissions():
        for permission in declared:
            merged.setdefault(permission.action, permission)
    return list(merged.values())


def _in_tenant(tenant):
    """``tenant_context(tenant)`` unless that tenant is already the one in context (a request's
    own checks): entering it again would change nothing but cost the context switch."""
    if tenant.id == current_tenant_id() and not is_unscoped():
        return nullcontext(tenant)
    return tenant_context(tenant)


def roles_in(user, tenant) -> frozenset[str]:
    """The roles ``user`` holds in ``tenant`` (cached for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or tenant is None:
        return frozenset()
    cache = g.setdefault("_roles_cache", {})
    key = (user.id, tenant.id)
    if key not in cache:
        with _in_tenant(tenant):
            roles = db.session.execute(
                db.select(Membership.roles).where(Membership.user_id == user.id)
            ).scalar_one_or_none()
        cache[key] = frozenset(roles) if roles else frozenset()
    return cache[key]


def remember_roles(user, tenant, roles) -> None:
    """The roles of ``user`` in ``tenant`` as this request read them (``core.auth.request_facts``:
    with the tenant; ``None``: no membership)."""
    g.setdefault("_roles_cache", {})[(user.id, tenant.id)] = frozenset(roles) if roles else frozenset()


def forget_permission_tables(host) -> None:
    """Drop the plugin host's cached action → roles tables (after the permissions a plugin
    declares changed)."""
    host.__dict__.pop("_permission_tables", None)


def forget_roles_cache() -> None:
    g.pop("_roles_cache", None)


def can(user, action: str, tenant=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action.startswith("platform."):
        return bool(user.is_platform_admin)
    tenant = tenant or current_tenant()
    if tenant is None:
        return False
    held = roles_in(user, tenant)
    if not held:
        return False
    with _in_tenant(tenant):
        allowed = _action_table().get(action, frozenset())
    return bool(held & allowed)


def checker(user, tenant=None) -> Callable[[str], bool]:
    """``can(user, ·)`` for several actions in one request (the steps a user may take): the
    user's state, the tenant, the roles (this request's, as :func:`can` reads them) and the
    action table looked up once, each answer the same as :func:`can`'s. Keep it no longer than
    the request: it holds what decides access."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return lambda action: False
    tenant = tenant or current_tenant()
    held = roles_in(user, tenant) if tenant is not None else frozenset()
    table: dict[str, frozenset[str]] = {}
    if held:
        with _in_tenant(tenant):
            table = _action_table()
    none: frozenset[str] = frozenset()

    def check(action: str) -> bool:
        if action.startswith("platform."):
            return bool(user.is_platform_admin)
        return bool(held & table.get(action, none))

    return check


def roles_holding(action: str) -> frozenset[str]:
    """The roles that hold ``action`` in the current tenant (with its enabled plugins')."""
    return _action_table().get(action, frozenset())


def is_member(user, tenant=None) -> bool:
    return bool(roles_in(user, tenant or current_tenant()))


def require(action: str) -> Callable:
    """View decorator: 401 when not logged in, 403 without the permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            check(action)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def check(action: str) -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not can(current_user, action):
        abort(403)
