"""The API (in the OpenAPI document), the tenant's crime categories, and the plugin turned off:
pages, API and rules gone, data kept."""

from __future__ import annotations

import pytest

from core.testing import request_services, set_plugin_state
from core.toolkit import AidRequest, Invalid, db

from .. import services
from ..models import VictimCase
from .conftest import API, CASE_DATA, PAGE, PID


def test_the_api_opens_a_case_and_walks_its_steps_in_order(
    client, staff, token_for, victim, in_tenant, enabled
):
    headers = token_for(staff["relations_officer"])
    opened = client.post(f"{API}/cases", json=CASE_DATA, headers=headers)
    assert opened.status_code == 201, opened.json
    case_id = opened.json["id"]
    assert opened.json["step"] == 1 and opened.json["timeline"][0]["kind"] == "received"
    skipped = client.post(f"{API}/cases/{case_id}/steps/notice", json={}, headers=headers)
    assert skipped.status_code == 409
    for action, body in (
        ("check", {"national_id": victim.number}),
        ("clarify", {"outcome": "clear"}),
        ("declare", {"signed_by": "منيرة سعد العتيبي"}),
        ("notice", {}),
    ):
        response = client.post(f"{API}/cases/{case_id}/steps/{action}", json=body, headers=headers)
        assert response.status_code == 201, (action, response.json)
    case = client.get(f"{API}/cases/{case_id}", headers=headers).json
    assert case["step"] == 5 and case["request_state"] == "submitted"
    assert case["expected_answer_date"] is not None and case["overdue"] is False
    assert [e["step"] for e in case["timeline"]] == [1, 2, 3, 4, 5]
    listed = client.get(f"{API}/cases", headers=headers).json
    assert [c["id"] for c in listed] == [case_id]


def test_the_api_refuses_bad_input_with_translated_field_errors(client, staff, token_for, in_tenant, enabled):
    headers = {**token_for(staff["relations_officer"]), "Accept-Language": "ar"}
    response = client.post(f"{API}/cases", json={"applicant_name": "x", "channel": "fax"}, headers=headers)
    assert response.status_code == 422
    assert {"applicant_name", "channel", "category_code"} <= set(response.json["errors"])
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(AidRequest.id))) == 0


def test_the_api_is_in_the_openapi_document(client, enabled):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    mine = [p for p in paths if f"/api/v1/{PID}/" in p]
    assert any(p.endswith("/cases") for p in mine) and any("/steps/" in p for p in mine)


def test_an_auditor_reads_the_queue_but_opens_no_case(client, staff, token_for, enabled):
    headers = token_for(staff["auditor"])
    assert client.get(f"{API}/cases", headers=headers).status_code == 200
    assert client.post(f"{API}/cases", json=CASE_DATA, headers=headers).status_code == 403


def test_the_tenant_admin_extends_the_category_list(client, staff, login, in_tenant, enabled):
    login(staff["relations_officer"])
    assert (
        client.post(f"{PAGE}/categories", data={"code": "extortion", "name_ar": "ابتزاز"}).status_code == 403
    )
    login(staff["tenant_admin"])
    bad = client.post(f"{PAGE}/categories", data={"code": "Bad Code", "name_ar": "ابتزاز"})
    assert bad.status_code == 422
    response = client.post(
        f"{PAGE}/categories", data={"code": "extortion", "name_ar": "ابتزاز", "name_en": "Extortion"}
    )
    assert response.status_code == 302
    page = client.get(f"{PAGE}/categories").get_data(as_text=True)
    assert 'data-code="extortion"' in page and 'data-code="domestic_violence"' in page
    again = client.post(f"{PAGE}/categories", data={"code": "extortion", "name_ar": "ابتزاز"})
    # A duplicate is an error on the code field (was 409 with a message before issue 15's 422 rule).
    assert again.status_code == 422 and 'id="code-error"' in again.get_data(as_text=True)
    with in_tenant(enabled):
        assert "extortion" in dict(services.category_choices())
        case = services.open_case({**CASE_DATA, "category_code": "extortion"}, staff["relations_officer"])
        assert case.category_code == "extortion"


def test_an_unknown_category_is_refused(staff, in_tenant, enabled):
    with in_tenant(enabled), pytest.raises(Invalid) as refused:
        services.open_case({**CASE_DATA, "category_code": "piracy"}, staff["relations_officer"])
    assert "category_code" in refused.value.messages


def test_turning_the_plugin_off_removes_pages_api_and_rules_and_keeps_the_data(
    client, staff, login, token_for, open_case, in_tenant, enabled
):
    case_id = open_case()
    with in_tenant(enabled):
        request_id = db.session.get(VictimCase, case_id).request_id
    set_plugin_state(enabled, PID, False)
    login(staff["relations_officer"])
    assert client.get(f"{PAGE}/").status_code == 404
    assert client.get(f"{API}/cases", headers=token_for(staff["relations_officer"])).status_code == 404
    with in_tenant(enabled):
        # Core's submission is no longer held by the intake steps; the case is still there.
        request = db.session.get(AidRequest, request_id)
        request_services.submit(request, staff["relations_officer"], declaration_signed_by="منيرة")
        assert request.state == "submitted"
        assert db.session.get(VictimCase, case_id) is not None
        db.session.commit()
    set_plugin_state(enabled, PID, True)
    assert client.get(f"{PAGE}/cases/{case_id}").status_code == 200
