"""Linking a request to a beneficiary file: API, request view (search, link, register), rules."""

from __future__ import annotations

from datetime import date

import pytest

from core.audit.models import AuditEvent
from core.errors import Conflict
from core.extensions import db
from core.registry.models import BeneficiaryFile, Household
from core.requests import services
from core.requests.models import AidRequest, RequestEvent
from core.tenancy import tenant_context
from tests.registry.factories import valid_id
from tests.requests.fixtures import new_file, new_file_id

BASE = "/t/first/api/v1"


@pytest.fixture
def draft_id(in_first, new_request):
    request = new_request()
    db.session.commit()
    return request.id


def _events(request_id, action):
    return db.session.scalars(
        db.select(RequestEvent).where(RequestEvent.request_id == request_id, RequestEvent.action == action)
    ).all()


def _audits(action):
    return db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


def test_api_links_and_relinks_audited_and_on_the_timeline(client, staff, token_for, tenant, draft_id):
    first, second = new_file_id(tenant), new_file_id(tenant)
    headers = token_for(staff["researcher"])
    linked = client.put(f"{BASE}/requests/{draft_id}/file", json={"file_id": first}, headers=headers)
    assert linked.status_code == 200, linked.json
    assert linked.json["file_id"] == first
    assert [e["action"] for e in linked.json["events"]][-1] == "link_file"
    again = client.put(f"{BASE}/requests/{draft_id}/file", json={"file_id": second}, headers=headers)
    assert again.status_code == 200 and again.json["file_id"] == second
    with tenant_context(tenant):
        relinked = _events(draft_id, "relink_file")
        assert len(relinked) == 1 and relinked[0].data == {"file_id": second, "previous_file_id": first}
        assert len(_audits("request.link_file")) == 1
        entry = _audits("request.relink_file")[0]
        assert entry.details == {"file_id": second, "previous_file_id": first}
        assert entry.user_id == staff["researcher"].id


def test_api_refuses_unknown_and_other_tenants_files_wrong_roles_and_ids(
    client, staff, token_for, tenant, other_tenant, draft_id
):
    headers = token_for(staff["relations_officer"])
    foreign_file = new_file_id(other_tenant)
    for body in ({"file_id": foreign_file}, {"file_id": 999_999}, {"file_id": "x"}, {}):
        refused = client.put(f"{BASE}/requests/{draft_id}/file", json=body, headers=headers)
        assert refused.status_code == 422, body
        assert "file_id" in refused.json["errors"]
    own = new_file_id(tenant)
    for role in ("finance_officer", "committee_member", "auditor", "applicant"):
        response = client.put(
            f"{BASE}/requests/{draft_id}/file", json={"file_id": own}, headers=token_for(staff[role])
        )
        assert response.status_code == 403, role
    with tenant_context(other_tenant):
        from core.requests.models import AidRequest as Model

        foreign = Model(channel="phone", applicant_name="سعد علي محمد الشهري", state="draft")
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    missing = client.put(f"{BASE}/requests/{foreign_id}/file", json={"file_id": own}, headers=headers)
    assert missing.status_code == 404
    with tenant_context(tenant):
        assert db.session.get(AidRequest, draft_id).file_id is None
        assert not _events(draft_id, "link_file")


@pytest.mark.parametrize("state", ["closed", "withdrawn", "disbursed"])
def test_no_link_once_the_request_is_over(in_first, new_request, staff, state):
    request = new_request()
    request.state = state
    file = new_file()
    with pytest.raises(Conflict):
        services.link_file(request, staff["researcher"], file.id)
    assert request.file_id is None


def test_approval_and_disbursement_need_a_linked_file(in_first, new_request, advance, staff):
    from core.aid.services import record_disbursement

    request = advance(new_request(), "in_committee")
    with pytest.raises(Conflict) as refused:
        services.approve(
            request,
            staff["committee_member"],
            amount_halalas=1000,
            members_present=[staff["committee_member"].id],
        )
    assert "ملف مستفيد" in str(refused.value.message)  # translated (Arabic by default)
    assert request.state == "in_committee"
    services.link_file(request, staff["researcher"], new_file().id)
    services.approve(
        request,
        staff["committee_member"],
        amount_halalas=1000,
        members_present=[staff["committee_member"].id],
    )
    request.file_id = None  # e.g. approved before files were required
    with pytest.raises(Conflict):
        record_disbursement(
            request,
            staff["finance_officer"],
            {
                "kind": "cash",
                "value_halalas": 1000,
                "proof_type": "acknowledgement",
                "acknowledged_by": "نورة",
                "disbursed_on": date(2025, 11, 20),
            },
        )
    assert request.state == "approved"


