"""The demo data: every seed association has volunteers in each state, confirmed and pending
hours, and the demo applicant volunteers (idempotent)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core.auth.models import Membership
from core.calendar import today as tenant_today
from core.extensions import db
from core.tenancy import tenant_context
from core.tenancy.services import all_tenants
from core.volunteers import Assignment, Volunteer, services

ROOT = Path(__file__).resolve().parents[2]


def test_demo_has_volunteers_and_hours_for_each_association(runner, app):
    runner.invoke(args=["tenants", "apply", str(ROOT / "tenants")])
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        tenants = all_tenants()
        assert len(tenants) >= 5
        for tenant in tenants:
            with tenant_context(tenant):
                volunteers = db.session.scalars(db.select(Volunteer)).all()
                assert {v.state for v in volunteers} == {"accepted", "applied", "declined"}, tenant.slug
                assert {v.kind for v in volunteers} == {"individual", "organisation"}
                states = {a.hours_state for a in db.session.scalars(db.select(Assignment))}
                assert {"confirmed", "pending"} <= states
                applicant = next(
                    m for m in db.session.scalars(db.select(Membership)) if m.roles == ["applicant"]
                )
                mine = next(v for v in volunteers if v.user_id == applicant.user_id)
                assert services.confirmed_minutes(mine) == 180
                month = (tenant_today() - timedelta(days=30), tenant_today())
                assert services.kpi_hours(tenant, *month) > 0 and services.kpi_share(tenant, *month) > 0
        count = _count()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert _count() == count


def _count() -> int:
    total = 0
    for tenant in all_tenants():
        with tenant_context(tenant):
            total += db.session.scalar(db.select(db.func.count()).select_from(Volunteer))
    return total
