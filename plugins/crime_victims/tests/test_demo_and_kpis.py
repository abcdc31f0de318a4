"""Demo data (idempotent): cases at each intake step the demo staff reach, partners, needs and a
referral in each status; the KPI figure."""

from __future__ import annotations

from datetime import date, timedelta

from core.toolkit import db, kpi_values

from .. import demo
from ..models import VictimCase
from ..models_care import Partner, Referral
from .conftest import PID


def test_demo_data_loads_once_with_every_intake_step_and_every_referral_status(
    in_tenant, enabled, staff, make_victim
):
    for _ in range(5):
        make_victim()
    with in_tenant(enabled):
        demo.load(enabled)
        demo.load(enabled)
        db.session.commit()
        steps = sorted(db.session.scalars(db.select(VictimCase.step)))
        statuses = set(db.session.scalars(db.select(Referral.status)))
        partners = db.session.scalar(db.select(db.func.count(Partner.id)))
    assert steps == [1, 2, 3, 4, 5]
    assert statuses == {"sent", "accepted", "declined", "in_service", "completed"}
    assert partners == len(demo.PARTNERS)


def test_the_kpi_counts_the_cases_opened_in_the_period(in_tenant, enabled, staff, open_case):
    open_case()
    open_case(applicant_name="خالد عبدالله الشهري")
    with in_tenant(enabled):
        period = (date.today() - timedelta(days=1), date.today() + timedelta(days=1))
        values = {v["key"]: v["value"] for v in kpi_values(enabled, *period)}
        before = {v["key"]: v["value"] for v in kpi_values(enabled, date(2000, 1, 1), date(2000, 12, 31))}
    assert values[f"{PID}.cases_opened"] == 2 and before[f"{PID}.cases_opened"] == 0
