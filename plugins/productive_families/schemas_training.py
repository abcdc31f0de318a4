"""What the training pages' forms and the API accept and answer (seed 001, goal 6)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from core.toolkit import AnyDate, Name, Text, Timestamp, current_language

from .i18n import _l
from .models import NAME_MAX
from .models_training import ENROLMENT_OUTCOMES, PROGRAM_STATES, TRAINER_KINDS, TRAINER_SCOPES
from .settings import SKILL_CODES

CHOOSE = _l("Choose one of the listed values.")

# Countries a trainer or centre is in (ISO 3166 alpha-2): Saudi Arabia for a local one, the
# Gulf, the Arab world and the usual training partners for an international one.
COUNTRIES = {
    "SA": ("السعودية", "Saudi Arabia"),
    "AE": ("الإمارات", "United Arab Emirates"),
    "BH": ("البحرين", "Bahrain"),
    "KW": ("الكويت", "Kuwait"),
    "QA": ("قطر", "Qatar"),
    "OM": ("عُمان", "Oman"),
    "EG": ("مصر", "Egypt"),
    "JO": ("الأردن", "Jordan"),
    "MA": ("المغرب", "Morocco"),
    "TR": ("تركيا", "Türkiye"),
    "MY": ("ماليزيا", "Malaysia"),
    "IN": ("الهند", "India"),
    "GB": ("المملكة المتحدة", "United Kingdom"),
    "FR": ("فرنسا", "France"),
    "IT": ("إيطاليا", "Italy"),
    "US": ("الولايات المتحدة", "United States"),
}


def country_name(code: str) -> str:
    if code not in COUNTRIES:
        return code
    ar, en = COUNTRIES[code]
    return en if current_language() == "en" else ar


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _areas():
    return fields.List(fields.String(validate=validate.OneOf(SKILL_CODES, error=CHOOSE)), load_default=list)


class NeedsSchema(_Strict):
    """The skill areas a producer's family needs training in (the tenant's list)."""

    areas = _areas()


class NeedsOutSchema(Schema):
    producer_id = fields.Integer()
    areas = fields.List(fields.String())


class TrainerSchema(_Strict):
    name = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    kind = fields.String(required=True, validate=validate.OneOf(TRAINER_KINDS, error=CHOOSE))
    scope = fields.String(required=True, validate=validate.OneOf(TRAINER_SCOPES, error=CHOOSE))
    country = fields.String(load_default="SA", validate=validate.OneOf(tuple(COUNTRIES), error=CHOOSE))
    city = Name(load_default="", validate=validate.Length(max=80))
    specialities = _areas()
    contact_name = Name(load_default="", validate=validate.Length(max=NAME_MAX))
    phone = fields.String(load_default="", validate=validate.Length(max=32))
    email = fields.Email(load_default="", validate=validate.Length(max=254))

    @validates("phone")
    def _phone(self, value, **kwargs):
        digits = value.replace("+", "").replace(" ", "").replace("-", "")
        if value.strip() and not (digits.isdigit() and 7 <= len(digits) <= 15):
            raise ValidationError(
                _l("Enter a telephone number in digits, e.g. 0135800000 or +971 4 000 0000.")
            )

    @validates_schema
    def _local_is_saudi(self, data, **kwargs):
        country = data.get("country") or ""
        if data.get("scope") == "local" and country and country != "SA":
            raise ValidationError({"country": [_l("A local trainer or centre is in Saudi Arabia.")]})
        if data.get("scope") == "international" and country == "SA":
            raise ValidationError(
                {"country": [_l("An international trainer or centre is outside Saudi Arabia.")]}
            )


class TrainerOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String(validate=validate.OneOf(TRAINER_KINDS))
    scope = fields.String(validate=validate.OneOf(TRAINER_SCOPES))
    country = fields.String()
    city = fields.String()
    specialities = fields.List(fields.String())
    contact_name = fields.String()
    phone = fields.String()
    email = fields.String()


class ContractFormSchema(_Strict):
    """A partnership contract (multipart form fields; the signed document is ``file``)."""

    title = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    signed_on = AnyDate(required=True)
    ends_on = AnyDate(load_default=None, allow_none=True)
    quality_score = fields.Integer(required=True, strict=False, validate=validate.Range(min=0, max=100))

    @validates_schema
    def _dates(self, data, **kwargs):
        if data.get("signed_on") and data.get("ends_on") and data["ends_on"] < data["signed_on"]:
            raise ValidationError({"ends_on": [_l("The contract cannot end before it is signed.")]})


class ContractFileSchema(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary"})


class ContractOutSchema(Schema):
    id = fields.Integer()
    trainer_id = fields.Integer()
    trainer_name = fields.String(attribute="trainer.name")
    title = fields.String()
    signed_on = AnyDate()
    ends_on = AnyDate(allow_none=True)
    quality_score = fields.Integer()
    filename = fields.Function(lambda c: (c.file or {}).get("filename", ""), metadata={"type": "string"})


class ProgramSchema(_Strict):
    title = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    specialised = fields.Boolean(load_default=True)
    area = fields.String(load_default="", validate=validate.OneOf(("", *SKILL_CODES), error=CHOOSE))
    trainer_id = fields.Integer(required=True, strict=False)
    starts_on = AnyDate(required=True)
    ends_on = AnyDate(required=True)
    place = Name(required=True, validate=validate.Length(min=2, max=255))
    capacity = fields.Integer(required=True, strict=False, validate=validate.Range(min=1, max=500))

    @validates_schema
    def _dates(self, data, **kwargs):
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError({"ends_on": [_l("The program cannot end before it starts.")]})


class ProgramOutSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    specialised = fields.Boolean()
    area = fields.String()
    trainer_id = fields.Integer()
    trainer_name = fields.String(attribute="trainer.name")
    starts_on = AnyDate()
    ends_on = AnyDate()
    place = fields.String()
    capacity = fields.Integer()
    status = fields.String(validate=validate.OneOf(PROGRAM_STATES))
    closed_on = AnyDate(allow_none=True)


class SessionSchema(_Strict):
    held_on = AnyDate(required=True)
    topic = Text(load_default="", validate=validate.Length(max=255))


class SessionOutSchema(Schema):
    id = fields.Integer()
    program_id = fields.Integer()
    held_on = AnyDate()
    topic = fields.String()
    present = fields.List(fields.Integer(), metadata={"description": "Producer ids present"})


class SessionAttendanceSchema(_Strict):
    """The enrolled producers present at the session (the others were absent)."""

    present = fields.List(fields.Integer(strict=False), load_default=list)


class EnrolSchema(_Strict):
    producer_id = fields.Integer(required=True, strict=False)


class JoinSchema(_Strict):
    """The portal's "ask to join" of a suggested program."""

    program_id = fields.Integer(required=True, strict=False)


class EnrolmentOutSchema(Schema):
    id = fields.Integer()
    program_id = fields.Integer()
    producer_id = fields.Integer()
    trade_name = fields.String(attribute="producer.trade_name")
    outcome = fields.String(validate=validate.OneOf(ENROLMENT_OUTCOMES))
    completed_on = AnyDate(allow_none=True)
    enrolled_at = Timestamp()


class CloseSchema(_Strict):
    closed_on = AnyDate(load_default=None, allow_none=True)
