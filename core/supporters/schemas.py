"""Input and output schemas of the supporters API (the pages validate with the same ones).

Amounts are SAR (``amount``: ``1500.50`` or Arabic-Indic text) stored as halalas; the rules that
need the database (consent, a staff owner, a program of the tenant, an instalment of the same
supporter) are the services', so the API and the pages give the same field errors."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..aid.models import SEASONS
from ..calendar import AnyDate
from ..i18n import lazy_gettext as _l
from ..registry.schemas import Phone
from ..requests.schemas import Money
from ..validation import Text
from .models import AGREEMENT_KINDS, CHANNELS, DONATION_KINDS, KINDS, METHODS, STAGES

CHOOSE = _l("Choose one of the listed values.")


class Strict(Schema):
    class Meta:
        unknown = RAISE


class SupporterInSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS, error=CHOOSE))
    name = Text(required=True, validate=validate.Length(min=2, max=255))
    contact_name = Text(load_default=None, allow_none=True, validate=validate.Length(max=255))
    phone = Phone(load_default=None, allow_none=True)
    email = fields.Email(load_default=None, allow_none=True)
    city = Text(load_default=None, allow_none=True, validate=validate.Length(max=127))
    preferred_channel = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(CHANNELS, error=CHOOSE)
    )
    consent_channels = fields.List(
        fields.String(validate=validate.OneOf(CHANNELS, error=CHOOSE)), load_default=list
    )
    owner_id = fields.Integer(load_default=None, allow_none=True)
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class SupporterPatchSchema(SupporterInSchema):
    class Meta:
        unknown = RAISE
        partial = True


class SupporterSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    contact_name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    preferred_channel = fields.String(allow_none=True)
    consent_channels = fields.List(fields.String())
    consent_recorded_on = fields.Date(allow_none=True)
    stage = fields.String()
    stage_changed_on = fields.Date()
    owner_id = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)
    created_on = fields.Date()


class SupporterListArgs(Strict):
    stage = fields.String(load_default=None, validate=validate.OneOf(STAGES, error=CHOOSE))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS, error=CHOOSE))
    q = Text(load_default=None, validate=validate.Length(max=100))


class SupporterStageSchema(Strict):
    stage = fields.String(required=True, validate=validate.OneOf(STAGES, error=CHOOSE))
    reason = Text(load_default="", validate=validate.Length(max=1000))


class SupporterContactInSchema(Strict):
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS, error=CHOOSE))
    contacted_on = AnyDate(load_default=None, allow_none=True)
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class SupporterContactSchema(Schema):
    id = fields.Integer()
    channel = fields.String()
    contacted_on = fields.Date()
    note = fields.String(allow_none=True)
    by_id = fields.Integer(allow_none=True)


class AgreementInSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(AGREEMENT_KINDS, error=CHOOSE))
    title = Text(required=True, validate=validate.Length(max=255))
    starts_on = AnyDate(required=True)
    ends_on = AnyDate(required=True)
    amount = Money(load_default=None, allow_none=True, attribute="value_halalas")


class AgreementSchema(Schema):
    id = fields.Integer()
    supporter_id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    amount = Money(attribute="value_halalas", allow_none=True)
    filename = fields.String(allow_none=True)
    has_file = fields.Boolean()


class DonationInSchema(Strict):
    supporter_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DONATION_KINDS, error=CHOOSE))
    method = fields.String(required=True, validate=validate.OneOf(METHODS, error=CHOOSE))
    amount = Money(required=True, attribute="value_halalas")
    description = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    quantity = fields.Integer(load_default=None, allow_none=True)
    received_on = AnyDate(required=True)
    catalog_item_id = fields.Integer(load_default=None, allow_none=True)
    season = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(SEASONS, error=CHOOSE))
    instalment_id = fields.Integer(load_default=None, allow_none=True)


class DonationSchema(Schema):
    id = fields.Integer()
    supporter_id = fields.Integer()
    receipt_number = fields.String()
    kind = fields.String()
    method = fields.String()
    amount = Money(attribute="value_halalas")
    description = fields.String(allow_none=True)
    quantity = fields.Integer(allow_none=True)
    received_on = fields.Date()
    catalog_item_id = fields.Integer(allow_none=True)
    season = fields.String(allow_none=True)
    instalment_id = fields.Integer(allow_none=True)


class DonationListArgs(Strict):
    start = AnyDate(load_default=None)
    end = AnyDate(load_default=None)
    supporter_id = fields.Integer(load_default=None)


class PledgeInstalmentInSchema(Strict):
    due_on = AnyDate(required=True)
    amount = Money(required=True, attribute="amount_halalas")


class PledgeInSchema(Strict):
    total = Money(required=True, attribute="total_halalas")
    pledged_on = AnyDate(required=True)
    instalments = fields.List(fields.Nested(PledgeInstalmentInSchema), required=True)
    catalog_item_id = fields.Integer(load_default=None, allow_none=True)
    season = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(SEASONS, error=CHOOSE))
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class PledgeFormSchema(Strict):
    """The page's pledge form: the instalments are ``count`` equal parts, ``every_months`` apart."""

    total = Money(required=True, attribute="total_halalas")
    pledged_on = AnyDate(required=True)
    count = fields.Integer(required=True, validate=validate.Range(1, 120))
    first_due_on = AnyDate(required=True)
    every_months = fields.Integer(load_default=1, validate=validate.Range(1, 12))
    catalog_item_id = fields.Integer(load_default=None, allow_none=True)
    season = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(SEASONS, error=CHOOSE))
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class PledgeInstalmentSchema(Schema):
    id = fields.Integer()
    due_on = fields.Date()
    amount = Money(attribute="amount_halalas")
    paid = Money(attribute="paid_halalas")
    overdue = fields.Boolean()


class PledgeSchema(Schema):
    id = fields.Integer()
    supporter_id = fields.Integer()
    total = Money(attribute="total_halalas")
    pledged_on = fields.Date()
    catalog_item_id = fields.Integer(allow_none=True)
    season = fields.String(allow_none=True)
    paid = Money(attribute="paid_halalas")
    remaining = Money(attribute="remaining_halalas")
    overdue = fields.Boolean()
    overdue_amount = Money(attribute="overdue_halalas")
    instalments = fields.List(fields.Nested(PledgeInstalmentSchema))


class SupporterReportArgs(Strict):
    start = AnyDate(required=True)
    end = AnyDate(required=True)


class SupporterGiftReportSchema(Schema):
    donation_id = fields.Integer()
    receipt_number = fields.String()
    received_on = fields.Date()
    amount = Money()
    catalog_item_id = fields.Integer(allow_none=True)
    season = fields.String(allow_none=True)
    program_disbursed = Money()
    covered = Money()
    share_percent = fields.Float(allow_none=True)
    households = fields.Integer()
    unspent = Money()


class SupporterReportSchema(Schema):
    supporter_id = fields.Integer()
    start = fields.Date()
    end = fields.Date()
    received = Money()
    restricted = Money()
    covered = Money()
    households = fields.Integer()
    gifts = fields.List(fields.Nested(SupporterGiftReportSchema))
