"""Marshmallow schemas: the plugin's settings (rules as tenant data), the application's
mandatory data (``request.extra["makkah_aid"]``), the file fields and the API."""

from __future__ import annotations

import copy

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from core.toolkit import (
    STAFF_ROLES,
    AnyDate,
    InvalidNationalId,
    Money,
    Name,
    Timestamp,
    normalize_digits,
    parse_national_id,
)

from .i18n import _l
from .rules import NEED_ITEMS, SANCTION_KINDS

ROLES = STAFF_ROLES
DETECTIONS = ("automatic", "staff", "researcher", "committee", "executive_director")
CHOOSE = _l("Choose one of the listed values.")


class Strict(Schema):
    class Meta:
        unknown = RAISE


# --------------------------------------------------------------------------- settings (seed 004 defaults)

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
            {
                **_condition(
                    "إيقاف الخدمات بعد توثيق ذلك من فريق البحث والمدير التنفيذي",
                    "Services stopped, after the research team and the executive director documented it",
                ),
                "documented_by": ["researcher", "executive_director"],
            },
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
AUTOMATIC_REASONS = ("late_renewal", "workers", "moved_away", "male_over_18", "girl_married")


class BandSchema(Strict):
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_]{1,8}$"))
    label_ar = fields.String(required=True, validate=validate.Length(min=1, max=40))
    label_en = fields.String(required=True, validate=validate.Length(min=1, max=40))
    # Upper bound of the gap, inclusive; null for the last, open-ended band.
    up_to_halalas = fields.Integer(required=True, allow_none=True, validate=validate.Range(min=1))
    ceiling_halalas = fields.Integer(required=True, validate=validate.Range(min=1))


class SanctionSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(SANCTION_KINDS, error=CHOOSE))
    months = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=120))
    condition_ar = fields.String(load_default="", validate=validate.Length(max=255))
    condition_en = fields.String(load_default="", validate=validate.Length(max=255))
    pledge = fields.Boolean(load_default=False)
    referral = fields.Boolean(load_default=False)
    documented_by = fields.List(
        fields.String(validate=validate.OneOf(ROLES, error=CHOOSE)), load_default=list
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
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,62}$"))
    label_ar = fields.String(required=True, validate=validate.Length(min=1, max=255))
    label_en = fields.String(required=True, validate=validate.Length(min=1, max=255))
    sanctions = fields.List(
        fields.Nested(SanctionSchema), required=True, validate=validate.Length(min=1, max=5)
    )


class ExclusionReasonSchema(Strict):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,62}$"))
    label_ar = fields.String(required=True, validate=validate.Length(min=1, max=255))
    label_en = fields.String(required=True, validate=validate.Length(min=1, max=255))
    detection = fields.String(required=True, validate=validate.OneOf(DETECTIONS, error=CHOOSE))
    confirm_roles = fields.List(
        fields.String(validate=validate.OneOf(ROLES, error=CHOOSE)),
        required=True,
        validate=validate.Length(min=1),
    )
    outcome = fields.String(
        load_default="excluded", validate=validate.OneOf(("excluded", "closed"), error=CHOOSE)
    )
    member_level = fields.Boolean(load_default=False)
    referral = fields.Boolean(load_default=False)


def _unique(items: list[dict], key: str = "code") -> bool:
    codes = [item[key] for item in items]
    return len(codes) == len(set(codes))


