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

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..calendar import calendar_year
from ..extensions import db
from ..tenancy import require_tenant
from .models import RequestCounter

_counters = RequestCounter.__table__


def format_number(year: int, seq: int, prefix: str = "") -> str:
    return f"{prefix}{year}-{seq:06d}"


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
