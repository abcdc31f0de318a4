"""Shared pieces of the API schemas: timestamps with their offset, and the OpenAPI declarations
of the platform's lenient fields (money and dates typed in any digit script).

A custom marshmallow field states what it accepts and returns in the OpenAPI document with a
class attribute ``openapi`` (a JSON-schema fragment); ``core.api`` merges it into the field's
property. ``tests/test_openapi.py`` checks that every property of the document has a type.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from marshmallow import fields

from .numbers import normalize_digits

# Digits in Latin, Arabic-Indic and Extended Arabic-Indic scripts (core.numbers accepts all three).
_D = "[0-9\u0660-\u0669\u06f0-\u06f9]"
# An amount in riyals as text: up to 10 digits of riyals (optionally grouped by thousands with
# "," "٬" or "،"), then at most two decimals after "." or "٫".
AMOUNT_PATTERN = (
    rf"^\s*\+?({_D}{{1,10}}|{_D}{{1,3}}([,\u066c\u060c]{_D}{{3}}){{1,3}})([.\u066b]{_D}{{1,2}})?\s*$"
)
MAX_RIYALS = 10_000_000_000

# A date as YYYY-MM-DD (any digit script): a year 1343-1500 is Hijri (Umm al-Qura, the range
# the calendar covers), a year from 1600 on is Gregorian. The server also reads DD/MM/YYYY and
# a calendar marker (هـ / م), which the document does not spell out.
DATE_PATTERN = r"^(134[3-9]|13[5-9][0-9]|14[0-9]{2}|1500|1[6-9][0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def money_openapi(maximum: float = MAX_RIYALS, blank: bool = False) -> dict:
    """An amount in SAR: a number with at most two decimals, or the same typed as text."""
    text = {"type": "string", "pattern": AMOUNT_PATTERN}
    if blank:  # an empty or blank string counts as no amount
        text = {"type": "string", "pattern": rf"{AMOUNT_PATTERN}|^\s*$"}
    return {
        "anyOf": [
            {"type": "number", "minimum": 0, "maximum": maximum, "multipleOf": 0.01},
            text,
        ],
        "description": "SAR, e.g. 1500 or 1500.50 (also as text in Arabic-Indic digits: «١٥٠٠٫٥٠»).",
    }


DATE_OPENAPI = {
    "type": "string",
    "format": None,  # Hijri dates are not ISO 8601 calendar dates
    "pattern": DATE_PATTERN,
    "description": "YYYY-MM-DD, Gregorian, or Hijri (Umm al-Qura) when the year is before 1600.",
}


class Timestamp(fields.DateTime):
    """A moment, stored as naive UTC; the API writes it as RFC 3339 with its offset (``+00:00``)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment


# An integer read from text in any digit script (Python's ``int`` reads them all), as marshmallow's
# non-strict Integer does for form posts and query strings.
INTEGER_TEXT_PATTERN = rf"^\s*[+-]?{_D}+\s*$"


def _reads_any_digits(cls: type) -> None:
    deserialize = cls.__dict__["_deserialize"]

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = normalize_digits(value)
        return deserialize(self, value, attr, data, **kwargs)

    cls._deserialize = _deserialize


def accept_any_digits() -> None:
    """Every number, date and time field reads Arabic-Indic (٠-٩) and Extended Arabic-Indic
    (۰-۹) digits and the Arabic decimal and thousands separators as Latin ones: ``"٢٠٢٥-١١-٠٣"``
    is a date, ``"١٢٫٥"`` a decimal — in the API, the pages' forms and the plugins' schemas
    alike (``core.numbers.normalize_digits``). Applied once, to marshmallow's base classes
    (core.api calls it when the app is configured); identifiers typed as text (ID numbers,
    phones, request numbers) go through ``core.numbers.digit_string`` and their own fields."""
    if getattr(fields.Number, "reads_any_digits", False):
        return
    temporal = getattr(fields, "_TemporalField", None)
    for cls in (
        fields.Number,
        fields.TimeDelta,
        *((temporal,) if temporal else (fields.DateTime, fields.Date, fields.Time)),
    ):
        _reads_any_digits(cls)
    fields.Number.reads_any_digits = True


def refuse_fractional_integers() -> None:
    """marshmallow's non-strict ``Integer`` truncates ``2.5`` to ``2``: refuse it instead.

    A count of 2.5 children is a mistake to report, not a number to round silently. Applied once,
    to every Integer field (core.api calls it when the app is configured); ``2.0`` stays 2.
    """
    if getattr(fields.Integer, "refuses_fractions", False):
        return
    validated = fields.Integer._validated

    def _validated(self, value):
        if isinstance(value, float | Decimal):
            try:
                whole = value == int(value)
            except (OverflowError, ValueError):
                whole = True  # inf / nan: marshmallow's own error
            if not whole:
                raise self.make_error("invalid", input=value)
        return validated(self, value)

    fields.Integer._validated = _validated
    fields.Integer.refuses_fractions = True
