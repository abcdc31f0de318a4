"""Input and output schemas of the API and the pages' forms. Money is typed in SAR (any digit
script) and stored in halalas; outputs give halalas as integers."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from core.toolkit import AnyDate, Money, Name, get_in_tenant

from .i18n import _l
from .models import (
    CASE_TYPES,
    ENTRY_KINDS,
    INTERVIEW_OUTCOMES,
    NEGOTIATION_OUTCOMES,
    PLACEMENT_KINDS,
    PRISONER_STATUSES,
    DebtCase,
)

CHOOSE = _l("Choose one of the listed values.")


class Strict(Schema):
    class Meta:
        unknown = RAISE


# --------------------------------------------------------------------------- prisoners


class PrisonerInSchema(Strict):
    person_id = fields.Integer(required=True)
    facility = Name(required=True, validate=validate.Length(min=2, max=255))
    case_type = fields.String(required=True, validate=validate.OneOf(CASE_TYPES, error=CHOOSE))
    insolvent = fields.Boolean(load_default=False)
    imprisoned_on = AnyDate(required=True)
    expected_release_on = AnyDate(load_default=None, allow_none=True)
    status = fields.String(load_default="in_prison", validate=validate.OneOf(PRISONER_STATUSES, error=CHOOSE))
    released_on = AnyDate(load_default=None, allow_none=True)
    notes = fields.String(load_default="", validate=validate.Length(max=5000))


class PrisonerUpdateSchema(PrisonerInSchema):
    class Meta(Strict.Meta):
        exclude = ("person_id",)


class PrisonerOutSchema(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    name = fields.Function(lambda p: p.person.full_name if p.person else "", metadata={"type": "string"})
    facility = fields.String()
    case_type = fields.String()
    insolvent = fields.Boolean()
    imprisoned_on = fields.Date()
    expected_release_on = fields.Date(allow_none=True)
    status = fields.String()
    released_on = fields.Date(allow_none=True)
    notes = fields.String()


class ReleaseSchema(Strict):
    released_on = AnyDate(required=True)


class FamilyLinkInSchema(Strict):
    household_id = fields.Integer(required=True)
    evidence_document_id = fields.Integer(load_default=None, allow_none=True)
    linked_on = AnyDate(load_default=None, allow_none=True)


class FamilyLinkOutSchema(Schema):
    id = fields.Integer()
    prisoner_id = fields.Integer()
    household_id = fields.Integer()
    evidence_document_id = fields.Integer(allow_none=True)
    linked_on = fields.Date()


class CheckSchema(Schema):
    code = fields.String()
    label = fields.String()
    outcome = fields.String()
    reason = fields.String()
    figures = fields.Dict()


# --------------------------------------------------------------------------- debt cases


class DebtCaseInSchema(Strict):
    prisoner_id = fields.Integer(required=True)
    creditor = Name(required=True, validate=validate.Length(min=2, max=255))
    court_reference = fields.String(load_default="", validate=validate.Length(max=120))
    claimed = Money(required=True, attribute="claimed_halalas")
    opened_on = AnyDate(load_default=None, allow_none=True)

    @validates("claimed")
    def _positive(self, value, **kwargs):
        if value <= 0:
            raise ValidationError(_l("The amount must be more than zero."))


class DebtEntryOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(ENTRY_KINDS))
    amount_halalas = fields.Integer()
    entry_date = fields.Date()
    payer = fields.String()
    catalog_code = fields.String(allow_none=True)
    disbursement_id = fields.Integer(allow_none=True)
    note = fields.String()


class NegotiationInSchema(Strict):
    attempted_on = AnyDate(required=True)
    by_whom = Name(required=True, validate=validate.Length(min=2, max=255))
    outcome = fields.String(required=True, validate=validate.OneOf(NEGOTIATION_OUTCOMES, error=CHOOSE))
    forgiven = Money(load_default=None, allow_none=True, attribute="forgiven_halalas")
    notes = fields.String(load_default="", validate=validate.Length(max=5000))


class NegotiationOutSchema(Schema):
    id = fields.Integer()
    attempted_on = fields.Date()
    by_whom = fields.String()
    outcome = fields.String()
    forgiven_halalas = fields.Integer()
    notes = fields.String()


class PaymentInSchema(Strict):
    """A payment by others (a benefactor, the family, another body)."""

    amount = Money(required=True, attribute="amount_halalas")
    payer = Name(required=True, validate=validate.Length(min=2, max=255))

    @validates("amount")
    def _positive(self, value, **kwargs):
        if value <= 0:
            raise ValidationError(_l("The amount must be more than zero."))

    paid_on = AnyDate(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class DebtCaseOutSchema(Schema):
    id = fields.Integer()
    prisoner_id = fields.Integer()
    creditor = fields.String()
    court_reference = fields.String()
    claimed_halalas = fields.Integer()
    forgiven_halalas = fields.Integer()
    paid_by_association_halalas = fields.Integer()
    paid_by_others_halalas = fields.Integer()
    remaining_halalas = fields.Integer()
    status = fields.String()
    opened_on = fields.Date()
    closed_on = fields.Date(allow_none=True)


class DebtCaseDetailSchema(DebtCaseOutSchema):
    entries = fields.List(fields.Nested(DebtEntryOutSchema))
    negotiations = fields.List(fields.Nested(NegotiationOutSchema))


# --------------------------------------------------------------------------- rehabilitation


class ProgramInSchema(Strict):
    code = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[a-z][a-z0-9_]{1,62}$", error=_l("Use lowercase Latin letters, digits and underscores.")
        ),
    )
    name_ar = Name(required=True, validate=validate.Length(min=2, max=255))
    name_en = Name(required=True, validate=validate.Length(min=2, max=255))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    requires_interview = fields.Boolean(load_default=False)
    fee = Money(load_default=0, attribute="fee_halalas")
    min_attendance_percent = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=100)
    )
    active = fields.Boolean(load_default=True)


class ProgramOutSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name_ar = fields.String()
    name_en = fields.String()
    description = fields.String()
    requires_interview = fields.Boolean()
    fee_halalas = fields.Integer()
    min_attendance_percent = fields.Integer()
    active = fields.Boolean()


class EnrolmentInSchema(Strict):
    prisoner_id = fields.Integer(required=True)
    enrolled_on = AnyDate(load_default=None, allow_none=True)
    fee_acknowledged = fields.Boolean(load_default=False)


class ProgressSchema(Schema):
    sessions_held = fields.Integer()
    sessions_attended = fields.Integer()
    attendance_percent = fields.Float(allow_none=True)
    min_attendance_percent = fields.Integer()
    interview_ok = fields.Boolean()
    completed = fields.Boolean()


class EnrolmentOutSchema(Schema):
    id = fields.Integer()
    program_id = fields.Integer()
    prisoner_id = fields.Integer()
    enrolled_on = fields.Date()
    interview_outcome = fields.String(allow_none=True)
    interview_on = fields.Date(allow_none=True)
    fee_acknowledged = fields.Boolean()
    status = fields.String()
    progress = fields.Nested(ProgressSchema)


class InterviewInSchema(Strict):
    outcome = fields.String(
        required=True,
        validate=validate.OneOf([o for o in INTERVIEW_OUTCOMES if o != "pending"], error=CHOOSE),
    )
    interview_on = AnyDate(required=True)


class SessionInSchema(Strict):
    held_on = AnyDate(required=True)
    topic = fields.String(load_default="", validate=validate.Length(max=255))


class SessionOutSchema(Schema):
    id = fields.Integer()
    program_id = fields.Integer()
    held_on = fields.Date()
    topic = fields.String()


class MarkSchema(Strict):
    enrolment_id = fields.Integer(required=True)
    present = fields.Boolean(required=True)


class AttendanceInSchema(Strict):
    marks = fields.List(fields.Nested(MarkSchema), required=True, validate=validate.Length(min=1, max=500))


class AttendanceOutSchema(Schema):
    id = fields.Integer()
    session_id = fields.Integer()
    enrolment_id = fields.Integer()
    present = fields.Boolean()


class FollowUpInSchema(Strict):
    done_on = AnyDate(required=True)
    returned_to_crime = fields.Boolean(required=True)
    notes = fields.String(load_default="", validate=validate.Length(max=5000))


class FollowUpOutSchema(Schema):
    id = fields.Integer()
    prisoner_id = fields.Integer()
    months_after = fields.Integer()
    due_on = fields.Date()
    done_on = fields.Date(allow_none=True)
    returned_to_crime = fields.Boolean(allow_none=True)
    notes = fields.String()


class FollowUpQuerySchema(Schema):
    pending = fields.Boolean(load_default=False)


# --------------------------------------------------------------------------- self-reliance and KPIs


class PlacementInSchema(Strict):
    household_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(PLACEMENT_KINDS, error=CHOOSE))
    venue = fields.String(load_default="", validate=validate.Length(max=255))
    placed_on = AnyDate(required=True)
    notes = fields.String(load_default="", validate=validate.Length(max=2000))


class PlacementOutSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    kind = fields.String()
    venue = fields.String()
    placed_on = fields.Date()
    notes = fields.String()


class EmploymentInSchema(Strict):
    person_id = fields.Integer(required=True)
    employer = Name(required=True, validate=validate.Length(min=2, max=255))
    job_title = fields.String(load_default="", validate=validate.Length(max=255))
    referred_on = AnyDate(required=True)
    employed_on = AnyDate(load_default=None, allow_none=True)


class EmploymentOutSchema(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    employer = fields.String()
    job_title = fields.String()
    referred_on = fields.Date()
    employed_on = fields.Date(allow_none=True)


class PeriodSchema(Schema):
    start = AnyDate(required=True)
    end = AnyDate(required=True)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError({"end": [_l("The end of the period cannot be before its start.")]})


class KpiSchema(Schema):
    key = fields.String()
    label = fields.String()
    unit = fields.String()
    value = fields.Float(allow_none=True)


class StatusQuerySchema(Schema):
    status = fields.String(load_default=None)


# --------------------------------------------------------------------------- request fields


class RequestExtraSchema(Strict):
    """``request.extra["prisoner_families"]``: the debt case an insolvency-program aid pays towards."""

    debt_case_id = fields.Integer(load_default=None, allow_none=True)

    @validates("debt_case_id")
    def _case_exists(self, value, **kwargs):
        if value is None:
            return
        case = get_in_tenant(DebtCase, value)
        if case is None:
            raise ValidationError(_l("No such debt case in this association."))
        if case.status == "closed":
            raise ValidationError(_l("The debt case is closed."))
