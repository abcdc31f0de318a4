from __future__ import annotations

from core.extensions import db
from core.notifications.models import OutboxMessage
from core.requests.models import AidRequest
from core.tenancy import tenant_context


def test_applicant_registers_applies_and_sees_number_reason_and_only_their_own(client, tenant, staff, login):
    page = client.post(
        "/t/first/portal/register",
        data={
            "name": "فهد القحطاني",
            "email": "fahad@example.org",
            "password": "long-enough-pass-1",
            "password2": "long-enough-pass-1",
        },
    )
    assert page.status_code == 302
    # Registering does not log in (a taken e-mail answers the same way): log in.
    assert (
        client.post(
            "/login", data={"email": "fahad@example.org", "password": "long-enough-pass-1"}
        ).status_code
        == 302
    )
    refused = client.post(
        "/t/first/portal/apply", data={"applicant_name": "فهد سالم علي القحطاني", "summary": "إيجار"}
    )
    assert refused.status_code == 422
    applied = client.post(
        "/t/first/portal/apply",
        data={
            "applicant_name": "فهد سالم علي القحطاني",
            "summary": "إيجار",
            "requested_amount": "٣٠٠٠",
            "declaration": "on",
        },
    )
    assert applied.status_code == 302
    with tenant_context(tenant):
        mine = db.session.scalars(db.select(AidRequest)).one()
        assert mine.channel == "portal" and mine.number and mine.requested_halalas == 300000
        received = db.select(OutboxMessage).where(
            OutboxMessage.channel == "in_app", OutboxMessage.template == "request_received"
        )
        assert db.session.scalars(received).one()
        mine.state, mine.rejection_reason = "rejected", "الدخل يتجاوز الحد"
        other = AidRequest(state="submitted", channel="phone", applicant_name="غيره", number="1447-999999")
        db.session.add(other)
        db.session.commit()
        mine_id, other_id = mine.id, other.id
    detail = client.get(f"/t/first/portal/requests/{mine_id}")
    assert "الدخل يتجاوز الحد" in detail.get_data(as_text=True)
    assert client.get(f"/t/first/portal/requests/{other_id}").status_code == 404
    assert client.get("/t/first/portal/track?number=1447-999999").status_code == 302
    index = client.get("/t/first/portal/").get_data(as_text=True)
    assert "1447-999999" not in index and mine.number in index
    assert client.get("/t/first/api/v1/requests/").status_code == 403


def test_staff_pages_render_queues_and_request_view(client, staff, login, new_request, advance, tenant):
    request = advance(new_request(linked=True), "in_committee")
    db.session.commit()
    rid = request.id
    login(staff["committee_member"])
    assert client.get("/t/first/requests/?queue=awaiting_committee").status_code == 200
    page = client.get(f"/t/first/requests/{rid}").get_data(as_text=True)
    assert 'id="committee"' in page and 'data-check="declaration"' in page
    response = client.post(
        f"/t/first/requests/{rid}/step/approve",
        data={"amount": "500", "members_present": [str(staff["committee_member"].id)]},
    )
    assert response.status_code == 302
    with tenant_context(tenant):
        assert db.session.get(AidRequest, rid).state == "approved"
