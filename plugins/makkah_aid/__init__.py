"""Makkah Charitable Association (seed 004): need-gap bands, mandatory application data,
exclusions with evidence, the violations ladder and data-renewal rounds.

Plugs in only through hooks and ``core.toolkit``: the workflow refuses an incomplete
submission (``validate_request_submission``), the committee sees the gap check
(``assess_eligibility``) and the band's ceiling applies to approvals
(``propose_aid_ceiling``); sanctions and exclusions change the file's status through core.
"""

from __future__ import annotations

from core.toolkit import (
    STAFF_ROLES,
    Choice,
    FileFields,
    NavItem,
    Permission,
    PluginMeta,
    RequestFields,
    current_tenant,
    hookimpl,
)

from . import api_case, demo, kpis, rules, services, views_case  # noqa: F401 (their routes join the plugin's blueprints)
from .api import bp as api_bp
from .cli import TICK, makkah_aid_cli
from .i18n import _, _l
from .schemas import ApplicationSchema, FileExtraSchema
from .settings import DOMAIN_LABELS, SettingsSchema
from .views import EVIDENCE_LABELS, bp, household_panels, request_panels

PLUGIN = PluginMeta(
    id="makkah_aid",
    name_ar="مساعدات الجمعية الخيرية بمكة المكرمة",
    name_en="Makkah Charitable Association aid",
    version="1.0.0",
    description_ar="فئات الفجوة بين الاحتياجات والدخل، البيانات الإلزامية، حالات الإبعاد، لائحة المخالفات، وجولات تحديث البيانات.",
    description_en="Need-gap bands, mandatory application data, exclusions, the violations ladder and data-renewal rounds.",
    settings_schema=SettingsSchema,
)

CASE_ROLES = STAFF_ROLES


# --------------------------------------------------------------------------- registration (global)


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_api_blueprints():
    return [api_bp]


@hookimpl
def register_commands():
    return [makkah_aid_cli]


@hookimpl
def register_jobs():
    return [TICK]


# --------------------------------------------------------------------------- tenant-scoped


@hookimpl
def register_permissions():
    return [
        Permission("makkah_aid.view", _l("See need-gap assessments, violations and renewals"), CASE_ROLES),
        # Seed 004: researchers take applications too, on core's intake form.
        Permission("requests.create", _l("Register aid requests"), ("relations_officer", "researcher")),
        Permission("makkah_aid.assess", _l("Assess the need gap"), ("researcher",)),
        Permission(
            "makkah_aid.violations",
            _l("Record violations"),
            ("researcher", "relations_officer", "executive_director"),
        ),
        Permission(
            "makkah_aid.lift",
            _l("Lift a suspension once its condition is met"),
            ("researcher", "executive_director"),
        ),
        Permission("makkah_aid.rounds", _l("Announce data-renewal rounds"), ("tenant_admin",)),
        Permission("makkah_aid.renew", _l("Record data renewals"), ("relations_officer", "researcher")),
        Permission(
            "makkah_aid.propose",
            _l("Propose exclusions"),
            ("researcher", "relations_officer", "committee_member", "executive_director"),
        ),
        Permission(
            "makkah_aid.decide",
            _l("Confirm or dismiss exclusions"),
            ("committee_member", "executive_director"),
        ),
        Permission("makkah_aid.portal", _l("See renewal rounds and decisions on the portal"), ("applicant",)),
        Permission(
            "makkah_aid.circumstances",
            _l("Record a file's circumstances and category facts"),
            ("researcher", "relations_officer"),
        ),
        Permission(
            "makkah_aid.providers", _l("Manage service providers"), ("tenant_admin", "executive_director")
        ),
        Permission(
            "makkah_aid.provider_bank", _l("See and record providers' bank details"), ("finance_officer",)
        ),
    ]


@hookimpl
def register_nav_items(tenant, user):
    return [
        NavItem(_l("New application (Makkah)"), "requests.new", "requests.create"),
        NavItem(_l("Need-gap assessments"), "makkah_aid.assessments", "makkah_aid.view"),
        NavItem(_l("Violations"), "makkah_aid.violations_index", "makkah_aid.view"),
        NavItem(_l("Renewal rounds"), "makkah_aid.rounds_page", "makkah_aid.view"),
        NavItem(_l("Exclusion proposals"), "makkah_aid.proposals_page", "makkah_aid.view"),
        NavItem(_l("Services and providers"), "makkah_aid.providers_page", "makkah_aid.view"),
        NavItem(_l("Data renewal"), "makkah_aid.portal", "makkah_aid.portal"),
    ]


CATEGORY_LABELS = {
    "family": _l("Family"),
    "prisoner_family": _l("Prisoner's family"),
    "adult_unable": _l("Adult unable to work"),
    "orphan": _l("Orphan"),
    "unmarried_woman": _l("Unmarried woman without a provider"),
}


@hookimpl
def register_household_categories():
    return [Choice(code, text) for code, text in CATEGORY_LABELS.items()]


@hookimpl
def register_document_types():
    return [
        Choice("ownership_deed", _l("Housing ownership deed")),
        # The written pledge (إقرار خطي) some sanctions of the violations ladder ask for.
        Choice("pledge", _l("Signed pledge")),
        # The supporting document of a circumstance (الظروف: each only with a document).
        Choice(services.EVIDENCE_TYPE, _l("Supporting document of a circumstance")),
        Choice(services.INVOICE_TYPE, _l("Provider's invoice")),
    ]


