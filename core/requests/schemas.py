"""Input and output schemas of the request API (and the pages' form validation)."""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from ..calendar import AnyDate, format_date
from ..i18n import lazy_gettext as _l
from ..numbers import NumberFormatError, format_halalas, normalize_digits, parse_halalas
from ..quick_dump import QuickDump
from ..registry.schemas import Phone
from ..schema_fields import MAX_RIYALS, Timestamp, money_openapi
from ..validation import Name, Text
from .models import CHANNELS, FIELD_CHECKS, VERIFICATION_BODIES

CHOOSE = _l("Choose one of the listed values.")


class Money(fields.Field):
    """SAR typed in any digit script ("1,250.50", "١٢٥٠٫٥") ↔ integer halalas."""

    default_error_messages = {"invalid": _l("Enter an amount in riyals, with at most two decimals.")}
    openapi = money_openapi()

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        try:
            halalas = parse_halalas(value)
        except (NumberFormatError, TypeError):
            raise self.make_error("invalid") from None
        if halalas < 0 or halalas > MAX_RIYALS * 100:
            raise self.make_error("invalid")
        return halalas

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format_halalas(value)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class RequestCreateSchema(Strict):
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS, error=CHOOSE))
    applicant_name = Name(required=True, validate=validate.Length(min=3, max=255))
    applicant_phone = Phone(load_default=None, allow_none=True)  # any digit script, stored E.164
    applicant_email = fields.Email(load_default=None)
    applicant_city = Text(load_default=None, validate=validate.Length(max=127))
    file_id = fields.Integer(load_default=None)
    catalog_item_id = fields.Integer(load_default=None)
    summary = Text(load_default="", validate=validate.Length(max=5000))
    requested_amount = Money(load_default=None, data_key="requested_amount", attribute="requested_halalas")
    needs_verification_with = fields.String(
        load_default=None, validate=validate.OneOf(VERIFICATION_BODIES, error=CHOOSE)
    )
    needs_permit = fields.Boolean(load_default=False)
    extra = fields.Dict(keys=fields.String(), load_default=dict)


class PortalApplySchema(RequestCreateSchema):
    channel = fields.String(
        load_default="portal", validate=validate.OneOf(("portal", "mobile_app"), error=CHOOSE)
    )

    class Meta(Strict.Meta):
        exclude = ("file_id", "needs_permit", "needs_verification_with")


class SubmitSchema(Strict):
    declaration = fields.Boolean(
        required=True, validate=validate.Equal(True, error=_l("Sign the declaration to submit."))
    )
    signed_by = Name(required=True, validate=validate.Length(min=3, max=255))


class NoteSchema(Strict):
    note = Text(load_default="", validate=validate.Length(max=5000))


class ReasonSchema(Strict):
    reason = Text(required=True, validate=validate.Length(min=3, max=5000))


class LinkFileSchema(Strict):
    file_id = fields.Integer(required=True, strict=True)


class ScheduleVisitSchema(Strict):
    scheduled_for = AnyDate(required=True)


class CheckedFieldSchema(Strict):
    field = fields.String(required=True, validate=validate.Length(min=1, max=120))
    entered = Text(load_default="", validate=validate.Length(max=500))
    status = fields.String(required=True, validate=validate.OneOf(FIELD_CHECKS, error=CHOOSE))
    found = Text(load_default="", validate=validate.Length(max=500))

    @validates_schema
    def _corrected_needs_value(self, data, **kwargs):
        if data["status"] == "corrected" and not data.get("found"):
            raise ValidationError({"found": [_l("Enter the value found in the original document.")]})


class RecordVisitSchema(Strict):
    visited_on = AnyDate(required=True)
    findings = Text(required=True, validate=validate.Length(min=3, max=10000))
    checked_fields = fields.List(fields.Nested(CheckedFieldSchema), load_default=list)


class VerificationSchema(Strict):
    body = fields.String(required=True, validate=validate.OneOf(VERIFICATION_BODIES, error=CHOOSE))
    contact = Text(load_default="", validate=validate.Length(max=255))
    reference = fields.String(load_default="", validate=validate.Length(max=120))
    outcome = fields.String(
        required=True, validate=validate.OneOf(("confirmed", "not_confirmed", "pending"), error=CHOOSE)
    )
    notes = Text(load_default="", validate=validate.Length(max=5000))
    verified_on = AnyDate(required=True)


class MembersMixin(Strict):
    # User ids of the tenant's committee members (checked by the service; names snapshotted).
    members_present = fields.List(
        fields.Integer(strict=False),
        required=True,
        validate=validate.Length(min=1, error=_l("Record the members present.")),
    )
    decided_on = AnyDate(load_default=None)


class ApproveSchema(MembersMixin):
    amount = Money(required=True)
    override_reason = Text(load_default=None, validate=validate.Length(max=5000))
    note = Text(load_default="", validate=validate.Length(max=5000))


class RejectSchema(MembersMixin):
    reason = Text(required=True, validate=validate.Length(min=3, max=5000))


class EscalateSchema(Strict):
    authority = Text(required=True, validate=validate.Length(min=2, max=255))
    sent_on = AnyDate(required=True)
    reference = fields.String(load_default="", validate=validate.Length(max=120))
    notes = Text(load_default="", validate=validate.Length(max=5000))


class PermitOutcomeSchema(Strict):
    outcome = fields.String(required=True, validate=validate.OneOf(("granted", "refused"), error=CHOOSE))
    outcome_on = AnyDate(required=True)
    notes = Text(load_default="", validate=validate.Length(max=5000))