class MakkahSettings(Strict):
    """Every number and list of seed 004, as tenant data with the seed's values as defaults."""

    min_gap_halalas = fields.Integer(load_default=500_000, validate=validate.Range(min=0))
    bands = fields.List(
        fields.Nested(BandSchema),
        load_default=lambda: copy.deepcopy(DEFAULT_BANDS),
        validate=validate.Length(min=1),
    )
    ladder = fields.List(
        fields.Nested(LadderItemSchema),
        load_default=lambda: copy.deepcopy(DEFAULT_LADDER),
        validate=validate.Length(min=1),
    )
    exclusion_reasons = fields.List(
        fields.Nested(ExclusionReasonSchema), load_default=lambda: copy.deepcopy(DEFAULT_EXCLUSION_REASONS)
    )
    renewal_interval_months = fields.Integer(load_default=6, validate=validate.Range(min=1, max=36))
    renewal_window_days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))
    late_renewal_days = fields.Integer(load_default=30, validate=validate.Range(min=0, max=365))
    max_sponsored_workers = fields.Integer(load_default=2, validate=validate.Range(min=0, max=100))
    male_age_limit_years = fields.Integer(load_default=18, validate=validate.Range(min=1, max=40))
    # Cities served; empty = the tenant's own service area.
    service_area = fields.List(fields.String(validate=validate.Length(min=1, max=80)), load_default=list)

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


# --------------------------------------------------------------------------- application (mandatory data)


class IsoDate(AnyDate):
    """A date typed in Hijri or Gregorian (any digits), kept as an ISO string (JSON storage)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).isoformat()

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class IdNumber(fields.String):
    """A Saudi ID or iqama number typed in any digit script, kept in Latin digits."""

    default_error_messages = {"invalid_id": _l("Enter a valid 10-digit ID or iqama number.")}

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_national_id(super()._deserialize(value, attr, data, **kwargs))
        except InvalidNationalId:
            raise self.make_error("invalid_id") from None


class AddressCode(fields.String):
    """The national address short code (four letters, four digits), any digit script, upper case."""

    def _deserialize(self, value, attr, data, **kwargs):
        return normalize_digits(super()._deserialize(value, attr, data, **kwargs)).strip().upper()


def _sar(attribute: str, label, **kwargs) -> Money:
    """An amount typed in riyals (any digit script), kept in halalas under ``attribute``."""
    return Money(attribute=attribute, metadata={"label": label}, **kwargs)


RELATIONSHIPS = ("wife", "husband", "son", "daughter", "father", "mother", "brother", "sister", "other")
RELATIONSHIP_LABELS = (
    _l("Wife"),
    _l("Husband"),
    _l("Son"),
    _l("Daughter"),
    _l("Father"),
    _l("Mother"),
    _l("Brother"),
    _l("Sister"),
    _l("Other"),
)


class DependentSchema(Strict):
    name = Name(load_default="", validate=validate.Length(max=255), metadata={"label": _l("Name")})
    relationship = fields.String(
        load_default="",
        validate=validate.OneOf(RELATIONSHIPS, RELATIONSHIP_LABELS, error=CHOOSE),
        metadata={"label": _l("Relationship")},
    )
    job = fields.String(load_default="", validate=validate.Length(max=120), metadata={"label": _l("Job")})
    monthly_income = _sar("monthly_income_halalas", _l("Income (SAR per month)"), load_default=0)
    resides_permanently = fields.Boolean(
        load_default=True, metadata={"label": _l("Lives permanently with the applicant")}
    )


class PreviousAidSchema(Strict):
    aid_type = fields.String(
        load_default="", validate=validate.Length(max=120), metadata={"label": _l("Type of aid")}
    )
    amount = _sar("amount_halalas", _l("Amount (SAR)"), load_default=None, allow_none=True)
    received_on = IsoDate(load_default=None, allow_none=True, metadata={"label": _l("Date")})


HOUSING = ("owned", "rented")
CATEGORIES = ("family", "prisoner_family", "adult_unable", "orphan", "unmarried_woman")
CATEGORY_LABELS = (
    _l("Family"),
    _l("Prisoner's family"),
    _l("Adult unable to work"),
    _l("Orphan"),
    _l("Unmarried woman without a provider"),
)


class ApplicationSchema(Strict):
    """The application's data (seed 004 "البيانات المطلوبة") beyond core's request fields
    (four-part name = ``applicant_name``, requested aid type = ``catalog_item_id``, its cost =
    ``requested_amount``). Every field may be empty in a draft; what is mandatory is checked at
    submission (``rules.missing_fields``). Amounts are typed in riyals and kept in halalas
    (``*_halalas``); dates in Hijri or Gregorian and kept ISO; any digit script.

    Declared through ``register_request_fields``, so the portal's apply form, the staff
    "register a request" form and the plugin's own application page all render it."""

    nationality = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=64),
        metadata={"label": _l("Nationality")},
    )
    birth_date = IsoDate(load_default=None, allow_none=True, metadata={"label": _l("Birth date")})
    id_number = IdNumber(load_default=None, allow_none=True, metadata={"label": _l("ID or iqama number")})
    id_expiry = IsoDate(
        load_default=None,
        allow_none=True,
        metadata={"label": _l("ID expiry date"), "help": _l("Hijri (1447-05-12) or Gregorian (2026-11-03).")},
    )
    national_address_code = AddressCode(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            r"^[A-Z]{4}\d{4}$", error=_l("A short address is four letters and four digits.")
        ),
        metadata={
            "label": _l("National address short code"),
            "help": _l("Four letters and four digits; attach the address document when given."),
        },
    )
    current_job = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=120),
        metadata={"label": _l("Current job")},
    )
    monthly_income = _sar(
        "monthly_income_halalas",
        _l("Total current income (SAR per month)"),
        load_default=None,
        allow_none=True,
    )
    dependents_count = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=50),
        metadata={"label": _l("Number of dependents")},
    )
    dependents = fields.List(
        fields.Nested(DependentSchema),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"label": _l("Dependents"), "help": _l("One row per dependent.")},
    )
    housing = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(HOUSING, (_l("Owned"), _l("Rented")), error=CHOOSE),
        metadata={"label": _l("Housing owned or rented")},
    )
    annual_rent = _sar(
        "annual_rent_halalas", _l("Annual rent (SAR; 0 when owned)"), load_default=None, allow_none=True
    )
    received_aid_before = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"label": _l("Received aid from this association before")},
    )
    previous_aid = fields.List(
        fields.Nested(PreviousAidSchema),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"label": _l("Aid received before"), "help": _l("Type, amount and date of each.")},
    )
    category = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(CATEGORIES, CATEGORY_LABELS, error=CHOOSE),
        metadata={"label": _l("Household category")},
    )

    @post_load
    def _derived(self, data, **kwargs):
        if data.get("housing") == "owned":
            data["annual_rent_halalas"] = 0
        if data.get("previous_aid") and not data.get("received_aid_before"):
            data["received_aid_before"] = True
        return data


