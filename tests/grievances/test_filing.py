"""Filing a grievance: the seed's refusals at their boundaries (field errors, nothing written),
the gap-free number per tenant and year, the due date, the notification and the hooks."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from core.auth.models import User
from core.calendar import format_date
from core.errors import Forbidden
from core.extensions import db
from core.grievances import Grievance, file_grievance, grievance_form_prefill, services
from core.notifications.models import OutboxMessage
from core.tenancy import Tenant, tenant_context
from tests.plugins import dummy

ON = date(2025, 11, 3)  # a Monday


def payload(**overrides) -> dict:
    data = {
        "kind": "complaint",
        "category": "service",
        "channel": "in_person",
        "complainant_name": "نورة محمد عبدالله السبيعي",
        "complainant_phone": "0500000001",
        "description": "تأخر تسليم السلة الغذائية",
        "event_date": ON - timedelta(days=3),
    }
    data.update(overrides)
    return data


def count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Grievance))


def test_a_recorded_grievance_gets_a_number_date_due_date_and_a_message(in_first, staff):
    grievance = file_grievance(payload(), staff["executive_director"], on=ON)
    assert grievance.number == "G1447-000001"  # the tenant shows both calendars: Hijri year
    assert grievance.filed_on == ON and grievance.state == "received"
    assert grievance.due_date == date(2025, 12, 15)  # 30 working days, Fri/Sat never counted
    assert grievance.rules["deadline_working_days"] == 30
    sms = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.channel == "sms")).all()
    assert [m.template for m in sms] == ["grievance_received"]
    assert "G1447-000001" in sms[0].body
    assert format_date(date(2025, 12, 15)) in sms[0].body  # the due date in the association's calendar


def test_numbers_are_per_tenant_and_year_and_separate_from_request_numbers(
    in_first, staff, new_request, create_tenant, make_member, in_tenant
):
    new_request()  # a request draft: its counter is not the grievances'
    first = file_grievance(payload(), staff["executive_director"], on=ON)
    second = file_grievance(payload(), staff["executive_director"], on=ON)
    assert (first.number_seq, second.number_seq) == (1, 2)
    next_year = file_grievance(
        payload(event_date=date(2026, 6, 20)), staff["executive_director"], on=date(2026, 6, 20)
    )
    assert next_year.number == "G1448-000001"  # 1 Muharram 1448 was 16 June 2026
    other = create_tenant("third")
    director = make_member("director@third.example.org", other, ["executive_director"])
    with in_tenant(other):
        assert file_grievance(payload(), director, on=ON).number == "G1447-000001"


def test_a_refused_filing_takes_no_number(in_first, staff):
    with pytest.raises(ValidationError):
        file_grievance(payload(complainant_phone=""), staff["executive_director"], on=ON)
    db.session.rollback()
    assert file_grievance(payload(), staff["executive_director"], on=ON).number_seq == 1


@pytest.mark.parametrize(
    ("field", "value"), [("complainant_name", ""), ("complainant_name", "   "), ("complainant_phone", None)]
)
def test_no_anonymous_grievance_and_none_without_a_contact_number(in_first, staff, field, value):
    with pytest.raises(ValidationError) as refused:
        file_grievance(payload(**{field: value}), staff["executive_director"], on=ON)
    assert list(refused.value.messages) == [field]
    db.session.rollback()
    assert count() == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.integers(min_value=0, max_value=60))
def test_filing_window_is_15_calendar_days_from_the_event(in_first, staff, days):
    data = payload(event_date=ON - timedelta(days=days))
    if days <= 15:
        assert file_grievance(data, staff["applicant"], own=True, on=ON).state == "received"
    else:
        with pytest.raises(ValidationError) as refused:
            file_grievance(data, staff["applicant"], own=True, on=ON)
        assert list(refused.value.messages) == ["event_date"]
    db.session.rollback()


def test_day_15_is_accepted_and_day_16_refused(in_first, staff):
    assert file_grievance(payload(event_date=ON - timedelta(days=15)), staff["applicant"], own=True, on=ON)
    with pytest.raises(ValidationError) as refused:
        file_grievance(payload(event_date=ON - timedelta(days=16)), staff["applicant"], own=True, on=ON)
    assert "15" in str(refused.value.messages["event_date"][0])


def test_a_late_grievance_is_accepted_with_an_excuse_by_an_authorised_role_only(in_first, staff):
    late = payload(event_date=ON - timedelta(days=40), late_excuse="كان المستفيد في المستشفى")
    with pytest.raises(ValidationError) as refused:
        file_grievance(late, staff["relations_officer"], on=ON)
    assert list(refused.value.messages) == ["late_excuse"]
    db.session.rollback()
    with pytest.raises(ValidationError) as refused:
        file_grievance({**late, "late_excuse": ""}, staff["executive_director"], on=ON)
    assert list(refused.value.messages) == ["event_date"]
    db.session.rollback()
    grievance = file_grievance(late, staff["executive_director"], on=ON)
    assert grievance.late_excuse == "كان المستفيد في المستشفى"
    assert grievance.excuse_accepted_by_id == staff["executive_director"].id
    assert grievance.excuse_accepted_at is not None


def test_the_portal_cannot_accept_its_own_excuse(in_first, staff):
    late = payload(event_date=ON - timedelta(days=20), late_excuse="عذر")
    with pytest.raises(ValidationError) as refused:
        file_grievance(late, staff["applicant"], own=True, on=ON)
    assert list(refused.value.messages) == ["event_date"]


def test_an_event_in_the_future_is_refused(in_first, staff):
    with pytest.raises(ValidationError) as refused:
        file_grievance(payload(event_date=ON + timedelta(days=1)), staff["executive_director"], on=ON)
    assert list(refused.value.messages) == ["event_date"]


def test_roles_that_may_not_record_are_refused(in_first, staff):
    with pytest.raises(Forbidden):
        file_grievance(payload(), staff["researcher"], on=ON)
    with pytest.raises(Forbidden):
        file_grievance(payload(), staff["researcher"], own=True, on=ON)


def test_the_portal_can_only_name_the_complainants_own_request(in_first, staff, new_request):
    someone_elses = new_request()
    with pytest.raises(ValidationError) as refused:
        file_grievance(payload(request_id=someone_elses.id), staff["applicant"], own=True, on=ON)
    assert list(refused.value.messages) == ["request_id"]


def test_rules_in_force_on_the_filing_date_apply_and_are_kept(in_first, staff):
    services.add_rule_version(
        {"effective_from": ON + timedelta(days=1), "filing_window_days": 20, "deadline_working_days": 10},
        staff["tenant_admin"],
        ON,
    )
    db.session.commit()
    event = ON - timedelta(days=18)
    with pytest.raises(ValidationError):
        file_grievance(payload(event_date=event), staff["applicant"], own=True, on=ON)
    db.session.rollback()
    later = ON + timedelta(days=1)
    grievance = file_grievance(
        payload(event_date=later - timedelta(days=19)), staff["applicant"], own=True, on=later
    )
    assert grievance.rules["filing_window_days"] == 20
    assert grievance.due_date == date(2025, 11, 18)  # 10 working days from Tuesday 4 November


def test_a_rule_version_cannot_take_effect_in_the_past(in_first, staff):
    with pytest.raises(ValidationError) as refused:
        services.add_rule_version({"effective_from": ON - timedelta(days=1)}, staff["tenant_admin"], ON)
    assert list(refused.value.messages) == ["effective_from"]


def test_plugins_add_categories_refuse_through_validate_grievance_and_hear_the_events(
    in_first, staff, enable_plugin
):
    enable_plugin(in_first)
    dummy.calls.clear()
    assert "dummy_category" in {c["code"] for c in services.categories()}
    with pytest.raises(ValidationError) as refused:
        file_grievance(payload(description="dummy-refuse"), staff["executive_director"], on=ON)
    assert refused.value.messages == {"description": ["The dummy plugin refuses this grievance."]}
    db.session.rollback()
    assert count() == 0
    grievance = file_grievance(payload(category="dummy_category"), staff["executive_director"], on=ON)
    services.decide(grievance, staff["executive_director"], "upheld", "ثبت", None, ON)
    assert ("grievance_filed", grievance.number) in dummy.calls
    assert ("grievance_decided", "upheld") in dummy.calls


def test_a_disabled_plugins_rules_and_categories_do_not_apply(in_first, staff):
    assert "dummy_category" not in {c["code"] for c in services.categories()}
    assert file_grievance(payload(description="dummy-refuse"), staff["executive_director"], on=ON)


def test_the_form_prefill_from_a_request(in_first, staff, new_request):
    request = new_request()
    prefill = grievance_form_prefill(staff["applicant"], request=request, note="تقييم منخفض")
    assert prefill["request_id"] == request.id
    assert prefill["complainant_name"] == request.applicant_name
    assert prefill["description"] == "تقييم منخفض"
    assert prefill["kind"] == "complaint"


def test_grievance_numbers_stay_unique_and_gap_free_under_concurrent_filings(app, tenant, staff):
    tenant_id, director_id = tenant.id, staff["executive_director"].id
    db.session.commit()
    writers, each = 6, 4
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def writer() -> None:
        try:
            with app.app_context():
                barrier.wait()
                for _ in range(each):
                    with tenant_context(db.session.get(Tenant, tenant_id)):
                        file_grievance(payload(), db.session.get(User, director_id), on=ON)
                        db.session.commit()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with tenant_context(tenant):
        seqs = sorted(db.session.scalars(db.select(Grievance.number_seq)))
    assert seqs == list(range(1, writers * each + 1))
