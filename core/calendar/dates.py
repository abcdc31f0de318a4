"""Hijri (Umm al-Qura) and Gregorian dates: conversion, parsing typed dates in either
calendar, and showing a date in the tenant's or the user's calendar.

Pages show every date through one filter, ``{{ value|hdate }}`` (:func:`date_html`), and every
moment through ``{{ value|hdatetime }}`` (:func:`datetime_html`): the calendar display of the
tenant (or user), each date's digits in a left-to-right isolate (``<bdi dir="ltr">``) so that
"1448-06-20 هـ" never reverses inside Arabic text, each date unbreakable (``text-nowrap``), and
times in the tenant's time zone with the zone named. :func:`format_date` is the plain-text form
(notifications, the API).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_timezone_location
from flask import current_app, has_app_context
from flask_login import current_user
from hijridate import Gregorian, Hijri
from markupsafe import Markup, escape

from ..i18n import current_language
from ..i18n import gettext as _
from ..numbers import normalize_digits
from ..tenancy import current_tenant
from .working_days import CALENDAR_SETTINGS_KEY

DEFAULT_TIME_ZONE = "Asia/Riyadh"

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


def _hijri_parts(value: date) -> tuple[str, str]:
    year, month, day = to_hijri(value)
    return f"{year:04d}-{month:02d}-{day:02d}", "hijri"


def _gregorian_parts(value: date) -> tuple[str, str]:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}", "gregorian"


def _with_marker(digits: str, kind: str) -> str:
    if kind == "hijri":
        return _("%(date)s AH", date=digits)
    return _("%(date)s AD", date=digits)


def _date_parts(value: date | datetime, display: str | None) -> list[tuple[str, str]]:
    """``[(YYYY-MM-DD, calendar) …]`` to show for ``value``: one, or Hijri then Gregorian."""
    if isinstance(value, datetime):  # a stored moment (naive UTC): the association's day
        value = local_time(value).date()
    if display is None:
        display = display_for(
            current_tenant(), current_user if getattr(current_user, "is_authenticated", False) else None
        )
    try:
        hijri = _hijri_parts(value)
    except OverflowError:  # outside the Umm al-Qura table: show the Gregorian date only
        return [_gregorian_parts(value)]
    if display == "hijri":
        return [hijri]
    if display == "gregorian":
        return [_gregorian_parts(value)]
    return [hijri, _gregorian_parts(value)]


def format_date(value: date | datetime | None, display: str | None = None) -> str:
    """``value`` as plain text in ``display`` (``hijri``, ``gregorian`` or ``both``); '' for None."""
    if value is None:
        return ""
    parts = [_with_marker(digits, kind) for digits, kind in _date_parts(value, display)]
    return parts[0] if len(parts) == 1 else f"{parts[0]} ({parts[1]})"


def _isolated(digits: str, kind: str) -> Markup:
    """One date, unbreakable, its digits left to right whatever the text around them."""
    marked = escape(_with_marker("\x00", kind))
    return Markup('<span class="date text-nowrap">{}</span>').format(
        Markup(marked.replace("\x00", Markup('<bdi dir="ltr">{}</bdi>').format(digits)))
    )


def date_html(value: date | datetime | None, display: str | None = None) -> Markup:
    """The page form of :func:`format_date` (the ``|hdate`` filter): each date's digits in a
    left-to-right isolate, each date ``text-nowrap``, the whole an isolate of its own."""
    if value is None:
        return Markup("")
    parts = [_isolated(digits, kind) for digits, kind in _date_parts(value, display)]
    inner = parts[0] if len(parts) == 1 else Markup("{} ({})").format(parts[0], parts[1])
    return Markup("<bdi>{}</bdi>").format(inner)


# --------------------------------------------------------------------------- time zone


def time_zone_of(tenant: Any = None) -> ZoneInfo:
    """The tenant's time zone (``Tenant.settings["calendar"]["time_zone"]``), else the
    platform's (``BABEL_DEFAULT_TIMEZONE``), else Asia/Riyadh."""
    tenant = tenant if tenant is not None else current_tenant()
    names = [((getattr(tenant, "settings", None) or {}).get(CALENDAR_SETTINGS_KEY) or {}).get("time_zone")]
    if has_app_context():
        names.append(current_app.config.get("BABEL_DEFAULT_TIMEZONE"))
    for name in [*names, DEFAULT_TIME_ZONE]:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo(DEFAULT_TIME_ZONE)  # pragma: no cover - always installed


def _now() -> datetime:
    """The current moment (aware, UTC): the one clock :func:`today` reads, so that tests can
    move it (``core.testing``'s ``set_clock`` fixture)."""
    return datetime.now(UTC)


def today(tenant: Any = None) -> date:
    """The current date in the tenant's time zone (:func:`time_zone_of`): the association's
    "today", not the server's or UTC's (at 01:30 in Riyadh, 22:30 UTC, it is already tomorrow).
    Without a tenant, the tenant in context; outside any tenant or app, the platform's zone."""
    return _now().astimezone(time_zone_of(tenant)).date()


def day_bounds(first: date, last: date, tenant: Any = None) -> tuple[datetime, datetime]:
    """The stored (naive UTC) moments between which the tenant's days ``first``..``last``
    (inclusive) fall: ``since <= moment < until``, each bound a local midnight. In Riyadh,
    1–31 March is 28 Feb 21:00 to 31 Mar 21:00 UTC; a row stored at 22:30 UTC on 31 March
    belongs to 1 April there."""
    zone = time_zone_of(tenant)

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)

    return midnight(first), midnight(last + timedelta(days=1))


def local_time(moment: datetime, tenant: Any = None) -> datetime:
    """A stored moment (naive UTC, or aware) in the tenant's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(time_zone_of(tenant))


def zone_label(zone: ZoneInfo) -> str:
    """The zone as people name it, in the page's language ("توقيت المملكة العربية السعودية")."""
    return get_timezone_location(zone, locale=current_language() if has_app_context() else "ar")


def format_datetime(value: datetime | None, display: str | None = None) -> str:
    """A moment as plain text: its date in the tenant's calendar, the time in the tenant's
    zone, and the zone: ``1448-06-20 هـ (2026-11-30 م) 14:05 توقيت المملكة العربية السعودية``."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value, display)
    local = local_time(value)
    return f"{format_date(local, display)} {local:%H:%M} {zone_label(local.tzinfo)}"


def datetime_html(value: datetime | None, display: str | None = None) -> Markup:
    """The page form of :func:`format_datetime` (the ``|hdatetime`` filter)."""
    if value is None:
        return Markup("")
    if not isinstance(value, datetime):
        return date_html(value, display)
    local = local_time(value)
    return Markup(
        '<bdi class="datetime">{} <span class="time text-nowrap"><bdi dir="ltr">{}</bdi></span> '
        '<span class="zone">{}</span></bdi>'
    ).format(date_html(local, display), f"{local:%H:%M}", zone_label(local.tzinfo))


def init_app(app) -> None:
    """Template filters ``{{ value|hdate }}`` (``{{ value|hdate('hijri') }}``) and
    ``{{ moment|hdatetime }}``."""
    app.jinja_env.filters["hdate"] = date_html
    app.jinja_env.filters["hdatetime"] = datetime_html