class FileExtraSchema(Strict):
    """Kept on the beneficiary file under ``extra["makkah_aid"]`` (automatic rules' inputs)."""

    sponsored_workers = fields.Integer(load_default=0, validate=validate.Range(min=0, max=500))
    head_studying = fields.Boolean(load_default=False)


# --------------------------------------------------------------------------- API


class NeedsSchema(Strict):
    food_drink = fields.Integer(load_default=0, validate=validate.Range(min=0))
    medical = fields.Integer(load_default=0, validate=validate.Range(min=0))
    housing = fields.Integer(load_default=0, validate=validate.Range(min=0))
    education = fields.Integer(load_default=0, validate=validate.Range(min=0))


class IncomeLineSchema(Strict):
    key = fields.String(required=True, validate=validate.Length(min=1, max=40))
    annual_income = fields.Integer(required=True, validate=validate.Range(min=0))
    resides_permanently = fields.Boolean(load_default=None, allow_none=True)


class AssessmentInSchema(Strict):
    needs = fields.Nested(
        NeedsSchema, required=True, metadata={"description": "Annual needs in halalas by item"}
    )
    incomes = fields.List(
        fields.Nested(IncomeLineSchema),
        load_default=list,
        metadata={"description": "Annual incomes (halalas) replacing the registry's, by person key"},
    )
    member_needs = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(NeedsSchema),
        load_default=dict,
        metadata={"description": "A member's own annual needs by person key (counted only if resident)"},
    )
    notes = fields.String(load_default="", validate=validate.Length(max=2000))


class RuleVersionOutSchema(Schema):
    id = fields.Integer()
    effective_from = Timestamp()
    settings = fields.Dict()


