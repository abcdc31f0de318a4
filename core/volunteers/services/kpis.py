"""The volunteer KPIs planning binds to (``register_kpi_sources``): active volunteers, hours in
the period, volunteers' share of the workforce (seed 000: 65 %), opportunities filled."""

from __future__ import annotations

from datetime import date

from ...auth.models import STAFF_ROLES, Membership
from ...extensions import db
from ..models import Assignment, Opportunity, Volunteer


def active_volunteer_ids(start: date, end: date) -> set[int]:
    """Accepted volunteers with confirmed hours in ``start``..``end``."""
    return set(
        db.session.scalars(
            db.select(Assignment.volunteer_id)
            .join(Opportunity, Opportunity.id == Assignment.opportunity_id)
            .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
            .where(
                Volunteer.state == "accepted",
                Assignment.hours_state == "confirmed",
                Opportunity.on_date >= start,
                Opportunity.on_date <= end,
            )
            .distinct()
        )
    )


def kpi_active(tenant, start: date, end: date) -> int:
    return len(active_volunteer_ids(start, end))


def kpi_hours(tenant, start: date, end: date) -> float:
    minutes = db.session.scalar(
        db.select(db.func.coalesce(db.func.sum(Assignment.confirmed_minutes), 0))
        .join(Opportunity, Opportunity.id == Assignment.opportunity_id)
        .where(
            Assignment.hours_state == "confirmed", Opportunity.on_date >= start, Opportunity.on_date <= end
        )
    )
    return round(int(minutes or 0) / 60, 1)


def staff_count() -> int:
    """Memberships of the tenant holding a staff role (the applicant role alone is not staff)."""
    roles = db.session.scalars(db.select(Membership.roles)).all()
    return sum(1 for held in roles if set(held or []) & set(STAFF_ROLES))


def kpi_share(tenant, start: date, end: date) -> float | None:
    """Active volunteers ÷ (staff memberships + active volunteers), in percent."""
    volunteers = kpi_active(tenant, start, end)
    workforce = staff_count() + volunteers
    return None if workforce == 0 else round(100 * volunteers / workforce, 1)


def kpi_filled(tenant, start: date, end: date) -> int:
    """Opportunities dated in the period whose every place is taken."""
    taken = (
        db.select(db.func.count())
        .select_from(Assignment)
        .where(Assignment.opportunity_id == Opportunity.id, Assignment.state == "assigned")
        .scalar_subquery()
    )
    return int(
        db.session.scalar(
            db.select(db.func.count())
            .select_from(Opportunity)
            .where(Opportunity.on_date >= start, Opportunity.on_date <= end, taken >= Opportunity.places)
        )
        or 0
    )
