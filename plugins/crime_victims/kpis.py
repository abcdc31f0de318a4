"""The plugin's KPI figures for a period (``register_kpi_sources``), each a source the planning
module can bind to by key."""

from __future__ import annotations

from datetime import date, datetime
from statistics import median

import sqlalchemy as sa

from core.toolkit import AidRequest, KpiSource, Tenant, day_bounds, db

from . import rules
from .i18n import _l
from .models import VictimCase
from .models_care import Need, Referral
from .services.cases import local_day

CASES_OPENED = "crime_victims.cases_opened"
ANSWERED_IN_TIME = "crime_victims.answered_within_14_days"
REFERRALS_COMPLETED = "crime_victims.referrals_completed"
DAYS_TO_FIRST_SERVICE = "crime_victims.median_days_to_first_service"
NEEDS_MET = "crime_victims.needs_met_{area}"


def _between(column, tenant: Tenant, start: date, end: date):
    """``column`` (a stored moment) on one of the association's days ``start``..``end``."""
    since, until = day_bounds(start, end, tenant)
    return sa.and_(column >= since, column < until)


def cases_opened(tenant: Tenant, start: date, end: date) -> int:
    """Victim cases opened between ``start`` and ``end`` (inclusive days)."""
    query = sa.select(sa.func.count(VictimCase.id)).where(_between(VictimCase.created_at, tenant, start, end))
    return int(db.session.scalar(query) or 0)


def answered_within_14_days(tenant: Tenant, start: date, end: date) -> float | None:
    """Of the cases the committee decided in the period, the share (percent) decided by their
    expected answer date (submission + 14 days)."""
    rows = db.session.execute(
        sa.select(AidRequest.submitted_at, AidRequest.decided_at)
        .join(
            VictimCase,
            sa.and_(VictimCase.request_id == AidRequest.id, VictimCase.tenant_id == AidRequest.tenant_id),
        )
        .where(AidRequest.submitted_at.is_not(None), _between(AidRequest.decided_at, tenant, start, end))
    ).all()
    if not rows:
        return None
    on_time = sum(
        1
        for submitted, decided in rows
        if local_day(decided) <= rules.expected_answer_date(local_day(submitted))
    )
    return round(100 * on_time / len(rows), 1)


def referrals_completed(tenant: Tenant, start: date, end: date) -> int:
    query = sa.select(sa.func.count(Referral.id)).where(
        Referral.status == "completed", _between(Referral.completed_at, tenant, start, end)
    )
    return int(db.session.scalar(query) or 0)


def median_days_to_first_service(tenant: Tenant, start: date, end: date) -> float | None:
    """For the cases opened in the period that got a service, the median number of days from
    opening to the first need met in-house or referral in service."""
    opened = dict(
        db.session.execute(
            sa.select(VictimCase.id, VictimCase.created_at).where(
                _between(VictimCase.created_at, tenant, start, end)
            )
        ).all()
    )
    if not opened:
        return None
    first: dict[int, datetime] = {}
    met = sa.select(Need.case_id, Need.resolved_at).where(
        Need.case_id.in_(opened), Need.status == "met", Need.aid_request_id.is_not(None)
    )
    served = (
        sa.select(Need.case_id, Referral.in_service_at)
        .join(Need, sa.and_(Need.id == Referral.need_id, Need.tenant_id == Referral.tenant_id))
        .where(Need.case_id.in_(opened), Referral.in_service_at.is_not(None))
    )
    for case_id, moment in [*db.session.execute(met).all(), *db.session.execute(served).all()]:
        if moment is not None and (case_id not in first or moment < first[case_id]):
            first[case_id] = moment
    if not first:
        return None
    return float(median((moment - opened[case_id]).days for case_id, moment in first.items()))


def _needs_met(area: str):
    def compute(tenant: Tenant, start: date, end: date) -> int:
        query = sa.select(sa.func.count(Need.id)).where(
            Need.area == area, Need.status == "met", _between(Need.resolved_at, tenant, start, end)
        )
        return int(db.session.scalar(query) or 0)

    return compute


AREA_KPI_LABELS = {
    "psychological": _l("Psychological needs met"),
    "legal": _l("Legal needs met"),
    "financial": _l("Financial needs met"),
    "health": _l("Health needs met"),
    "housing": _l("Housing needs met"),
    "education": _l("Education needs met"),
}


def sources() -> list[KpiSource]:
    return [
        KpiSource(CASES_OPENED, _l("Victim cases opened"), "count", cases_opened),
        KpiSource(
            ANSWERED_IN_TIME, _l("Share of cases answered within 14 days"), "percent", answered_within_14_days
        ),
        KpiSource(REFERRALS_COMPLETED, _l("Referrals completed"), "count", referrals_completed),
        KpiSource(
            DAYS_TO_FIRST_SERVICE,
            _l("Median days to the first service"),
            "count",
            median_days_to_first_service,
        ),
        *(
            KpiSource(NEEDS_MET.format(area=a), AREA_KPI_LABELS[a], "count", _needs_met(a))
            for a in rules.AREAS
        ),
    ]
