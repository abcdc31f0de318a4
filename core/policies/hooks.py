"""Core's policy-document permissions, audit words, menu entries and demo data, as a built-in
plugin (``trylast``)."""

from __future__ import annotations

from ..auth.models import STAFF_ROLES
from ..auth.permissions import Permission
from ..hookspecs import hookimpl
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..navigation import NavItem
from . import demo
from .areas import CORE_AREAS
from .services import KIND_LABELS, approval_text, in_force, kind_label


@hookimpl(trylast=True)
def register_permissions():
    return [
        Permission("policies.view", _l("See the association's policy documents"), STAFF_ROLES),
        Permission("policies.manage", _l("Add and revise policy documents"), ("tenant_admin",)),
    ]


AUDIT_ACTIONS = {
    "policy.created": _l("Policy document added"),
    "policy.revised": _l("New version of a policy document"),
    "policy.downloaded": _l("Policy document read"),
}


@hookimpl(trylast=True)
def register_labels():
    return {
        "audit_action": AUDIT_ACTIONS,
        "audit_object": {"policy": _l("Policy document")},
        "policy_kind": KIND_LABELS,
    }


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [NavItem(_l("Policy documents"), "policies.index", "policies.view", order=920)]


@hookimpl(trylast=True)
def load_demo_data(tenant):
    demo.load(tenant)


@hookimpl(trylast=True)
def register_portal_policies(tenant):
    """The policy documents in force, on the portal's landing page (the public page links them)."""
    return [
        (
            policy.title,
            " · ".join(
                part
                for part in (
                    kind_label(policy.kind),
                    _("Version %(version)s", version=policy.version),
                    approval_text(policy),
                )
                if part
            ),
        )
        for policy in in_force()
    ]


@hookimpl(trylast=True)
def register_policy_areas(tenant):
    """Core's staff pages where a policy applies: the new request, its research, its decision."""
    return CORE_AREAS
