"""The registry's own hook implementations (built-in, ``trylast``)."""

from __future__ import annotations

from ..auth.permissions import Permission
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..navigation import NavItem
from .choices import Choice
from .demo import load

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
    return [
        Choice("improved", _l("Living conditions improved")),
        Choice("owner_request", _l("The file holder asked to close it")),
        Choice("assets", _l("Has funds, property or sponsored workers")),
        Choice("late_renewal", _l("Did not renew the data within 30 days")),
        Choice("girl_married", _l("Daughter married")),
        Choice("male_over_18", _l("Male over 18 and not studying")),
        Choice("refused_job", _l("Refused a job offered by the association")),
        Choice("death", _l("Death")),
        Choice("fraud", _l("Forged documents or false information")),
        Choice("assault", _l("Assaulted the association's staff or property")),
        Choice("moved_away", _l("Moved outside the association's area")),
        Choice("workers", _l("More than two sponsored workers")),
    ]


@hookimpl(trylast=True)
def load_demo_data(tenant):
    load(tenant)
