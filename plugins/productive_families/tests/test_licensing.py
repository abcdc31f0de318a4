"""Licences: ``none → applied → issued → expired``, the expiry warning at its boundary (a daily
job through notifications), the queue of producers needing one, and the KPI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.testing import OutboxMessage
from core.toolkit import Conflict, Invalid, db, kpi_sources

from .. import rules, services
from .conftest import PID

API = f"/t/first/api/v1/{PID}"
TODAY = date(2026, 11, 30)


def issue(producer, *, expires_on: date, issued_on: date = date(2026, 1, 10)):
    if producer.licence_status != "applied":
        services.change_licence(producer, {"status": "applied"}, today=TODAY)
    services.change_licence(
        producer,
        {"status": "issued", "body": "منصة بلدي", "number": "PF-1001", "issued_on": issued_on.isoformat(),
         "expires_on": expires_on.isoformat()},
        today=TODAY,
    )  # fmt: skip


def test_a_licence_moves_through_its_states_in_order(enabled, producer_factory, in_tenant):
    producer_id = producer_factory()
    with in_tenant(enabled):
        producer = services.get_producer(producer_id)
        with pytest.raises(Conflict):  # never issued without applying first
            services.change_licence(
                producer,
                {"status": "issued", "body": "بلدي", "number": "1", "issued_on": "2026-05-01", "expires_on": "2027-05-01"},
                today=TODAY,
            )  # fmt: skip
        services.change_licence(producer, {"status": "applied"}, today=TODAY)
        assert producer.licence_status == "applied" and producer.licence_applied_on == TODAY
        assert producer.licence_body == "وزارة البلديات والإسكان — منصة بلدي"  # the tenant's list for food
        with pytest.raises(Invalid) as refused:
            services.change_licence(producer, {"status": "issued", "issued_on": "2026-01-10"}, today=TODAY)
        assert {"body", "number", "expires_on"} <= set(refused.value.messages)
        with pytest.raises(Invalid) as refused:
            services.change_licence(
                producer,
                {"status": "issued", "body": "بلدي", "number": "1", "issued_on": "2026-05-01", "expires_on": "2026-04-01"},
                today=TODAY,
            )  # fmt: skip
        assert set(refused.value.messages) == {"expires_on"}
        issue(producer, expires_on=date(2027, 1, 10))
        assert producer.licence_status == "issued" and producer.licence_number == "PF-1001"
        with pytest.raises(Conflict):
            services.change_licence(producer, {"status": "none"}, today=TODAY)


def test_the_api_answers_409_for_a_change_the_states_refuse(client, manager, token_for, producer_factory):
    producer_id = producer_factory()
    response = client.post(
        f"{API}/producers/{producer_id}/licence", json={"status": "expired"}, headers=token_for(manager)
    )
    assert response.status_code == 409


@given(offset=st.integers(min_value=-400, max_value=400), days=st.integers(min_value=1, max_value=365))
def test_the_warning_falls_due_from_days_before_expiry_up_to_the_expiry_day(offset, days):
    expires_on = TODAY + timedelta(days=offset)
    due = rules.licence_warning_due("issued", expires_on, TODAY, days)
    assert due == (0 <= offset <= days)
    assert not rules.licence_warning_due("issued", expires_on, TODAY, days, warned_for=expires_on)
    assert not rules.licence_warning_due("applied", expires_on, TODAY, days)


@pytest.mark.parametrize(("days_left", "warned"), [(31, False), (30, True), (0, True)])
def test_the_job_warns_at_the_default_30_days_boundary_once(
    days_left, warned, enabled, producer_account, manager, in_tenant
):
    user, producer_id = producer_account
    with in_tenant(enabled):
        issue(services.get_producer(producer_id), expires_on=TODAY + timedelta(days=days_left))
        db.session.commit()
        assert services.run_licence_job(TODAY) == {"warned": int(warned), "expired": 0}
        assert services.run_licence_job(TODAY) == {"warned": 0, "expired": 0}  # once per licence term
        db.session.commit()
        inbox = db.session.scalars(
            db.select(OutboxMessage.user_id).where(
                OutboxMessage.template == services.WARNING_TEMPLATE, OutboxMessage.channel == "in_app"
            )
        ).all()
    assert sorted(inbox) == (sorted([user.id, manager.id]) if warned else [])


def test_the_warning_period_is_a_tenant_setting(tenant, enable_plugin, create_household, in_tenant):
    enable_plugin(tenant, PID, {"licence_warning_days": 10})
    household = create_household(tenant)
    with in_tenant(tenant):
        producer = services.create_producer(
            {"household_id": household.id, "trade_name": "حلا", "activity": "sweets"}
        )
        issue(producer, expires_on=TODAY + timedelta(days=11))
        assert services.run_licence_job(TODAY)["warned"] == 0
        assert services.run_licence_job(TODAY + timedelta(days=1))["warned"] == 1


def test_a_licence_past_its_expiry_date_expires_and_can_be_renewed(enabled, producer_factory, in_tenant):
    producer_id = producer_factory()
    with in_tenant(enabled):
        producer = services.get_producer(producer_id)
        issue(producer, expires_on=TODAY)
        assert services.run_licence_job(TODAY)["expired"] == 0
        assert services.run_licence_job(TODAY + timedelta(days=1))["expired"] == 1
        assert producer.licence_status == "expired"
        services.change_licence(producer, {"status": "applied"}, today=TODAY)
        assert producer.licence_status == "applied"


def test_the_queue_lists_producers_whose_activity_needs_a_licence_and_who_have_none(
    client, manager, token_for, enabled, producer_factory, in_tenant
):
    without = producer_factory(activity="food", trade_name="أمل")
    licensed = producer_factory(activity="sweets", trade_name="بسمة")
    producer_factory(activity="sewing", trade_name="جود")  # sewing needs no licence in the default list
    with in_tenant(enabled):
        issue(services.get_producer(licensed), expires_on=date(2027, 6, 1))
        db.session.commit()
    listed = client.get(f"{API}/producers?licence_queue=true", headers=token_for(manager)).json
    assert [p["id"] for p in listed] == [without]


def test_the_kpi_counts_families_whose_licence_was_issued_in_the_period(enabled, producer_factory, in_tenant):
    first, second = producer_factory(), producer_factory(activity="sweets")
    with in_tenant(enabled):
        issue(services.get_producer(first), issued_on=date(2026, 3, 1), expires_on=date(2027, 3, 1))
        issue(services.get_producer(second), issued_on=date(2025, 12, 31), expires_on=date(2026, 12, 31))
        db.session.commit()
        source = next(s for s in kpi_sources(enabled) if s.key == f"{PID}.families_licensed")
        assert source.compute(enabled, date(2026, 1, 1), date(2026, 12, 31)) == 1
        assert source.compute(enabled, date(2025, 1, 1), date(2026, 12, 31)) == 2
