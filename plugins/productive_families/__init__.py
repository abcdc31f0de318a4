"""Productive families (seed 001, Esrar, Al-Ahsa): home-based producers on top of the shared
registry — profile, products with prices and photos, licences with expiry warnings, a public
showcase per consenting producer — and their KPIs.

Plugs in only through hooks and ``core.toolkit`` (docs/plugins.md)."""

from __future__ import annotations

from core.toolkit import STAFF_ROLES, Choice, ContractHints, NavItem, Permission, PluginMeta, hookimpl

from . import (
    api,
    api_graduation,  # noqa: F401  (graduation's and the documents' API joins the blueprint)
    api_meetings,  # noqa: F401  (the meetings' and initiatives' API joins the API blueprint)
    api_training,  # noqa: F401  (the training API joins the API blueprint)
    award_views,  # noqa: F401  (the award's pages join the blueprint)
    cli,
    demo,
    demo_meetings,
    documents_views,  # noqa: F401  (the leaflet and feasibility study pages join the blueprint)
    exhibition_views,  # noqa: F401  (the exhibitions' pages join the blueprint)
    financing_views,  # noqa: F401  (the financing page joins the blueprint)
    graduation_views,  # noqa: F401  (the graduation pages join the blueprint)
    kpis,
    labels_graduation,
    meeting_views,  # noqa: F401  (the meetings' and initiatives' pages join the blueprint)
    portal,  # noqa: F401  (the producer's portal pages join the blueprint)
    public,  # noqa: F401  (the public showcase joins the blueprint)
    services,
    training_demo,
    training_labels,
    training_views,  # noqa: F401  (the training pages join the blueprint)
    views,
)
from .i18n import _l
from .models import LICENCE_STATES, SALES_CHANNELS  # noqa: F401  (the tables, registered with the metadata)
from .models_graduation import IncomeFollowUp  # noqa: F401  (graduation's tables, registered with the metadata)
from .models_meetings import CHALLENGE_THEMES  # noqa: F401  (the meetings' tables, registered with the metadata)
from .settings import SettingsSchema

_PUBLIC = (
    "Public by design (no login): the page a producer consented to publish; consent, withdrawal "
    "(404), nothing private and the plugin switched off are tested in tests/test_showcase.py."
)
_OWN = (
    "The producer's own pages: the profile and product are found through the signed-in applicant's "
    "linked profile (staff have none; another producer's product is 404), tested in tests/test_producers.py."
)
_ACTIVITY = (
    "The activity is a code of the tenant's own licensing list (its settings), not an id of another "
    "tenant's object: each tenant keeps and reads its own leaflet per code; another tenant's leaflet is "
    "404, tested in tests/test_stored_documents.py."
)

PLUGIN = PluginMeta(
    id="productive_families",
    name_ar="الأسر المنتجة",
    name_en="Productive families",
    version="1.0.0",
    description_ar="ملفات الأسر المنتجة ومنتجاتها، الترخيص وتنبيه انتهائه، وصفحة عرض عامة للمنتجات، ومؤشرات الأداء.",
    description_en="Home-based producers and their products, licensing with expiry warnings, a public "
    "products showcase, and KPIs.",
    settings_schema=SettingsSchema,
    contract=ContractHints(
        skip_routes={
            "productive_families.showcase_index": _PUBLIC,
            "productive_families.showcase": _PUBLIC,
            "productive_families.showcase_photo": _PUBLIC,
            "productive_families.portal_home": _OWN,
            "productive_families.portal_product": _OWN,
            "productive_families.portal_photo": _OWN,
            "productive_families.portal_exhibitions": _OWN,
            "productive_families.portal_leaflet": (
                "The leaflet of the signed-in producer's own activity, found through the linked profile "
                "(no id in the URL); another tenant's leaflet and the plugin switched off are 404, tested "
                "in tests/test_portal_needs_licence.py."
            ),
            "productive_families_api.my_scores": (
                "The calling judge's own scores: anyone not named a judge of the round gets 403, "
                "tested in tests/test_awards.py."
            ),
            **dict.fromkeys(
                (
                    "productive_families.leaflet",
                    "productive_families.leaflet_file",
                    "productive_families_api.put_leaflet",
                    "productive_families_api.get_leaflet_file",
                ),
                _ACTIVITY,
            ),
            "productive_families.judge": (
                "A judge's own scoring page: only the users named judges of the round open it (others 403), "
                "tested in tests/test_awards.py."
            ),
        }
    ),
)

