"""Input and output schemas of the planning API and pages."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from ..calendar import AnyDate
from ..i18n import lazy_gettext as _l
from ..numbers import normalize_digits
from ..validation import Text
from .models import CALENDARS

CHOOSE = _l("Choose one of the listed values.")


def _not_negative(value) -> None:
    if value is not None and value < 0:
        raise ValidationError(_l("Enter zero or more."))


class AnyDecimal(fields.Decimal):
    """A decimal typed in any digits (``١٢٫٥``, ``12.5``); JSON numbers as they are."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = normalize_digits(value).replace("٫", ".").replace("٬", "").replace(",", "")
        return super()._deserialize(value, attr, data, **kwargs)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class PlanImportFormSchema(Strict):
    """The plan-level fields of an import (the file holds the rows)."""

    fiscal_year = fields.Integer(required=True)
    calendar = fields.String(load_default="gregorian", validate=validate.OneOf(CALENDARS, error=CHOOSE))
    title = Text(required=True, validate=validate.Length(min=2, max=255))


class PlanFileSchema(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary"})


class PlanApproveSchema(Strict):
    board_meeting_number = Text(required=True, validate=validate.Length(min=1, max=40))
    board_meeting_date = AnyDate(required=True)


class PlanActivityProgressSchema(Strict):
    month = fields.Integer(required=True, validate=validate.Range(min=1, max=12))
    count = AnyDecimal(load_default=None, allow_none=True, places=2, validate=_not_negative)
    spend_sar = AnyDecimal(load_default=None, allow_none=True, places=2, validate=_not_negative)


class PlanIndicatorProgressSchema(Strict):
    month = fields.Integer(required=True, validate=validate.Range(min=1, max=12))
    value = AnyDecimal(required=True, places=2)


class PlanBindSchema(Strict):
    kpi_source = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))


class PlanExplainQuerySchema(Strict):
    month = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=12))


class PlanStatusSchema(Schema):
    code = fields.String()
    rule = fields.String()


class PlanSchema(Schema):
    id = fields.Integer()
    fiscal_year = fields.Integer()
    calendar = fields.String()
    title = fields.String()
    status = fields.String()
    version = fields.Integer()
    previous_id = fields.Integer(allow_none=True)
    board_meeting_number = fields.String(allow_none=True)
    board_meeting_date = fields.Date(allow_none=True)


class PlanActivitySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    indicator_id = fields.Integer(allow_none=True)
    program_group = fields.String()
    catalog_item_id = fields.Integer(allow_none=True)
    planned_total = fields.Decimal(as_string=True, allow_none=True)
    continuous = fields.Boolean()
    unit = fields.String()
    planned = fields.List(fields.Decimal(as_string=True))
    quarters = fields.List(fields.String())
    duration_days = fields.Integer(allow_none=True)
    deliverable = fields.String()
    department = fields.String()
    cost_halalas = fields.Integer(allow_none=True)
    source = fields.String(allow_none=True)
    actual = fields.List(fields.Decimal(as_string=True))
    spend_halalas = fields.List(fields.Integer())
    actual_total = fields.Decimal(as_string=True)
    status = fields.Nested(PlanStatusSchema)


class PlanIndicatorSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    target_text = fields.String()
    target_kind = fields.String()
    comparison = fields.String(allow_none=True)
    target_low = fields.Decimal(as_string=True, allow_none=True)
    target_high = fields.Decimal(as_string=True, allow_none=True)
    target_unit = fields.String(allow_none=True)
    baseline = fields.String()
    kpi_source = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    monthly = fields.List(fields.Decimal(as_string=True, allow_none=True))
    actual = fields.Decimal(as_string=True, allow_none=True)
    status = fields.Nested(PlanStatusSchema)
    projected = fields.Decimal(as_string=True, allow_none=True)
    on_course_to_miss = fields.Boolean()


class PlanGoalSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    kind = fields.String()
    text = fields.String()
    cost_halalas = fields.Integer()
    status = fields.Nested(PlanStatusSchema)
    indicators = fields.List(fields.Nested(PlanIndicatorSchema))
    activities = fields.List(fields.Nested(PlanActivitySchema))


class PlanBudgetRowSchema(Schema):
    department = fields.String()
    month = fields.Integer()
    planned = fields.Integer()
    spent = fields.Integer()


class PlanFiguresSchema(PlanSchema):
    today = fields.Date()
    goals = fields.List(fields.Nested(PlanGoalSchema))
    budget_by_department = fields.List(fields.Nested(PlanBudgetRowSchema))
    budget_by_month = fields.List(fields.Nested(PlanBudgetRowSchema))


class PlanRecordSchema(Schema):
    label = fields.String()
    date = fields.Date(allow_none=True)
    value = fields.String(allow_none=True)
    url = fields.String(allow_none=True)


class PlanExplainSchema(Schema):
    computed = fields.Boolean()
    hidden = fields.Boolean()
    why = fields.String()
    start = fields.Date()
    end = fields.Date()
    records = fields.List(fields.Nested(PlanRecordSchema))


class PlanPreviewRowSchema(Schema):
    key = fields.List(fields.String(allow_none=True))
    line = fields.Integer()
    fields_ = fields.List(fields.String(), data_key="fields")


class PlanPreviewSchema(Schema):
    added = fields.List(fields.Nested(PlanPreviewRowSchema))
    changed = fields.List(fields.Nested(PlanPreviewRowSchema))
    removed = fields.List(fields.Nested(PlanPreviewRowSchema))


class PlanMeasureSchema(Schema):
    key = fields.String()
    label = fields.String()
    unit = fields.String()
