"""Core's volunteer permissions, words, KPI sources, menu entries and demo data, as a built-in
plugin (``trylast``)."""

from __future__ import annotations

from ..auth.permissions import Permission
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..kpi import KpiSource
from ..navigation import NavItem
from . import demo, labels, services


@hookimpl(trylast=True)
def register_permissions():
    return [
        # Accept volunteers, publish opportunities, assign places, confirm hours, export.
        Permission("volunteers.coordinate", _l("Coordinate volunteers"), ("tenant_admin",)),
        # A portal user offers to volunteer, applies for places, checks in and reads their hours.
        Permission("volunteers.offer", _l("Volunteer on the portal"), ("applicant",)),
    ]


@hookimpl(trylast=True)
def register_labels():
    return {
        "audit_action": labels.AUDIT_ACTIONS,
        "audit_object": labels.AUDIT_OBJECTS,
    }


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [
        NavItem(_l("Volunteers"), "volunteers.index", "volunteers.coordinate", order=380),
        NavItem(_l("Volunteering"), "volunteers_portal.home", "volunteers.offer", order=370),
    ]


@hookimpl(trylast=True)
def register_kpi_sources(tenant):
    return [
        KpiSource("volunteers.active", _l("Active volunteers"), "count", services.kpi_active),
        KpiSource("volunteers.hours", _l("Confirmed volunteer hours"), "count", services.kpi_hours),
        KpiSource(
            "volunteers.workforce_share", _l("Volunteers' share of the workforce"), "percent",
            services.kpi_share,
        ),
        KpiSource("volunteers.opportunities_filled", _l("Volunteer opportunities filled"), "count",
                  services.kpi_filled),
    ]  # fmt: skip


@hookimpl
def load_demo_data(tenant):
    demo.load(tenant)
