"""Marshmallow schemas: the application's mandatory data (``request.extra["makkah_aid"]``), the
file fields and the API. The settings schema is in ``settings.py``."""

from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from core.toolkit import (
    AnyDate,
    InvalidNationalId,
    Money,
    Name,
    Timestamp,
    normalize_digits,
    parse_national_id,
)

from .i18n import _l
from .settings import CHOOSE, Strict

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


def _sar(attribute: str, label, mandatory: bool = False, **kwargs) -> Money:
    """An amount typed in riyals (any digit script), kept in halalas under ``attribute``
    (``mandatory``: needed to submit, marked required on the forms)."""
    return Money(attribute=attribute, metadata={"label": label, "mandatory": mandatory}, **kwargs)


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
        metadata={"label": _l("Nationality"), "mandatory": True},
    )
    birth_date = IsoDate(load_default=None, allow_none=True, metadata={"label": _l("Birth date")})
    id_number = IdNumber(
        load_default=None,
        allow_none=True,
        metadata={"label": _l("ID or iqama number"), "mandatory": True, "inputmode": "numeric"},
    )
    id_expiry = IsoDate(
        load_default=None,
        allow_none=True,
        metadata={
            "label": _l("ID expiry date"),
            "help": _l("Hijri (1450-05-12) or Gregorian (2028-10-01)."),
            "mandatory": True,
        },
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
        metadata={"label": _l("Current job"), "mandatory": True, "autocomplete": "organization-title"},
    )
    monthly_income = _sar(
        "monthly_income_halalas",
        _l("Total current income (SAR per month)"),
        mandatory=True,
        load_default=None,
        allow_none=True,
    )
    dependents_count = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=50),
        metadata={"label": _l("Number of dependents"), "mandatory": True},
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
        metadata={"label": _l("Housing owned or rented"), "mandatory": True},
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
    # The facts the category definitions use (categories.py), beside the household's own data.
    father_deceased = fields.Boolean(load_default=False)
    mother_deceased = fields.Boolean(load_default=False)
    supported_by_relative = fields.Boolean(load_default=False)
    unable_to_work = fields.Boolean(load_default=False)
    unable_to_work_reason = fields.String(load_default="", validate=validate.Length(max=500))
    breadwinner_imprisoned = fields.Boolean(load_default=False)


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
    documented_by = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        load_default=dict,
        metadata={
            "description": "User id by role, when the ladder asks who documented it "
            '(e.g. {"researcher": 7, "executive_director": 3} for a second refused visit)'
        },
    )


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
    documenters = fields.List(fields.Dict(), metadata={"description": "[{role, user_id, name}]"})
    sanction_text = fields.String()


class LiftInSchema(Strict):
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class FileViolationsOutSchema(Schema):
    file_id = fields.Integer()
    status = fields.String()
    suspended_until = fields.Date(allow_none=True)
    suspension_condition = fields.String(allow_none=True)
    state = fields.Dict(metadata={"description": "The strongest sanction in force, in words: {kind, text}"})
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
