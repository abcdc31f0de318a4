"""Core's default aid catalog, permissions and demo catalog, as a built-in plugin (``trylast``)."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from ..auth.models import TENANT_ROLES
from ..auth.permissions import Permission
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..navigation import NavItem
from ..registry.panels import Panel
from ..requests.workflow import state_label
from . import services

DEFAULT_CATALOG = [
    {
        "code": "cash_aid",
        "name_ar": "مساعدة نقدية",
        "name_en": "Cash aid",
        "kind": "cash",
        "unit": "family",
        "default_value_halalas": None,
        "seasonal": False,
        "season": None,
    },
    {
        "code": "food_basket",
        "name_ar": "سلة غذائية",
        "name_en": "Food basket",
        "kind": "in_kind",
        "unit": "family",
        "default_value_halalas": 35000,
        "seasonal": False,
        "season": None,
    },
    {
        "code": "rent_support",
        "name_ar": "دعم إيجار",
        "name_en": "Rent support",
        "kind": "cash",
        "unit": "family",
        "default_value_halalas": 600000,
        "seasonal": False,
        "season": None,
    },
    {
        "code": "school_bag",
        "name_ar": "الحقيبة المدرسية",
        "name_en": "School bag",
        "kind": "in_kind",
        "unit": "individual",
        "default_value_halalas": 15000,
        "seasonal": True,
        "season": "school_bag",
    },
    {
        "code": "ramadan_basket",
        "name_ar": "السلة الرمضانية",
        "name_en": "Ramadan basket",
        "kind": "in_kind",
        "unit": "family",
        "default_value_halalas": 50000,
        "seasonal": True,
        "season": "ramadan_basket",
    },
    {
        "code": "iftar",
        "name_ar": "إفطار صائم",
        "name_en": "Iftar meals",
        "kind": "in_kind",
        "unit": "individual",
        "default_value_halalas": 1500,
        "seasonal": True,
        "season": "iftar",
    },
    {
        "code": "zakat_al_fitr",
        "name_ar": "زكاة الفطر",
        "name_en": "Zakat al-fitr",
        "kind": "in_kind",
        "unit": "individual",
        "default_value_halalas": 2500,
        "seasonal": True,
        "season": "zakat_al_fitr",
    },
    {
        "code": "eid_clothing",
        "name_ar": "كسوة العيد",
        "name_en": "Eid clothing",
        "kind": "in_kind",
        "unit": "individual",
        "default_value_halalas": 30000,
        "seasonal": True,
        "season": "eid_clothing",
    },
    {
        "code": "udhiya",
        "name_ar": "الأضحية",
        "name_en": "Udhiya",
        "kind": "in_kind",
        "unit": "family",
        "default_value_halalas": 150000,
        "seasonal": True,
        "season": "udhiya",
    },
    {
        "code": "winter_clothing",
        "name_ar": "كسوة الشتاء",
        "name_en": "Winter clothing",
        "kind": "in_kind",
        "unit": "individual",
        "default_value_halalas": 25000,
        "seasonal": True,
        "season": "winter_clothing",
    },
]


@hookimpl(trylast=True)
def register_permissions():
    return [
        Permission(
            "catalog.view",
            _l("See the aid catalog"),
            TENANT_ROLES,
        ),
        Permission("catalog.manage", _l("Manage the aid catalog"), ("tenant_admin",)),
    ]


@hookimpl(trylast=True)
def register_aid_catalog(tenant):
    return [dict(item) for item in DEFAULT_CATALOG]


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [NavItem(_l("Aid catalog"), "aid.catalog", "catalog.manage")]


@hookimpl(trylast=True)
def person_aid_total(person):
    """Core's disbursements for the person's households in the current tenant (halalas)."""
    return services.person_aid_total(person)


@hookimpl(trylast=True)
def register_household_panels(household, file, user):
    """The household's aid requests and every disbursement on them, on its registry page."""
    html = render_template(
        "aid/household_history.html",
        aid=services.household_aid_history(household),
        request_state_label=state_label,
    )
    return [Panel("aid", _l("Aid history"), Markup(html), order=100)]


@hookimpl
def load_demo_data(tenant):
    services.install_default_catalog(tenant)