class EventSchema(QuickDump):
    id = fields.Integer()
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    actor_id = fields.Integer(allow_none=True)
    note = fields.String()
    data = fields.Dict()
    at = Timestamp()


class RequestSchema(QuickDump):
    id = fields.Integer()
    number = fields.String(allow_none=True)
    submitted_at = Timestamp(allow_none=True)
    submitted_on_display = fields.Method("_submitted_display", metadata={"type": "string", "nullable": True})
    state = fields.String()
    channel = fields.String()
    applicant_name = fields.String()
    applicant_phone = fields.String(allow_none=True)
    applicant_email = fields.String(allow_none=True)
    applicant_city = fields.String(allow_none=True)
    applicant_user_id = fields.Integer(allow_none=True)
    file_id = fields.Integer(allow_none=True)
    catalog_item_id = fields.Integer(allow_none=True)
    summary = fields.String()
    requested_amount = Money(attribute="requested_halalas", allow_none=True)
    requested_halalas_value = fields.Function(
        lambda obj: obj.requested_halalas,
        data_key="requested_halalas",
        metadata={"type": "integer", "nullable": True},
    )
    approved_halalas = fields.Integer(allow_none=True)
    needs_verification_with = fields.String(allow_none=True)
    needs_permit = fields.Boolean()
    declaration_signed_at = Timestamp(allow_none=True)
    returned_reason = fields.String(allow_none=True)
    rejection_reason = fields.String(allow_none=True)
    extra = fields.Dict()
    # In queue listings: working days in the current state, overdue or not, the program's name.
    days_waiting = fields.Integer(dump_only=True)
    overdue = fields.Boolean(dump_only=True)
    program_name = fields.String(dump_only=True, allow_none=True)

    def _submitted_display(self, obj):
        return format_date(obj.submitted_at) if obj.submitted_at else None


class RequestDetailSchema(RequestSchema):
    events = fields.List(fields.Nested(EventSchema))
    actions = fields.List(fields.String())


class VisitOutSchema(Schema):
    id = fields.Integer()
    scheduled_for = fields.Date()
    visited_on = fields.Date(allow_none=True)
    findings = fields.String()
    checked_fields = fields.List(fields.Dict())


class VerificationOutSchema(Schema):
    id = fields.Integer()
    body = fields.String()
    contact = fields.String()
    reference = fields.String()
    outcome = fields.String()
    notes = fields.String()
    verified_on = fields.Date()


class DecisionOutSchema(Schema):
    id = fields.Integer()
    outcome = fields.String()
    amount_halalas = fields.Integer(allow_none=True)
    ceiling_halalas = fields.Integer(allow_none=True)
    ceiling_basis = fields.String()
    override_reason = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    members_present = fields.List(fields.Dict())
    decided_on = fields.Date()
    assessment = fields.List(fields.Dict())


class EscalationOutSchema(Schema):
    id = fields.Integer()
    authority = fields.String()
    reference = fields.String()
    sent_on = fields.Date()
    outcome = fields.String()
    outcome_on = fields.Date(allow_none=True)
    notes = fields.String()


class AssessmentSchema(Schema):
    checks = fields.List(fields.Dict())
    ceiling_halalas = fields.Integer(allow_none=True)
    ceiling_reason = fields.String(allow_none=True)


class DigitsInteger(fields.Integer):
    """A whole number typed in any digit script (``١٢`` or ``12``)."""

    default_error_messages = {"invalid": _l("Enter a whole number.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = normalize_digits(value).strip()
        return super()._deserialize(value, attr, data, **kwargs)


class QueueArgsSchema(Schema):
    """A work queue with its filters (the queue page, its export and the API)."""

    queue = fields.String(
        load_default="all",
        validate=validate.OneOf(
            (
                "mine",
                "new",
                "awaiting_visit",
                "awaiting_committee",
                "awaiting_disbursement",
                "overdue",
                "all",
            ),
            error=CHOOSE,
        ),
    )
    state = fields.List(fields.String(validate=validate.Length(max=40)), load_default=None)
    number = fields.String(load_default=None, validate=validate.Length(max=40))
    name = fields.String(load_default=None, validate=validate.Length(max=120))
    program = DigitsInteger(load_default=None, validate=validate.Range(min=1, error=CHOOSE))
    min_days = DigitsInteger(
        load_default=None, validate=validate.Range(min=0, max=3650, error=_l("Enter a number of days."))
    )
    min_amount = Money(load_default=None)
    max_amount = Money(load_default=None)
    sort = fields.String(
        load_default="waiting", validate=validate.OneOf(("waiting", "recent", "number"), error=CHOOSE)
    )
    page = DigitsInteger(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = DigitsInteger(load_default=100, validate=validate.Range(min=1, max=500))

    @validates_schema
    def _amounts_ordered(self, data, **kwargs):
        low, high = data.get("min_amount"), data.get("max_amount")
        if low is not None and high is not None and high < low:
            raise ValidationError({"max_amount": [_l("The highest amount must not be below the lowest.")]})


class QueueFormSchema(QueueArgsSchema):
    """The queue page's filter form: an empty box means "any" (the API takes no blanks), and
    the page's other parameters (``lang``) are not filters."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _blank_is_absent(self, data, **kwargs):
        """An empty box of the filter form means "any"."""
        values = {key: data.get(key) for key in data}
        if isinstance(values.get("state"), list):
            values["state"] = [v for v in values["state"] if v and v.strip()] or None
        return {
            k: v for k, v in values.items() if v is not None and not (isinstance(v, str) and not v.strip())
        }
