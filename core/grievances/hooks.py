"""Core's grievance permissions, categories, message templates, KPI sources and menu entries,
as a built-in plugin (``trylast``)."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from ..auth.models import STAFF_ROLES
from ..auth.permissions import Permission, can
from ..calendar import format_date
from ..extensions import db
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..kpi import KpiSource
from ..navigation import DashboardCard, DashboardItem, NavItem
from . import demo, services
from .models import Grievance
from .services.access import visible_filter


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


# The grievance steps in the audit trail, in words (``grievance.<step>``).
AUDIT_ACTIONS = {
    "grievance.file": _l("Grievance filed"),
    "grievance.read": _l("Grievance read"),
    "grievance.list": _l("Grievances listed"),
    "grievance.assign": _l("Grievance assigned"),
    "grievance.set_about": _l("Staff member named in a grievance"),
    "grievance.review": _l("Grievance review started"),
    "grievance.ask_complainant": _l("Complainant asked (clock paused)"),
    "grievance.answer": _l("Complainant answered (clock resumed)"),
    "grievance.decide": _l("Grievance decided"),
    "grievance.reject_inadmissible": _l("Grievance not admissible"),
    "grievance.withdraw": _l("Grievance withdrawn"),
    "grievance.reopen": _l("Grievance reopened"),
    "grievance.close": _l("Grievance closed"),
    "grievance.mark_malicious": _l("Grievance marked as malicious"),
    "grievance.appeal": _l("Grievance appealed"),
    "grievance.assign_appeal": _l("Appeal assigned"),
    "grievance.decide_appeal": _l("Appeal decided"),
    "grievance.request_redecided": _l("Request sent back to the committee after a grievance"),
    "grievance.due_date.recomputed": _l("Grievance due date recomputed"),
    "grievance.rules.version": _l("Grievance rules version added"),
}


@hookimpl(trylast=True)
def register_labels():
    return {"audit_action": AUDIT_ACTIONS, "audit_object": {"grievance": _l("Grievance")}}


@hookimpl(trylast=True)
def dashboard_cards(user, tenant):
    """Overdue and due-soon grievances the user may read (confidential: never the staff member
    a grievance is about). Shown to the director always; to others when something is theirs."""
    today = services.today()
    overdue, soon = services.urgent(user, today)
    if not (overdue or soon or can(user, "grievances.receive")):
        return []
    kinds = {"grievance": _l("Grievance"), "complaint": _l("Complaint")}
    items = tuple(
        DashboardItem(
            label=str(kinds.get(g.kind, g.kind)),
            url=url_for("grievances.detail", grievance_id=g.id),
            detail=str(_l("Due %(date)s", date=format_date(services.effective_due_date(g, today)))),
            overdue=g in overdue,
            number=g.number,
        )
        for g in (overdue + soon)[:5]
    )
    return [
        DashboardCard(
            key="grievances",
            title=str(_l("Grievances overdue or due within 5 working days")),
            count=len(overdue) + len(soon),
            items=items,
            url=url_for("grievances.queue", queue="overdue" if overdue else "due_soon"),
            order=60,
            tone="danger" if overdue else "warning",
        )
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


@hookimpl(trylast=True)
def audit_object_names(object_type, ids):
    if object_type != "grievance":
        return None
    # Only the cases the reader may see are named: a member of staff a complaint is about reads
    # the trail's codes, never the complaint's number (the confidentiality of every other route).
    wanted = [int(i) for i in ids if str(i).isdigit()]
    rows = db.session.execute(
        db.select(Grievance.id, Grievance.number).where(
            Grievance.id.in_(wanted), visible_filter(current_user._get_current_object())
        )
    )
    return {str(row_id): number for row_id, number in rows}
