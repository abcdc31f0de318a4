"""The date field of every schema: typed in Hijri or Gregorian, in any digit script."""

from __future__ import annotations

from marshmallow import fields

from ..i18n import lazy_gettext as _l
from ..schema_fields import DATE_OPENAPI
from .dates import DateFormatError, parse_date


class AnyDate(fields.Field):
    """A date typed in Hijri or Gregorian (any digit script) → ``date``; dumps ISO."""

    default_error_messages = {"invalid": _l("Enter a date, Hijri (1447-05-12) or Gregorian (2025-11-03).")}
    openapi = DATE_OPENAPI

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_date(value)
        except (DateFormatError, TypeError, ValueError):
            raise self.make_error("invalid") from None

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat()
