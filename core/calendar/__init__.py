"""Dates as associations use them: Hijri (Umm al-Qura) and Gregorian, working days, deadlines.

* :func:`parse_date` accepts either calendar, in any digit script (``١٤٤٧/٠٥/١٢ هـ``,
  ``2025-11-03``, ``12-05-1447``); a year below 1600 without a marker is Hijri.
* :func:`format_date` shows a date in the tenant's (or the user's) ``calendar_display``:
  ``hijri``, ``gregorian`` or ``both``; on pages through the ``|hdate`` filter (bidi-isolated,
  unbreakable), moments through ``|hdatetime`` in the tenant's time zone with the zone named.
* :func:`today` is the association's date (its time zone, not UTC's or the server's): every
  "today" of the platform; :func:`local_time` turns a stored moment into the association's time.
* Working days are Sunday–Thursday minus the tenant's holidays (``Tenant.settings["holidays"]``);
  :func:`add_working_days` is the one place deadlines are computed.

Two modules: :mod:`.dates` (conversion, parsing, display) and :mod:`.working_days`
(holidays, the tenant's calendar settings, working-day arithmetic).
"""

from .dates import (
    DEFAULT_TIME_ZONE,
    DateFormatError,
    calendar_year,
    date_html,
    datetime_html,
    day_bounds,
    display_for,
    format_date,
    format_datetime,
    from_hijri,
    init_app,
    local_time,
    parse_date,
    time_zone_of,
    to_hijri,
    today,
    zone_label,
)
from .fields import AnyDate, LocalMoment
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
    "AnyDate",
    "LocalMoment",
    "CALENDAR_SETTINGS_KEY",
    "DEFAULT_TIME_ZONE",
    "WEEKEND",
    "CalendarSettingsSchema",
    "DateFormatError",
    "HolidaySchema",
    "add_working_days",
    "calendar_year",
    "date_html",
    "datetime_html",
    "day_bounds",
    "display_for",
    "format_date",
    "format_datetime",
    "from_hijri",
    "holidays_of",
    "init_app",
    "is_working_day",
    "local_time",
    "parse_date",
    "tenant_calendar_settings",
    "time_zone_of",
    "to_hijri",
    "today",
    "working_days_between",
    "zone_label",
]