AUDIT_ACTIONS = {
    "makkah_aid.assessment.recorded": _l("Need-gap assessment recorded"),
    "makkah_aid.exclusion.proposed": _l("Exclusion proposed"),
    "makkah_aid.exclusion.confirmed": _l("Exclusion confirmed"),
    "makkah_aid.exclusion.dismissed": _l("Exclusion proposal dismissed"),
    "makkah_aid.violation.recorded": _l("Violation recorded"),
    "makkah_aid.violation.lifted": _l("Sanction lifted"),
    "makkah_aid.violation.expired": _l("Sanction ended"),
    "makkah_aid.pledge.attached": _l("Signed pledge attached"),
    "makkah_aid.round.announced": _l("Renewal round announced"),
    "makkah_aid.rules.version": _l("New version of the rules"),
    "makkah_aid.circumstance.recorded": _l("Circumstance recorded with its document"),
    "makkah_aid.circumstance.ended": _l("Circumstance ended"),
    "makkah_aid.category_facts.updated": _l("Category facts updated"),
    "makkah_aid.provider.created": _l("Provider added"),
    "makkah_aid.provider.delivered": _l("Service delivered by a provider"),
    "makkah_aid.provider.updated": _l("Provider changed"),
    "makkah_aid.provider.contract_read": _l("Provider's contract read"),
}
AUDIT_OBJECTS = {
    "rule_version": _l("Rules version"),
    "renewal_round": _l("Renewal round"),
    "makkah_aid_provider": _l("Service provider"),
}


def _setting_label(section: str):
    """Labels of the tenant's settings entries (violations ladder, bands, reasons) by code."""

    def find(code: str):
        if current_tenant() is None:
            return None
        entry = next((item for item in services.settings()[section] if item["code"] == code), None)
        return services.label(entry) if entry else None

    return find


@hookimpl
def register_labels():
    return {
        "audit_action": AUDIT_ACTIONS,
        "audit_object": AUDIT_OBJECTS,
        "violation": _setting_label("ladder"),
        "band": _setting_label("bands"),
        "exclusion_reason": _setting_label("exclusion_reasons"),
        "evidence": EVIDENCE_LABELS,
        "circumstance": _setting_label("circumstances"),
        "relief_domain": DOMAIN_LABELS,
        "household_category": CATEGORY_LABELS,
    }


@hookimpl
def register_exclusion_reasons():
    """Seed 004's reasons (late renewal, daughter married, male over 18 …), tenant data with
    their Arabic and English labels; core keeps only the reasons every association has."""
    return [Choice(r["code"], services.label(r)) for r in services.settings()["exclusion_reasons"]]


@hookimpl
def register_file_fields():
    return [FileFields("makkah_aid", FileExtraSchema, _l("Makkah association"))]


@hookimpl
def register_request_fields():
    """The application's mandatory data and its documents, on core's request-intake form (staff)
    and the portal's apply form."""
    return [
        RequestFields(
            "makkah_aid",
            ApplicationSchema,
            _l("Mandatory data (Makkah association)"),
            documents=(
                {"name": "id", "label": _l("Copy of the ID (file)"), "doc_type": "id_copy", "required": True},
                {
                    "name": "address",
                    "label": _l("National address document (file)"),
                    "doc_type": "national_address",
                },
                {
                    "name": "housing",
                    "label": _l("Lease or ownership deed (file)"),
                    "doc_type": "lease",
                    "required": True,
                    "by_field": "housing",
                    "by_value": rules.HOUSING_DOCUMENTS,
                },
            ),
            mandatory=("applicant_name", "catalog_item_id"),
        )
    ]


@hookimpl
def validate_request_submission(request):
    return services.submission_errors(request)


@hookimpl
def file_status_checked(file):
    services.lift_expired(file)


@hookimpl
def register_aid_catalog(tenant):
    return services.catalog_declarations()


@hookimpl
def approval_override_reasons(request):
    return services.override_reasons(request)


@hookimpl
def disbursement_recorded(disbursement, request):
    services.link_delivery(disbursement, request)


@hookimpl
def validate_request_transition(request, action, actor, data):
    if action == "send_to_committee":
        # The committee decides on the band and its ceiling: no assessment, no committee.
        if services.latest_assessment(request) is None:
            return [_("Record the need-gap assessment before sending the request to the committee.")]
        return []
    if action not in ("approve", "disburse"):
        return []
    problems = []
    file = services.file_of(request)
    if file is not None:
        problems.extend(services.blocking_messages(file))
    if action == "approve" and services.latest_assessment(request) is None:
        problems.append(_("Record the need-gap assessment before the committee decides."))
    if action == "disburse":
        problems.append(services.check_provider_disbursement(request, data or {}))
    return problems


@hookimpl
def request_household_data(request):
    return services.household_data(request)


@hookimpl
def register_household_panels(household, file, user):
    return household_panels(household, file, user)


@hookimpl
def register_request_panels(request, user):
    return request_panels(request, user)


@hookimpl
def assess_eligibility(request, file):
    return [services.gap_check(request), services.category_check_for(request)]


@hookimpl
def propose_aid_ceiling(request, file, catalog_item):
    return services.aid_ceiling(request)


@hookimpl
def register_kpi_sources(tenant):
    return kpis.sources()


@hookimpl
def register_notification_templates():
    return {
        "makkah_aid_exclusion": (
            _l("%(tenant)s: your file was excluded"),
            _l(
                "Your beneficiary file %(file)s was excluded from the association's services. Reason: %(reason)s"
            ),
        ),
        "makkah_aid_member_exclusion": (
            _l("%(tenant)s: a change in your household's file"),
            _l("A member of your household no longer counts in your file %(file)s. Reason: %(reason)s"),
        ),
        "makkah_aid_sanction": (
            _l("%(tenant)s: a sanction on your file"),
            _l("A sanction was applied to your file %(file)s: %(reason)s"),
        ),
    }


@hookimpl
def load_demo_data(tenant):
    demo.load(tenant)


__all__ = ["PLUGIN"]
