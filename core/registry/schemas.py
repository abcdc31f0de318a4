"""Marshmallow schemas of the registry: every input validated here, with translated messages.

Numbers go through ``core.numbers`` (Arabic-Indic digits accepted everywhere); money is
read in SAR and kept as integer halalas; phones are stored in E.164; dates are read as
ISO Gregorian, or as Hijri (Umm al-Qura) when the year is before 1600.
"""

from __future__ import annotations

import re
from datetime import date

from hijridate import Hijri
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from .. import validation
from ..calendar import today
from ..i18n import lazy_gettext as _l
from ..numbers import NumberFormatError, digit_string, normalize_digits, parse_halalas, parse_int
from ..schema_fields import DATE_OPENAPI, Timestamp, money_openapi
from . import ids
from .models import FILE_STATUSES, GENDERS, HOUSING_TENURES, MARITAL_STATUSES, RELATIONSHIPS

NAME_LENGTH = validate.Length(min=1, max=80, error=_l("Between 1 and 80 characters."))


class _Base(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


def invalid(message) -> ValidationError:
    """A field error as a list (lazy strings are not ``str``, so marshmallow would not wrap them)."""
    return ValidationError([message])


class BlankIsMissing:
    """An empty or blank string (an untouched form field) counts as no value."""

    blank_value = None

    @staticmethod
    def openapi(field) -> dict:
        """A required value cannot be blank (core.api puts this in the OpenAPI document)."""
        return {"pattern": r"\S"} if field.required else {}

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str) and not value.strip():
            if self.required:
                raise self.make_error("required")
            return self.blank_value
        return super().deserialize(value, attr, data, **kwargs)


class Text(BlankIsMissing, validation.Text):
    """Trimmed free text (no control characters, see ``core.validation``); blank counts as missing."""


class Name(BlankIsMissing, validation.Name):
    """A trimmed name (no invisible or control characters, see ``core.validation``); blank is missing."""


