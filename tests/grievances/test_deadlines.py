"""Due dates: 30 working days (Sunday–Thursday minus the tenant's holidays), paused while
awaiting the complainant, recomputed when a holiday moves (audited); the traffic light."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.audit.models import AuditEvent
from core.calendar import WEEKEND, add_working_days, working_days_between
from core.extensions import db
from core.grievances import services
from core.notifications.models import OutboxMessage
from tests.grievances.helpers import ON, filed, set_holidays


def test_the_30th_working_day_crosses_weekends_and_a_tenant_holiday(in_first, staff):
    # Without holidays: Monday 3 Nov 2025 + 30 working days = Monday 15 Dec 2025.
    assert filed(staff).due_date == date(2025, 12, 15)
    # A holiday on a working day (Sunday 7 Dec) pushes it one working day: Tuesday 16 Dec.
    set_holidays(in_first, [{"start": "2025-12-07", "name": "عطلة"}])
    assert filed(staff).due_date == date(2025, 12, 16)
    # A holiday on a Friday changes nothing (Friday never counts anyway).
    set_holidays(in_first, [{"start": "2025-12-05"}])
    assert filed(staff).due_date == date(2025, 12, 15)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=0, max_value=400))
def test_the_due_date_is_a_working_day_30_working_days_after_filing(in_first, staff, offset):
    on = date(2025, 1, 1) + timedelta(days=offset)
    grievance = filed(staff, on=on)
    assert grievance.due_date.weekday() not in WEEKEND
    assert working_days_between(on, grievance.due_date) == 30
    assert working_days_between(on, grievance.due_date - timedelta(days=1)) == 29
    db.session.rollback()


def test_waiting_on_the_complainant_pauses_the_clock_and_shows_the_days_paused(in_first, staff):
    director, committee = staff["executive_director"], staff["committee_member"]
    grievance = filed(staff)
    services.assign(grievance, director, [committee.id])
    asked_on = date(2025, 11, 9)  # Sunday
    services.ask_complainant(grievance, committee, "أرسل صورة الإيصال", asked_on)
    assert grievance.state == "awaiting_complainant" and grievance.paused_since == asked_on
    # Paused for Monday..Thursday 10–13 Nov and Sunday 16 Nov: 5 working days (Fri/Sat never count).
    assert services.paused_so_far(grievance, date(2025, 11, 16)) == 5
    services.answer(grievance, committee, "وصلت الصورة", date(2025, 11, 16))
    assert grievance.state == "under_review" and grievance.paused_days == 5 and grievance.paused_since is None
    assert grievance.due_date == add_working_days(ON, 35)


def test_moving_a_holiday_recomputes_every_open_due_date_and_audits_it(in_first, staff):
    open_one, decided = filed(staff), filed(staff)
    services.decide(decided, staff["executive_director"], "dismissed", "لا أساس", None, ON)
    db.session.commit()
    set_holidays(in_first, [{"start": "2025-11-20", "end": "2025-11-24", "name": "عيد"}])
    result = services.tick(ON)
    assert result["recomputed"] == 1
    assert open_one.due_date == date(2025, 12, 18)  # 3 holiday working days (Thu, Sun, Mon)
    assert decided.due_date == date(2025, 12, 15)  # a decided grievance keeps its due date
    entry = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "grievance.due_date.recomputed")
    ).one()
    assert entry.details == {"from": "2025-12-15", "to": "2025-12-18"}


def test_traffic_light_green_amber_red_by_the_share_of_working_time_left(in_first, staff):
    grievance = filed(staff)  # due Monday 15 Dec, 30 working days
    # 8 working days left (26 % of 30): green; 7 left (23 %): amber.
    assert services.working_days_left(grievance, date(2025, 12, 3)) == 8
    assert services.light(grievance, date(2025, 12, 3)) == "green"
    assert services.light(grievance, date(2025, 12, 4)) == "amber"
    assert services.light(grievance, date(2025, 12, 15)) == "amber"  # the due day itself
    assert services.light(grievance, date(2025, 12, 16)) == "red"
    services.decide(grievance, staff["executive_director"], "upheld", "ثبت", None, date(2025, 12, 16))
    assert services.light(grievance, date(2025, 12, 16)) is None


def test_queues_overdue_due_soon_unassigned_mine(in_first, staff):
    director, committee = staff["executive_director"], staff["committee_member"]
    old = filed(staff, on=date(2025, 9, 1))  # due 10 Oct: overdue on 3 Nov
    soon = filed(staff, on=date(2025, 9, 28))  # due 6 Nov: within 5 working days of 3 Nov
    fresh = filed(staff)
    services.assign(fresh, director, [committee.id])
    numbers = lambda found: {g.number for g in found}  # noqa: E731
    assert numbers(services.queue(director, "overdue", ON)) == {old.number}
    assert numbers(services.queue(director, "due_soon", ON)) == {soon.number}
    assert numbers(services.queue(director, "unassigned", ON)) == {old.number, soon.number}
    assert numbers(services.queue(committee, "mine", ON)) == {fresh.number}
    assert services.counts(director, ON) == {"overdue": 1, "due_soon": 1}


def test_tick_notifies_the_director_once_per_overdue_grievance(in_first, staff):
    filed(staff, on=date(2025, 9, 1))
    assert services.tick(ON)["overdue"] == 1
    assert services.tick(ON)["overdue"] == 0
    messages = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.template == "grievance_overdue")
    ).all()
    assert {m.user_id for m in messages} == {staff["executive_director"].id}
    (in_app,) = [m for m in messages if m.channel == "in_app"]
    assert in_app.context["due"] == {"date": "2025-10-13"}  # kept as a date: written per reader


def test_a_paused_grievance_never_runs_out_of_time_while_it_waits(in_first, staff):
    director = staff["executive_director"]
    grievance = filed(staff)  # due 15 Dec
    services.assign(grievance, director, [staff["committee_member"].id])
    services.ask_complainant(grievance, director, "أرسل المستند", date(2025, 12, 10))
    later = date(2026, 1, 20)
    assert services.light(grievance, later) == "amber"  # 3 working days were left when it paused
    assert services.working_days_left(grievance, later) == 3
    assert grievance.number not in {g.number for g in services.queue(director, "overdue", later)}
    assert services.tick(later)["overdue"] == 0
    assert services.tick(later)["recomputed"] == 0  # a running pause is not a moved holiday
