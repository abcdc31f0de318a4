"""What the pages' forms and the API accept and answer."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from core.toolkit import AnyDate, Money, Name, Text, Timestamp, plugin_settings

from . import rules
from .i18n import _l
from .models import (
    APPLICATION_STATES,
    BODY_KINDS,
    FINANCING_STATES,
    LICENCE_STATES,
    NAME_MAX,
    SALES_CHANNELS,
    TEXT_MAX,
)
from .settings import ACTIVITY_CODES

CHOOSE = _l("Choose one of the listed values.")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ProfileSchema(_Strict):
    """What the producer and staff both keep up to date."""

    trade_name = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    activity = fields.String(required=True, validate=validate.OneOf(ACTIVITY_CODES, error=CHOOSE))
    capacity = Text(load_default="", validate=validate.Length(max=255))
    sales_channels = fields.List(
        fields.String(validate=validate.OneOf(SALES_CHANNELS, error=CHOOSE)), load_default=list
    )
    financing_needs = Text(load_default="", validate=validate.Length(max=TEXT_MAX))
    training_needs = Text(load_default="", validate=validate.Length(max=TEXT_MAX))


class ProducerCreateSchema(ProfileSchema):
    household_id = fields.Integer(required=True, strict=False)
    # The person who produces; the household's head when not given.
    person_id = fields.Integer(load_default=None, allow_none=True, strict=False)


class ShowcaseSchema(_Strict):
    showcase_consent = fields.Boolean(load_default=False)
    showcase_whatsapp = fields.String(load_default="", validate=validate.Length(max=32))

    @validates("showcase_whatsapp")
    def _number(self, value, **kwargs):
        if value.strip() and rules.whatsapp_number(value) is None:
            raise ValidationError(_l("Enter a Saudi mobile number, e.g. 05XXXXXXXX."))

    @validates_schema
    def _contact_when_public(self, data, **kwargs):
        if data.get("showcase_consent") and not (data.get("showcase_whatsapp") or "").strip():
            raise ValidationError(
                {"showcase_whatsapp": [_l("Give the number buyers may contact before publishing your page.")]}
            )


class LinkAccountSchema(_Strict):
    email = fields.Email(required=True, validate=validate.Length(max=255))


class LicenceSchema(_Strict):
    status = fields.String(required=True, validate=validate.OneOf(LICENCE_STATES, error=CHOOSE))
    body = Name(load_default="", validate=validate.Length(max=160))
    number = Text(load_default="", validate=validate.Length(max=64))
    applied_on = AnyDate(load_default=None, allow_none=True)
    issued_on = AnyDate(load_default=None, allow_none=True)
    expires_on = AnyDate(load_default=None, allow_none=True)

    @validates_schema
    def _issued_needs_details(self, data, **kwargs):
        if data.get("status") != "issued":
            return
        errors: dict = {}
        for field in ("body", "number", "issued_on", "expires_on"):
            if not data.get(field):
                errors[field] = [_l("Required for an issued licence.")]
        if not errors and data["expires_on"] <= data["issued_on"]:
            errors["expires_on"] = [_l("The expiry date must be after the issue date.")]
        if errors:
            raise ValidationError(errors)


class ProductSchema(_Strict):
    name = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    description = Text(load_default="", validate=validate.Length(max=TEXT_MAX))
    price = Money(required=True, attribute="price_halalas")
    available = fields.Boolean(load_default=True)


class ProductPatchSchema(ProductSchema):
    class Meta:
        unknown = RAISE

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class PhotoOutSchema(Schema):
    id = fields.Integer()
    document_id = fields.Integer()


class ProductOutSchema(Schema):
    id = fields.Integer()
    producer_id = fields.Integer()
    name = fields.String()
    description = fields.String()
    price = Money(attribute="price_halalas")
    available = fields.Boolean()
    photos = fields.List(fields.Nested(PhotoOutSchema))
    updated_at = Timestamp()


class ProducerOutSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    person_id = fields.Integer()
    user_id = fields.Integer(allow_none=True)
    trade_name = fields.String()
    activity = fields.String()
    capacity = fields.String()
    sales_channels = fields.List(fields.String())
    financing_needs = fields.String()
    training_needs = fields.String()
    licence_status = fields.String()
    licence_body = fields.String()
    licence_number = fields.String()
    licence_applied_on = AnyDate(allow_none=True)
    licence_issued_on = AnyDate(allow_none=True)
    licence_expires_on = AnyDate(allow_none=True)
    needs_licence = fields.Function(
        lambda p: rules.needs_licence(
            p.activity, plugin_settings("productive_families")["licensed_activities"]
        ),
        metadata={"type": "boolean"},
    )
    showcase_consent = fields.Boolean()
    showcase_whatsapp = fields.String()
    updated_at = Timestamp()


class ProducerListArgs(_Strict):
    licence_queue = fields.Boolean(load_default=False)
    activity = fields.String(load_default=None, validate=validate.OneOf(ACTIVITY_CODES, error=CHOOSE))


class FamiliesKpiQuerySchema(Schema):
    start = AnyDate(required=True)
    end = AnyDate(required=True)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError({"end": [_l("The end of the period cannot be before its start.")]})


class FamiliesKpiSchema(Schema):
    key = fields.String()
    label = fields.String()
    unit = fields.String()
    value = fields.Float(allow_none=True)


class ExhibitionSchema(_Strict):
    name = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    place = Name(required=True, validate=validate.Length(min=2, max=255))
    starts_on = AnyDate(required=True)
    ends_on = AnyDate(required=True)
    applications_close_on = AnyDate(required=True)
    booths = fields.Integer(required=True, strict=False, validate=validate.Range(min=1, max=1000))
    feasibility_summary = Text(load_default="", validate=validate.Length(max=TEXT_MAX))
    selection_criteria = Text(load_default="", validate=validate.Length(max=TEXT_MAX))

    @validates_schema
    def _dates(self, data, **kwargs):
        errors: dict = {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            errors["ends_on"] = [_l("The exhibition cannot end before it starts.")]
        if (
            data.get("starts_on")
            and data.get("applications_close_on")
            and data["applications_close_on"] > data["starts_on"]
        ):
            errors["applications_close_on"] = [_l("Applications must close before the exhibition starts.")]
        if errors:
            raise ValidationError(errors)


class ExhibitionOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    place = fields.String()
    starts_on = AnyDate()
    ends_on = AnyDate()
    applications_close_on = AnyDate()
    booths = fields.Integer()
    feasibility_summary = fields.String()
    selection_criteria = fields.String()


class ApplyArgsSchema(_Strict):
    producer_id = fields.Integer(required=True, strict=False)


class ScoreSchema(_Strict):
    score = fields.Integer(required=True, strict=False, validate=validate.Range(min=0, max=100))


class SalesSchema(_Strict):
    sales = Money(required=True, attribute="sales_halalas")


class ApplicationOutSchema(Schema):
    id = fields.Integer()
    exhibition_id = fields.Integer()
    producer_id = fields.Integer()
    trade_name = fields.String(attribute="producer.trade_name")
    status = fields.String(validate=validate.OneOf(APPLICATION_STATES))
    score = fields.Integer(allow_none=True)
    booth = fields.Integer(allow_none=True)
    sales = Money(attribute="sales_halalas", allow_none=True)
    applied_at = Timestamp()


class CriterionSchema(_Strict):
    name = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    weight = fields.Integer(required=True, strict=False, validate=validate.Range(min=1, max=100))


class AwardRoundSchema(_Strict):
    year = fields.Integer(required=True, strict=False, validate=validate.Range(min=2000, max=2100))
    name = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    criteria = fields.List(
        fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1, max=10)
    )
    winners = fields.Integer(load_default=3, strict=False, validate=validate.Range(min=1, max=10))

    @validates_schema
    def _weights(self, data, **kwargs):
        criteria = data.get("criteria") or []
        total = sum(c["weight"] for c in criteria)
        if criteria and not rules.weights_sum_to_100(criteria):
            raise ValidationError(
                {"criteria": [_l("The weights must add up to 100; they add up to %(total)s.", total=total)]}
            )


class NominationSchema(_Strict):
    producer_id = fields.Integer(required=True, strict=False)


class JudgeSchema(_Strict):
    email = fields.Email(required=True, validate=validate.Length(max=255))


class ScoresSchema(_Strict):
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(strict=False, validate=validate.Range(min=0, max=10)),
        required=True,
    )


class AwardRoundOutSchema(Schema):
    id = fields.Integer()
    year = fields.Integer()
    name = fields.String()
    criteria = fields.List(fields.Dict())
    winners = fields.Integer()
    published_at = Timestamp(allow_none=True)


class NominationOutSchema(Schema):
    id = fields.Integer()
    round_id = fields.Integer()
    producer_id = fields.Integer()
    trade_name = fields.String(attribute="producer.trade_name")


class JudgeTaskSchema(Schema):
    nomination_id = fields.Integer()
    trade_name = fields.String()
    scores = fields.Dict(allow_none=True)


class ResultSchema(Schema):
    nomination_id = fields.Integer(attribute="id")
    trade_name = fields.String()
    total = fields.Float()
    judges = fields.Integer()
    rank = fields.Integer()


class FinancingBodySchema(_Strict):
    name = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    kind = fields.String(required=True, validate=validate.OneOf(BODY_KINDS, error=CHOOSE))
    is_partner = fields.Boolean(load_default=False)
    partnership_criteria = Text(load_default="", validate=validate.Length(max=TEXT_MAX))
    quality_score = fields.Integer(
        load_default=None, allow_none=True, strict=False, validate=validate.Range(min=0, max=100)
    )


class PartnershipSchema(_Strict):
    """A body's partnership as assessed now (PUT: the three fields replace what was kept)."""

    is_partner = fields.Boolean(load_default=False)
    partnership_criteria = Text(load_default="", validate=validate.Length(max=TEXT_MAX))
    quality_score = fields.Integer(
        load_default=None, allow_none=True, strict=False, validate=validate.Range(min=0, max=100)
    )


class FinancingBodyOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    is_partner = fields.Boolean()
    partnership_criteria = fields.String()
    quality_score = fields.Integer(allow_none=True)


class FinancingRequestSchema(_Strict):
    producer_id = fields.Integer(required=True, strict=False)
    body_id = fields.Integer(required=True, strict=False)
    purpose = Name(required=True, validate=validate.Length(min=2, max=255))
    requested = Money(required=True, attribute="requested_halalas", validate=validate.Range(min=1))
    referred_on = AnyDate(load_default=None, allow_none=True)


class FinancingDecisionSchema(_Strict):
    status = fields.String(
        required=True, validate=validate.OneOf([s for s in FINANCING_STATES if s != "referred"], error=CHOOSE)
    )
    approved = Money(load_default=None, allow_none=True, attribute="approved_halalas")
    decided_on = AnyDate(load_default=None, allow_none=True)

    @validates_schema
    def _amount(self, data, **kwargs):
        if data.get("status") == "approved" and not data.get("approved_halalas"):
            raise ValidationError({"approved": [_l("Give the amount the body approved.")]})


class FinancingRequestOutSchema(Schema):
    id = fields.Integer()
    producer_id = fields.Integer()
    trade_name = fields.String(attribute="producer.trade_name")
    body_id = fields.Integer()
    body_name = fields.String(attribute="body.name")
    purpose = fields.String()
    requested = Money(attribute="requested_halalas")
    status = fields.String()
    approved = Money(attribute="approved_halalas", allow_none=True)
    referred_on = AnyDate()
    decided_on = AnyDate(allow_none=True)
