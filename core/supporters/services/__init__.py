"""The supporters' business rules, one module per responsibility (views and API stay thin)."""

from __future__ import annotations

from ...calendar import today
from .common import PERMISSION, check_manage
from .donations import (
    RECEIPT_PREFIX,
    TEMPLATES,
    agreement_file,
    agreements_of,
    attach_agreement_file,
    create_agreement,
    donations_of,
    record_donation,
)
from .export import export_xlsx
from .kpis import kpi_sources
from .pledges import (
    PledgeStatus,
    add_months,
    create_pledge,
    overdue_instalments,
    pledge_status,
    pledge_view,
    pledges_of,
    split_instalments,
)
from .supporters import (
    NO_CONSENT,
    allowed_stages,
    contact_targets,
    contacts_of,
    create_supporter,
    move_stage,
    record_contact,
    staff_members,
    update_supporter,
)
from .traceability import allocate, produce_report, report_view, supporter_report

__all__ = [
    "NO_CONSENT",
    "PERMISSION",
    "RECEIPT_PREFIX",
    "TEMPLATES",
    "PledgeStatus",
    "add_months",
    "agreement_file",
    "attach_agreement_file",
    "agreements_of",
    "allocate",
    "allowed_stages",
    "check_manage",
    "contact_targets",
    "contacts_of",
    "create_agreement",
    "create_pledge",
    "donations_of",
    "export_xlsx",
    "kpi_sources",
    "overdue_instalments",
    "pledge_status",
    "pledge_view",
    "produce_report",
    "report_view",
    "pledges_of",
    "record_contact",
    "record_donation",
    "split_instalments",
    "staff_members",
    "supporter_report",
    "today",
    "update_supporter",
    "move_stage",
    "create_supporter",
]