class AssessmentOutSchema(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    file_id = fields.Integer(allow_none=True)
    rule_version_id = fields.Integer()
    needs_total = fields.Integer()
    income_total = fields.Integer()
    gap = fields.Integer()
    eligible = fields.Boolean()
    band = fields.String(allow_none=True)
    ceiling_halalas = fields.Integer(allow_none=True)
    figures = fields.Dict()
    notes = fields.String()
    created_at = Timestamp()
    explanation = fields.String()
    rule_version = fields.Nested(RuleVersionOutSchema)


class ViolationInSchema(Strict):
    file_id = fields.Integer(required=True)
    code = fields.String(required=True, validate=validate.Length(min=1, max=63))
    occurred_on = fields.Date(load_default=None, allow_none=True)
    notes = fields.String(load_default="", validate=validate.Length(max=2000))
    pledge_document_id = fields.Integer(load_default=None, allow_none=True)


class ViolationOutSchema(Schema):
    id = fields.Integer()
    file_id = fields.Integer()
    code = fields.String()
    occurrence = fields.Integer()
    occurred_on = fields.Date()
    sanction = fields.Dict()
    sanction_kind = fields.String()
    ends_on = fields.Date(allow_none=True)
    pledge_document_id = fields.Integer(allow_none=True)
    pledge_required = fields.Boolean()
    pledge_status = fields.String(metadata={"description": "not_required, attached or missing"})
    awaiting_pledge = fields.Boolean(
        metadata={"description": "timed suspension over but kept in force until the pledge is attached"}
    )
    referral = fields.Boolean()
    in_force = fields.Boolean()
    lifted_at = Timestamp(allow_none=True)
    lift_note = fields.String(allow_none=True)
    notes = fields.String()
    rule_version_id = fields.Integer()


class LiftInSchema(Strict):
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class FileViolationsOutSchema(Schema):
    file_id = fields.Integer()
    status = fields.String()
    suspended_until = fields.Date(allow_none=True)
    suspension_condition = fields.String(allow_none=True)
    violations = fields.List(fields.Nested(ViolationOutSchema))
    next_sanctions = fields.List(fields.Dict())


class RoundInSchema(Strict):
    title = fields.String(required=True, validate=validate.Length(min=1, max=255))
    announced_on = fields.Date(load_default=None, allow_none=True)


class RenewalOutSchema(Schema):
    id = fields.Integer()
    file_id = fields.Integer()
    renewed_on = fields.Date(allow_none=True)
    days_late = fields.Integer()
    late = fields.Boolean()


class RoundOutSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    announced_on = fields.Date()
    due_on = fields.Date()
    late_after = fields.Date()
    rule_version_id = fields.Integer()
    due = fields.List(fields.Nested(RenewalOutSchema))
    late = fields.List(fields.Nested(RenewalOutSchema))
    renewed = fields.List(fields.Nested(RenewalOutSchema))


class RenewInSchema(Strict):
    file_id = fields.Integer(required=True)
    renewed_on = fields.Date(load_default=None, allow_none=True)


class ProposalInSchema(Strict):
    file_id = fields.Integer(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=63))
    member_id = fields.Integer(load_default=None, allow_none=True)
    evidence = fields.Dict(load_default=dict)
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ProposalOutSchema(Schema):
    id = fields.Integer()
    file_id = fields.Integer()
    reason = fields.String()
    scope = fields.String()
    member_id = fields.Integer(allow_none=True)
    evidence = fields.Dict()
    source = fields.String()
    status = fields.String()
    note = fields.String()
    decision_note = fields.String(allow_none=True)
    proposed_at = Timestamp()
    decided_at = Timestamp(allow_none=True)
    rule_version_id = fields.Integer()


class DecideInSchema(Strict):
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ProposalListArgs(Strict):
    status = fields.String(
        load_default="proposed",
        validate=validate.OneOf(("proposed", "confirmed", "dismissed", "all"), error=CHOOSE),
    )


class ScanOutSchema(Schema):
    proposed = fields.Integer()
    lifted = fields.Integer()


NEED_FIELDS = NEED_ITEMS
