"""Planning's permissions, menu entry, audit words and core's KPI sources, as a built-in plugin
(``trylast``), and the demo plans (loaded through the import path)."""

from __future__ import annotations

from ..auth.models import STAFF_ROLES
from ..auth.permissions import Permission
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..navigation import NavItem
from . import demo, kpis, labels

EDITORS = ("tenant_admin", "executive_director")


@hookimpl(trylast=True)
def register_permissions():
    return [
        Permission("planning.view", _l("Read the operational plan and its progress"), STAFF_ROLES),
        Permission("planning.edit", _l("Import and edit the operational plan, enter its progress"), EDITORS),
        Permission("planning.approve", _l("Record the board's approval of the operational plan"), EDITORS),
    ]


AUDIT_ACTIONS = {
    "plan.import": _l("Operational plan imported"),
    "plan.approve": _l("Operational plan approved by the board"),
    "plan.revise": _l("New version of the operational plan"),
    "plan.progress": _l("Plan progress entered"),
    "plan.bind": _l("Plan indicator bound to a measure"),
    "plan.export": _l("Operational plan exported"),
}


@hookimpl(trylast=True)
def register_labels():
    return {
        "audit_action": AUDIT_ACTIONS,
        "audit_object": {"plan": _l("Operational plan"), "plan_activity": _l("Plan activity"),
                         "plan_indicator": _l("Plan indicator")},
        "plan_status": labels.PLAN_STATUS_LABELS,
        "plan_progress": labels.STATUS_LABELS,
        "goal_kind": labels.GOAL_KIND_LABELS,
        "plan_calendar": labels.CALENDAR_LABELS,
        "plan_source": labels.SOURCE_LABELS,
    }  # fmt: skip


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [NavItem(_l("Operational plan"), "planning.index", "planning.view", order=380)]


@hookimpl(trylast=True)
def register_kpi_sources(tenant):
    return kpis.core_sources()


@hookimpl
def load_demo_data(tenant):
    demo.load(tenant)
