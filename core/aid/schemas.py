"""Schemas of the aid API: catalog items and disbursements."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..i18n import lazy_gettext as _l
from ..requests.schemas import CHOOSE, AnyDate, Money
from ..validation import Name, Text
from .models import DELIVERY_MODES, KINDS, PROOF_TYPES, SEASONS, UNITS


class CatalogItemSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    code = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[a-z][a-z0-9_]{1,62}$", error=_l("Use lowercase Latin letters, digits and underscores.")
        ),
    )
    name_ar = Name(required=True, validate=validate.Length(min=2, max=255))
    name_en = Name(required=True, validate=validate.Length(min=2, max=255))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS, error=CHOOSE))
    unit = fields.String(load_default="family", validate=validate.OneOf(UNITS, error=CHOOSE))
    default_value = Money(load_default=None, allow_none=True, attribute="default_value_halalas")
    default_value_halalas_value = fields.Function(
        lambda obj: obj.default_value_halalas,
        data_key="default_value_halalas",
        dump_only=True,
        metadata={"type": "integer", "nullable": True},
    )
    seasonal = fields.Boolean(load_default=False)
    season = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(SEASONS, error=CHOOSE))
    active = fields.Boolean(load_default=True)

    @validates_schema
    def _season_when_seasonal(self, data, partial=False, **kwargs):
        if data.get("seasonal") and not data.get("season"):
            raise ValidationError({"season": [_l("Choose the season of a seasonal item.")]})


class CatalogItemUpdateSchema(CatalogItemSchema):
    class Meta(CatalogItemSchema.Meta):
        exclude = ("code",)


class DisbursementSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    request_id = fields.Integer(dump_only=True)
    catalog_item_id = fields.Integer(load_default=None, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS, error=CHOOSE))
    value = Money(required=True, attribute="value_halalas")
    value_halalas_value = fields.Function(
        lambda obj: obj.value_halalas, data_key="value_halalas", dump_only=True, metadata={"type": "integer"}
    )
    quantity = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    description = Text(load_default="", validate=validate.Length(max=2000))
    delivery_mode = fields.String(
        load_default="direct", validate=validate.OneOf(DELIVERY_MODES, error=CHOOSE)
    )
    provider_name = Name(load_default=None, allow_none=True, validate=validate.Length(max=255))
    # Optional: deduced from the proof given (a document, or who signed the acknowledgement).
    proof_type = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(PROOF_TYPES, error=CHOOSE)
    )
    proof_document_id = fields.Integer(load_default=None, allow_none=True)
    acknowledged_by = Name(load_default=None, allow_none=True, validate=validate.Length(max=255))
    disbursed_on = AnyDate(required=True)

    @validates_schema
    def _positive(self, data, **kwargs):
        if data.get("value_halalas") is not None and data["value_halalas"] <= 0:
            raise ValidationError({"value": [_l("The amount must be more than zero.")]})
