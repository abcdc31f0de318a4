"""Core's grievance permissions, categories, message templates, KPI sources and menu entries,
as a built-in plugin (``trylast``)."""

from __future__ import annotations

from ..auth.models import STAFF_ROLES
from ..auth.permissions import Permission
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..kpi import KpiSource
from ..navigation import NavItem
from . import demo, services


@hookimpl(trylast=True)
def register_permissions():
    return [
        # Receives every grievance, assigns, decides, marks malicious, accepts late excuses.
        Permission("grievances.receive", _l("Receive and assign grievances"), ("executive_director",)),
        Permission(
            "grievances.accept_excuse", _l("Accept an excuse for a late grievance"), ("executive_director",)
        ),
        Permission("grievances.audit", _l("Read grievances as an auditor"), ("auditor",)),
        # May be assigned a grievance (and then handle it); reading needs the assignment.
        Permission("grievances.handle", _l("Handle grievances assigned to them"), STAFF_ROLES),
        Permission(
            "grievances.record",
            _l("Record a grievance handed in at the office"),
            ("executive_director", "relations_officer"),
        ),
        Permission("grievances.file", _l("File a grievance on the portal"), ("applicant",)),
        Permission("grievances.settings", _l("Set the grievance rules"), ("tenant_admin",)),
    ]


@hookimpl(trylast=True)
def register_request_transitions():
    return [services.REDECIDE]


@hookimpl(trylast=True)
def validate_request_transition(request, action, actor, data):
    """``redecide`` is the way back for an upheld grievance only, never around a decision."""
    if action == services.REDECIDE.action and services.upheld_grievance_about(request) is None:
        return [_l("Only a grievance upheld against this request can send it back to the committee.")]
    return []


@hookimpl(trylast=True)
def holidays_changed(tenant, added, removed):
    """A moved Eid changes the 30th working day: every open due date is recomputed (audited)."""
    services.refresh_open_due_dates(services.today())


@hookimpl(trylast=True)
def register_grievance_categories():
    return [dict(item) for item in services.CORE_CATEGORIES]


@hookimpl(trylast=True)
def register_notification_templates():
    return dict(services.TEMPLATES)


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [
        NavItem(_l("Grievances"), "grievances.queue", "grievances.handle", order=350),
        NavItem(_l("My grievances"), "grievances_portal.mine", "grievances.file", order=360),
        NavItem(_l("Grievance rules"), "grievances.rules", "grievances.settings", order=910),
    ]


@hookimpl(trylast=True)
def register_kpi_sources(tenant):
    return [
        KpiSource("grievances.filed", _l("Grievances filed"), "count", services.kpi_filed),
        KpiSource(
            "grievances.decided_in_time", _l("Grievances decided within their deadline"), "percent",
            services.kpi_decided_in_time,
        ),
        KpiSource(
            "grievances.median_working_days", _l("Median working days to a grievance decision"), "count",
            services.kpi_median_days,
        ),
        KpiSource("grievances.upheld", _l("Grievances upheld (fully or partly)"), "percent", services.kpi_upheld),
        KpiSource("grievances.appeal_rate", _l("Grievance decisions appealed"), "percent", services.kpi_appeal_rate),
        KpiSource("grievances.reopen_rate", _l("Grievances reopened"), "percent", services.kpi_reopen_rate),
    ]  # fmt: skip


@hookimpl
def load_demo_data(tenant):
    demo.load(tenant)
