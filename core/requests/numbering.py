"""Gap-free numbers per tenant and calendar year: request numbers, and any other sequence
kept in a counter table of the same shape (``tenant_id``, ``year``, ``last_number``).

The counter row of (tenant, year) is incremented with one ``UPDATE … RETURNING``: the
row lock (PostgreSQL) or the database write lock (SQLite, taken by the statement and
held to commit) serialises concurrent submissions, and a rolled-back submission rolls
its increment back with it — so numbers have no gaps and no duplicates.

Requests use :func:`next_number`; another feature (grievances) passes its own counter
table and prefix to :func:`next_in_sequence`, so each has its own sequence.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..calendar import calendar_year
from ..extensions import db
from ..numbers import normalize_digits
from ..tenancy import require_tenant
from .models import RequestCounter

_counters = RequestCounter.__table__


def format_number(year: int, seq: int, prefix: str = "") -> str:
    return f"{prefix}{year}-{seq:06d}"


_TYPED_NUMBER = re.compile(r"^(\d{1,6})-(\d{1,6})$")
_DIGITS_ONLY = re.compile(r"^(\d{4})(\d{1,6})$")


def parse_number(text: str | None) -> str | None:
    """A request number as people type it → its stored form (``"1448-000001"``), or None.

    Any digit script (``١٤٤٨-٠٠٠٠٠١``), spaces and direction marks ignored, any dash or a
    slash between the parts or none (``1448000001``), the sequence without its leading zeros
    (``1448-1``), and the two parts in the order a page that reversed them showed
    (``000001-1448``)."""
    cleaned = re.sub(r"[\s\u200e\u200f\u2066-\u2069]", "", normalize_digits(text or ""))
    match = _TYPED_NUMBER.match(re.sub(r"[\u2010-\u2015\u2212/_]", "-", cleaned))
    if not match:
        # Typed on a numeric keypad without the dash: the year, then the sequence.
        digits = _DIGITS_ONLY.match(cleaned)
        return format_number(int(digits[1]), int(digits[2])) if digits and int(digits[2]) > 0 else None
    first, second = match.groups()
    # The year has four digits (Hijri 14xx or Gregorian 20xx), and comes first when both do.
    if len(first) == 4:
        year, seq = first, second
    elif len(second) == 4:
        year, seq = second, first
    else:
        return None
    return format_number(int(year), int(seq)) if int(seq) > 0 else None


def next_in_sequence(counters: sa.Table, on: date, prefix: str = "") -> tuple[int, int, str]:
    """Take the next number of ``counters`` for the current tenant and the calendar year of ``on``.

    Must run inside the transaction that stores the number (the caller commits).
    """
    tenant = require_tenant()
    year = calendar_year(on, tenant.calendar_display)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # Bump first: for an existing counter this takes the lock before anything else.
    bump = (
        sa.update(counters)
        .where(counters.c.tenant_id == tenant.id, counters.c.year == year)
        .values(last_number=counters.c.last_number + 1)
        .returning(counters.c.last_number)
    )
    seq = db.session.execute(bump).scalar_one_or_none()
    if seq is None:
        db.session.execute(
            insert(counters).values(tenant_id=tenant.id, year=year, last_number=0).on_conflict_do_nothing()
        )
        seq = db.session.execute(bump).scalar_one()
    return year, seq, format_number(year, seq, prefix)


def next_number(on: date) -> tuple[int, int, str]:
    """Take the next request number of the current tenant for the calendar year of ``on``."""
    return next_in_sequence(_counters, on)
