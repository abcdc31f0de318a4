"""Core's volunteer permissions, words, KPI sources, menu entries and demo data, as a built-in
plugin (``trylast``)."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from ..auth.permissions import Permission, can
from ..extensions import db
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..kpi import KpiSource
from ..navigation import NavItem
from ..registry.panels import Panel
from . import demo, labels, services
from .models import Volunteer
from .services import messages


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
def register_notification_templates():
    return dict(messages.TEMPLATES)


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


@hookimpl(trylast=True)
def validate_request_submission(request):
    return services.submission_errors(request)


@hookimpl(trylast=True)
def register_request_panels(request, user):
    """The volunteer a volunteer-service request came through, and the visits' companions."""
    visits = services.companions_of(request)
    if request.channel != services.CHANNEL and not visits:
        return []
    referral = services.referral_of(request)
    may_refer = can(user, "requests.create") or can(user, services.COORDINATE)
    may_accompany = can(user, "requests.research") or can(user, services.COORDINATE)
    html = render_template(
        "volunteers/_request_panel.html",
        request_item=request,
        referrer=db.session.get(Volunteer, referral.volunteer_id) if referral else None,
        visits=visits,
        may_refer=may_refer,
        may_accompany=may_accompany,
        volunteers=services.accepted_volunteers() if may_refer else [],
        field_volunteers=services.field_volunteers() if may_accompany else [],
    )
    return [Panel("volunteers", str(_l("Volunteers")), Markup(html), order=150)]


@hookimpl
def load_demo_data(tenant):
    demo.load(tenant)
