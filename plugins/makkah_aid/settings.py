"""The plugin's settings: every number and list of seed 004 (need-gap bands, the violations
ladder, exclusion reasons, renewal windows) as tenant data, the seed's values as defaults."""

from __future__ import annotations

import copy

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from core.toolkit import STAFF_ROLES

from .i18n import _l
from .rules import SANCTION_KINDS

ROLES = STAFF_ROLES
DETECTIONS = ("automatic", "staff", "researcher", "committee", "executive_director")
CHOOSE = _l("Choose one of the listed values.")
CODE_LABEL = _l("Code (Latin lower-case letters, digits and _)")
SANCTION_KIND_LABELS = {
    "timed": _l("Suspension for a number of months"),
    "condition": _l("Suspension until a condition is met"),
    "stop": _l("Services stopped with no end date (lifted only by staff)"),
    "permanent": _l("Permanent suspension of the family's services"),
    "dismissal": _l("Dismissal and permanent deprivation of services"),
}
DETECTION_LABELS = {
    "automatic": _l("Automatic rule"),
    "staff": _l("Any staff member"),
    "researcher": _l("Social researcher"),
    "committee": _l("The committee"),
    "executive_director": _l("Executive director"),
}
OUTCOME_LABELS = {"excluded": _l("Excluded"), "closed": _l("Closed")}


class Strict(Schema):
    class Meta:
        unknown = RAISE


DEFAULT_BANDS = [
    {"code": "A", "label_ar": "أ", "label_en": "A", "up_to_halalas": 1_000_000, "ceiling_halalas": 1_000_000},
    {"code": "B", "label_ar": "ب", "label_en": "B", "up_to_halalas": 2_000_000, "ceiling_halalas": 1_500_000},
    {"code": "C", "label_ar": "ج", "label_en": "C", "up_to_halalas": None, "ceiling_halalas": 1_800_000},
]


def _timed(months: int, pledge: bool = False) -> dict:
    return {"kind": "timed", "months": months, "pledge": pledge}


def _condition(ar: str, en: str, pledge: bool = False) -> dict:
    return {"kind": "condition", "condition_ar": ar, "condition_en": en, "pledge": pledge}


PERMANENT = {"kind": "permanent"}

DEFAULT_LADDER = [
    {
        "code": "forged_documents",
        "label_ar": "التحايل بتزوير المستندات أو إحضار مستندات غير صحيحة للحصول على الخدمات",
        "label_en": "Forged or false documents to obtain services",
        "sanctions": [PERMANENT],
    },
    {
        "code": "false_information",
        "label_ar": "عدم المصداقية في المعلومات المقدمة",
        "label_en": "Untruthful information",
        "sanctions": [_timed(12), PERMANENT],
    },
    {
        "code": "refused_visit",
        "label_ar": "رفض زيارة فريق البحث أو منعه من الكشف على أحد مرافق المنزل",
        "label_en": "Refusing the research team's visit or blocking inspection of part of the home",
        "sanctions": [
            _timed(2),
            # "إيقاف الخدمات بعد توثيق ذلك من فريق البحث والمدير التنفيذي": an indefinite stop,
            # recorded only with both documenters.
            {"kind": "stop", "documented_by": ["researcher", "executive_director"]},
        ],
    },
    {
        "code": "stalling_information",
        "label_ar": "المماطلة في تقديم المعلومات أو البيانات",
        "label_en": "Stalling in providing information",
        "sanctions": [_condition("حتى تكتمل المعلومات", "Until the information is complete")],
    },
    {
        "code": "unreported_contact_change",
        "label_ar": "تغيير عنوان السكن أو أرقام الاتصال دون إبلاغ الجمعية",
        "label_en": "Changing address or phone without telling the association",
        "sanctions": [_condition("حتى إشعار الجمعية بالبيانات المحدثة", "Until the updated data is given")],
    },
    {
        "code": "physical_assault",
        "label_ar": "الاعتداء البدني على أحد موظفي أو موظفات الجمعية",
        "label_en": "Physical assault on a staff member",
        "sanctions": [{"kind": "dismissal", "referral": True}],
    },
    {
        "code": "abusive_language",
        "label_ar": "التلفظ بالألفاظ النابية على موظفي الجمعية أو أعضاء مجلس الإدارة",
        "label_en": "Abusive language to staff or board members",
        "sanctions": [
            _condition(
                "حتى تحسن سلوكه وأخذ التعهد اللازم عليه",
                "Until the behaviour improves and a pledge is signed",
                pledge=True,
            )
        ],
    },
    {
        "code": "provider_misconduct",
        "label_ar": "سلوك غير لائق لدى إحدى الجهات المتعاقدة مع الجمعية",
        "label_en": "Improper behaviour at a provider contracted by the association",
        "sanctions": [_timed(2), PERMANENT],
    },
    {
        "code": "hidden_marriage_or_death",
        "label_ar": "إخفاء زواج أو وفاة أحد أفراد الأسرة دون إبلاغ الجمعية",
        "label_en": "Hiding a marriage or death in the family",
        "sanctions": [_timed(2, pledge=True), PERMANENT],
    },
    {
        "code": "sold_appliances",
        "label_ar": "بيع الأجهزة المقدمة من الجمعية أو التصرف فيها",
        "label_en": "Selling or disposing of appliances given by the association",
        "sanctions": [_timed(12, pledge=True), PERMANENT],
    },
]

