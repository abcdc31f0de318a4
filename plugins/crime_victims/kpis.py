"""The plugin's KPI figures for a period (``register_kpi_sources``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from core.toolkit import KpiSource, Tenant, db

from .i18n import _l
from .models import VictimCase

CASES_OPENED = "crime_victims.cases_opened"


def cases_opened(tenant: Tenant, start: date, end: date) -> int:
    """Victim cases opened between ``start`` and ``end`` (inclusive days)."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(VictimCase.id)).where(
                VictimCase.created_at >= datetime.combine(start, time.min),
                VictimCase.created_at < datetime.combine(end + timedelta(days=1), time.min),
            )
        )
        or 0
    )


def sources() -> list[KpiSource]:
    return [KpiSource(CASES_OPENED, _l("Victim cases opened"), "count", cases_opened)]
