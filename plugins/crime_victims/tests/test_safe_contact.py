"""Safe contact set from a victim's case page: core's outbox then withholds the committee notice
to the unsafe phone (the same rule holds for every notification of every module)."""

from __future__ import annotations

from core.testing import AuditEvent, OutboxMessage
from core.toolkit import AidRequest, db

from ..models import VictimCase
from .conftest import PAGE


def test_the_case_page_marks_the_phone_unsafe_and_the_notice_is_withheld(
    client, staff, login, open_case, walk, in_tenant, enabled
):
    case_id = open_case(applicant_phone="0551112233")
    walk(case_id, 4)
    with in_tenant(enabled):
        phone = db.session.get(AidRequest, db.session.get(VictimCase, case_id).request_id).applicant_phone
    assert phone.endswith("551112233")
    login(staff["relations_officer"])
    page = client.get(f"{PAGE}/cases/{case_id}").get_data(as_text=True)
    assert 'id="safe-contact-form"' in page and phone in page
    bad = client.post(
        f"{PAGE}/cases/{case_id}/safe-contact", data={"window_start": "25:00", "window_end": "20:00"}
    )
    assert bad.status_code == 422 and 'id="window_start-error"' in bad.get_data(as_text=True)
    saved = client.post(f"{PAGE}/cases/{case_id}/safe-contact", data={"unsafe_addresses": phone})
    assert saved.status_code == 302
    assert client.post(f"{PAGE}/cases/{case_id}/steps/notice", data={}).status_code == 302
    with in_tenant(enabled):
        notice = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "crime_victims_committee_notice")
        ).one()
        assert (notice.channel, notice.status, notice.last_error) == ("sms", "withheld", "unsafe_address")
        audited = db.session.scalars(
            db.select(AuditEvent.details).where(AuditEvent.action == "crime_victims.safe_contact.set")
        ).one()
        assert "551112233" not in str(audited)
    page = client.get(f"{PAGE}/cases/{case_id}").get_data(as_text=True)
    assert f'value="{phone}" id="unsafe-1" checked' in page


def test_safe_contact_waits_for_the_person_to_be_matched(client, staff, login, open_case, in_tenant, enabled):
    case_id = open_case()
    login(staff["relations_officer"])
    response = client.post(f"{PAGE}/cases/{case_id}/safe-contact", data={"unsafe_channels": "sms"})
    assert response.status_code == 409
    with in_tenant(enabled):
        assert db.session.get(VictimCase, case_id).person_id is None
