from __future__ import annotations

from core.extensions import db
from core.requests.models import AidRequest, RequestEvent
from core.tenancy import tenant_context
from tests.requests.fixtures import new_file_id

BASE = "/t/first/api/v1"


def _create(client, headers, **extra):
    body = {
        "channel": "phone",
        "applicant_name": "نورة محمد عبدالله السبيعي",
        "applicant_phone": "0500000001",
        **extra,
    }
    return client.post(f"{BASE}/requests/", json=body, headers=headers)


def test_full_path_through_the_api(client, staff, token_for, tenant):
    officer, researcher = token_for(staff["relations_officer"]), token_for(staff["researcher"])
    committee, finance = token_for(staff["committee_member"]), token_for(staff["finance_officer"])
    created = _create(client, officer, requested_amount="١٬٥٠٠٫٥٠")
    assert created.status_code == 201, created.json
    rid = created.json["id"]
    assert created.json["requested_halalas"] == 150050
    submitted = client.post(
        f"{BASE}/requests/{rid}/submit", json={"declaration": True, "signed_by": "نورة"}, headers=officer
    )
    assert submitted.status_code == 200 and submitted.json["number"].endswith("-000001")
    assert (
        client.post(f"{BASE}/requests/{rid}/start-research", json={}, headers=researcher).status_code == 200
    )
    visit = client.post(
        f"{BASE}/requests/{rid}/visits", json={"scheduled_for": "١٤٤٧/٠٥/١٨ هـ"}, headers=researcher
    )
    assert visit.status_code == 201 and visit.json["scheduled_for"] == "2025-11-09"
    recorded = client.post(
        f"{BASE}/requests/{rid}/visits/{visit.json['id']}",
        json={
            "visited_on": "2025-11-09",
            "findings": "تمت الزيارة",
            "checked_fields": [{"field": "rent", "entered": "12000", "status": "confirmed"}],
        },
        headers=researcher,
    )
    assert recorded.status_code == 200, recorded.json
    assert client.post(f"{BASE}/requests/{rid}/verify", json={}, headers=researcher).status_code == 200
    assert (
        client.post(f"{BASE}/requests/{rid}/send-to-committee", json={}, headers=researcher).status_code
        == 200
    )
    assessment = client.get(f"{BASE}/requests/{rid}/assessment", headers=committee)
    assert {c["code"] for c in assessment.json["checks"]} >= {"declaration", "field_visit"}
    approve = {"amount": "1000", "members_present": [staff["committee_member"].id]}
    unlinked = client.post(
        f"{BASE}/requests/{rid}/approve", json=approve, headers={**committee, "Accept-Language": "ar"}
    )
    assert unlinked.status_code == 409 and "ملف" in unlinked.json["message"]
    linked = client.put(
        f"{BASE}/requests/{rid}/file", json={"file_id": new_file_id(tenant)}, headers=researcher
    )
    assert linked.status_code == 200, linked.json
    approved = client.post(
        f"{BASE}/requests/{rid}/approve",
        json={"amount": "1000", "members_present": [staff["committee_member"].id]},
        headers=committee,
    )
    assert approved.status_code == 201, approved.json
    paid = client.post(
        f"{BASE}/aid/requests/{rid}/disbursements",
        json={
            "kind": "cash",
            "value": "400",
            "proof_type": "acknowledgement",
            "acknowledged_by": "نورة",
            "disbursed_on": "2025-11-20",
            "delivery_mode": "provider",
            "provider_name": "مؤسسة الخير",
        },
        headers=finance,
    )
    assert paid.status_code == 201, paid.json
    detail = client.get(f"{BASE}/requests/{rid}", headers=officer).json
    assert detail["state"] == "disbursed"
    assert [e["action"] for e in detail["events"]][:3] == ["create", "submit", "start_research"]
    assert "close" in detail["actions"]


def test_wrong_role_answers_403_and_writes_nothing(client, staff, token_for, tenant):
    rid = _create(client, token_for(staff["relations_officer"])).json["id"]
    response = client.post(
        f"{BASE}/requests/{rid}/submit",
        json={"declaration": True, "signed_by": "نورة"},
        headers=token_for(staff["finance_officer"]),
    )
    assert response.status_code == 403
    assert _create(client, token_for(staff["researcher"])).status_code == 403


def test_invalid_transition_answers_409_translated(client, staff, token_for, tenant):
    rid = _create(client, token_for(staff["relations_officer"])).json["id"]
    headers = {**token_for(staff["researcher"]), "Accept-Language": "ar"}
    response = client.post(f"{BASE}/requests/{rid}/start-research", json={}, headers=headers)
    assert response.status_code == 409
    assert response.json["code"] == 409 and "لا يمكن" in response.json["message"]
    with tenant_context(tenant):
        assert db.session.get(AidRequest, rid).state == "draft"
        assert db.session.scalar(db.select(db.func.count(RequestEvent.id))) == 1


def test_bad_input_answers_422_by_field_and_writes_nothing(client, staff, token_for, tenant):
    headers = {**token_for(staff["relations_officer"]), "Accept-Language": "ar"}
    response = client.post(
        f"{BASE}/requests/",
        json={
            "channel": "pigeon",
            "applicant_name": "x",
            "requested_amount": "1.234",
            "applicant_phone": "123",
        },
        headers=headers,
    )
    assert response.status_code == 422
    assert {"channel", "applicant_name", "requested_amount", "applicant_phone"} <= set(
        response.json["errors"]
    )
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(AidRequest.id))) == 0


def test_another_tenants_request_answers_404(client, staff, token_for, tenant, other_tenant, make_member):
    rid = _create(client, token_for(staff["relations_officer"])).json["id"]
    stranger = make_member("officer@second.example.org", other_tenant, ["relations_officer", "researcher"])
    headers = token_for(stranger)
    assert client.get(f"/t/second/api/v1/requests/{rid}", headers=headers).status_code == 404
    assert (
        client.post(f"/t/second/api/v1/requests/{rid}/start-research", json={}, headers=headers).status_code
        == 404
    )


def test_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/t/{tenant}/api/v1/requests/",
        "/t/{tenant}/api/v1/requests/{request_id}/approve",
        "/t/{tenant}/api/v1/requests/{request_id}/visits",
        "/t/{tenant}/api/v1/aid/catalog",
        "/t/{tenant}/api/v1/aid/requests/{request_id}/disbursements",
        "/t/{tenant}/api/v1/requests/{request_id}/verifications",
    ):
        assert path in paths, path


def test_applicant_phone_accepts_arabic_indic_digits_and_is_stored_in_e164(client, staff, token_for):
    officer = token_for(staff["relations_officer"])
    created = _create(client, officer, applicant_phone="٠٥٠١٢٣٤٥٦٧")
    assert created.status_code == 201, created.json
    assert created.json["applicant_phone"] == "+966501234567"
    refused = _create(client, officer, applicant_phone="12345")
    assert refused.status_code == 422 and "applicant_phone" in refused.json["errors"]
