"""The plugin's KPI figures for a period (seed 004: need-gap bands, the violations ladder, data
renewal, exclusions), exposed through ``register_kpi_sources``. Each figure is one aggregate
query, whatever the number of files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from core.toolkit import KpiSource, Tenant, day_bounds, db, plugin_settings

from . import rules, services
from .i18n import _, _l
from .models import Assessment, ExclusionProposal, Renewal, RenewalRound, Violation

P = "makkah_aid."


def _latest_assessments(tenant: Tenant, start: date, end: date):
    """Each request's latest assessment recorded in the period (a subquery of ids; the tenant
    named, not left to the scoping of the outer query)."""
    since, until = day_bounds(start, end, tenant)
    return (
        sa.select(sa.func.max(Assessment.id))
        .where(
            Assessment.tenant_id == tenant.id,
            Assessment.created_at >= since,
            Assessment.created_at < until,
        )
        .group_by(Assessment.request_id)
    )


def requests_by_band(tenant: Tenant, start: date, end: date) -> dict[str | None, int]:
    """Requests assessed in the period by the band of their latest assessment (None: not
    eligible, the gap below the minimum), in one grouped query."""
    rows = db.session.execute(
        sa.select(Assessment.band, sa.func.count(Assessment.id))
        .where(Assessment.id.in_(_latest_assessments(tenant, start, end)))
        .group_by(Assessment.band)
    )
    return {band: int(count) for band, count in rows}


def in_band(code: str | None) -> Callable[[Tenant, date, date], int]:
    def compute(tenant: Tenant, start: date, end: date) -> int:
        return requests_by_band(tenant, start, end).get(code, 0)

    return compute


def violations_recorded(tenant: Tenant, start: date, end: date) -> int:
    """Violations that occurred in the period."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Violation.id)).where(Violation.occurred_on.between(start, end))
        )
        or 0
    )


def sanctions_in_force(tenant: Tenant, start: date, end: date) -> int:
    """Files with a sanction of the ladder in force at the end of the period: occurred by then
    and not lifted (by staff or by its end date) before it ended."""
    _, until = day_bounds(start, end, tenant)
    return int(
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Violation.file_id))).where(
                Violation.occurred_on <= end,
                sa.or_(Violation.lifted_at.is_(None), Violation.lifted_at >= until),
            )
        )
        or 0
    )


def renewals_overdue(tenant: Tenant, start: date, end: date) -> int:
    """Renewals late at the end of the period: more than the round's grace days past its due
    date and not renewed by then (what proposes the ``late_renewal`` exclusion). The rounds
    (two a year) are read first; the renewals are counted in one query."""
    rounds = db.session.execute(
        sa.select(RenewalRound.id, RenewalRound.due_on, RenewalRound.late_renewal_days).where(
            RenewalRound.due_on < end
        )
    )
    late = [
        round_id
        for round_id, due_on, grace in rounds
        if rules.renewal_is_late(due_on, end, {"late_renewal_days": grace})
    ]
    if not late:
        return 0
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Renewal.id)).where(
                Renewal.round_id.in_(late),
                sa.or_(Renewal.renewed_on.is_(None), Renewal.renewed_on > end),
            )
        )
        or 0
    )


def exclusions_confirmed(tenant: Tenant, start: date, end: date) -> int:
    """Exclusion proposals confirmed in the period (files and members)."""
    since, until = day_bounds(start, end, tenant)
    return int(
        db.session.scalar(
            sa.select(sa.func.count(ExclusionProposal.id)).where(
                ExclusionProposal.status == "confirmed",
                ExclusionProposal.decided_at >= since,
                ExclusionProposal.decided_at < until,
            )
        )
        or 0
    )


class BandLabel:
    """ "Requests assessed in band أ" in the language of the page showing it (the band's label
    is tenant data, in Arabic and English)."""

    def __init__(self, band: dict):
        self.band = band

    def __str__(self) -> str:
        return _("Requests assessed in band %(band)s", band=services.label(self.band))


def sources() -> list[KpiSource]:
    """One source per need-gap band of the tenant's settings, then the ladder, renewal and
    exclusion figures."""
    bands = [
        KpiSource(
            f"{P}band_{band['code']}",
            BandLabel(band),
            "count",
            in_band(band["code"]),
        )
        for band in plugin_settings("makkah_aid")["bands"]
    ]
    return [
        *bands,
        KpiSource(P + "not_eligible", _l("Requests assessed below the minimum gap"), "count", in_band(None)),
        KpiSource(P + "violations_recorded", _l("Violations recorded"), "count", violations_recorded),
        KpiSource(
            P + "sanctions_in_force", _l("Files with a sanction in force"), "count", sanctions_in_force
        ),
        KpiSource(P + "renewals_overdue", _l("Renewals overdue"), "count", renewals_overdue),
        KpiSource(P + "exclusions_confirmed", _l("Exclusions confirmed"), "count", exclusions_confirmed),
    ]