_DECIDERS = ["committee_member", "executive_director"]


def _reason(code, ar, en, detection, roles=None, outcome="excluded", member_level=False, referral=False):
    return {
        "code": code,
        "label_ar": ar,
        "label_en": en,
        "detection": detection,
        "confirm_roles": list(roles or _DECIDERS),
        "outcome": outcome,
        "member_level": member_level,
        "referral": referral,
    }


DEFAULT_EXCLUSION_REASONS = [
    _reason("improved", "تحسن الحال المعيشي للمستفيد", "Living conditions improved", "researcher"),
    _reason("owner_request", "طلب إلغاء الملف من صاحبه", "The file owner asked to cancel", "staff"),
    _reason(
        "assets",
        "وجود أرصدة مالية أو ممتلكات كالعقار أو مؤسسات أو عمالة على الكفالة",
        "Bank balances or property: real estate, a business, sponsored workers",
        "researcher",
    ),
    _reason(
        "late_renewal",
        "التأخر عن التحديث النصف السنوي للبيانات لمدة ٣٠ يوما",
        "Late for the semi-annual data renewal by 30 days",
        "automatic",
    ),
    _reason("girl_married", "زواج البنت", "A daughter married", "automatic", member_level=True),
    _reason(
        "male_over_18",
        "ذكر تجاوز ١٨ سنة وغير ملتحق بالدراسة",
        "A male member over 18 not enrolled in study",
        "automatic",
        member_level=True,
    ),
    _reason(
        "refused_job",
        "رفض المستفيد أو أحد أفراد أسرته فرصة وظيفية وفرتها الجمعية",
        "Refused a job the association offered",
        "staff",
    ),
    _reason("death", "وفاة المستفيد", "Death of the beneficiary", "staff", outcome="closed"),
    _reason(
        "fraud",
        "التلاعب أو التزوير في الأوراق الثبوتية أو إعطاء معلومات غير صحيحة",
        "Forged papers or false information",
        "committee",
        roles=["committee_member"],
    ),
    _reason(
        "assault",
        "التعدي على موظفي الجمعية أو إتلاف أملاكها أو تشويه سمعتها",
        "Assault on staff, damage to property or defamation",
        "executive_director",
        roles=["executive_director"],
        referral=True,
    ),
    _reason(
        "moved_away",
        "الانتقال إلى منطقة خارج النطاق الجغرافي للجمعية",
        "Moved outside the association's service area",
        "automatic",
    ),
    _reason(
        "workers",
        "أكثر من عاملين على كفالة المستفيد أو أحد أفراد أسرته",
        "More than two workers under the sponsorship of the beneficiary or a family member",
        "automatic",
    ),
]
# The circumstances considered, each only with a supporting document (seed 004, "الظروف التي
# يتم النظر فيها (بموجب وثائق مثبتة)"); tenants extend the list.
DEFAULT_CIRCUMSTANCES = [
    {
        "code": "work_impediment",
        "label_ar": "الظروف المعيقة عن العمل",
        "label_en": "Conditions that prevent work",
    },
    {
        "code": "costly_health",
        "label_ar": "الظروف الصحية التي تحتاج نفقات كبيرة",
        "label_en": "Health conditions with large expenses",
    },
    {
        "code": "dismissal",
        "label_ar": "الطرد من العمل لأسباب غير أخلاقية",
        "label_en": "Dismissal from work (not for misconduct)",
    },
    {
        "code": "disaster",
        "label_ar": "الكوارث الخاصة مثل الحريق أو سرقة الممتلكات",
        "label_en": "Special disasters (fire, theft of property, …)",
    },
]

