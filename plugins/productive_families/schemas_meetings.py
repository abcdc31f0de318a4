"""What the meetings' and initiatives' forms and API accept and answer."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from core.toolkit import LocalMoment, Name, Text, Timestamp

from . import rules
from .i18n import _l
from .models import NAME_MAX, TEXT_MAX
from .models_meetings import INITIATIVE_KINDS, INITIATIVE_STATES
from .schemas import CriterionSchema

CHOOSE = _l("Choose one of the listed values.")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class MeetingSchema(_Strict):
    topic = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    place = Name(required=True, validate=validate.Length(min=2, max=255))
    starts_at = LocalMoment(required=True, metadata={"description": "The association's wall-clock time."})
    notes = Text(load_default="", validate=validate.Length(max=TEXT_MAX))
    # Leave out to invite every active producer (at least one available product).
    producer_ids = fields.List(fields.Integer(strict=False), load_default=None, allow_none=True)


class MeetingAttendanceSchema(_Strict):
    present = fields.List(
        fields.Integer(strict=False),
        required=True,
        metadata={"description": "The invited producers who came; every other invitee is recorded absent."},
    )


class SurveyAnswersSchema(_Strict):
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=True),
        required=True,
        metadata={
            "description": "{question id: answer} of the challenges survey (see GET …/challenges-survey)."
        },
    )


class InviteeOutSchema(Schema):
    producer_id = fields.Integer()
    trade_name = fields.String(attribute="producer.trade_name")
    present = fields.Boolean(allow_none=True)


class MeetingOutSchema(Schema):
    id = fields.Integer()
    topic = fields.String()
    place = fields.String()
    starts_at = Timestamp()
    notes = fields.String()
    attendance_recorded_at = Timestamp(allow_none=True)
    invited = fields.Integer()
    attended = fields.Integer()
    responses = fields.Integer()


class MeetingDetailSchema(MeetingOutSchema):
    invitees = fields.List(fields.Nested(InviteeOutSchema))


class ThemeCountSchema(Schema):
    theme = fields.String()
    label = fields.String()
    answers = fields.Integer()
    share = fields.Float(metadata={"description": "Share of all themed answers, in percent."})


class ThemeSummarySchema(Schema):
    responses = fields.Integer()
    themed_answers = fields.Integer()
    themes = fields.List(fields.Nested(ThemeCountSchema))


class SurveyChoiceOutSchema(Schema):
    code = fields.String()
    ar = fields.String()
    en = fields.String()
    theme = fields.String(allow_none=True)


class SurveyQuestionOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    text_ar = fields.String()
    text_en = fields.String()
    required = fields.Boolean()
    choices = fields.List(fields.Nested(SurveyChoiceOutSchema))


class CriteriaSchema(_Strict):
    criteria = fields.List(
        fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1, max=12)
    )

    @validates_schema
    def _weights(self, data, **kwargs):
        criteria = data.get("criteria") or []
        total = sum(c["weight"] for c in criteria)
        if criteria and not rules.weights_sum_to_100(criteria):
            raise ValidationError(
                {"criteria": [_l("The weights must add up to 100; they add up to %(total)s.", total=total)]}
            )
        names = [c["name"] for c in criteria]
        if len(set(names)) != len(names):
            raise ValidationError({"criteria": [_l("Two criteria have the same name.")]})


class CriterionOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    weight = fields.Integer()


class InitiativeSchema(_Strict):
    kind = fields.String(required=True, validate=validate.OneOf(INITIATIVE_KINDS, error=CHOOSE))
    title = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    year = fields.Integer(required=True, strict=False, validate=validate.Range(min=2000, max=2100))
    needs_study = Text(load_default="", validate=validate.Length(max=TEXT_MAX))
    design = Text(load_default="", validate=validate.Length(max=TEXT_MAX))


class InitiativePatchSchema(_Strict):
    title = Name(validate=validate.Length(min=2, max=NAME_MAX))
    needs_study = Text(validate=validate.Length(max=TEXT_MAX))
    design = Text(validate=validate.Length(max=TEXT_MAX))
    status = fields.String(validate=validate.OneOf(INITIATIVE_STATES, error=CHOOSE))


class ActivitySchema(_Strict):
    title = Name(required=True, validate=validate.Length(min=2, max=255))
    month = fields.Integer(
        required=True,
        strict=False,
        validate=validate.Range(min=1, max=12, error=_l("Choose a month from 1 to 12.")),
    )
    owner = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))


class ActivityDoneSchema(_Strict):
    done = fields.Boolean(required=True)


class QualityScoresSchema(_Strict):
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(
            strict=False, validate=validate.Range(min=0, max=10, error=_l("Give a score from 0 to 10."))
        ),
        required=True,
        metadata={"description": "{criterion id: score 0–10}, one for each of the tenant's criteria."},
    )


class ActivityOutSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    month = fields.Integer()
    owner = fields.String()
    done = fields.Boolean()


class InitiativeOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    year = fields.Integer()
    status = fields.String()
    needs_study = fields.String()
    has_needs_file = fields.Boolean()
    design = fields.String()
    scores = fields.List(fields.Dict())
    quality_percent = fields.Float(allow_none=True)
    meets_target = fields.Boolean(allow_none=True)
    scored_on = fields.Date(allow_none=True)


class InitiativeDetailSchema(InitiativeOutSchema):
    activities = fields.List(fields.Nested(ActivityOutSchema))
