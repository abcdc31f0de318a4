"""Crime victims care (seed 003, Aoun association): victim cases on core's requests, the seven
intake steps of the association's policy enforced on core's workflow, a tenant list of crime
categories, the expected answer date and its overdue flag.

Plugs in only through hooks and ``core.toolkit`` (docs/plugins.md).
"""

from __future__ import annotations

from core.toolkit import STAFF_ROLES, ContractHints, NavItem, Permission, PluginMeta, RequestFields, hookimpl

from . import (
    agreement_views,  # noqa: F401  (the partner's page and agreement file join the blueprint)
    api,
    api_partner,  # noqa: F401  (partner access joins the API blueprint)
    cli,
    demo,
    kpis,
    partner_views,
    services,
    views,
)
from .i18n import _l
from .schemas import application_schema
from .settings import SettingsSchema

_PARTNER_LINK = (
    "Public by design (no login): a partner's link to one referral, found by its random token; "
    "unknown, revoked, expired, ended, other-tenant tokens and the plugin off answer 404, tested in "
    "tests/test_partner_access.py."
)

_AGREEMENT_DOWNLOAD = (
    "A download of a partner's agreement file: the demo data uploads none, so the contract finds "
    "no file to fetch; another association's partner (404), staff who do not keep the register "
    "(403) and the audited download are tested in tests/test_partner_agreement.py."
)

PLUGIN = PluginMeta(
    id="crime_victims",
    name_ar="رعاية ضحايا الجريمة",
    name_en="Crime victims care",
    version="0.1.0",
    description_ar="حالات ضحايا الجريمة وأسرهم: خطوات الاستقبال السبع وتاريخ الرد المتوقع.",
    description_en="Cases of crime victims and their families: the seven intake steps and the expected answer date.",
    settings_schema=SettingsSchema,
    contract=ContractHints(
        skip_routes={
            "crime_victims_partner.link": _PARTNER_LINK,
            "crime_victims_api.partner_read": _PARTNER_LINK,
            "crime_victims_api.partner_report": _PARTNER_LINK,
            "crime_victims.partner_agreement": _AGREEMENT_DOWNLOAD,
            "crime_victims_api.download_partner_agreement": _AGREEMENT_DOWNLOAD,
        }
    ),
)

VIEW = "crime_victims.view"
INTAKE = "crime_victims.intake"
RESEARCH_OFFICER = "crime_victims.research_officer"
REGISTER = "crime_victims.register"
CATEGORIES = "crime_victims.categories"

AUDIT_ACTIONS = {
    "crime_victims.case.opened": _l("Victim case opened"),
    "crime_victims.case.step": _l("Victim case intake step recorded"),
    "crime_victims.category.added": _l("Crime category added"),
    "crime_victims.narrative.read": _l("Sealed narrative read"),
    "crime_victims.narrative.written": _l("Sealed narrative recorded"),
    "crime_victims.researcher.assigned": _l("Researcher assigned to a victim case"),
    "crime_victims.safe_contact.set": _l("Safe contact of a victim set"),
    "crime_victims.session.scheduled": _l("Session with a victim scheduled"),
    "crime_victims.need.added": _l("Need of a victim case assessed"),
    "crime_victims.need.met": _l("Need met in-house"),
    "crime_victims.need.closed": _l("Need closed with a reason"),
    "crime_victims.partner.added": _l("Partner organisation added"),
    "crime_victims.referral.sent": _l("Need referred to a partner"),
    "crime_victims.referral.moved": _l("Referral status changed"),
    "crime_victims.partner_link.issued": _l("Partner's link to a referral issued"),
    "crime_victims.partner_link.revoked": _l("Partner's link to a referral withdrawn"),
    "crime_victims.partner_link.sent": _l("Partner's link e-mailed to the partner"),
    "crime_victims.partner_link.opened": _l("Partner opened its link to a referral"),
    "crime_victims.partner_link.used": _l("Partner answered through its link to a referral"),
    "crime_victims.partner.agreement_attached": _l("Partner's agreement file uploaded"),
    "crime_victims.partner.agreement_downloaded": _l("Partner's agreement file downloaded"),
    # The plugin's request step (services.closing), in words even once the plugin is disabled.
    "request.close_needs_met": _l("Case closed: needs met"),
}
AUDIT_OBJECTS = {
    "crime_victims_case": _l("Victim case"),
    "crime_victims_category": _l("Crime category"),
    "crime_victims_need": _l("Need of a victim case"),
    "crime_victims_partner": _l("Partner organisation"),
    "crime_victims_referral": _l("Referral to a partner"),
    "crime_victims_partner_link": _l("Partner's link to a referral"),
}
STEP_KINDS = {
    "received": _l("Received, channel recorded"),
    "checked": _l("Items checked and ID valid"),
    "procedure_clear": _l("Procedure clear to the applicant"),
    "referred_to_research": _l("Referred to the social-research officer"),
    "research_answered": _l("Social-research officer answered"),
    "declared": _l("Declaration signed"),
    "committee_notice": _l("Told the case goes to the research committee"),
    "registered": _l("Registration completed"),
    "served": _l("Service delivered"),
}