# Relief domains of seed 004 ("المجالات: الاجتماعية، الصحية، التعليمية، الإسكان، العينية والأرزاق").
DOMAINS = ("social", "health", "education", "housing", "in_kind")
DOMAIN_LABELS = {
    "social": _l("Social"),
    "health": _l("Health"),
    "education": _l("Education"),
    "housing": _l("Housing"),
    "in_kind": _l("In kind and provisions"),
}
DEFAULT_DOMAINS = {
    "dialysis": "health",
    "speech_hearing": "health",
    "widows_housing": "housing",
    "medical_treatment": "health",
    "education_support": "education",
    "cash_aid": "social",
    "rent_support": "housing",
    "food_basket": "in_kind",
    "school_bag": "education",
}
AUTOMATIC_REASONS = ("late_renewal", "workers", "moved_away", "male_over_18", "girl_married")


class BandSchema(Strict):
    code = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9_]{1,8}$"),
        metadata={"label": _l("Code (Latin letters or digits)")},
    )
    label_ar = fields.String(
        required=True, validate=validate.Length(min=1, max=40), metadata={"label": _l("Name in Arabic")}
    )
    label_en = fields.String(
        required=True, validate=validate.Length(min=1, max=40), metadata={"label": _l("Name in English")}
    )
    # Upper bound of the gap, inclusive; null for the last, open-ended band.
    up_to_halalas = fields.Integer(
        required=True,
        allow_none=True,
        validate=validate.Range(min=1),
        metadata={
            "label": _l("Annual gap up to"),
            "description": _l("Leave empty for the last, open-ended band."),
            "money": True,
        },
    )
    ceiling_halalas = fields.Integer(
        required=True, validate=validate.Range(min=1), metadata={"label": _l("Aid ceiling"), "money": True}
    )


class SanctionSchema(Strict):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(SANCTION_KINDS, error=CHOOSE),
        metadata={"label": _l("Sanction"), "choices": SANCTION_KIND_LABELS},
    )
    months = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=120),
        metadata={"label": _l("Length of a timed suspension"), "unit": _l("months")},
    )
    condition_ar = fields.String(
        load_default="", validate=validate.Length(max=255), metadata={"label": _l("Condition (Arabic)")}
    )
    condition_en = fields.String(
        load_default="", validate=validate.Length(max=255), metadata={"label": _l("Condition (English)")}
    )
    pledge = fields.Boolean(load_default=False, metadata={"label": _l("A signed pledge is required")})
    referral = fields.Boolean(
        load_default=False, metadata={"label": _l("Refer the file to the security authorities")}
    )
    documented_by = fields.List(
        fields.String(validate=validate.OneOf(ROLES, error=CHOOSE)),
        load_default=list,
        metadata={"label": _l("Documented by"), "label_kind": "role"},
    )

    @validates_schema
    def _consistent(self, data, **kwargs):
        if data["kind"] == "timed" and not data.get("months"):
            raise ValidationError({"months": [_l("A timed suspension needs its length in months.")]})
        if data["kind"] == "condition" and not (data.get("condition_ar") or data.get("condition_en")):
            raise ValidationError(
                {"condition_ar": [_l("A suspension until a condition needs the condition.")]}
            )


