"""Tenant settings (rules as data) with the seed values as defaults, and the seed catalogs."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from core.toolkit import Name, current_language

from .i18n import _l

# Seed 000, "material support", "in-kind support" and "family development", plus the
# ma'ouna program of goal 4 (insolvent prisoners). Unit as the plan states it.
DEFAULT_CATALOG = [
    {"code": "rent_support", "name_ar": "سداد إيجارات", "name_en": "Rent payment", "kind": "cash", "unit": "family"},
    {"code": "cash_aid", "name_ar": "المساعدات النقدية (زكاتي)", "name_en": "Cash aid (zakat)",
     "kind": "cash", "unit": "family"},
    {"code": "marriage_support", "name_ar": "دعم الزواج", "name_en": "Marriage support", "kind": "cash",
     "unit": "individual"},
    {"code": "relief_of_distress", "name_ar": "تفريج كربة", "name_en": "Relief of distress", "kind": "cash",
     "unit": "individual"},
    {"code": "maouna", "name_ar": "برنامج معونة", "name_en": "Ma'ouna program", "kind": "cash", "unit": "individual"},
    {"code": "food_basket", "name_ar": "السلة الغذائية", "name_en": "Food basket", "kind": "in_kind", "unit": "family"},
    {"code": "zakat_al_fitr", "name_ar": "زكاة الفطر", "name_en": "Zakat al-fitr", "kind": "in_kind", "unit": "family",
     "seasonal": True, "season": "zakat_al_fitr"},
    {"code": "iftar", "name_ar": "إفطار الصائم", "name_en": "Iftar", "kind": "in_kind", "unit": "individual",
     "seasonal": True, "season": "iftar"},
    {"code": "family_sponsorship", "name_ar": "كفالة أسرة", "name_en": "Family sponsorship", "kind": "cash",
     "unit": "family"},
    {"code": "winter_aid", "name_ar": "إعانة الشتاء", "name_en": "Winter aid", "kind": "in_kind", "unit": "family",
     "seasonal": True, "season": "winter_clothing"},
    {"code": "eid_joy", "name_ar": "فرحة العيد", "name_en": "Eid joy", "kind": "in_kind", "unit": "family"},
    {"code": "baby_basket", "name_ar": "سلة رضيع", "name_en": "Baby basket", "kind": "in_kind", "unit": "family"},
    {"code": "home_furnishing", "name_ar": "تأثيث منازل", "name_en": "Home furnishing", "kind": "in_kind",
     "unit": "family"},
    {"code": "training_qualification", "name_ar": "التدريب والتأهيل", "name_en": "Training and qualification",
     "kind": "in_kind", "unit": "individual"},
    {"code": "school_bag", "name_ar": "الحقيبة المدرسية", "name_en": "School bag", "kind": "in_kind", "unit": "family",
     "seasonal": True, "season": "school_bag"},
]  # fmt: skip
CATALOG_CODES = tuple(item["code"] for item in DEFAULT_CATALOG)

# Seed 000, goal 3: rehabilitation programs.
DEFAULT_PROGRAMS = [
    {"code": "new_life", "name_ar": "برنامج حياة جديدة", "name_en": "New Life program", "requires_interview": True},
    {"code": "hr_development", "name_ar": "برنامج تنمية الموارد البشرية", "name_en": "Human resources development"},
    {"code": "coping_with_stress", "name_ar": "فن التعامل مع الضغوط", "name_en": "Coping with stress"},
    {"code": "labour_market", "name_ar": "تحفيز السجناء للمشاركة في سوق العمل", "name_en": "Joining the labour market",
     "requires_interview": True},
    {"code": "intellectual_security", "name_ar": "دورات عن الأمن الفكري", "name_en": "Intellectual security"},
    {"code": "harm_of_crime", "name_ar": "دورات عن أضرار الجريمة وكيفية تجنبها", "name_en": "The harm of crime"},
]  # fmt: skip

CHOOSE = _l("Choose one of the listed values.")
UNIT_LABELS = {"individual": _l("Individual"), "family": _l("Family")}
KIND_LABELS = {"cash": _l("Cash"), "in_kind": _l("In kind")}


class _CatalogNames(dict):
    """The seed catalog's names by code, in the current language."""

    def __getitem__(self, code):
        item = next(i for i in DEFAULT_CATALOG if i["code"] == code)
        return item["name_en"] if current_language() == "en" else item["name_ar"]

    def __contains__(self, code):
        return code in CATALOG_CODES


CATALOG_NAMES = _CatalogNames()


class CatalogOverrideSchema(Schema):
    class Meta:
        unknown = RAISE

    enabled = fields.Boolean(load_default=True, metadata={"label": _l("Offered by the association")})
    name_ar = Name(validate=validate.Length(min=2, max=255), metadata={"label": _l("Name in Arabic")})
    name_en = Name(validate=validate.Length(min=2, max=255), metadata={"label": _l("Name in English")})
    unit = fields.String(
        validate=validate.OneOf(("individual", "family"), error=CHOOSE),
        metadata={"label": _l("Given per"), "choices": UNIT_LABELS},
    )
    kind = fields.String(
        validate=validate.OneOf(("cash", "in_kind"), error=CHOOSE),
        metadata={"label": _l("Kind of aid"), "choices": KIND_LABELS},
    )
    default_value_halalas = fields.Integer(
        allow_none=True,
        validate=validate.Range(min=0),
        metadata={"label": _l("Default value"), "money": True},
    )


class SettingsSchema(Schema):
    """``service_area`` empty means the tenant's own service area."""

    class Meta:
        unknown = RAISE

    service_area = fields.List(
        fields.String(validate=validate.Length(min=2, max=127)),
        load_default=list,
        metadata={
            "label": _l("Cities served"),
            "description": _l("Leave empty to use the association's own service area."),
        },
    )
    follow_up_months = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=120)),
        load_default=lambda: [6, 12],
        metadata={
            "label": _l("Follow-ups after release, in months"),
            "description": _l("One number of months per box, e.g. 6 and 12."),
        },
    )
    catalog_overrides = fields.Dict(
        keys=fields.String(
            validate=validate.OneOf(CATALOG_CODES, error=CHOOSE), metadata={"choices": CATALOG_NAMES}
        ),
        values=fields.Nested(CatalogOverrideSchema),
        load_default=dict,
        metadata={
            "label": _l("Changes to the seed catalog"),
            "description": _l("Tick an item to change its name, unit, kind or default value."),
        },
    )
    insolvency_programs = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,62}$")),
        load_default=lambda: ["relief_of_distress", "maouna"],
        metadata={
            "label": _l("Catalog items that count as the association's payment of a debt"),
            "description": _l("The catalog code of each item, one per box."),
        },
    )
    default_min_attendance_percent = fields.Integer(
        load_default=75,
        validate=validate.Range(min=0, max=100),
        metadata={"label": _l("Minimum attendance of a programme"), "unit": "%"},
    )

    @validates("follow_up_months")
    def _months(self, value, **kwargs):
        if not value:
            raise ValidationError(_l("Give at least one follow-up month."))
        if len(set(value)) != len(value):
            raise ValidationError(_l("Each follow-up month may appear once."))

    @validates("insolvency_programs")
    def _programs(self, value, **kwargs):
        if not value:
            raise ValidationError(_l("Give at least one catalog code counting as an association payment."))
