"""Hijri (Umm al-Qura) and Gregorian dates: conversion, parsing typed dates in either
calendar, and showing a date in the tenant's or the user's calendar (``|hdate``)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_login import current_user
from hijridate import Gregorian, Hijri

from ..i18n import gettext as _
from ..numbers import normalize_digits
from ..tenancy import current_tenant

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


def init_app(app) -> None:
    """Template filter ``{{ value|hdate }}`` and ``{{ value|hdate('hijri') }}``."""
    app.jinja_env.filters["hdate"] = format_date
