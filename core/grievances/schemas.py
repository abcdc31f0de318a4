"""Input and output schemas of the grievance API (and the pages' form validation).

The seed's refusals (no name, no contact number, late) are the service's, so that the API,
the pages and the survey's complaint route give the same translated field errors: the schema
only checks types and shapes, and leaves those fields optional."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..i18n import lazy_gettext as _l
from ..registry.schemas import Phone
from ..requests.schemas import AnyDate
from ..schema_fields import Timestamp
from ..validation import Name, Text
from .models import CHANNELS, INADMISSIBLE_RULES, KINDS, OUTCOMES
from .services import light, today

CHOOSE = _l("Choose one of the listed values.")


class Strict(Schema):
    class Meta:
        unknown = RAISE


class GrievancePortalFileSchema(Strict):
    """A grievance filed by the complainant on the portal."""

    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS, error=CHOOSE))
    category = fields.String(load_default=None, validate=validate.Length(max=63))
    complainant_name = Name(load_default=None, validate=validate.Length(max=255))
    complainant_phone = Phone(load_default=None, allow_none=True)
    complainant_email = fields.Email(load_default=None, allow_none=True)
    request_id = fields.Integer(load_default=None, allow_none=True)
    disbursement_id = fields.Integer(load_default=None, allow_none=True)
    provider_name = Text(load_default=None, allow_none=True, validate=validate.Length(max=255))
    description = Text(load_default=None, validate=validate.Length(max=10000))
    event_date = AnyDate(load_default=None, allow_none=True)


class GrievanceRecordSchema(GrievancePortalFileSchema):
    """A grievance recorded by staff (handed in at the office, by phone, letter or e-mail)."""

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS, error=CHOOSE))
    complainant_user_id = fields.Integer(load_default=None, allow_none=True)
    about_user_id = fields.Integer(load_default=None, allow_none=True)
    late_excuse = Text(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class GrievanceAssignSchema(Strict):
    user_ids = fields.List(fields.Integer(), required=True)
    body = Text(load_default=None, allow_none=True, validate=validate.Length(max=255))


class GrievanceNoteSchema(Strict):
    note = Text(load_default="", validate=validate.Length(max=5000))


class GrievanceDecideSchema(Strict):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES, error=CHOOSE))
    decision_text = Text(load_default="", validate=validate.Length(max=10000))
    action_taken = Text(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class GrievanceInadmissibleSchema(Strict):
    rule = fields.String(required=True, validate=validate.OneOf(INADMISSIBLE_RULES, error=CHOOSE))
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class GrievanceMaliciousSchema(Strict):
    note = Text(load_default="", validate=validate.Length(max=5000))
    refer = fields.Boolean(load_default=False)


class GrievanceAboutSchema(Strict):
    about_user_id = fields.Integer(required=True, allow_none=True)


class GrievanceAppealSchema(Strict):
    reason = Text(load_default="", validate=validate.Length(max=5000))


class GrievanceAssignAppealSchema(Strict):
    handler_id = fields.Integer(required=True)


class GrievanceDecideAppealSchema(Strict):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES, error=CHOOSE))
    decision_text = Text(load_default="", validate=validate.Length(max=10000))


class GrievanceRuleVersionInSchema(Strict):
    effective_from = AnyDate(required=True)
    filing_window_days = fields.Integer(load_default=15, validate=validate.Range(min=1, max=365))
    deadline_working_days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))
    appeal_window_working_days = fields.Integer(load_default=10, validate=validate.Range(min=1, max=365))


class GrievanceRuleVersionSchema(Schema):
    effective_from = fields.Date(allow_none=True)
    filing_window_days = fields.Integer()
    deadline_working_days = fields.Integer()
    appeal_window_working_days = fields.Integer()


class GrievanceCategorySchema(Schema):
    code = fields.String()
    label_ar = fields.String()
    label_en = fields.String()
    kind = fields.String(allow_none=True)


class GrievanceQueueArgsSchema(Strict):
    queue = fields.String(
        load_default="all",
        validate=validate.OneOf(("all", "mine", "unassigned", "due_soon", "overdue"), error=CHOOSE),
    )
    state = fields.String(load_default=None)
    q = fields.String(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "Words each found in the number or the complainant's name (any digits)."},
    )


class GrievanceEventSchema(Schema):
    id = fields.Integer()
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    actor_id = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)
    public = fields.Boolean()
    at = Timestamp()


class GrievancePublicAppealSchema(Schema):
    """An appeal as the complainant sees it (not who handles it)."""

    id = fields.Integer()
    state = fields.String()
    reason = fields.String()
    filed_on = fields.Date()
    due_date = fields.Date()
    outcome = fields.String(allow_none=True)
    decision_text = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)


class GrievanceAppealOutSchema(GrievancePublicAppealSchema):
    handler_id = fields.Integer(allow_none=True)
    decided_by_id = fields.Integer(allow_none=True)


class GrievancePublicSchema(Schema):
    """What the complainant sees: never the malicious marking, the assignees or internal notes."""

    id = fields.Integer()
    number = fields.String()
    kind = fields.String()
    category = fields.String()
    channel = fields.String()
    state = fields.String()
    filed_on = fields.Date()
    event_date = fields.Date()
    due_date = fields.Date()
    description = fields.String()
    request_id = fields.Integer(allow_none=True)
    disbursement_id = fields.Integer(allow_none=True)
    outcome = fields.String(allow_none=True)
    decision_text = fields.String(allow_none=True)
    action_taken = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    inadmissible_rule = fields.String(allow_none=True)
    appeals = fields.List(fields.Nested(GrievancePublicAppealSchema))


class GrievanceSchema(GrievancePublicSchema):
    """The staff view (readers under the confidentiality rule only)."""

    complainant_name = fields.String()
    complainant_phone = fields.String()
    complainant_email = fields.String(allow_none=True)
    complainant_user_id = fields.Integer(allow_none=True)
    provider_name = fields.String(allow_none=True)
    about_user_id = fields.Integer(allow_none=True)
    late_excuse = fields.String(allow_none=True)
    excuse_accepted_by_id = fields.Integer(allow_none=True)
    excuse_accepted_at = Timestamp(allow_none=True)
    rules = fields.Dict()
    paused_days = fields.Integer()
    paused_since = fields.Date(allow_none=True)
    assignee_ids = fields.List(fields.Integer())
    assigned_body = fields.String(allow_none=True)
    malicious = fields.Boolean()
    malicious_note = fields.String(allow_none=True)
    disciplinary_referral = fields.Boolean()
    decided_by_id = fields.Integer(allow_none=True)
    light = fields.Method("_light", metadata={"type": "string", "nullable": True})
    events = fields.List(fields.Nested(GrievanceEventSchema))
    appeals = fields.List(fields.Nested(GrievanceAppealOutSchema))

    def _light(self, obj):
        return light(obj, today())
