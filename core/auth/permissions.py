"""The one permission check: ``can(user, action, tenant)``, default deny.

Actions are declared through the tenant-scoped ``register_permissions`` hook (core
declares its own through the same hook), each with the roles that hold it. Actions
starting with ``platform.`` belong to platform admins; every other action needs a
membership in the tenant with one of the action's roles — a platform admin included.

An association may give an action to another of its roles or take it away from one
(``core.auth.grants``; the tenant admin's page ``core.admin.roles``): the changes are on the
tenant's row, read with it before the view, and combined with the declared table once per
request (:func:`_table_for`) — never kept past the request, so a change is seen by the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from functools import wraps
from typing import NamedTuple

from flask import abort, g
from flask_login import current_user

from ..extensions import db
from ..plugins import enabled_plugin_ids, get_host, tenant_hooks
from ..tenancy import current_tenant, current_tenant_id, is_unscoped, tenant_context
from . import grants
from .models import Membership


@dataclass(frozen=True)
class Permission:
    """An action, its label (words for the tenant admin's page) and the roles holding it by
    default. ``fixed``: the spec sets its holders, so no association may change them
    (``core.auth.grants``); a fixed declaration by any plugin fixes the action."""

    action: str
    label: str
    roles: tuple[str, ...] = ()
    fixed: bool = False


class _Declared(NamedTuple):
    roles: dict[str, frozenset[str]]  # action → the roles declared to hold it
    fixed: frozenset[str]  # actions declared fixed


_PERMISSIONS = "permissions"  # PluginHost.declared's name of the table


def _declared() -> _Declared:
    """The declarations of the current tenant's enabled set (built once per set, per app)."""
    return get_host().declared(_PERMISSIONS, enabled_plugin_ids(), _build_declared)


def _build_declared() -> _Declared:
    table: dict[str, set[str]] = {}
    fixed: set[str] = set()
    for declared in tenant_hooks().register_permissions():
        for permission in declared:
            table.setdefault(permission.action, set()).update(permission.roles)
            if permission.fixed:
                fixed.add(permission.action)
    return _Declared({a: frozenset(r) for a, r in table.items()}, frozenset(fixed))


def _action_table() -> dict[str, frozenset[str]]:
    return _declared().roles


def _table_for(tenant) -> dict[str, frozenset[str]]:
    """The action → roles table of ``tenant`` (in its context): the declared one, with the
    association's grants and withdrawals (``Tenant.role_permissions``) applied. Without any
    (most associations) that is the declared table itself; with some, combined once per request
    and kept on ``g`` beside the very objects it came from: a new declared table or a new value
    of the tenant's column (a change stored in this request) is combined again."""
    declared = _declared()
    overrides = tenant.role_permissions
    if not overrides:
        return declared.roles
    cache = g.setdefault("_role_tables", {})
    hit = cache.get(tenant.id)
    if hit is not None and hit[0] is declared and hit[1] is overrides:
        return hit[2]
    table = grants.effective(declared.roles, declared.fixed, overrides)
    cache[tenant.id] = (declared, overrides, table)
    return table


def declared_permissions() -> list[Permission]:
    """One declaration per action of the current tenant's enabled set (the first one's label),
    with the roles every declaration gives it and ``fixed`` when any declares it so."""
    declared = _declared()
    merged: dict[str, Permission] = {}
    for found in tenant_hooks().register_permissions():
        for permission in found:
            merged.setdefault(permission.action, permission)
    return [
        Permission(p.action, p.label, tuple(sorted(declared.roles[p.action])), p.action in declared.fixed)
        for p in merged.values()
    ]


def fixed_actions() -> frozenset[str]:
    """The actions of the current tenant's enabled set whose holders no association may change."""
    return _declared().fixed


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
    host.forget_declared(_PERMISSIONS)


def forget_roles_cache() -> None:
    g.pop("_roles_cache", None)
    g.pop("_role_tables", None)


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
        allowed = _table_for(tenant).get(action, frozenset())
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
            table = _table_for(tenant)  # the association's grants and withdrawals, as can() uses
    none: frozenset[str] = frozenset()

    def check(action: str) -> bool:
        if action.startswith("platform."):
            return bool(user.is_platform_admin)
        return bool(held & table.get(action, none))

    return check


def roles_holding(action: str) -> frozenset[str]:
    """The roles that hold ``action`` in the current tenant (with its enabled plugins', and the
    association's own grants and withdrawals)."""
    tenant = current_tenant()
    table = _action_table() if tenant is None else _table_for(tenant)
    return table.get(action, frozenset())


def default_roles_holding(action: str) -> frozenset[str]:
    """The roles declared to hold ``action`` (the current tenant's enabled set), before the
    association's own changes."""
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
