"""The audit trail's permissions and menu entry (built-in, ``trylast``)."""

from __future__ import annotations

from ..auth.permissions import Permission
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..navigation import NavItem
from .labels import ACTION_LABELS, OBJECT_LABELS


@hookimpl(trylast=True)
def register_permissions():
    return [
        Permission("audit.read", _l("Read the audit trail"), ("auditor", "tenant_admin")),
        Permission("audit.export", _l("Export the audit trail"), ("auditor", "tenant_admin")),
    ]


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [NavItem(_l("Audit trail"), "audit.index", "audit.read")]


@hookimpl(trylast=True)
def register_labels():
    return {"audit_action": ACTION_LABELS, "audit_object": OBJECT_LABELS}