class LadderItemSchema(Strict):
    code = fields.String(
        required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,62}$"), metadata={"label": CODE_LABEL}
    )
    label_ar = fields.String(
        required=True, validate=validate.Length(min=1, max=255), metadata={"label": _l("Violation (Arabic)")}
    )
    label_en = fields.String(
        required=True, validate=validate.Length(min=1, max=255), metadata={"label": _l("Violation (English)")}
    )
    sanctions = fields.List(
        fields.Nested(SanctionSchema),
        required=True,
        validate=validate.Length(min=1, max=5),
        metadata={
            "label": _l("Sanctions, by occurrence"),
            "description": _l("The first entry applies to the first occurrence, the second to the second, …"),
        },
    )


class ExclusionReasonSchema(Strict):
    code = fields.String(
        required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,62}$"), metadata={"label": CODE_LABEL}
    )
    label_ar = fields.String(
        required=True, validate=validate.Length(min=1, max=255), metadata={"label": _l("Reason (Arabic)")}
    )
    label_en = fields.String(
        required=True, validate=validate.Length(min=1, max=255), metadata={"label": _l("Reason (English)")}
    )
    detection = fields.String(
        required=True,
        validate=validate.OneOf(DETECTIONS, error=CHOOSE),
        metadata={"label": _l("Detected by"), "choices": DETECTION_LABELS},
    )
    confirm_roles = fields.List(
        fields.String(validate=validate.OneOf(ROLES, error=CHOOSE)),
        required=True,
        validate=validate.Length(min=1),
        metadata={"label": _l("Confirmed by"), "label_kind": "role"},
    )
    outcome = fields.String(
        load_default="excluded",
        validate=validate.OneOf(("excluded", "closed"), error=CHOOSE),
        metadata={"label": _l("Outcome"), "choices": OUTCOME_LABELS},
    )
    member_level = fields.Boolean(
        load_default=False, metadata={"label": _l("Applies to one member, not the whole family")}
    )
    referral = fields.Boolean(
        load_default=False, metadata={"label": _l("Refer the file to the security authorities")}
    )


class CircumstanceKindSchema(Strict):
    code = fields.String(
        required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,62}$"), metadata={"label": CODE_LABEL}
    )
    label_ar = fields.String(
        required=True,
        validate=validate.Length(min=1, max=255),
        metadata={"label": _l("Circumstance (Arabic)")},
    )
    label_en = fields.String(
        required=True,
        validate=validate.Length(min=1, max=255),
        metadata={"label": _l("Circumstance (English)")},
    )


class CatalogDomainSchema(Strict):
    item_code = fields.String(
        required=True,
        validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,62}$"),
        metadata={"label": _l("Catalog item code")},
    )
    domain = fields.String(
        required=True,
        validate=validate.OneOf(DOMAINS, error=CHOOSE),
        metadata={"label": _l("Relief domain"), "choices": DOMAIN_LABELS},
    )


def _unique(items: list[dict], key: str = "code") -> bool:
    codes = [item[key] for item in items]
    return len(codes) == len(set(codes))


