"""The date field of every schema: typed in Hijri or Gregorian, in any digit script."""

from __future__ import annotations

from datetime import UTC

from marshmallow import fields

from ..i18n import lazy_gettext as _l
from ..numbers import normalize_digits
from ..schema_fields import DATE_OPENAPI, Timestamp
from .dates import DateFormatError, parse_date, time_zone_of


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


class LocalMoment(Timestamp):
    """A moment typed as the association's wall-clock time (a ``datetime-local`` input:
    ``2026-12-01T10:30``, any digit script) → naive UTC, as every moment is stored; an input with
    an offset is taken as such. Dumps RFC 3339 with its offset, like :class:`Timestamp`."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = normalize_digits(value.strip())
        moment = fields.DateTime._deserialize(self, value, attr, data, **kwargs)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=time_zone_of())
        return moment.astimezone(UTC).replace(tzinfo=None)
