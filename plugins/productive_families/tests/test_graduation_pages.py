"""Graduation through the API (in the OpenAPI document) and the staff pages: the queue, a
producer's follow-ups (also on the producer's page), recording with field errors, the audit."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from core.testing import AuditEvent
from core.toolkit import add_months, db
from core.toolkit import today as tenant_today

from ..models_graduation import IncomeFollowUp
from ..services import producers
from .conftest import PID

API = f"/t/first/api/v1/{PID}"
PAGES = f"/t/first/{PID}"


def _licensed_three_months_ago(
    producer_factory, enabled, in_tenant, name="حلويات الأحساء"
) -> tuple[int, date]:
    """A producer whose licence was issued three months ago: its 3-month follow-up is due today."""
    from .. import services  # lazy: the plugin's services, as the other tests take them

    issued = add_months(tenant_today(), -3)
    pid = producer_factory(trade_name=name)
    with in_tenant(enabled):
        producer = producers.get_producer(pid)
        services.change_licence(
            producer, {"status": "applied", "applied_on": (issued - timedelta(days=30)).isoformat()}
        )
        services.change_licence(
            producer,
            {
                "status": "issued",
                "body": "منصة بلدي",
                "number": "L-9",
                "issued_on": issued.isoformat(),
                "expires_on": (issued + timedelta(days=365)).isoformat(),
            },
        )
        db.session.commit()
    return pid, issued


def test_the_api_lists_the_queue_records_a_follow_up_and_answers_the_outcome(
    client, manager, token_for, producer_factory, enabled, in_tenant
):
    pid, issued = _licensed_three_months_ago(producer_factory, enabled, in_tenant)
    headers = token_for(manager)
    queue = client.get(f"{API}/graduation/queue", headers=headers)
    assert queue.status_code == 200
    assert [(s["producer_id"], s["anchor"], s["months"], s["state"]) for s in queue.json] == [
        (pid, "licence", 3, "due")
    ]
    bad = client.post(
        f"{API}/producers/{pid}/followups",
        json={
            "anchor": "licence",
            "anchor_on": issued.isoformat(),
            "months": 3,
            "followed_on": "x",
            "income": "abc",
        },
        headers=headers,
    )
    assert bad.status_code == 422 and {"followed_on", "income"} <= set(bad.json["errors"])
    made = client.post(
        f"{API}/producers/{pid}/followups",
        json={
            "anchor": "licence",
            "anchor_on": issued.isoformat(),
            "months": 3,
            "followed_on": tenant_today().isoformat(),
            "income": "٣٥٠٠",
            "note": "بدأت البيع في المعارض",
        },
        headers=headers,
    )
    assert made.status_code == 201, made.json
    assert (made.json["income"], made.json["change"]) == ("3,500.00", "500.00")
    again = client.post(
        f"{API}/producers/{pid}/followups",
        json={
            "anchor": "licence",
            "anchor_on": issued.isoformat(),
            "months": 3,
            "followed_on": tenant_today().isoformat(),
            "income": "1",
        },
        headers=headers,
    )
    assert again.status_code == 422 and "months" in again.json["errors"]
    summary = client.get(f"{API}/producers/{pid}/graduation", headers=headers).json
    assert (
        summary["baseline"]["income"] == "3,000.00" and summary["baseline"]["anchor_on"] == issued.isoformat()
    )
    assert [f["months"] for f in summary["followups"]] == [3]
    assert [s["months"] for s in summary["slots"]] == [6, 12]
    year = tenant_today().year
    outcome = client.get(
        f"{API}/graduation/outcomes?start={year}-01-01&end={year}-12-31", headers=headers
    ).json
    assert outcome == {"followed_up": 1, "rose": 1, "rose_share": 100.0, "median_change": "500.00"}
    with in_tenant(enabled):
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == f"{PID}.graduation.followed_up")
        )
        assert event.details["rose"] is True and "income" not in event.details


def test_the_openapi_document_lists_graduation_and_the_documents(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/graduation/queue",
        "/graduation/outcomes",
        "/producers/{producer_id}/graduation",
        "/producers/{producer_id}/followups",
        "/licensing/leaflets",
        "/licensing/leaflets/{activity}",
        "/exhibitions/{exhibition_id}/feasibility-study",
    ):
        assert any(p.endswith(f"/{PID}{path}") for p in paths), path


def test_a_reader_sees_the_follow_ups_but_may_not_record(
    client, reader, token_for, login, producer_factory, enabled, in_tenant
):
    pid, issued = _licensed_three_months_ago(producer_factory, enabled, in_tenant)
    denied = client.post(
        f"{API}/producers/{pid}/followups",
        json={
            "anchor": "licence",
            "anchor_on": issued.isoformat(),
            "months": 3,
            "followed_on": tenant_today().isoformat(),
            "income": "1",
        },
        headers=token_for(reader),
    )
    assert denied.status_code == 403
    login(reader)
    page = client.get(f"{PAGES}/graduation/producers/{pid}")
    assert page.status_code == 200 and "followup-form" not in page.get_data(as_text=True)
    assert client.post(f"{PAGES}/graduation/producers/{pid}", data={"action": "followup"}).status_code == 403


def test_staff_record_a_follow_up_from_the_queue_on_the_page_in_arabic(
    client, manager, login, producer_factory, enabled, in_tenant
):
    pid, issued = _licensed_three_months_ago(producer_factory, enabled, in_tenant)
    login(manager)
    queue = client.get(f"{PAGES}/graduation/").get_data(as_text=True)
    assert "حلويات الأحساء" in queue and "مستحقة" in queue
    slot = f"licence:{issued.isoformat()}:3"
    form = client.get(f"{PAGES}/graduation/producers/{pid}?slot={slot}").get_data(as_text=True)
    assert f'value="{slot}" selected' in form and "الدخل الشهري عند خط الأساس" in form
    refused = client.post(
        f"{PAGES}/graduation/producers/{pid}",
        data={
            "action": "followup",
            "slot": slot,
            "followed_on": tenant_today().isoformat(),
            "income": "ثلاثة",
            "note": "ملاحظة",
        },
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'id="income-error"' in text and "ملاحظة" in text  # what was typed is kept
    with in_tenant(enabled):
        assert db.session.scalar(sa.select(sa.func.count(IncomeFollowUp.id))) == 0
    done = client.post(
        f"{PAGES}/graduation/producers/{pid}",
        data={
            "action": "followup",
            "slot": slot,
            "followed_on": tenant_today().isoformat(),
            "income": "2,400",
        },
    )
    assert done.status_code == 303
    producer_page = client.get(f"{PAGES}/producers/{pid}").get_data(as_text=True)
    assert (
        'id="graduation-card"' in producer_page and "2,400.00" in producer_page and "-600.00" in producer_page
    )
    assert "حلويات الأحساء" not in client.get(f"{PAGES}/graduation/").get_data(as_text=True)


def test_a_slot_that_is_not_due_gets_an_error_under_the_choice(
    client, manager, login, producer_factory, enabled, in_tenant
):
    pid, issued = _licensed_three_months_ago(producer_factory, enabled, in_tenant)
    login(manager)
    refused = client.post(
        f"{PAGES}/graduation/producers/{pid}",
        data={
            "action": "followup",
            "slot": f"licence:{issued.isoformat()}:12",
            "followed_on": tenant_today().isoformat(),
            "income": "10",
        },
    )
    assert refused.status_code == 422 and 'id="slot-error"' in refused.get_data(as_text=True)


def test_the_queue_keeps_its_query_budget_at_any_size(
    client, manager, login, producer_factory, enabled, in_tenant, max_queries
):
    for n in range(2):
        _licensed_three_months_ago(producer_factory, enabled, in_tenant, name=f"أسرة {n}")
    login(manager)
    with max_queries(20):
        assert client.get(f"{PAGES}/graduation/").status_code == 200
    for n in range(2, 8):
        _licensed_three_months_ago(producer_factory, enabled, in_tenant, name=f"أسرة {n}")
    with max_queries(20):
        assert client.get(f"{PAGES}/graduation/").status_code == 200