class SettingsSchema(Strict):
    """Every number and list of seed 004, as tenant data with the seed's values as defaults."""

    min_gap_halalas = fields.Integer(
        load_default=500_000,
        validate=validate.Range(min=0),
        metadata={
            "label": _l("Minimum annual gap between needs and income"),
            "description": _l("A family whose gap is below this amount is not eligible."),
            "money": True,
        },
    )
    bands = fields.List(
        fields.Nested(BandSchema),
        load_default=lambda: copy.deepcopy(DEFAULT_BANDS),
        validate=validate.Length(min=1),
        metadata={"label": _l("Need-gap bands and their aid ceilings")},
    )
    ladder = fields.List(
        fields.Nested(LadderItemSchema),
        load_default=lambda: copy.deepcopy(DEFAULT_LADDER),
        validate=validate.Length(min=1),
        metadata={"label": _l("Violations ladder")},
    )
    exclusion_reasons = fields.List(
        fields.Nested(ExclusionReasonSchema),
        load_default=lambda: copy.deepcopy(DEFAULT_EXCLUSION_REASONS),
        metadata={"label": _l("Exclusion reasons")},
    )
    circumstances = fields.List(
        fields.Nested(CircumstanceKindSchema),
        load_default=lambda: copy.deepcopy(DEFAULT_CIRCUMSTANCES),
        metadata={
            "label": _l("Circumstances considered (each only with a supporting document)"),
        },
    )
    catalog_domains = fields.List(
        fields.Nested(CatalogDomainSchema),
        load_default=lambda: [{"item_code": k, "domain": v} for k, v in DEFAULT_DOMAINS.items()],
        metadata={"label": _l("Relief domain of each aid catalog item")},
    )
    orphan_age_limit_years = fields.Integer(
        load_default=18,
        validate=validate.Range(min=1, max=30),
        metadata={"label": _l("Orphans are children up to the age of"), "unit": _l("years")},
    )
    renewal_interval_months = fields.Integer(
        load_default=6,
        validate=validate.Range(min=1, max=36),
        metadata={"label": _l("Data renewal every"), "unit": _l("months")},
    )
    renewal_window_days = fields.Integer(
        load_default=30,
        validate=validate.Range(min=1, max=365),
        metadata={"label": _l("Renewal window"), "unit": _l("days")},
    )
    late_renewal_days = fields.Integer(
        load_default=30,
        validate=validate.Range(min=1, max=365),
        metadata={
            "label": _l("Days late that make a renewal late (a late-renewal exclusion is proposed)"),
            "description": _l(
                "Seed 004: late by 30 days — the 30th day after the due date itself counts as late."
            ),
            "unit": _l("days"),
        },
    )
    max_sponsored_workers = fields.Integer(
        load_default=2,
        validate=validate.Range(min=0, max=100),
        metadata={"label": _l("Most workers a family may sponsor"), "unit": _l("workers")},
    )
    male_age_limit_years = fields.Integer(
        load_default=18,
        validate=validate.Range(min=1, max=40),
        metadata={"label": _l("Age limit of sons not studying"), "unit": _l("years")},
    )
    # Cities served; empty = the tenant's own service area.
    service_area = fields.List(
        fields.String(validate=validate.Length(min=1, max=80)),
        load_default=list,
        metadata={
            "label": _l("Cities served"),
            "description": _l("Leave empty to use the association's own service area."),
        },
    )

    @validates_schema
    def _coherent(self, data, **kwargs):
        errors: dict = {}
        bands = data.get("bands") or []
        if bands:
            bounds = [b["up_to_halalas"] for b in bands]
            if not _unique(bands):
                errors["bands"] = [_l("Band codes must be unique.")]
            elif bounds[-1] is not None or any(b is None for b in bounds[:-1]):
                errors["bands"] = [_l("Only the last band is open-ended (no upper bound).")]
            elif any(a >= b for a, b in zip(bounds[:-2], bounds[1:-1], strict=False)):
                errors["bands"] = [_l("Band upper bounds must increase.")]
            elif len(bounds) > 1 and bounds[0] < data.get("min_gap_halalas", 0):
                errors["bands"] = [_l("The first band must start at or above the minimum gap.")]
        if data.get("catalog_domains") and not _unique(data["catalog_domains"], "item_code"):
            errors["catalog_domains"] = [_l("Each catalog item has one domain.")]
        if data.get("circumstances") and not _unique(data["circumstances"]):
            errors["circumstances"] = [_l("Circumstance codes must be unique.")]
        if data.get("ladder") and not _unique(data["ladder"]):
            errors["ladder"] = [_l("Violation codes must be unique.")]
        reasons = data.get("exclusion_reasons")
        if reasons is not None:
            if not _unique(reasons):
                errors["exclusion_reasons"] = [_l("Exclusion reason codes must be unique.")]
            else:
                missing = [c for c in AUTOMATIC_REASONS if c not in {r["code"] for r in reasons}]
                if missing:
                    errors["exclusion_reasons"] = [
                        _l("The automatic rules need these reasons: %(codes)s", codes=", ".join(missing))
                    ]
        if errors:
            raise ValidationError(errors)
