"""The one place that knows which tenant the current work is for.

The tenant lives on ``flask.g`` of the current app context: a request resolves it
from its URL (``/t/<slug>/``) or host name; CLI commands and background jobs enter
:func:`tenant_context` explicitly. Platform-level code that must read several
tenants at once (the platform admin listing, the privacy-preserving duplicate
check) says so with :func:`unscoped`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from flask import current_app, g, has_app_context, has_request_context, request
from flask_login import current_user

from ..extensions import db

if TYPE_CHECKING:
    from .models import Tenant


class TenantRequired(RuntimeError):
    """A query touched a tenant-owned table while no tenant was in context."""


class CrossTenantWrite(RuntimeError):
    """An object of one tenant was written while another tenant was in context."""


def current_tenant() -> Tenant | None:
    if not has_app_context():
        return None
    return g.get("_tenant")


def current_tenant_id() -> int | None:
    # Kept beside the tenant: reading ``tenant.id`` could need a query (an expired object),
    # and this is asked from inside SQLAlchemy events.
    if not has_app_context():
        return None
    return g.get("_tenant_id")


def require_tenant() -> Tenant:
    tenant = current_tenant()
    if tenant is None:
        raise TenantRequired("this operation needs a tenant in context")
    return tenant


def is_unscoped() -> bool:
    return has_app_context() and bool(g.get("_tenancy_unscoped"))


# app.extensions: whether the app's database keeps a tenant setting (core.tenancy.rls.install).
ROW_LEVEL_SECURITY = "charity_row_level_security"


def _sync_database() -> None:
    """Keep PostgreSQL's per-transaction tenant setting (Row-Level Security) in step."""
    if current_app.extensions.get(ROW_LEVEL_SECURITY):
        from .rls import sync_session  # cycle: rls reads the tenant in context from this module

        sync_session(db.session())


def _put(tenant: Tenant | None) -> None:
    g._tenant = tenant
    g._tenant_id = tenant.id if tenant is not None else None
    # The hook relay of the tenant in context (core.plugins.tenant_hooks) is kept beside it.
    g.pop("_tenant_hooks", None)


def set_current_tenant(tenant: Tenant | None) -> None:
    _put(tenant)
    _sync_database()


@contextmanager
def tenant_context(tenant: Tenant) -> Iterator[Tenant]:
    """Run a block for one tenant (CLI commands, jobs, platform admin actions)."""
    previous = g.get("_tenant")
    previous_unscoped = g.get("_tenancy_unscoped", False)
    _put(tenant)
    g._tenancy_unscoped = False
    _sync_database()
    try:
        yield tenant
    finally:
        _put(previous)
        g._tenancy_unscoped = previous_unscoped
        _sync_database()


@contextmanager
def reading_for(tenant_id: int | None) -> Iterator[None]:
    """The database reads of this block see ``tenant_id``'s rows (PostgreSQL: the transaction's
    tenant setting) while no tenant is in context yet — a request's tenant row read with its
    memberships and plugins (``core.auth.request_facts``), the result checked against that
    id. A tenant the block puts in context (``set_current_tenant``) stays; otherwise the
    setting goes back. ``None``: nothing changes."""
    if tenant_id is None:
        yield
        return
    previous = g.get("_tenant_id")
    g._tenant_id = tenant_id
    _sync_database()
    try:
        yield
    finally:
        if g.get("_tenant") is None:
            g._tenant_id = previous
            _sync_database()


@contextmanager
def unscoped(reason: str) -> Iterator[None]:
    """Deliberately work across tenants: the platform scope. Every use is a reviewed
    platform-level need, and every entry is logged with who entered it and ``reason``.

    On PostgreSQL this is the only way past Row-Level Security: the transaction gets the
    signed platform scope (see :mod:`core.tenancy.rls`); with no tenant and no platform
    scope, tenant tables show no rows at all.
    """
    if not reason or not reason.strip():
        raise ValueError("unscoped() needs the reason for crossing tenants")
    _log_entry(reason)
    previous = g.get("_tenancy_unscoped", False)
    g._tenancy_unscoped = True
    _sync_database()
    try:
        yield
    finally:
        g._tenancy_unscoped = previous
        _sync_database()


def _log_entry(reason: str) -> None:
    from .rls import log_platform_scope  # cycle: as in _sync_database

    fields: dict = {"tenant": g.get("_tenant_id")}
    if has_request_context():
        user = current_user if current_user and current_user.is_authenticated else None
        fields.update(
            actor=f"user:{user.id}" if user is not None else "anonymous",
            email=getattr(user, "email", None),
            endpoint=request.endpoint,
            method=request.method,
            ip=request.remote_addr,
            request_id=request.environ.get("charity.request_id") or request.headers.get("X-Request-ID"),
        )
    else:
        click_context = click.get_current_context(silent=True)
        fields["actor"] = f"cli:{click_context.command_path}" if click_context else "process"
    log_platform_scope(reason, **fields)