# --------------------------------------------------------------------------- registration (global)


@hookimpl
def register_labels():
    return {"audit_action": AUDIT_ACTIONS, "audit_object": AUDIT_OBJECTS, "crime_victims_step": STEP_KINDS}


@hookimpl
def register_blueprints():
    return [views.bp, partner_views.bp]


@hookimpl
def register_api_blueprints():
    return [api.bp]


@hookimpl
def register_commands():
    return [cli.group]


@hookimpl
def register_jobs():
    return [cli.REMINDERS]


# --------------------------------------------------------------------------- tenant-scoped


@hookimpl
def register_permissions():
    return [
        Permission(VIEW, _l("See the victim cases (not their narrative)"), STAFF_ROLES),
        Permission(
            INTAKE,
            _l("Open victim cases and record their intake steps"),
            ("tenant_admin", "relations_officer", "researcher"),
        ),
        Permission(
            RESEARCH_OFFICER,
            _l("Answer referrals to the social-research officer"),
            ("tenant_admin", "researcher"),
        ),
        Permission(
            REGISTER,
            _l("Complete a victim's registration and record the service"),
            ("tenant_admin", "relations_officer", "researcher"),
        ),
        Permission(CATEGORIES, _l("Extend the list of crime categories"), ("tenant_admin",)),
        Permission(
            "crime_victims.care",
            _l("Assess needs, refer them to partners and follow the referrals"),
            ("tenant_admin", "relations_officer", "researcher"),
        ),
        Permission(
            "crime_victims.partners",
            _l("Keep the register of partner organisations"),
            ("tenant_admin", "relations_officer"),
        ),
        # The sealed narrative: its readers are the spec's, in every association (fixed).
        Permission(
            services.narrative.COMMITTEE_READ,
            _l("Read the sealed narrative of any victim case (the research committee)"),
            ("committee_member",),
            fixed=True,
        ),
        Permission(
            services.narrative.BREAK_GLASS_READ,
            _l(
                "Open the sealed narrative of a case not assigned to them, giving a reason (the auditors are told)"
            ),
            ("executive_director",),
            fixed=True,
        ),
    ]


@hookimpl
def register_nav_items(tenant, user):
    return [NavItem(_l("Victim cases"), "crime_victims.index", VIEW)]


@hookimpl
def register_request_fields():
    return [
        RequestFields(
            "crime_victims",
            application_schema(services.category_choices()),
            _l("The crime and its report"),
        )
    ]


@hookimpl
def request_submitted(request):
    services.case_from_request(request)


@hookimpl
def validate_request_submission(request):
    return services.submission_problems(request)


@hookimpl
def validate_request_transition(request, action, actor, data):
    case = services.case_of_request(request.id)
    problems = services.transition_problems(request, action, case)
    if action == "close":
        problems += services.care.close_problems(case)
    if action == services.closing.CLOSE_NEEDS_MET.action:
        problems += services.closing.problems(case)
    return problems


@hookimpl
def register_request_transitions():
    return [services.closing.CLOSE_NEEDS_MET]


@hookimpl
def register_notification_templates():
    return {
        "crime_victims_committee_notice": (
            _l("%(tenant)s: your case %(number)s goes to the research committee"),
            _l(
                "Your case %(number)s goes to the research committee, which studies it and answers "
                "with its acceptance or rejection. Expect the answer by %(date)s."
            ),
        ),
        "crime_victims_follow_up": (
            _l("Follow-up due: referral %(referral)s of victim case %(case)s"),
            _l("The follow-up of referral %(referral)s (victim case %(case)s) was due on %(date)s."),
        ),
        services.partner_mail.TEMPLATE: services.partner_mail.MESSAGE,
        "crime_victims_break_glass": (
            _l("Break-glass read of the sealed narrative of victim case %(case)s"),
            _l(
                "%(reader)s opened the sealed narrative of victim case %(case)s, not assigned to them. Reason: %(reason)s"
            ),
        ),
    }


@hookimpl
def register_request_panels(request, user):
    return views.request_panels(request, user)


@hookimpl
def register_portal_request_panels(request, user):
    return views.portal_panels(request, user)


@hookimpl
def register_kpi_sources(tenant):
    return kpis.sources()


@hookimpl
def load_demo_data(tenant):
    demo.load(tenant)


# The officer's tools of section 5 of seed 003, linked where they apply (core.policies).
POLICY_AREAS = {
    "crime_victims.case": (
        "basic_regulation",
        "research_services_guide",
        "support_policy_guide",
        "support_request_form",
    ),
    "crime_victims.intake": ("basic_regulation", "support_policy_guide", "support_request_form"),
}


@hookimpl
def register_policy_areas(tenant):
    return POLICY_AREAS
