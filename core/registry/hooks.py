"""The registry's own hook implementations (built-in, ``trylast``)."""

from __future__ import annotations

from ..auth.permissions import Permission
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..navigation import NavItem
from .choices import Choice
from .demo import load
from .labels import LABELS
from .services.files import STATUS_LABELS
from .services.lists import exclusion_reasons

# Roles that serve a case read its file (seed 004: confidentiality); the auditor reads the trail, not files.
CASE_ROLES = (
    "tenant_admin",
    "relations_officer",
    "researcher",
    "committee_member",
    "executive_director",
    "finance_officer",
)


@hookimpl(trylast=True)
def register_permissions():
    return [
        Permission("registry.read", _l("Read beneficiary files"), CASE_ROLES),
        Permission(
            "registry.write",
            _l("Register and edit persons and households"),
            ("tenant_admin", "relations_officer", "researcher"),
        ),
        Permission(
            "registry.status",
            _l("Change the status of a beneficiary file"),
            ("tenant_admin", "researcher", "committee_member", "executive_director"),
        ),
        Permission(
            "registry.verify_documents", _l("Mark documents verified"), ("tenant_admin", "researcher")
        ),
        Permission(
            "registry.import", _l("Import households from a file"), ("tenant_admin", "relations_officer")
        ),
        Permission("registry.export", _l("Export the registry"), ("tenant_admin",)),
        Permission("registry.sharing", _l("Manage data-sharing agreements"), ("tenant_admin",)),
    ]


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [
        NavItem(_l("Beneficiaries"), "registry.search", "registry.read"),
        NavItem(_l("Register a household"), "registry.new_household", "registry.write"),
        NavItem(_l("Import"), "registry.import_page", "registry.import"),
    ]


@hookimpl(trylast=True)
def register_household_categories():
    return [
        Choice("family", _l("Family")),
        Choice("adult_unable", _l("Adult individual unable to work")),
        Choice("orphan", _l("Orphan")),
        Choice("unmarried_woman", _l("Unmarried woman without a provider")),
        Choice("widow", _l("Widow and her children")),
        Choice("divorcee", _l("Divorcee and her children")),
    ]


@hookimpl(trylast=True)
def register_exclusion_reasons():
    """The reasons any association has for ending a file; an association's own (seed 004's late
    renewal, daughter married, male over 18 …) come from its plugin's hook."""
    return [
        Choice("improved", _l("Living conditions improved")),
        Choice("owner_request", _l("The file holder asked to close it")),
        Choice("death", _l("Death")),
        Choice("fraud", _l("Forged documents or false information")),
    ]


@hookimpl(trylast=True)
def load_demo_data(tenant):
    load(tenant)


def _exclusion_reason(code: str):
    return next((choice.label for choice in exclusion_reasons() if choice.code == code), None)


@hookimpl(trylast=True)
def register_labels():
    return {"file_status": STATUS_LABELS, "exclusion_reason": _exclusion_reason, "registry": LABELS}
