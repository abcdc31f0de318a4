"""Working days and the tenant's calendar settings: Sunday–Thursday minus the tenant's
holidays; :func:`add_working_days` is the one place deadlines are computed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from zoneinfo import available_timezones

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..i18n import lazy_gettext as _l

# Friday (4) and Saturday (5): the Saudi work week is Sunday–Thursday.
WEEKEND = frozenset({4, 5})
CALENDAR_SETTINGS_KEY = "calendar"


class HolidaySchema(Schema):
    class Meta:
        unknown = RAISE

    start = fields.Date(required=True)
    end = fields.Date(load_default=None)
    name = fields.String(load_default="", validate=validate.Length(max=120))

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("end") and data["end"] < data["start"]:
            raise ValidationError({"end": [_l("The end must not be before the start.")]})


class CalendarSettingsSchema(Schema):
    """``Tenant.settings["calendar"]``: holidays and the working-day deadlines of requests."""

    class Meta:
        unknown = RAISE

    holidays = fields.List(fields.Nested(HolidaySchema), load_default=list)
    research_deadline_days = fields.Integer(load_default=10, validate=validate.Range(min=1, max=365))
    decision_deadline_days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))
    # Times on pages are shown in this zone, named (core.calendar.dates.time_zone_of).
    time_zone = fields.String(
        load_default="Asia/Riyadh", validate=validate.OneOf(sorted(available_timezones()))
    )


def tenant_calendar_settings(tenant: Any) -> dict:
    """The tenant's validated calendar settings, with defaults."""
    raw = dict((getattr(tenant, "settings", None) or {}).get(CALENDAR_SETTINGS_KEY) or {})
    return CalendarSettingsSchema().load(
        {**raw, "holidays": [_holiday_json(h) for h in raw.get("holidays", [])]}
    )


def _holiday_json(holiday: Any) -> dict:
    if isinstance(holiday, str):
        return {"start": holiday}
    return holiday


def holidays_of(tenant: Any) -> frozenset[date]:
    """Every holiday date of the tenant (ranges expanded)."""
    days: set[date] = set()
    for holiday in tenant_calendar_settings(tenant)["holidays"] if tenant is not None else []:
        day, end = holiday["start"], holiday["end"] or holiday["start"]
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def is_working_day(value: date, holidays: Iterable[date] = ()) -> bool:
    return value.weekday() not in WEEKEND and value not in set(holidays)


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts).

    ``days == 0`` gives ``start`` if it is a working day, else the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    off = frozenset(holidays)
    current = start
    if days == 0:
        while not is_working_day(current, off):
            current += timedelta(days=1)
        return current
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current, off):
            counted += 1
    return current


def working_days_between(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    off = frozenset(holidays)
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, off):
            count += 1
    return count
