"""The policies' API schemas."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from ..calendar import AnyDate
from ..i18n import lazy_gettext as _l
from ..schema_fields import Timestamp
from ..validation import Text
from .models import KINDS

CHOOSE = _l("Choose one of the listed values.")


class PolicyFormSchema(Schema):
    """A new policy document (multipart form fields; the file is ``file``)."""

    class Meta:
        unknown = EXCLUDE

    title = Text(load_default="", validate=validate.Length(max=255))
    kind = fields.String(
        load_default=None, validate=validate.OneOf(KINDS, error=CHOOSE), metadata={"enum": list(KINDS)}
    )
    version = fields.String(load_default="", validate=validate.Length(max=20))
    board_meeting_number = fields.String(load_default=None, validate=validate.Length(max=20))
    board_approved_on = AnyDate(load_default=None, allow_none=True)
    in_force_from = AnyDate(load_default=None, allow_none=True)
    in_force_until = AnyDate(load_default=None, allow_none=True)
    notes = Text(load_default="", validate=validate.Length(max=2000))


class PolicyRevisionSchema(PolicyFormSchema):
    """A new version: the title may change, the kind stays the previous version's."""


class PolicyFileSchema(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary"})


class PolicyRevisionFileSchema(PolicyFileSchema):
    """The new version's file."""


class PolicyListArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.String(validate=validate.OneOf(KINDS, error=CHOOSE))
    in_force = fields.Boolean(metadata={"description": "Only the versions in force today"})


class PolicyOutSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    version = fields.String()
    board_meeting_number = fields.String(allow_none=True)
    board_approved_on = fields.Date(allow_none=True)
    approval = fields.String()
    in_force_from = fields.Date()
    in_force_until = fields.Date(allow_none=True)
    in_force = fields.Boolean()
    previous_id = fields.Integer(allow_none=True)
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    notes = fields.String()
    created_at = Timestamp()
