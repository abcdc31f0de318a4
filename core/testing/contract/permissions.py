"""Guarded: the permissions a plugin declares, whether the declarations hold, and the plugin with
its permissions granted to no role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask

from core.auth.models import TENANT_ROLES
from core.auth.permissions import Permission, forget_permission_tables
from core.plugins import get_host


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
