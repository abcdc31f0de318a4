"""Demo data (idempotent): cases at each intake step the demo staff reach, partners, needs and a
referral in each status; the KPI figure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from core.toolkit import AidRequest, db, kpi_values
from core.toolkit import today as tenant_today

from .. import demo
from ..models import VictimCase
from ..models_care import Partner, Referral
from ..services import care
from .conftest import PID


def test_demo_data_loads_once_with_every_intake_step_a_closed_case_and_every_referral_status(
    in_tenant, enabled, staff
):
    """The demo registers its own victims (a plugin's demo runs before core's registry demo)."""
    with in_tenant(enabled):
        demo.load(enabled)
        demo.load(enabled)
        db.session.commit()
        steps = sorted(db.session.scalars(db.select(VictimCase.step)))
        statuses = set(db.session.scalars(db.select(Referral.status)))
        partners = db.session.scalar(db.select(db.func.count(Partner.id)))
        rows = db.session.execute(
            db.select(VictimCase, AidRequest).join(AidRequest, AidRequest.id == VictimCase.request_id)
        ).all()
        closed = [case for case, request in rows if request.state == "closed"]
        needs = care.needs_of(closed[0]) if closed else []
        closed_referrals = [r.status for r, _p, _n in care.referrals_of(closed[0])] if closed else []
        later = sorted(request.state for case, request in rows if case.step >= 6)
    assert steps == [1, 2, 3, 4, 5, 6, 7, 7]
    assert later == ["approved", "approved", "closed"]
    assert statuses == {"sent", "accepted", "declined", "in_service", "completed"}
    assert partners == len(demo.PARTNERS) + 1
    assert len(closed) == 1 and closed[0].step == 7
    assert needs and all(need.status == "met" for need in needs)
    assert {need.area for need in needs} == {"financial", "psychological"}
    assert closed_referrals == ["completed"]


def test_the_kpi_counts_the_cases_opened_in_the_period(in_tenant, enabled, staff, open_case):
    open_case()
    open_case(applicant_name="خالد عبدالله الشهري")
    with in_tenant(enabled):
        period = (tenant_today() - timedelta(days=1), tenant_today() + timedelta(days=1))
        values = {v["key"]: v["value"] for v in kpi_values(enabled, *period)}
        before = {v["key"]: v["value"] for v in kpi_values(enabled, date(2000, 1, 1), date(2000, 12, 31))}
    assert values[f"{PID}.cases_opened"] == 2 and before[f"{PID}.cases_opened"] == 0


def test_a_case_opened_late_in_the_evening_counts_on_the_associations_day(
    in_tenant, enabled, staff, open_case
):
    """Stored at 22:30 UTC on 31 March — 01:30 on 1 April in Riyadh — a case is one of April's,
    not March's; one stored at 20:30 UTC (23:30 in Riyadh) is still March's."""
    open_case()
    open_case(applicant_name="خالد عبدالله الشهري")
    with in_tenant(enabled):
        late, evening = db.session.scalars(db.select(VictimCase).order_by(VictimCase.id)).all()
        late.created_at, evening.created_at = datetime(2026, 3, 31, 22, 30), datetime(2026, 3, 31, 20, 30)
        db.session.flush()

        def opened(first, last):
            return {v["key"]: v["value"] for v in kpi_values(enabled, first, last)}[f"{PID}.cases_opened"]

        assert opened(date(2026, 3, 1), date(2026, 3, 31)) == 1
        assert opened(date(2026, 4, 1), date(2026, 4, 30)) == 1
        db.session.rollback()


def test_the_kpis_of_answers_referrals_first_service_and_needs_met(
    in_tenant, enabled, staff, open_case, walk, advance, client, token_for
):
    on_time, late = open_case(), open_case(applicant_name="خالد عبدالله الشهري")
    for case_id in (on_time, late):
        walk(case_id, 5)
    researcher = staff["researcher"]
    with in_tenant(enabled):
        late_request = db.session.get(AidRequest, db.session.get(VictimCase, late).request_id)
        late_request.submitted_at -= timedelta(days=20)
        for case_id in (on_time, late):
            advance(db.session.get(AidRequest, db.session.get(VictimCase, case_id).request_id), "approved")
        case = db.session.get(VictimCase, on_time)
        partner = care.add_partner(
            {"name": "مركز الإرشاد", "services": ["psychological"]}, staff["relations_officer"]
        )
        need = care.add_need(case, {"area": "psychological", "severity": "high"}, researcher)
        referral = care.refer(need, {"partner_id": partner.id}, researcher)
        for status in ("accepted", "in_service"):
            care.move(referral, {"status": status}, researcher)
        care.move(referral, {"status": "completed", "outcome": "اكتمل"}, researcher)
        legal = care.add_need(case, {"area": "legal", "severity": "low"}, researcher)
        care.meet_in_house(legal, {}, researcher)
        db.session.commit()
        period = (tenant_today() - timedelta(days=1), tenant_today() + timedelta(days=1))
        values = {v["key"]: v["value"] for v in kpi_values(enabled, *period)}
    assert values[f"{PID}.answered_within_14_days"] == 50.0
    assert values[f"{PID}.referrals_completed"] == 1
    assert values[f"{PID}.median_days_to_first_service"] == 0.0
    assert values[f"{PID}.needs_met_psychological"] == 1 and values[f"{PID}.needs_met_legal"] == 1
    assert values[f"{PID}.needs_met_housing"] == 0
