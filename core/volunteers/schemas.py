"""Input and output schemas of the volunteer API (and the pages' form validation). The rules
that need the tenant (the skill list, the catalog item) are the services'."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..calendar import AnyDate
from ..i18n import lazy_gettext as _l
from ..registry.schemas import Phone
from ..schema_fields import Timestamp
from ..validation import Name, Text
from .models import DAYS, KINDS, OPPORTUNITY_KINDS, OPPORTUNITY_STATES

CHOOSE = _l("Choose one of the listed values.")
TIME = _l("Enter a time as HH:MM (for example 16:30).")


def Time(**kwargs):  # noqa: N802 - a field factory, named like the fields it makes
    return fields.Time(format="%H:%M", error_messages={"invalid": TIME}, **kwargs)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class VolunteerOfferSchema(Strict):
    """A portal user's offer to volunteer (their own account)."""

    name = Name(required=True, validate=validate.Length(min=3, max=255))
    phone = Phone(required=True)
    email = fields.Email(load_default=None, allow_none=True)
    city = Text(load_default=None, allow_none=True, validate=validate.Length(max=127))
    kind = fields.String(load_default="individual", validate=validate.OneOf(KINDS, error=CHOOSE))
    organisation_name = Text(load_default=None, allow_none=True, validate=validate.Length(max=255))
    skills = fields.List(fields.String(validate=validate.Length(max=63)), load_default=list)
    days = fields.List(fields.String(validate=validate.OneOf(DAYS, error=CHOOSE)), load_default=list)
    available_from = Time(load_default=None, allow_none=True)
    available_to = Time(load_default=None, allow_none=True)
    areas = fields.List(Text(validate=validate.Length(min=1, max=127)), load_default=list)
    field_visits = fields.Boolean(load_default=False)
    notes = Text(load_default="", validate=validate.Length(max=5000))


class VolunteerRegisterSchema(VolunteerOfferSchema):
    """Staff register a volunteer: accepted at once, or ``applied`` to decide later."""

    state = fields.String(
        load_default="accepted", validate=validate.OneOf(("accepted", "applied"), error=CHOOSE)
    )


class VolunteerUpdateSchema(VolunteerOfferSchema):
    class Meta(Strict.Meta):
        partial = True


class DecisionSchema(Strict):
    outcome = fields.String(
        required=True, validate=validate.OneOf(("accepted", "declined", "inactive"), error=CHOOSE)
    )
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class VolunteerSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    email = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    kind = fields.String()
    organisation_name = fields.String(allow_none=True)
    skills = fields.List(fields.String())
    days = fields.List(fields.String())
    available_from = fields.Time(format="%H:%M", allow_none=True)
    available_to = fields.Time(format="%H:%M", allow_none=True)
    areas = fields.List(fields.String())
    field_visits = fields.Boolean()
    notes = fields.String()
    state = fields.String()
    decision_reason = fields.String(allow_none=True)
    decided_at = Timestamp(allow_none=True)
    created_at = Timestamp()


class VolunteerListArgsSchema(Strict):
    state = fields.String(
        load_default=None, validate=validate.OneOf(("applied", "accepted", "declined", "inactive"))
    )
    skill = fields.String(load_default=None, validate=validate.Length(max=63))


class SkillSchema(Strict):
    code = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[a-z][a-z0-9_]{0,62}$", error=_l("A code is lower-case Latin letters, digits and underscores.")
        ),
    )
    label_ar = Text(required=True, validate=validate.Length(min=1, max=127))
    label_en = Text(load_default=None, allow_none=True, validate=validate.Length(max=127))


class SkillListSchema(Strict):
    skills = fields.List(fields.Nested(SkillSchema), required=True)


class OpportunityInSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(OPPORTUNITY_KINDS, error=CHOOSE))
    title = Text(required=True, validate=validate.Length(min=3, max=255))
    description = Text(load_default="", validate=validate.Length(max=5000))
    on_date = AnyDate(required=True)
    starts_at = Time(load_default=None, allow_none=True)
    ends_at = Time(load_default=None, allow_none=True)
    location = Text(load_default="", validate=validate.Length(max=255))
    skills = fields.List(fields.String(validate=validate.Length(max=63)), load_default=list)
    places = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    catalog_item_id = fields.Integer(load_default=None, allow_none=True)
    supervisor_id = fields.Integer(load_default=None, allow_none=True)
    state = fields.String(load_default="open", validate=validate.OneOf(OPPORTUNITY_STATES, error=CHOOSE))


class OpportunityUpdateSchema(OpportunityInSchema):
    class Meta(Strict.Meta):
        partial = True


class OpportunitySchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    description = fields.String()
    on_date = fields.Date()
    starts_at = fields.Time(format="%H:%M", allow_none=True)
    ends_at = fields.Time(format="%H:%M", allow_none=True)
    location = fields.String()
    skills = fields.List(fields.String())
    places = fields.Integer()
    taken = fields.Integer()
    catalog_item_id = fields.Integer(allow_none=True)
    supervisor_id = fields.Integer(allow_none=True)
    state = fields.String()


class AssignSchema(Strict):
    volunteer_id = fields.Integer(required=True)


class ClockSchema(Strict):
    """Staff at the door may give the time; a volunteer's own check-in is now."""

    at = Timestamp(load_default=None, allow_none=True)


class ConfirmSchema(Strict):
    minutes = fields.Integer(load_default=None, allow_none=True)
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    reject = fields.Boolean(load_default=False)


class AssignmentSchema(Schema):
    id = fields.Integer()
    opportunity_id = fields.Integer()
    volunteer_id = fields.Integer()
    state = fields.String()
    origin = fields.String()
    checked_in_at = Timestamp(allow_none=True)
    checked_out_at = Timestamp(allow_none=True)
    minutes = fields.Integer(allow_none=True)
    hours_state = fields.String()
    confirmed_minutes = fields.Integer(allow_none=True)
    confirmation_note = fields.String(allow_none=True)


class MyHoursSchema(Schema):
    """The volunteer's own record: their offer, places and confirmed total."""

    volunteer = fields.Nested(VolunteerSchema)
    confirmed_minutes = fields.Integer()
    assignments = fields.List(fields.Nested(AssignmentSchema))


class DayListEntrySchema(Schema):
    """A name on a distribution day's list, and whether the aid was handed over — no identifier."""

    name = fields.String()
    received = fields.Boolean()


class KpiArgsSchema(Strict):
    start = AnyDate(required=True)
    end = AnyDate(required=True)


class ReferralInSchema(Strict):
    request_id = fields.Integer(required=True)
    volunteer_id = fields.Integer(required=True)


class ReferralSchema(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    volunteer_id = fields.Integer()


class CompanionInSchema(Strict):
    visit_id = fields.Integer(required=True)
    volunteer_id = fields.Integer(required=True)


class CompanionSchema(Schema):
    id = fields.Integer()
    visit_id = fields.Integer()
    volunteer_id = fields.Integer()
