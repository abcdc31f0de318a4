"""The offer and its decision, places, check-in / check-out and the supervisor's confirmation:
only confirmed minutes count; nobody confirms their own hours; a refusal writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import Conflict, Forbidden, Invalid
from core.extensions import db
from core.volunteers import Assignment, Volunteer, services
from tests.volunteers.helpers import accepted, at, opportunity_data, volunteer_data, worked


def test_portal_offer_waits_then_coordinator_accepts_or_declines_with_a_reason(in_first, staff):
    applicant, admin = staff["applicant"], staff["tenant_admin"]
    volunteer = services.offer(volunteer_data(kind="organisation", organisation_name="نادي الحي"), applicant)
    assert volunteer.state == "applied" and volunteer.user_id == applicant.id
    assert volunteer.organisation_name == "نادي الحي" and volunteer.email == applicant.email
    with pytest.raises(Invalid) as refused:
        services.decide(volunteer, "declined", admin, reason="  ")
    assert "reason" in refused.value.messages
    with pytest.raises(Forbidden):
        services.decide(volunteer, "accepted", staff["researcher"])
    services.decide(volunteer, "declined", admin, reason="لا توجد فرص في مدينتك حاليًا")
    assert volunteer.state == "declined" and volunteer.decided_by_id == admin.id
    with pytest.raises(Conflict):
        services.offer(volunteer_data(), applicant)  # a declined offer is not silently renewed
    with pytest.raises(Conflict):
        services.decide(volunteer, "accepted", admin)


def test_offer_refuses_an_unknown_skill_a_missing_organisation_and_a_reversed_time(in_first, staff):
    from datetime import time

    with pytest.raises(Invalid) as refused:
        services.offer(
            volunteer_data(
                skills=["juggling"], kind="organisation", available_from=time(18), available_to=time(17)
            ),
            staff["applicant"],
        )
    assert set(refused.value.messages) == {"skills", "organisation_name", "available_to"}
    with pytest.raises(Forbidden):
        services.offer(volunteer_data(), staff["researcher"])  # staff register volunteers instead


def test_the_tenant_skill_list_replaces_the_default_one(in_first, staff):
    services.set_skills(
        [{"code": "cooking", "label_ar": "الطبخ", "label_en": "Cooking"}], staff["tenant_admin"]
    )
    assert [s["code"] for s in services.skills()] == ["cooking"]
    with pytest.raises(Invalid):
        services.register(volunteer_data(skills=["distribution"]), staff["tenant_admin"])
    with pytest.raises(Invalid):
        services.set_skills(
            [{"code": "a", "label_ar": "أ"}, {"code": "a", "label_ar": "ب"}], staff["tenant_admin"]
        )


def test_places_run_out_and_only_accepted_volunteers_get_one(in_first, staff):
    admin = staff["tenant_admin"]
    opportunity = services.create_opportunity(opportunity_data(places=1), admin)
    first, second = accepted(staff), accepted(staff, name="ريم سعد محمد الشمري", phone="+966500000012")
    services.assign(opportunity, first, admin)
    with pytest.raises(Conflict):
        services.assign(opportunity, first, admin)
    with pytest.raises(Conflict):
        services.assign(opportunity, second, admin)  # the one place is taken
    waiting = services.register(volunteer_data(name="ماجد علي", state="applied"), admin)
    with pytest.raises(Invalid):
        services.assign(opportunity, waiting, admin)
    with pytest.raises(Invalid):
        services.update_opportunity(opportunity, {"places": 0}, admin)
    assert services.taken(opportunity) == 1


def test_a_volunteer_applies_and_the_coordinator_gives_the_place(in_first, staff):
    admin, applicant = staff["tenant_admin"], staff["applicant"]
    opportunity = services.create_opportunity(opportunity_data(), admin)
    with pytest.raises(Forbidden):
        services.apply(opportunity, applicant)  # no accepted offer yet
    volunteer = services.offer(volunteer_data(), applicant)
    services.decide(volunteer, "accepted", admin)
    assignment = services.apply(opportunity, applicant)
    assert (assignment.state, assignment.origin) == ("applied", "applied")
    assert services.taken(opportunity) == 0
    with pytest.raises(Conflict):
        services.check_in(assignment, applicant)  # no place yet
    services.assign(opportunity, volunteer, admin)
    assert assignment.state == "assigned" and services.taken(opportunity) == 1


def test_check_in_and_out_record_minutes_that_count_only_once_confirmed(in_first, staff):
    admin, applicant = staff["tenant_admin"], staff["applicant"]
    volunteer = services.offer(volunteer_data(), applicant)
    services.decide(volunteer, "accepted", admin)
    opportunity = services.create_opportunity(opportunity_data(supervisor_id=staff["researcher"].id), admin)
    assignment = services.assign(opportunity, volunteer, admin)
    with pytest.raises(Conflict):
        services.check_out(assignment, applicant)
    with pytest.raises(Conflict):
        services.check_in(assignment, applicant, at=at(9, on=opportunity.on_date + timedelta(days=1)))
    services.check_in(assignment, applicant, at=at(9))
    with pytest.raises(Invalid):
        services.check_out(assignment, applicant, at=at(8))
    services.check_out(assignment, applicant, at=at(12, 30))
    assert (assignment.minutes, assignment.hours_state) == (210, "pending")
    assert services.confirmed_minutes(volunteer) == 0  # not before the supervisor confirms
    with pytest.raises(Forbidden):
        services.confirm_hours(assignment, applicant)  # never one's own hours
    with pytest.raises(Forbidden):
        services.confirm_hours(assignment, staff["finance_officer"])  # neither coordinator nor supervisor
    services.confirm_hours(assignment, staff["researcher"])  # the opportunity's supervisor
    assert (assignment.hours_state, assignment.confirmed_minutes) == ("confirmed", 210)
    assert services.confirmed_minutes(volunteer) == 210
    with pytest.raises(Conflict):
        services.confirm_hours(assignment, admin, minutes=60, note="تصحيح")  # final once confirmed


def test_a_supervisor_corrects_with_a_note_or_rejects_with_one(in_first, staff):
    admin = staff["tenant_admin"]
    volunteer = accepted(staff)
    first = worked(staff, volunteer, services.create_opportunity(opportunity_data(), admin))
    with pytest.raises(Invalid) as refused:
        services.confirm_hours(first, admin, minutes=120)
    assert "note" in refused.value.messages
    with pytest.raises(Invalid):
        services.confirm_hours(first, admin, minutes=0, note="غادر مبكرًا")
    services.confirm_hours(first, admin, minutes=120, note="غادر مبكرًا")
    second = worked(staff, volunteer, services.create_opportunity(opportunity_data(title="حملة"), admin))
    with pytest.raises(Invalid):
        services.confirm_hours(second, admin, reject=True)
    services.confirm_hours(second, admin, reject=True, note="لم يحضر")
    assert (second.hours_state, second.confirmed_minutes) == ("rejected", 0)
    assert services.confirmed_minutes(volunteer) == 120


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minutes=st.integers(min_value=-5, max_value=24 * 60 + 5))
def test_a_confirmed_figure_lies_between_one_minute_and_a_day(in_first, staff, minutes):
    admin = staff["tenant_admin"]
    volunteer = db.session.scalars(db.select(Volunteer)).first() or accepted(staff)
    opportunity = services.create_opportunity(opportunity_data(title=f"فرصة {minutes}"), admin)
    assignment = worked(staff, volunteer, opportunity)
    if 0 < minutes <= 24 * 60:
        services.confirm_hours(assignment, admin, minutes=minutes, note="تصحيح")
        assert assignment.confirmed_minutes == minutes
    else:
        with pytest.raises(Invalid):
            services.confirm_hours(assignment, admin, minutes=minutes, note="تصحيح")
        assert assignment.hours_state == "pending"


def test_kpis_count_confirmed_hours_active_volunteers_share_and_filled_opportunities(in_first, staff):
    admin = staff["tenant_admin"]
    today = services.today()
    one, two = accepted(staff), accepted(staff, name="ريم سعد محمد الشمري", phone="+966500000012")
    full = services.create_opportunity(opportunity_data(places=1), admin)
    half = services.create_opportunity(opportunity_data(title="جلسة", places=3), admin)
    services.confirm_hours(worked(staff, one, full, (9, 0), (11, 0)), admin)
    services.confirm_hours(worked(staff, two, half, (9, 0), (10, 30)), admin)
    worked(staff, one, half)  # pending: not counted
    tenant = in_first
    assert services.kpi_hours(tenant, today, today) == 3.5
    assert services.kpi_active(tenant, today, today) == 2
    staff_members = len(staff) - 1  # every role but the applicant's
    assert services.kpi_share(tenant, today, today) == round(100 * 2 / (staff_members + 2), 1)
    assert services.kpi_filled(tenant, today, today) == 1
    yesterday = today - timedelta(days=1)
    assert services.kpi_hours(tenant, yesterday, yesterday) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment)) == 3


def test_the_volunteer_is_told_the_decision_with_its_reason_and_the_place_given(in_first, staff):
    from core.notifications.models import OutboxMessage

    admin, applicant = staff["tenant_admin"], staff["applicant"]
    volunteer = services.offer(volunteer_data(), applicant)
    services.decide(volunteer, "accepted", admin)
    services.assign(
        services.create_opportunity(opportunity_data(title="يوم التوزيع"), admin), volunteer, admin
    )
    registered = services.register(
        volunteer_data(name="ماجد علي", email="majed@example.org", state="applied"), admin
    )
    services.decide(registered, "declined", admin, reason="لا توجد فرص في مدينتك")
    db.session.flush()
    sent = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    to_applicant = [m.template for m in sent if m.user_id == applicant.id]
    assert "volunteer_accepted" in to_applicant and "volunteer_assigned" in to_applicant
    declined = [m for m in sent if m.template == "volunteer_declined"]
    assert {m.channel for m in declined} >= {"email"} and "لا توجد فرص في مدينتك" in declined[0].body
    assert any("يوم التوزيع" in m.body for m in sent if m.template == "volunteer_assigned")
