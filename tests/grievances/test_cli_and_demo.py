"""``flask grievances tick`` and the demo data: every state in each seed association."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from core.calendar import today as tenant_today
from core.extensions import db
from core.grievances import STATES, Grievance
from core.tenancy import tenant_context
from core.tenancy.services import all_tenants
from tests.grievances.helpers import filed

ROOT = Path(__file__).resolve().parents[2]


def test_tick_command_marks_overdue_ones_for_every_tenant(runner, app, tenant, staff):
    with tenant_context(tenant):
        grievance = filed(staff, on=date(2025, 9, 1))
        db.session.commit()
        gid = grievance.id
    result = runner.invoke(args=["grievances", "tick", "--on", "2025-11-03"])
    assert result.exit_code == 0, result.output
    assert "first: 0 due dates recomputed, 1 newly overdue, 0 closed" in result.output
    with app.app_context(), tenant_context(tenant):
        assert db.session.get(Grievance, gid).overdue_notified_at is not None
    assert "1 newly overdue" not in runner.invoke(args=["grievances", "tick", "--on", "2025-11-04"]).output


def test_demo_has_grievances_in_every_state_for_each_association(runner, app):
    runner.invoke(args=["tenants", "apply", str(ROOT / "tenants")])
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        tenants = all_tenants()
        assert len(tenants) >= 5
        for tenant in tenants:
            with tenant_context(tenant):
                rows = db.session.scalars(db.select(Grievance)).all()
                assert {g.state for g in rows} == set(STATES), tenant.slug
                assert any(g.malicious for g in rows) and any(
                    g.due_date < tenant_today() for g in rows if g.is_open
                )
                assert any(
                    g.paused_since and g.paused_since < tenant_today() - timedelta(days=1) for g in rows
                )
        count = _count()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert _count() == count


def _count() -> int:
    total = 0
    for tenant in all_tenants():
        with tenant_context(tenant):
            total += db.session.scalar(db.select(db.func.count()).select_from(Grievance))
    return total


def test_the_daily_tick_is_a_periodic_job(runner, app, tenant):
    result = runner.invoke(args=["jobs", "run", "grievances.tick"])
    assert result.exit_code == 0, result.output
    assert "first" in result.output
