"""Core's surveys as a built-in plugin: permissions, menu, the invitation message, the KPI
sources, invitations after a disbursement or a request's closing, the default survey."""

from __future__ import annotations

from ..auth.permissions import Permission
from ..calendar import today
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..kpi import KpiSource
from ..navigation import NavItem
from . import services
from .services.defaults import install_default_survey, load_demo_responses
from .services.results import response_rate


@hookimpl(trylast=True)
def register_permissions():
    return [
        Permission("surveys.manage", _l("Build satisfaction surveys and set their rules"), ("tenant_admin",)),
        Permission(
            "surveys.view_results",
            _l("See satisfaction results"),
            ("tenant_admin", "executive_director", "auditor"),
        ),
        Permission(
            "surveys.enter_paper",
            _l("Enter a paper satisfaction survey"),
            ("relations_officer", "researcher", "tenant_admin"),
        ),
    ]


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [
        NavItem(_l("Satisfaction"), "surveys.dashboard", "surveys.view_results"),
        NavItem(_l("Surveys"), "surveys.builder", "surveys.manage"),
    ]


@hookimpl(trylast=True)
def register_notification_templates():
    return {
        "surveys_invitation": (
            _l("%(tenant)s: how was our service? (request %(number)s)"),
            _l(
                "%(tenant)s would like your opinion on the service for your request %(number)s. "
                "Answer this short survey, once: %(link)s"
            ),
        )
    }


@hookimpl(trylast=True)
def register_kpi_sources(tenant):
    return [
        KpiSource(
            "surveys.satisfaction", _l("Beneficiary satisfaction"), "percent", services.satisfaction_share
        ),
        KpiSource("surveys.response_rate", _l("Satisfaction survey response rate"), "percent", response_rate),
    ]


AUDIT_ACTIONS = {
    "surveys.create": _l("Survey created"),
    "surveys.for_invitations": _l("Survey chosen for invitations"),
    "surveys.question.add": _l("Survey question added"),
    "surveys.question.remove": _l("Survey question removed"),
    "surveys.publish": _l("Survey version published"),
    "surveys.version": _l("Survey version drafted"),
    "surveys.settings": _l("Survey rules changed"),
    "surveys.invite": _l("Satisfaction survey invitation"),
    "surveys.response": _l("Survey answered"),
    "surveys.exported": _l("Survey results exported"),
}


@hookimpl(trylast=True)
def register_labels():
    return {
        "audit_action": AUDIT_ACTIONS,
        "audit_object": {
            "Survey": _l("Survey"),
            "SurveyVersion": _l("Survey version"),
            "SurveyInvitation": _l("Survey invitation"),
            "SurveyResponse": _l("Survey response"),
        },
    }


@hookimpl
def disbursement_recorded(disbursement, request):
    services.invite(request, "disbursement")


@hookimpl
def request_transitioned(request, action, from_state, to_state, actor):
    if to_state == "closed":
        services.invite(request, "request_closed")


@hookimpl
def load_demo_data(tenant):
    install_default_survey()
    load_demo_responses(today(tenant))
