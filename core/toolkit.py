"""The one stable module plugins import from. Everything else in ``core`` may move.

A plugin is a package with ``PLUGIN = PluginMeta(...)`` and ``@hookimpl`` functions
(see ``core/hookspecs.py`` and ``docs/plugin_hooks.md``). From here it gets the
database, the tenant mixin, the permission check, translations, errors and the
per-tenant hook caller.
"""

from __future__ import annotations

from .api import ApiBlueprint
from .auth.permissions import Permission, can, check, require
from .errors import AppError, Conflict, NotFound
from .extensions import db
from .hookspecs import hookimpl
from .i18n import current_language, localized, plugin_domain
from .i18n import gettext as _
from .i18n import lazy_gettext as _l
from .navigation import NavItem
from .numbers import (
    NumberFormatError,
    format_halalas,
    normalize_digits,
    parse_decimal,
    parse_halalas,
    parse_int,
)
from .plugins import PluginMeta, is_enabled, plugin_settings
from .plugins import tenant_hooks as hooks
from .tenancy import (
    Tenant,
    TenantMixin,
    current_tenant,
    require_tenant,
    tenant_context,
    tenant_foreign_key,
    utcnow,
)

__all__ = [
    "ApiBlueprint",
    "AppError",
    "Conflict",
    "NavItem",
    "NotFound",
    "NumberFormatError",
    "Permission",
    "PluginMeta",
    "Tenant",
    "TenantMixin",
    "_",
    "_l",
    "can",
    "check",
    "current_language",
    "current_tenant",
    "db",
    "format_halalas",
    "hookimpl",
    "hooks",
    "is_enabled",
    "localized",
    "normalize_digits",
    "parse_decimal",
    "parse_halalas",
    "parse_int",
    "plugin_domain",
    "plugin_settings",
    "require",
    "require_tenant",
    "tenant_context",
    "tenant_foreign_key",
    "utcnow",
]