def test_staff_request_creation_refuses_an_unknown_file(in_first, staff, other_tenant):
    from marshmallow import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.create_request(
            {"channel": "phone", "applicant_name": "نورة محمد عبدالله السبيعي", "file_id": 424242},
            staff["relations_officer"],
        )
    assert "file_id" in refused.value.messages


def test_request_view_searches_any_spelling_and_links(client, login, staff, tenant, draft_id):
    with tenant_context(tenant):
        file = new_file(first_name="أحمد", family_name="الغامدي")
        national_id = file.household.head.national_id
        db.session.commit()
        file_id = file.id
    login(staff["relations_officer"])
    page = client.get(f"/t/first/requests/{draft_id}").get_data(as_text=True)
    assert 'id="beneficiary-file"' in page and 'id="no-linked-file"' in page
    found = client.get(f"/t/first/requests/{draft_id}?file_q=احمد").get_data(as_text=True)
    assert f'data-link-file="{file_id}"' in found
    by_id = client.get(f"/t/first/requests/{draft_id}?file_q={national_id}").get_data(as_text=True)
    assert f'data-link-file="{file_id}"' in by_id
    short = client.get(f"/t/first/requests/{draft_id}?file_q=ا")
    assert short.status_code == 200 and 'id="file_q-error"' in short.get_data(as_text=True)
    bad = client.post(f"/t/first/requests/{draft_id}/step/link_file", data={"file_id": "abc"})
    assert bad.status_code == 422
    linked = client.post(f"/t/first/requests/{draft_id}/step/link_file", data={"file_id": str(file_id)})
    assert linked.status_code == 302
    page = client.get(f"/t/first/requests/{draft_id}").get_data(as_text=True)
    assert f'data-file="{file_id}"' in page and 'data-action="link_file"' in page
    with tenant_context(tenant):
        assert db.session.get(AidRequest, draft_id).file_id == file_id


def test_finance_officer_sees_the_file_but_cannot_link(client, login, staff, tenant, draft_id):
    login(staff["finance_officer"])
    page = client.get(f"/t/first/requests/{draft_id}?file_q=احمد").get_data(as_text=True)
    assert 'id="beneficiary-file"' in page and 'id="file_q"' not in page
    assert (
        client.post(f"/t/first/requests/{draft_id}/step/link_file", data={"file_id": "1"}).status_code == 403
    )


def _registration(**overrides):
    data = {
        "first_name": "نورة",
        "father_name": "محمد",
        "grandfather_name": "عبدالله",
        "family_name": "السبيعي",
        "national_id": valid_id("1"),
        "id_expiry": "2031-01-01",
        "nationality": "SA",
        "gender": "female",
        "phone": "0500000001",
        "job": "لا يوجد",
        "monthly_income": "1500",
        "housing_tenure": "rented",
        "annual_rent": "12000",
        "category": "family",
    }
    data.update(overrides)
    return data


def test_register_a_household_from_the_applicant_and_link(
    client, login, staff, tenant, other_tenant, draft_id
):
    login(staff["relations_officer"])
    url = f"/t/first/registry/households/new?for_request={draft_id}"
    form = client.get(url).get_data(as_text=True)
    assert 'id="for-request"' in form
    for value in ('value="نورة"', 'value="السبيعي"', 'value="0500000001"'):
        assert value in form
    refused = client.post(url, data=_registration(national_id="123"))
    assert refused.status_code == 422
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(Household.id))) == 0
    created = client.post(url, data=_registration())
    assert created.status_code == 302 and created.headers["Location"].endswith(f"/requests/{draft_id}")
    with tenant_context(tenant):
        file = db.session.scalars(db.select(BeneficiaryFile)).one()
        assert db.session.get(AidRequest, draft_id).file_id == file.id
        assert _events(draft_id, "link_file")
    assert client.get("/t/first/registry/households/new?for_request=999999").status_code == 404


def test_register_from_a_request_needs_the_link_permission(client, login, staff, draft_id):
    login(staff["tenant_admin"])  # may register households, may not link requests
    assert client.get(f"/t/first/registry/households/new?for_request={draft_id}").status_code == 403
    assert client.get("/t/first/registry/households/new").status_code == 200
