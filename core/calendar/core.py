"""Implementation of :mod:`core.calendar` (see the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from flask_login import current_user
from hijridate import Gregorian, Hijri
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..numbers import normalize_digits
from ..tenancy import current_tenant

# Friday (4) and Saturday (5): the Saudi work week is Sunday–Thursday.
WEEKEND = frozenset({4, 5})
CALENDAR_SETTINGS_KEY = "calendar"
DISPLAYS = ("hijri", "gregorian", "both")
# Longest first, so that "ah" is not read as "h".
HIJRI_MARKERS = ("هـ", "ه", "ah", "h")
GREGORIAN_MARKERS = ("ad", "ce", "م", "g")
_DATE_RE = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")


class DateFormatError(ValueError):
    """The text is not a date in either calendar."""


# --------------------------------------------------------------------------- conversion


def to_hijri(value: date) -> tuple[int, int, int]:
    """The Umm al-Qura date ``(year, month, day)`` of a Gregorian date."""
    hijri = Gregorian(value.year, value.month, value.day).to_hijri()
    return hijri.year, hijri.month, hijri.day


def from_hijri(year: int, month: int, day: int) -> date:
    """The Gregorian date of an Umm al-Qura date; raises ``ValueError`` when it does not exist."""
    try:
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError) as exc:
        raise DateFormatError(f"{year}-{month}-{day}") from exc


def calendar_year(value: date, display: str) -> int:
    """The year of ``value`` in the tenant's calendar (Hijri unless the tenant shows Gregorian only)."""
    return value.year if display == "gregorian" else to_hijri(value)[0]


# --------------------------------------------------------------------------- parsing


def _strip_marker(text: str) -> tuple[str, str | None]:
    lowered = text.strip().lower().rstrip(".")
    for marker in HIJRI_MARKERS:
        if lowered.endswith(marker):
            return lowered[: -len(marker)].strip(), "hijri"
    for marker in GREGORIAN_MARKERS:
        if lowered.endswith(marker):
            return lowered[: -len(marker)].strip(), "gregorian"
    return lowered, None


def parse_date(text: str | date | datetime, calendar: str | None = None) -> date:
    """A date typed in either calendar → a Gregorian ``date``.

    Accepts ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (``-``, ``/`` or ``.`` separators), any digit
    script, and an optional marker (``هـ``/``AH`` Hijri, ``م``/``AD`` Gregorian). Without a
    marker or ``calendar``, a year below 1600 is Hijri.
    """
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if not isinstance(text, str) or not text.strip():
        raise DateFormatError(text)
    cleaned = normalize_digits(text).replace("\u066b", ".").strip()
    cleaned, marked = _strip_marker(cleaned)
    match = _DATE_RE.match(cleaned.replace(" ", ""))
    if not match:
        raise DateFormatError(text)
    first, month, last = (int(part) for part in match.groups())
    if len(match.group(1)) >= 3:
        year, day = first, last
    elif len(match.group(3)) >= 3:
        year, day = last, first
    else:
        raise DateFormatError(text)
    kind = marked or calendar or ("hijri" if year < 1600 else "gregorian")
    if kind == "hijri":
        return from_hijri(year, month, day)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateFormatError(text) from exc


# --------------------------------------------------------------------------- display


def display_for(tenant: Any = None, user: Any = None) -> str:
    """The calendar display to use: the user's choice, else the tenant's, else both."""
    for source in (user, tenant):
        choice = getattr(source, "calendar_display", None) if source is not None else None
        if choice in DISPLAYS:
            return choice
    return "both"


def _hijri_text(value: date) -> str:
    year, month, day = to_hijri(value)
    return _("%(year)04d-%(month)02d-%(day)02d AH", year=year, month=month, day=day)


def _gregorian_text(value: date) -> str:
    return _("%(year)04d-%(month)02d-%(day)02d AD", year=value.year, month=value.month, day=value.day)


def format_date(value: date | datetime | None, display: str | None = None) -> str:
    """``value`` as text in ``display`` (``hijri``, ``gregorian`` or ``both``); '' for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if display is None:
        display = display_for(
            current_tenant(), current_user if getattr(current_user, "is_authenticated", False) else None
        )
    try:
        hijri = _hijri_text(value)
    except OverflowError:  # outside the Umm al-Qura table: show the Gregorian date only
        return _gregorian_text(value)
    if display == "hijri":
        return hijri
    if display == "gregorian":
        return _gregorian_text(value)
    return f"{hijri} ({_gregorian_text(value)})"


# --------------------------------------------------------------------------- working days


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


def init_app(app) -> None:
    """Template filter ``{{ value|hdate }}`` and ``{{ value|hdate('hijri') }}``."""
    app.jinja_env.filters["hdate"] = format_date
