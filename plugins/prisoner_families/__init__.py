"""Prisoners and their families (seeds 000 and 002): prisoner records and family links, debt
cases of insolvent private-right prisoners, rehabilitation programs with recidivism follow-ups,
self-reliance placements, eligibility and KPIs. One plugin, enabled by two associations with
different settings."""

from __future__ import annotations

from core.toolkit import (
    STAFF_ROLES,
    Check,
    Choice,
    Household,
    NavItem,
    Permission,
    PluginMeta,
    RequestFields,
    get_in_tenant,
    hookimpl,
)

from . import (
    demo,
    kpis,
    models,  # noqa: F401  (the tables, registered with the metadata)
    rules,
    services,
)
from .api import api
from .cli import prisoner_families_cli
from .i18n import _l
from .schemas import RequestExtraSchema
from .settings import SettingsSchema
from .views import bp, request_panels

PLUGIN = PluginMeta(
    id="prisoner_families",
    name_ar="رعاية السجناء وأسرهم",
    name_en="Prisoners and their families",
    version="1.0.0",
    description_ar="السجناء وأسرهم، قضايا المديونيات للمعسرين، برامج التأهيل ومتابعة عدم العودة للجريمة، ومؤشرات الأداء.",
    description_en="Prisoners and their families, insolvent prisoners' debt cases, rehabilitation with "
    "recidivism follow-up, self-reliance and KPIs.",
    settings_schema=SettingsSchema,
)

ROLES_ALL_STAFF = STAFF_ROLES


# --------------------------------------------------------------------------- registration (global)


AUDIT_ACTIONS = {
    "prisoner_families.prisoner.created": _l("Prisoner registered"),
    "prisoner_families.prisoner.updated": _l("Prisoner's data changed"),
    "prisoner_families.family.linked": _l("Family linked to a prisoner"),
    "prisoner_families.debt_case.created": _l("Debt case opened"),
    "prisoner_families.debt_case.entry": _l("Debt case entry recorded"),
    "prisoner_families.debt_case.negotiation": _l("Negotiation with a creditor recorded"),
    "prisoner_families.debt_case.closed": _l("Debt case closed"),
    "prisoner_families.program.created": _l("Rehabilitation programme added"),
    "prisoner_families.session.created": _l("Programme session added"),
    "prisoner_families.session.attendance": _l("Attendance recorded"),
    "prisoner_families.enrolment.created": _l("Enrolment in a programme"),
    "prisoner_families.enrolment.interview": _l("Enrolment interview recorded"),
    "prisoner_families.follow_up.recorded": _l("Follow-up recorded"),
    "prisoner_families.placement.created": _l("Job placement recorded"),
    "prisoner_families.employment.created": _l("Employment recorded"),
}
AUDIT_OBJECTS = {
    "Prisoner": _l("Prisoner"),
    "FamilyLink": _l("Family link"),
    "DebtCase": _l("Debt case"),
    "Program": _l("Programme"),
    "ProgramSession": _l("Programme session"),
    "Enrolment": _l("Enrolment"),
    "FollowUp": _l("Follow-up"),
    "Placement": _l("Job placement"),
    "Employment": _l("Employment"),
}


@hookimpl
def register_labels():
    return {"audit_action": AUDIT_ACTIONS, "audit_object": AUDIT_OBJECTS}


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_api_blueprints():
    return [api]


@hookimpl
def register_commands():
    return [prisoner_families_cli]


# --------------------------------------------------------------------------- tenant-scoped


@hookimpl
def register_permissions():
    return [
        Permission("prisoner_families.view", _l("See prisoners, debt cases and programs"), ROLES_ALL_STAFF),
        Permission(
            "prisoner_families.manage",
            _l("Register prisoners, link families, record placements"),
            ("tenant_admin", "relations_officer", "researcher"),
        ),
        Permission(
            "prisoner_families.debts",
            _l("Run debt cases of insolvent prisoners"),
            ("tenant_admin", "researcher", "executive_director"),
        ),
        Permission(
            "prisoner_families.programs",
            _l("Run rehabilitation programs and follow-ups"),
            ("tenant_admin", "relations_officer", "researcher"),
        ),
        Permission(
            "prisoner_families.kpis",
            _l("See the prisoners' care KPIs"),
            ("tenant_admin", "executive_director", "committee_member", "auditor"),
        ),
    ]


@hookimpl
def register_nav_items(tenant, user):
    return [
        NavItem(_l("Prisoners"), "prisoner_families.index", "prisoner_families.view"),
        NavItem(_l("Debt cases"), "prisoner_families.debt_cases", "prisoner_families.view"),
        NavItem(_l("Rehabilitation"), "prisoner_families.programs", "prisoner_families.view"),
    ]


@hookimpl
def register_household_categories():
    return [Choice("prisoner_family", _l("Prisoner's family"))]


@hookimpl
def register_document_types():
    return [Choice("court_letter", _l("Prison or court letter"))]


@hookimpl
def register_aid_catalog(tenant):
    return rules.effective_catalog(services.settings()["catalog_overrides"])


@hookimpl
def register_request_fields():
    return [RequestFields("prisoner_families", RequestExtraSchema, _l("Debt case"))]


@hookimpl
def assess_eligibility(request, file):
    household = get_in_tenant(Household, file.household_id) if file is not None else None
    return [
        Check(c["code"], c["label"], c["outcome"], c["reason"], c["figures"])
        for c in services.assess(household)
    ]


@hookimpl
def disbursement_recorded(disbursement, request):
    services.on_disbursement(disbursement, request)


@hookimpl
def register_kpi_sources(tenant):
    return kpis.sources()


@hookimpl
def collect_self_reliance_placements(start, end):
    return services.placements_between(start, end)


@hookimpl
def load_demo_data(tenant):
    demo.load(tenant)


@hookimpl
def register_request_panels(request, user):
    return request_panels(request, user)
