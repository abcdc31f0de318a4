"""Dates as associations use them: Hijri (Umm al-Qura) and Gregorian, working days, deadlines.

* :func:`parse_date` accepts either calendar, in any digit script (``١٤٤٧/٠٥/١٢ هـ``,
  ``2025-11-03``, ``12-05-1447``); a year below 1600 without a marker is Hijri.
* :func:`format_date` shows a date in the tenant's (or the user's) ``calendar_display``:
  ``hijri``, ``gregorian`` or ``both``.
* Working days are Sunday–Thursday minus the tenant's holidays (``Tenant.settings["holidays"]``);
  :func:`add_working_days` is the one place deadlines are computed.

Two modules: :mod:`.dates` (conversion, parsing, display) and :mod:`.working_days`
(holidays, the tenant's calendar settings, working-day arithmetic).
"""

from .dates import (
    DateFormatError,
    calendar_year,
    display_for,
    format_date,
    from_hijri,
    init_app,
    parse_date,
    to_hijri,
)
from .working_days import (
    CALENDAR_SETTINGS_KEY,
    WEEKEND,
    CalendarSettingsSchema,
    HolidaySchema,
    add_working_days,
    holidays_of,
    is_working_day,
    tenant_calendar_settings,
    working_days_between,
)

__all__ = [
    "CALENDAR_SETTINGS_KEY",
    "WEEKEND",
    "CalendarSettingsSchema",
    "DateFormatError",
    "HolidaySchema",
    "add_working_days",
    "calendar_year",
    "display_for",
    "format_date",
    "from_hijri",
    "holidays_of",
    "init_app",
    "is_working_day",
    "parse_date",
    "tenant_calendar_settings",
    "to_hijri",
    "working_days_between",
]
