"""An upheld grievance against a rejected request sends the request back to the committee —
through the request's own workflow (its timeline and audit), never for a dismissed grievance."""

from __future__ import annotations

import pytest

from core.errors import Conflict
from core.extensions import db
from core.grievances import services
from core.requests import services as request_services
from core.requests.models import RequestEvent
from core.requests.workflow import transition
from core.tenancy import tenant_context
from tests.grievances.helpers import ON, filed


@pytest.fixture
def rejected(new_request, advance, staff):
    request = advance(new_request(linked=True), "in_committee")
    member = staff["committee_member"]
    request_services.reject(request, member, reason="الدخل يتجاوز الحد", members_present=[member.id])
    db.session.commit()
    assert request.state == "rejected"
    return request


def _decided(staff, request, outcome: str):
    grievance = filed(staff, request_id=request.id, kind="grievance", category="decision")
    services.decide(grievance, staff["executive_director"], outcome, "ثبت أن الدخل احتسب خطأ", None, ON)
    db.session.commit()
    return grievance


def test_an_upheld_grievance_sends_the_rejected_request_back_to_the_committee(
    in_first, staff, rejected, client, login
):
    grievance = _decided(staff, rejected, "upheld")
    login(staff["executive_director"])
    page = client.get(f"/t/first/grievances/{grievance.id}").get_data(as_text=True)
    assert 'id="form-redecide"' in page
    response = client.post(f"/t/first/grievances/{grievance.id}/redecide")
    assert response.status_code == 302
    with tenant_context(in_first):
        db.session.refresh(rejected)
        assert rejected.state == "in_committee"
        event = db.session.scalars(
            db.select(RequestEvent)
            .where(RequestEvent.request_id == rejected.id)
            .order_by(RequestEvent.id.desc())
        ).first()
        assert event.action == "redecide" and grievance.number in (event.note or "")
    page = client.get(f"/t/first/grievances/{grievance.id}").get_data(as_text=True)
    assert 'id="form-redecide"' not in page  # the request is no longer rejected
    assert 'data-action="request_redecided"' in page


def test_a_dismissed_grievance_cannot_send_the_request_back(in_first, staff, rejected, client, login):
    grievance = _decided(staff, rejected, "dismissed")
    login(staff["executive_director"])
    assert 'id="form-redecide"' not in client.get(f"/t/first/grievances/{grievance.id}").get_data(
        as_text=True
    )
    assert client.post(f"/t/first/grievances/{grievance.id}/redecide").status_code == 409
    with tenant_context(in_first):
        db.session.refresh(rejected)
        assert rejected.state == "rejected"


def test_the_api_sends_the_request_back_once_and_only_for_the_director(
    in_first, staff, rejected, client, token_for
):
    grievance = _decided(staff, rejected, "partly_upheld")
    url = f"/t/first/api/v1/grievances/{grievance.id}/redecide"
    assert client.post(url, headers=token_for(staff["researcher"])).status_code in (403, 404)
    director = token_for(staff["executive_director"])
    assert client.post(url, headers=director).status_code == 200
    assert client.post(url, headers=director).status_code == 409  # already at the committee
    with tenant_context(in_first):
        db.session.refresh(rejected)
        assert rejected.state == "in_committee"


def test_the_request_step_alone_cannot_reopen_a_rejected_request(in_first, staff, rejected):
    """The step itself refuses (409) without an upheld grievance: never a way around a decision."""
    with pytest.raises(Conflict):
        transition(rejected, "redecide", staff["executive_director"])
    db.session.rollback()
    db.session.refresh(rejected)
    assert rejected.state == "rejected"
