"""A request returned for missing data (or a portal draft) is corrected by its applicant and sent back."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.requests import services
from core.requests.models import AidRequest, RequestEvent
from core.tenancy import tenant_context
from tests.requests.test_documents_and_proof import PNG


@pytest.fixture
def applicant_request(tenant, staff, enable_plugin):
    """A portal request of ``staff["applicant"]`` with the dummy plugin's fields, returned by the officer."""
    enable_plugin(tenant)
    with tenant_context(tenant):
        request = services.create_request(
            {
                "applicant_name": "فهد سالم علي القحطاني",
                "applicant_phone": "0500000002",
                "summary": "إيجار",
                "requested_halalas": 300000,
                "extra": {"dummy": {"reference": "r1", "household_size": 4}},
            },
            staff["applicant"],
            own=True,
        )
        services.submit(request, staff["applicant"], declaration_signed_by=request.applicant_name)
        services.return_to_applicant(request, staff["relations_officer"], "صورة عقد الإيجار ناقصة")
        db.session.commit()
        return request.id


def test_returned_request_is_corrected_and_resubmitted(client, login, staff, tenant, applicant_request):
    rid = applicant_request
    login(staff["applicant"])
    detail = client.get(f"/t/first/portal/requests/{rid}").get_data(as_text=True)
    assert "صورة عقد الإيجار ناقصة" in detail and 'id="edit-request"' in detail
    form = client.get(f"/t/first/portal/requests/{rid}/edit")
    page = form.get_data(as_text=True)
    assert form.status_code == 200 and 'id="returned-reason"' in page
    assert 'value="فهد سالم علي القحطاني"' in page and 'value="3,000.00"' in page
    assert 'name="extra.dummy.reference"' in page and 'value="r1"' in page and 'value="4"' in page
    bad = client.post(
        f"/t/first/portal/requests/{rid}/edit",
        data={"applicant_name": "فهد سالم علي القحطاني", "extra.dummy.household_size": "٩٩"},
    )
    assert bad.status_code == 422 and 'data-field="extra.dummy.household_size"' in bad.get_data(as_text=True)
    with tenant_context(tenant):
        assert db.session.get(AidRequest, rid).extra["dummy"]["household_size"] == 4
    saved = client.post(
        f"/t/first/portal/requests/{rid}/edit",
        data={
            "applicant_name": "فهد سالم علي القحطاني",
            "applicant_phone": "0500000002",
            "summary": "إيجار متأخر ثلاثة أشهر",
            "requested_amount": "٤٥٠٠",
            "extra.dummy.reference": "r2",
            "extra.dummy.household_size": "٥",
        },
    )
    assert saved.status_code == 302
    uploaded = client.post(
        f"/t/first/portal/requests/{rid}/documents",
        data={"doc_type": "lease", "file": (__import__("io").BytesIO(PNG), "lease.png")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    resubmitted = client.post(f"/t/first/portal/requests/{rid}/submit", data={"declaration": "on"})
    assert resubmitted.status_code == 302
    with tenant_context(tenant):
        item = db.session.get(AidRequest, rid)
        assert item.state == "submitted" and item.returned_reason is None
        assert item.summary == "إيجار متأخر ثلاثة أشهر" and item.requested_halalas == 450000
        assert item.extra["dummy"]["reference"] == "r2" and item.extra["dummy"]["household_size"] == 5
        actions = [
            e.action
            for e in db.session.scalars(
                db.select(RequestEvent).where(RequestEvent.request_id == rid).order_by(RequestEvent.id)
            )
        ]
        assert actions[-3:] == ["return", "edit", "submit"]
    # Submitted again: no longer editable.
    assert client.get(f"/t/first/portal/requests/{rid}/edit").status_code == 409
    assert (
        client.post(f"/t/first/portal/requests/{rid}/edit", data={"applicant_name": "x"}).status_code == 409
    )


def test_another_applicant_gets_404(client, login, make_member, tenant, applicant_request):
    other = make_member("other-applicant@first.example.org", tenant, ["applicant"])
    login(other)
    assert client.get(f"/t/first/portal/requests/{applicant_request}/edit").status_code == 404
    posted = client.post(
        f"/t/first/portal/requests/{applicant_request}/edit", data={"applicant_name": "سعد علي محمد الشهري"}
    )
    assert posted.status_code == 404
    with tenant_context(tenant):
        assert db.session.get(AidRequest, applicant_request).applicant_name == "فهد سالم علي القحطاني"


def test_staff_cannot_use_the_portal_form(client, login, staff, applicant_request):
    login(staff["relations_officer"])
    assert client.get(f"/t/first/portal/requests/{applicant_request}/edit").status_code == 403


def test_portal_draft_is_editable_before_submission(client, login, staff, tenant):
    login(staff["applicant"])
    with tenant_context(tenant):
        draft = services.create_request(
            {"applicant_name": "فهد سالم علي القحطاني"}, staff["applicant"], own=True
        )
        db.session.commit()
        rid = draft.id
    saved = client.post(
        f"/t/first/portal/requests/{rid}/edit",
        data={"applicant_name": "فهد سالم علي القحطاني", "summary": "علاج"},
    )
    assert saved.status_code == 302
    with tenant_context(tenant):
        item = db.session.get(AidRequest, rid)
        assert item.state == "draft" and item.summary == "علاج"


def test_service_rules_role_and_state(in_first, staff, new_request, advance):
    from core.errors import Conflict, Forbidden

    request = new_request()
    with pytest.raises(Forbidden):
        services.update_request(request, staff["finance_officer"], {"applicant_name": "سعد علي محمد الشهري"})
    advance(request, "in_research")
    with pytest.raises(Conflict):
        services.update_request(
            request, staff["relations_officer"], {"applicant_name": "سعد علي محمد الشهري"}
        )


def test_staff_resubmit_a_returned_request_for_the_applicant(client, login, staff, tenant, applicant_request):
    login(staff["relations_officer"])
    response = client.post(
        f"/t/first/requests/{applicant_request}/step/submit",
        data={"declaration": "on", "signed_by": "فهد القحطاني"},
    )
    assert response.status_code == 302
    with tenant_context(tenant):
        assert db.session.get(AidRequest, applicant_request).state == "submitted"


def test_a_second_submission_answers_409_with_the_reason_on_the_page(client, login, staff, applicant_request):
    """The one form path: a refusal of the workflow re-renders the page with its own status (409),
    not 422, and its translated reason; nothing is written."""
    rid = applicant_request
    login(staff["applicant"])
    first = client.post(f"/t/first/portal/requests/{rid}/submit", data={"declaration": "on"})
    assert first.status_code == 302
    again = client.post(
        f"/t/first/portal/requests/{rid}/submit",
        data={"declaration": "on"},
        headers={"Accept-Language": "ar"},
    )
    assert again.status_code == 409
    assert 'data-field="_schema"' in again.get_data(as_text=True)