class NationalId(BlankIsMissing, fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return ids.parse_national_id(str(value))
        except ids.InvalidNationalId:
            raise invalid(
                _l("Enter a valid 10-digit national ID (starting with 1) or iqama number (starting with 2).")
            ) from None


_PHONE_NOISE = re.compile(r"[\s\-()]")


def parse_saudi_mobile(text: str) -> str:
    """``05XXXXXXXX``, ``5XXXXXXXX``, ``+9665…``, ``009665…``, ``9665…`` → ``+9665XXXXXXXX``."""
    cleaned = _PHONE_NOISE.sub("", normalize_digits(str(text)))
    plus = cleaned.startswith("+")
    digits = digit_string(cleaned.lstrip("+"))
    if plus or digits.startswith("966") and len(digits) == 12:
        local = digits[3:] if digits.startswith("966") else ""
    elif digits.startswith("00966"):
        local = digits[5:]
    elif digits.startswith("05"):
        local = digits[1:]
    else:
        local = digits
    if len(local) != 9 or not local.startswith("5"):
        raise NumberFormatError(text)
    return "+966" + local


class Phone(BlankIsMissing, fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_saudi_mobile(str(value))
        except NumberFormatError:
            raise invalid(_l("Enter a Saudi mobile number: 05XXXXXXXX or +9665XXXXXXXX.")) from None


class NationalAddress(BlankIsMissing, fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        code = re.sub(r"\s", "", normalize_digits(str(value))).upper()
        if not re.fullmatch(r"[A-Z]{4}[0-9]{4}", code):
            raise invalid(_l("Enter the short address: 4 Latin letters then 4 digits, e.g. RRRD2929."))
        return code


class Money(BlankIsMissing, fields.Field):
    """An amount in SAR typed in any digits (``"٣٬٥٠٠٫٥٠"``) → integer halalas; dumped in SAR."""

    blank_value = 0
    openapi = money_openapi(blank=True)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise invalid(_l("Enter an amount in riyals, e.g. 1500 or 1500.50."))
        try:
            halalas = parse_halalas(value)
        except NumberFormatError:
            raise invalid(_l("Enter an amount in riyals, e.g. 1500 or 1500.50.")) from None
        if halalas < 0 or halalas > 10**12:
            raise invalid(_l("Enter an amount between 0 and 10,000,000,000 riyals."))
        return halalas

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        riyals, rest = divmod(int(value), 100)
        return riyals if rest == 0 else round(value / 100, 2)


class LocalDate(BlankIsMissing, fields.Date):
    """ISO date in any digits; a year before 1600 is read as Hijri (Umm al-Qura)."""

    openapi = {**DATE_OPENAPI, "pattern": rf"{DATE_OPENAPI['pattern']}|^\s*$"}  # blank: no date

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, date):
            return value
        text = normalize_digits(str(value)).strip().replace("/", "-")
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if not match:
            raise invalid(_l("Enter a date as YYYY-MM-DD (Gregorian or Hijri)."))
        year, month, day = (int(x) for x in match.groups())
        try:
            if year < 1600:
                gregorian = Hijri(year, month, day).to_gregorian()
                return date(gregorian.year, gregorian.month, gregorian.day)
            return date(year, month, day)
        except (ValueError, OverflowError):
            raise invalid(_l("This date does not exist.")) from None


class Flag(fields.Boolean):
    truthy = {*fields.Boolean.truthy, "نعم", "y", "Y", "on"}
    falsy = {*fields.Boolean.falsy, "لا", "n", "N", "off", ""}


class Count(BlankIsMissing, fields.Integer):
    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_int(value)
        except (NumberFormatError, TypeError):
            raise invalid(_l("Enter a whole number.")) from None


# --------------------------------------------------------------------------- persons


class PersonSchema(_Base):
    """A person as the API and the forms see them (seed 004: the mandatory fields)."""

    id = fields.Integer(dump_only=True)
    first_name = Name(required=True, validate=NAME_LENGTH)
    father_name = Name(required=True, validate=NAME_LENGTH)
    grandfather_name = Name(required=True, validate=NAME_LENGTH)
    family_name = Name(required=True, validate=NAME_LENGTH)
    full_name = fields.String(dump_only=True)
    national_id = NationalId(required=True)
    id_type = fields.String(dump_only=True, allow_none=True)
    id_expiry = LocalDate(required=True)
    nationality = Text(required=True, validate=validate.Length(max=64))
    birth_date = LocalDate(allow_none=True)
    gender = fields.String(
        allow_none=True, validate=validate.OneOf(GENDERS, error=_l("Choose one of the listed values."))
    )
    marital_status = fields.String(
        allow_none=True,
        validate=validate.OneOf(MARITAL_STATUSES, error=_l("Choose one of the listed values.")),
    )
    phone = Phone(allow_none=True)
    email = Text(allow_none=True, validate=validate.Email(error=_l("Enter a valid e-mail address.")))
    national_address = NationalAddress(allow_none=True)
    city = Text(allow_none=True, validate=validate.Length(max=80))
    job = Text(required=True, validate=validate.Length(max=120))
    monthly_income = Money(required=True)
    monthly_income_halalas = fields.Integer(dump_only=True, attribute="monthly_income")
    created_at = Timestamp(dump_only=True)

    @validates_schema
    def _dates_make_sense(self, data, **kwargs):
        birth = data.get("birth_date")
        if birth and birth > today():
            raise ValidationError({"birth_date": [_l("The birth date is in the future.")]})


class PersonOutSchema(PersonSchema):
    """A person as the API returns them: a household member may have no ID, job or nationality."""

    father_name = fields.String()
    grandfather_name = fields.String()
    national_id = fields.String(allow_none=True)
    id_expiry = fields.Date(allow_none=True)
    nationality = fields.String(allow_none=True)
    job = fields.String(allow_none=True)


class PersonPatchSchema(PersonSchema):
    """Any subset of a person's fields (used with ``partial=True``)."""


class PersonBriefSchema(Schema):
    id = fields.Integer()
    full_name = fields.String()
    id_type = fields.String()
    city = fields.String()


class MemberPersonSchema(PersonSchema):
    """A household member: a name and a relationship suffice (children often have no card)."""

    class Meta(PersonSchema.Meta):
        pass

    father_name = Name(validate=validate.Length(max=80))
    grandfather_name = Name(validate=validate.Length(max=80))
    national_id = NationalId(allow_none=True)
    id_expiry = LocalDate(allow_none=True)
    nationality = Text(allow_none=True, validate=validate.Length(max=64))
    job = Text(allow_none=True, validate=validate.Length(max=120))
    monthly_income = Money()


class DuplicateSignalSchema(Schema):
    other_associations = fields.Integer()
    shared = fields.List(fields.Dict())


# --------------------------------------------------------------------------- households


class HouseholdMemberSchema(_Base):
    id = fields.Integer(dump_only=True)
    person_id = fields.Integer(load_only=True)
    person = fields.Nested(MemberPersonSchema)
    relationship = fields.String(
        required=True,
        attribute="relationship_",
        data_key="relationship",
        validate=validate.OneOf(RELATIONSHIPS, error=_l("Choose one of the listed values.")),
    )
    job = Text(allow_none=True, validate=validate.Length(max=120))
    income = Money()
    income_halalas = fields.Integer(dump_only=True, attribute="income")
    resides_with_head = Flag(load_default=True)
    studying = Flag(load_default=False)

    @validates_schema
    def _one_person(self, data, partial=False, **kwargs):
        if partial:
            return
        if ("person" in data) == ("person_id" in data):
            raise ValidationError(
                {"person": [_l("Give the member's details (or the id of a registered person).")]}
            )


class MemberPersonPatchSchema(MemberPersonSchema):
    """The member's person in a partial update (every field optional, as the server reads it)."""


class HouseholdMemberPatchSchema(HouseholdMemberSchema):
    class Meta(HouseholdMemberSchema.Meta):
        exclude = ("person_id",)

    person = fields.Nested(MemberPersonPatchSchema(partial=True))


class BeneficiaryFileSchema(_Base):
    id = fields.Integer(dump_only=True)
    household_id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
    suspended_until = fields.Date(dump_only=True, allow_none=True)
    suspension_condition = fields.String(dump_only=True, allow_none=True)
    exclusion_reason = fields.String(dump_only=True, allow_none=True)
    status_reason = fields.String(dump_only=True, allow_none=True)
    status_changed_at = Timestamp(dump_only=True)
    last_renewal_date = fields.Date(dump_only=True, allow_none=True)
    next_renewal_due = fields.Date(dump_only=True, allow_none=True)
    renewal_overdue = fields.Boolean(dump_only=True)
    extra = fields.Dict(dump_only=True)
    created_at = Timestamp(dump_only=True)


class HouseholdSchema(_Base):
    id = fields.Integer(dump_only=True)
    head_person_id = fields.Integer()
    head = fields.Nested(PersonSchema)
    housing_tenure = fields.String(
        required=True, validate=validate.OneOf(HOUSING_TENURES, error=_l("Choose one of the listed values."))
    )
    annual_rent = Money()
    annual_rent_halalas = fields.Integer(dump_only=True, attribute="annual_rent")
    category = fields.String(load_default="family", validate=validate.Length(min=1, max=63))
    members = fields.List(fields.Nested(HouseholdMemberSchema), load_default=list)
    extra = fields.Dict(keys=fields.String(), load_only=True, load_default=dict)
    file = fields.Nested(BeneficiaryFileSchema, dump_only=True)
    created_at = Timestamp(dump_only=True)

    @validates_schema(skip_on_field_errors=False)
    def _head_and_rent(self, data, partial=False, **kwargs):
        errors: dict = {}
        if not partial and ("head" in data) == ("head_person_id" in data):
            errors["head"] = [_l("Give the head of household's details (or the id of a registered person).")]
        if data.get("housing_tenure") == "rented" and not data.get("annual_rent"):
            errors["annual_rent"] = [_l("Enter the annual rent for rented housing.")]
        if errors:
            raise ValidationError(errors)


class HouseholdOutSchema(HouseholdSchema):
    """A household as the API returns it (its head may be a registered person without a job)."""

    head = fields.Nested(PersonOutSchema)


class HouseholdUpdateSchema(HouseholdSchema):
    class Meta(HouseholdSchema.Meta):
        exclude = ("head", "members")


class BeneficiaryFileBriefSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    next_renewal_due = fields.Date(allow_none=True)


class HouseholdListItemSchema(Schema):
    id = fields.Integer()
    head = fields.Nested(PersonBriefSchema)
    category = fields.String()
    file = fields.Nested(BeneficiaryFileBriefSchema)
    members_count = fields.Function(lambda h: len(h.members), metadata={"type": "integer"})


# --------------------------------------------------------------------------- files


class StatusChangeSchema(_Base):
    status = fields.String(
        required=True, validate=validate.OneOf(FILE_STATUSES, error=_l("Choose one of the listed values."))
    )
    reason = Text(required=True, validate=validate.Length(min=1, max=2000))
    suspended_until = LocalDate(allow_none=True)
    suspension_condition = Text(allow_none=True, validate=validate.Length(max=255))
    exclusion_reason = fields.String(allow_none=True, validate=validate.Length(max=63))

    @validates_schema
    def _status_details(self, data, **kwargs):
        if data.get("status") == "suspended" and not (
            data.get("suspended_until") or data.get("suspension_condition")
        ):
            raise ValidationError(
                {"suspended_until": [_l("A suspension needs an end date or a condition to lift it.")]}
            )
        if data.get("suspended_until") and data["suspended_until"] <= today():
            raise ValidationError(
                {"suspended_until": [_l("The end of the suspension must be in the future.")]}
            )
        if data.get("status") == "excluded" and not data.get("exclusion_reason"):
            raise ValidationError({"exclusion_reason": [_l("Choose the reason for the exclusion.")]})


class RenewalSchema(_Base):
    renewed_on = LocalDate(load_default=None)
    note = Text(allow_none=True, validate=validate.Length(max=2000))


class BeneficiaryFileEventSchema(Schema):
    id = fields.Integer()
    file_id = fields.Integer()
    kind = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    details = fields.Dict()
    user_id = fields.Integer(allow_none=True)
    at = Timestamp()


class SearchArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default="")


class FileListArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    status = fields.String(validate=validate.OneOf(FILE_STATUSES))
    renewal_overdue = fields.Boolean()


class SharingAgreementSchema(Schema):
    id = fields.Integer(dump_only=True)
    partner = fields.String(required=True, load_only=True)
    partner_slug = fields.String(dump_only=True)
    partner_name = fields.String(dump_only=True)
    accepted_by_us = fields.Boolean(dump_only=True)
    accepted_by_partner = fields.Boolean(dump_only=True)
    in_force = fields.Boolean(dump_only=True)
