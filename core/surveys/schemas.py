"""Schemas of the surveys API and forms."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..auth.models import TENANT_ROLES
from ..i18n import lazy_gettext as _l
from ..schema_fields import Timestamp
from ..validation import Name, Text
from .models import QUESTION_KINDS

CHOOSE = _l("Choose one of the listed values.")
CODE = validate.Regexp(
    r"^[a-z][a-z0-9_]{1,62}$", error=_l("Use lowercase Latin letters, digits and underscores.")
)


class SurveySchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    code = fields.String(required=True, validate=CODE)
    name_ar = Name(required=True, validate=validate.Length(min=2, max=255))
    name_en = Name(required=True, validate=validate.Length(min=2, max=255))
    for_invitations = fields.Boolean(dump_only=True)
    # The plugin or module the survey belongs to (its id; null: the association's own survey).
    # An owned survey is read-only here: editing, publishing or sending it is refused with 409.
    owner = fields.String(dump_only=True, allow_none=True)


class ChoiceSchema(Schema):
    class Meta:
        unknown = RAISE

    code = fields.String(required=True, validate=CODE)
    ar = Text(required=True, validate=validate.Length(min=1, max=255))
    en = Text(required=True, validate=validate.Length(min=1, max=255))


class QuestionSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    version_id = fields.Integer(dump_only=True)
    position = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(QUESTION_KINDS, error=CHOOSE))
    text_ar = Text(required=True, validate=validate.Length(min=2, max=1000))
    text_en = Text(required=True, validate=validate.Length(min=2, max=1000))
    choices = fields.List(fields.Nested(ChoiceSchema), load_default=list)
    required = fields.Boolean(load_default=True)
    feeds_kpi = fields.Boolean(load_default=False)

    @validates_schema
    def _kind_rules(self, data, **kwargs):
        kind, choices = data.get("kind"), data.get("choices") or []
        if kind == "choice":
            codes = [c["code"] for c in choices]
            if len(choices) < 2:
                raise ValidationError({"choices": [_l("Give at least two options.")]})
            if len(set(codes)) != len(codes):
                raise ValidationError({"choices": [_l("Each option needs its own code.")]})
        elif choices:
            raise ValidationError({"choices": [_l("Only a single-choice question has options.")]})
        if data.get("feeds_kpi") and kind != "rating":
            raise ValidationError({"feeds_kpi": [_l("Only a 1–5 rating can feed the satisfaction KPI.")]})


class VersionSchema(Schema):
    id = fields.Integer(dump_only=True)
    survey_id = fields.Integer(dump_only=True)
    number = fields.Integer(dump_only=True)
    state = fields.String(dump_only=True)
    published_at = Timestamp(dump_only=True, allow_none=True)
    questions = fields.List(fields.Nested(QuestionSchema), dump_only=True)


class SettingsSchema(Schema):
    class Meta:
        unknown = RAISE

    sampling = fields.String(validate=validate.OneOf(("all", "sample"), error=CHOOSE))
    target_margin = fields.Float(
        validate=validate.Range(min=1, max=20, error=_l("Enter a margin between 1 and 20 points."))
    )
    threshold = fields.Integer(
        validate=validate.Range(min=1, max=5, error=_l("Choose a rating from 1 to 5."))
    )
    complaint_below = fields.Integer(
        validate=validate.Range(min=1, max=5, error=_l("Choose a rating from 1 to 5."))
    )
    link_days = fields.Integer(
        validate=validate.Range(min=1, max=365, error=_l("Enter a number of days between 1 and 365."))
    )
    identified = fields.Boolean()
    free_text_roles = fields.List(fields.String(validate=validate.OneOf(TENANT_ROLES, error=CHOOSE)))
    target_share = fields.Float(
        validate=validate.Range(min=0, max=100, error=_l("Enter a percentage between 0 and 100."))
    )


class AnswersSchema(Schema):
    """``{"answers": {"<question id>": value}}``; each value is checked against its question."""

    class Meta:
        unknown = RAISE

    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)


class PaperSchema(AnswersSchema):
    request_id = fields.Integer(required=True)


class PeriodSchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError({"end": [_l("The end must not be before the start.")]})


class FigureSchema(Schema):
    suppressed = fields.Boolean()
    responses = fields.Integer(allow_none=True)
    invited = fields.Integer(allow_none=True)
    share = fields.Float(allow_none=True)
    margin = fields.Float(allow_none=True)
    response_rate = fields.Float(allow_none=True)


class ProgramFigureSchema(FigureSchema):
    program_id = fields.Integer(allow_none=True)


class MonthFigureSchema(FigureSchema):
    period = fields.String()


class SatisfactionSchema(Schema):
    threshold = fields.Integer()
    target_share = fields.Float()
    sampling = fields.String()
    target_margin = fields.Float()
    overall = fields.Nested(FigureSchema)
    programs = fields.List(fields.Nested(ProgramFigureSchema))
    months = fields.List(fields.Nested(MonthFigureSchema))


class ResponseSchema(Schema):
    id = fields.Integer()
    version_id = fields.Integer()
    program_id = fields.Integer(allow_none=True)
    period = fields.String()
    channel = fields.String()
    kpi_score = fields.Integer(allow_none=True)
    answers = fields.Dict()
    request_id = fields.Integer(allow_none=True)


class SurveyInvitationSchema(Schema):
    id = fields.Integer()
    request_id = fields.Integer(allow_none=True)
    period = fields.String()
    trigger = fields.String()
    sampled = fields.Boolean()
    expires_at = Timestamp(allow_none=True)
    answered = fields.Function(lambda obj: obj.answered_at is not None, metadata={"type": "boolean"})
