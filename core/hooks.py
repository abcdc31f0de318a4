"""Core's own hook implementations, registered as a built-in plugin (``trylast``).

An association's plugin adds to or overrides these the same way a third party would.
"""

from __future__ import annotations

from .auth.models import ROLE_LABELS, STAFF_ROLES
from .auth.permissions import Permission
from .hookspecs import hookimpl
from .i18n import current_language
from .i18n import lazy_gettext as _l
from .navigation import NavItem
from .plugins import get_host

ALL_STAFF = STAFF_ROLES


@hookimpl(trylast=True)
def register_permissions():
    return [
        Permission("tenant.view", _l("Open the association's pages"), (*ALL_STAFF, "applicant")),
        Permission("tenant.staff", _l("Work as the association's staff"), ALL_STAFF),
        # The admin's own actions are fixed: no change of the roles' permissions takes the page
        # that changes them (nor the settings) away from every admin.
        Permission("tenant.users.manage", _l("Manage users and roles"), ("tenant_admin",), fixed=True),
        Permission(
            "tenant.settings.manage", _l("Manage the association's settings"), ("tenant_admin",), fixed=True
        ),
    ]


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [
        NavItem(_l("Home"), "home.tenant_home", "tenant.view", order=0),
        NavItem(_l("Users and roles"), "tenant_admin.users", "tenant.users.manage", order=900),
        NavItem(_l("Permissions of the roles"), "tenant_roles.page", "tenant.users.manage", order=902),
        NavItem(_l("Holidays"), "tenant_admin.holidays", "tenant.settings.manage", order=905),
    ]


def _plugin_name(code: str):
    plugin = get_host().plugins.get(code)
    return plugin.meta.name(current_language()) if plugin is not None else None


@hookimpl(trylast=True)
def register_labels():
    return {"role": ROLE_LABELS, "plugin": _plugin_name}
