"""The twelve months of a plan's fiscal year (Gregorian, or Umm al-Qura Hijri) as date ranges,
and how far into the year a day is."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ...calendar.dates import from_hijri


def month_ranges(fiscal_year: int, calendar: str) -> list[tuple[date, date]]:
    """``[(first day, last day)]`` of months 1..12 of the year, in Gregorian dates."""
    if calendar == "hijri":
        starts = [from_hijri(fiscal_year, m, 1) for m in range(1, 13)] + [from_hijri(fiscal_year + 1, 1, 1)]
    else:
        starts = [date(fiscal_year, m, 1) for m in range(1, 13)] + [date(fiscal_year + 1, 1, 1)]
    return [(starts[i], starts[i + 1] - timedelta(days=1)) for i in range(12)]


def year_range(ranges: list[tuple[date, date]]) -> tuple[date, date]:
    return ranges[0][0], ranges[-1][1]


def elapsed_fraction(ranges: list[tuple[date, date]], today: date) -> Decimal:
    """The share of the year gone by at the end of ``today`` (0 before it starts, 1 after)."""
    start, end = year_range(ranges)
    if today < start:
        return Decimal(0)
    if today >= end:
        return Decimal(1)
    return Decimal((today - start).days + 1) / Decimal((end - start).days + 1)


def months_ended(ranges: list[tuple[date, date]], today: date) -> int:
    """How many months of the year have ended before ``today``."""
    return sum(1 for _start, end in ranges if end < today)


def months_started(ranges: list[tuple[date, date]], today: date) -> int:
    return sum(1 for start, _end in ranges if start <= today)
