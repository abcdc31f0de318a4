"""What the graduation and document forms and API accept and answer."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from core.toolkit import AnyDate, Money, Text, Timestamp

from .models_graduation import NOTE_MAX


class FollowUpSchema(Schema):
    """A follow-up answers one due slot: the anchor (kind and date) and the months after it."""

    class Meta:
        unknown = RAISE

    anchor = fields.String(required=True, validate=validate.Length(min=1, max=16))
    anchor_on = AnyDate(required=True)
    months = fields.Integer(required=True, strict=False, validate=validate.Range(min=1, max=60))
    followed_on = AnyDate(required=True)
    income = Money(required=True, attribute="income_halalas")
    note = Text(load_default="", validate=validate.Length(max=NOTE_MAX))


class FollowUpOutSchema(Schema):
    id = fields.Integer()
    producer_id = fields.Integer()
    trade_name = fields.String(attribute="producer.trade_name")
    anchor = fields.String(attribute="anchor_kind")
    anchor_on = AnyDate()
    months = fields.Integer()
    followed_on = AnyDate()
    income = Money(attribute="income_halalas")
    change = Money(attribute="change_halalas", metadata={"description": "Income minus the baseline, SAR."})
    note = fields.String()


class SlotOutSchema(Schema):
    producer_id = fields.Integer()
    trade_name = fields.String()
    anchor = fields.String(attribute="anchor_kind")
    anchor_on = AnyDate()
    months = fields.Integer()
    due_on = AnyDate()
    state = fields.String(metadata={"description": "due or overdue (upcoming in a producer's list)"})


class BaselineOutSchema(Schema):
    income = Money(attribute="income_halalas")
    anchor = fields.String(attribute="anchor_kind")
    anchor_on = AnyDate()
    captured_on = AnyDate()


class GraduationOutSchema(Schema):
    """A producer's graduation: the baseline (null before any anchor), follow-ups, open slots."""

    producer_id = fields.Integer()
    baseline = fields.Nested(BaselineOutSchema, allow_none=True)
    followups = fields.List(fields.Nested(FollowUpOutSchema))
    slots = fields.List(fields.Nested(SlotOutSchema))


class OutcomeArgs(Schema):
    class Meta:
        unknown = RAISE

    start = AnyDate(required=True)
    end = AnyDate(required=True)


class OutcomeOutSchema(Schema):
    followed_up = fields.Integer(metadata={"description": "Producers with a follow-up in the period."})
    rose = fields.Integer(
        metadata={"description": "Of them, those whose counted follow-up is above the baseline."}
    )
    rose_share = fields.Float(allow_none=True, metadata={"description": "Percent, one decimal."})
    median_change = Money(allow_none=True)


class FileSchema(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary"})


class StoredFileOutSchema(Schema):
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    uploaded_at = Timestamp()


class LeafletOutSchema(StoredFileOutSchema):
    activity = fields.String()
    issuing_body = fields.String()


class StudyOutSchema(StoredFileOutSchema):
    exhibition_id = fields.Integer()