P = "productive_families."
MANAGERS = ("tenant_admin", "relations_officer", "researcher")

AUDIT_ACTIONS = {
    P + "producer.created": _l("Producer registered"),
    P + "producer.updated": _l("Producer profile changed"),
    P + "producer.account_linked": _l("Producer's portal account linked"),
    P + "showcase.consented": _l("Public products page published"),
    P + "showcase.withdrawn": _l("Public products page withdrawn"),
    P + "product.created": _l("Product added"),
    P + "product.updated": _l("Product changed"),
    P + "product.photo_added": _l("Product photo added"),
    P + "product.photo_removed": _l("Product photo removed"),
    P + "licence.changed": _l("Licence status changed"),
    P + "licence.warned": _l("Licence expiry warning sent"),
    P + "exhibition.created": _l("Exhibition added"),
    P + "exhibition.applied": _l("Application to an exhibition"),
    P + "exhibition.scored": _l("Exhibition application scored"),
    P + "exhibition.allocated": _l("Exhibition booths allocated"),
    P + "exhibition.sales": _l("Exhibition sales recorded"),
    P + "award.created": _l("Award round added"),
    P + "award.nominated": _l("Producer nominated for the award"),
    P + "award.judge_added": _l("Award judge added"),
    P + "award.scored": _l("Judge's scores submitted"),
    P + "award.published": _l("Award winners published"),
    P + "financing.body_added": _l("Financing body added"),
    P + "financing.referred": _l("Financing request referred"),
    P + "financing.decided": _l("Financing outcome recorded"),
    P + "financing.partnership_changed": _l("Partnership and its quality score recorded"),
    P + "meeting.created": _l("Meeting with families added"),
    P + "meeting.attendance": _l("Meeting attendance recorded"),
    P + "meeting.survey_answered": _l("Challenges survey answered at a meeting"),
    P + "initiative.created": _l("Initiative added"),
    P + "initiative.updated": _l("Initiative changed"),
    P + "initiative.activity_added": _l("Activity added to an initiative's plan"),
    P + "initiative.activity_done": _l("Activity of an initiative's plan marked done"),
    P + "initiative.activity_reopened": _l("Activity of an initiative's plan marked not done"),
    P + "initiative.scored": _l("Initiative quality scored"),
    P + "initiative.criteria": _l("Initiative quality criteria changed"),
    P + "initiative.file_downloaded": _l("Initiative needs study downloaded"),
}
AUDIT_OBJECTS = {
    "Producer": _l("Producer"),
    "Product": _l("Product"),
    "Exhibition": _l("Exhibition"),
    "ExhibitionApplication": _l("Application to an exhibition"),
    "AwardRound": _l("Award round"),
    "FinancingBody": _l("Financing body"),
    "FinancingRequest": _l("Financing request"),
    "Meeting": _l("Meeting with families"),
    "Initiative": _l("Initiative"),
    "InitiativeCriterion": _l("Initiative quality criteria"),
}
THEME_LABELS = {
    "marketing": _l("Marketing and sales"),
    "licensing": _l("Licensing"),
    "financing": _l("Financing"),
    "raw_materials": _l("Raw materials"),
    "training": _l("Training and skills"),
    "family": _l("Family circumstances"),
    "health": _l("Health"),
    "other": _l("Other"),
}
INITIATIVE_KIND_LABELS = {"economic": _l("Economic"), "community": _l("Community")}
INITIATIVE_STATE_LABELS = {
    "needs_study": _l("Needs study"),
    "design": _l("Design"),
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}
AUDIT_ACTIONS.update(labels_graduation.AUDIT_ACTIONS)
AUDIT_OBJECTS.update(labels_graduation.AUDIT_OBJECTS)
BODY_LABELS = {
    "bank": _l("Bank"),
    "fund": _l("Fund"),
    "company": _l("Company"),
    "charity": _l("Charity"),
    "government": _l("Government body"),
    "other": _l("Other"),
}
AUDIT_ACTIONS.update(training_labels.AUDIT_ACTIONS)
AUDIT_OBJECTS.update(training_labels.AUDIT_OBJECTS)
FINANCING_LABELS = {
    "referred": _l("Referred"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "disbursed": _l("Disbursed"),
}
APPLICATION_LABELS = {
    "applied": _l("Applied"),
    "selected": _l("Selected"),
    "not_selected": _l("Not selected"),
    "withdrawn": _l("Withdrawn"),
}
LICENCE_LABELS = {
    "none": _l("No licence"),
    "applied": _l("Applied"),
    "issued": _l("Issued"),
    "expired": _l("Expired"),
}
CHANNEL_LABELS = {
    "home": _l("From home"),
    "exhibitions": _l("Exhibitions"),
    "social_media": _l("Social media"),
    "online_store": _l("Online store"),
    "shops": _l("Shops"),
    "school_canteens": _l("School canteens"),
    "other": _l("Other"),
}


@hookimpl
def register_labels():
    return {
        "audit_action": AUDIT_ACTIONS,
        "audit_object": AUDIT_OBJECTS,
        "productive_families_licence": LICENCE_LABELS,
        "productive_families_channel": CHANNEL_LABELS,
        "productive_families_application": APPLICATION_LABELS,
        "productive_families_body": BODY_LABELS,
        "productive_families_financing": FINANCING_LABELS,
        **training_labels.LABELS,
        "productive_families_theme": THEME_LABELS,
        "productive_families_initiative_kind": INITIATIVE_KIND_LABELS,
        "productive_families_initiative_state": INITIATIVE_STATE_LABELS,
        **labels_graduation.labels(),
    }


@hookimpl
def register_blueprints():
    return [views.bp]


@hookimpl
def register_api_blueprints():
    return [api.bp]


@hookimpl
def register_commands():
    return [cli.group]


@hookimpl
def register_jobs():
    return [cli.LICENCES, labels_graduation.GRADUATION]


# --------------------------------------------------------------------------- tenant-scoped


@hookimpl
def register_permissions():
    return [
        Permission(P + "view", _l("See the productive families"), STAFF_ROLES),
        Permission(P + "manage", _l("Register producers and manage their licences"), MANAGERS),
        Permission(
            P + "portal", _l("Keep one's own producer profile and products on the portal"), ("applicant",)
        ),
    ]


@hookimpl
def register_nav_items(tenant, user):
    return [
        NavItem(_l("Productive families"), "productive_families.index", P + "view"),
        NavItem(_l("My products"), "productive_families.portal_home", P + "portal"),
    ]


@hookimpl
def register_document_types():
    return [Choice(services.PHOTO_TYPE, _l("Product photo"))]


@hookimpl
def register_notification_templates():
    return {
        services.WARNING_TEMPLATE: services.WARNING_MESSAGE,
        services.INTEREST_TEMPLATE: services.INTEREST_MESSAGE,
    }


@hookimpl
def register_household_panels(household, file, user):
    """A registry household's page (a prisoner's family's too) shows its producer profile, or a
    link registering it as a producer with the household already chosen."""
    return views.household_panel(household, user)


@hookimpl
def register_kpi_sources(tenant):
    return kpis.sources() + labels_graduation.kpi_sources()


@hookimpl
def collect_self_reliance_placements(start, end):
    """Booths at exhibitions held in the period count as exhibition placements (self-reliance)."""
    return [(household_id, "exhibition") for household_id in services.exhibition_households(start, end)]


@hookimpl
def load_demo_data(tenant):
    demo.load(tenant)
    training_demo.load(tenant)
    demo_meetings.load(tenant)
