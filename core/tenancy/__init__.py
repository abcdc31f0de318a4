"""Tenancy: the Tenant model, the current-tenant context and automatic scoping."""

from .context import (
    CrossTenantWrite,
    TenantRequired,
    current_tenant,
    current_tenant_id,
    is_unscoped,
    reading_for,
    require_tenant,
    set_current_tenant,
    tenant_context,
    unscoped,
)
from .keys import drop_redundant_tenant_keys, restore_redundant_tenant_keys
from .models import (
    CALENDAR_DISPLAYS,
    PluginEnablement,
    Tenant,
    TenantMixin,
    built_on,
    sqlite_only,
    tenant_foreign_key,
    utcnow,
)
from .web import page_path, page_url

__all__ = [
    "CALENDAR_DISPLAYS",
    "CrossTenantWrite",
    "PluginEnablement",
    "Tenant",
    "TenantMixin",
    "TenantRequired",
    "built_on",
    "current_tenant",
    "current_tenant_id",
    "drop_redundant_tenant_keys",
    "is_unscoped",
    "page_path",
    "page_url",
    "reading_for",
    "require_tenant",
    "restore_redundant_tenant_keys",
    "set_current_tenant",
    "sqlite_only",
    "tenant_context",
    "tenant_foreign_key",
    "unscoped",
    "utcnow",
]
