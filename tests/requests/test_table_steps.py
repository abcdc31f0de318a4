"""A plugin's request step (``register_request_transitions``) is reachable like core's: a button
(with its note box) on the staff request page, and the generic ``…/requests/<id>/steps/<action>``
endpoint — same checks, event, audit and ``validate_request_transition``; gone with its plugin."""

from __future__ import annotations

import pytest

from core.audit.models import AuditEvent
from core.extensions import db
from core.requests import services as request_services
from core.requests.models import AidRequest, RequestEvent
from core.tenancy import tenant_context
from tests.plugins import dummy

BASE = "/t/first/api/v1/requests"


@pytest.fixture
def rejected_id(in_first, new_request, advance, staff):
    request = new_request(extra={})
    advance(request, "in_committee")
    request_services.reject(
        request,
        staff["committee_member"],
        reason="لا تنطبق الشروط",
        members_present=[staff["committee_member"].id],
    )
    db.session.commit()
    return request.id


@pytest.fixture
def with_dummy(tenant, enable_plugin):
    enable_plugin(tenant)
    return tenant


def _state(tenant, request_id):
    with tenant_context(tenant):
        db.session.expire_all()
        return db.session.get(AidRequest, request_id).state


def _events(tenant, request_id):
    with tenant_context(tenant):
        return [
            (e.action, e.note)
            for e in db.session.scalars(
                db.select(RequestEvent).where(RequestEvent.request_id == request_id).order_by(RequestEvent.id)
            )
        ]


def _audited(tenant, action):
    with tenant_context(tenant):
        return db.session.scalar(
            db.select(db.func.count(AuditEvent.id)).where(
                AuditEvent.tenant_id == tenant.id, AuditEvent.action == action
            )
        )


# --------------------------------------------------------------------------- the page


def test_the_plugin_step_shows_as_a_button_with_its_note_box(client, login, staff, with_dummy, rejected_id):
    login(staff["researcher"])  # holds dummy.view, the step's permission
    page = client.get(f"/t/first/requests/{rejected_id}").get_data(as_text=True)
    assert 'data-action="dummy_archive"' in page and "Archive (dummy)" in page
    assert 'id="note-dummy_archive"' in page and "Why it is archived" in page


def test_the_plugin_step_is_not_offered_to_a_role_without_its_permission(
    client, login, staff, with_dummy, rejected_id
):
    login(staff["finance_officer"])
    page = client.get(f"/t/first/requests/{rejected_id}").get_data(as_text=True)
    assert 'data-action="dummy_archive"' not in page


def test_a_confirmed_plugin_step_asks_first_then_moves_the_request_with_its_event_and_audit(
    client, login, staff, with_dummy, rejected_id
):
    login(staff["researcher"])
    url = f"/t/first/requests/{rejected_id}/step/dummy_archive"
    asked = client.post(url, data={"note": "لا حاجة للمتابعة"})
    assert asked.status_code == 200 and 'name="confirmed"' in asked.get_data(as_text=True)
    assert _state(with_dummy, rejected_id) == "rejected"
    dummy.calls.clear()
    done = client.post(url, data={"note": "لا حاجة للمتابعة", "confirmed": "yes"})
    assert done.status_code == 302
    assert _state(with_dummy, rejected_id) == "dummy_archived"
    assert _events(with_dummy, rejected_id)[-1] == ("dummy_archive", "لا حاجة للمتابعة")
    assert _audited(with_dummy, "request.dummy_archive") == 1
    assert ("validate_request_transition", "dummy_archive") in dummy.calls
    assert ("request_transitioned", "dummy_archive:rejected->dummy_archived") in dummy.calls
    page = client.get(f"/t/first/requests/{rejected_id}").get_data(as_text=True)
    assert "Archived (dummy)" in page


def test_a_missing_note_is_a_field_error_before_the_question_and_nothing_is_written(
    client, login, staff, with_dummy, rejected_id
):
    login(staff["researcher"])
    before = _events(with_dummy, rejected_id)
    response = client.post(f"/t/first/requests/{rejected_id}/step/dummy_archive", data={"note": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="step-error" data-action="dummy_archive"' in page and 'data-field="note"' in page
    assert "is-invalid" in page.split('id="step-dummy_archive"', 1)[1].split("</form>", 1)[0]
    assert _events(with_dummy, rejected_id) == before and _state(with_dummy, rejected_id) == "rejected"


def test_a_plugin_refusal_is_shown_on_the_page_and_writes_nothing(
    client, login, staff, with_dummy, tenant, rejected_id
):
    with tenant_context(tenant):
        request = db.session.get(AidRequest, rejected_id)
        request.extra = {"dummy": {"reference": "keep"}}
        db.session.commit()
    login(staff["researcher"])
    response = client.post(
        f"/t/first/requests/{rejected_id}/step/dummy_archive", data={"note": "أرشفة", "confirmed": "yes"}
    )
    assert response.status_code == 409
    assert "The dummy plugin keeps this request." in response.get_data(as_text=True)
    assert _state(tenant, rejected_id) == "rejected"
    assert _audited(tenant, "request.dummy_archive") == 0


def test_a_disabled_plugins_step_is_gone_at_once(client, login, staff, tenant, enable_plugin, rejected_id):
    enable_plugin(tenant)
    login(staff["researcher"])
    assert 'data-action="dummy_archive"' in client.get(f"/t/first/requests/{rejected_id}").get_data(
        as_text=True
    )
    enable_plugin(tenant, enabled=False)
    assert 'data-action="dummy_archive"' not in client.get(f"/t/first/requests/{rejected_id}").get_data(
        as_text=True
    )
    response = client.post(
        f"/t/first/requests/{rejected_id}/step/dummy_archive", data={"note": "أرشفة", "confirmed": "yes"}
    )
    assert response.status_code == 404
    assert _state(tenant, rejected_id) == "rejected"


# --------------------------------------------------------------------------- the API


def test_the_api_lists_the_steps_the_user_may_take_with_what_they_ask(
    client, staff, token_for, with_dummy, rejected_id
):
    listed = client.get(f"{BASE}/{rejected_id}/steps", headers=token_for(staff["researcher"]))
    assert listed.status_code == 200
    step = {s["action"]: s for s in listed.json}["dummy_archive"]
    assert step["label"] == "Archive (dummy)" and step["target_label"] == "Archived (dummy)"
    assert step["note_required"] is True and step["confirm"] is True and step["own_form"] is False
    others = client.get(f"{BASE}/{rejected_id}/steps", headers=token_for(staff["finance_officer"]))
    assert "dummy_archive" not in {s["action"] for s in others.json}


def test_the_api_takes_a_plugin_step_through_the_workflow(client, staff, token_for, with_dummy, rejected_id):
    response = client.post(
        f"{BASE}/{rejected_id}/steps/dummy_archive",
        json={"note": "أرشفة الطلب"},
        headers=token_for(staff["researcher"]),
    )
    assert response.status_code == 200, response.json
    assert response.json["state"] == "dummy_archived"
    assert response.json["events"][-1]["action"] == "dummy_archive"
    assert _audited(with_dummy, "request.dummy_archive") == 1


@pytest.mark.parametrize(
    ("action", "role", "body", "status"),
    [
        ("no_such_step", "researcher", {"note": "x"}, 404),
        ("dummy_archive", "finance_officer", {"note": "x"}, 403),
        ("dummy_archive", "researcher", {}, 422),
        ("dummy_archive", "researcher", {"note": ""}, 422),
        ("dummy_archive", "researcher", {"note": {"a": 1}}, 422),
        ("approve", "committee_member", {"amount": "100"}, 409),  # not in committee any more
        ("refuse_permit", "tenant_admin", {"note": "x"}, 409),  # taken from its escalation
    ],
)
def test_the_api_refuses_with_the_right_status_and_writes_nothing(
    client, staff, token_for, with_dummy, rejected_id, action, role, body, status
):
    before = _events(with_dummy, rejected_id)
    response = client.post(f"{BASE}/{rejected_id}/steps/{action}", json=body, headers=token_for(staff[role]))
    assert response.status_code == status, response.json
    if status == 422:
        assert "note" in response.json["errors"]
    if status in (403, 409):
        assert response.json["message"]
    assert _events(with_dummy, rejected_id) == before
    assert _state(with_dummy, rejected_id) == "rejected"


def test_the_api_answers_a_refusal_in_the_users_language(client, staff, token_for, with_dummy, rejected_id):
    response = client.post(
        f"{BASE}/{rejected_id}/steps/dummy_archive",
        json={"note": "x"},
        headers={**token_for(staff["finance_officer"]), "Accept-Language": "ar"},
    )
    assert response.status_code == 403 and "دور" in response.json["message"]


def test_the_api_takes_core_steps_through_the_same_endpoint(
    client, staff, token_for, with_dummy, rejected_id
):
    response = client.post(
        f"{BASE}/{rejected_id}/steps/close",
        json={"note": "انتهى"},
        headers=token_for(staff["relations_officer"]),
    )
    assert response.status_code == 200, response.json
    assert response.json["state"] == "closed"
    assert response.json["events"][-1]["action"] == "close" and response.json["events"][-1]["note"] == "انتهى"


def test_a_disabled_plugins_step_is_not_found_by_the_api(
    client, staff, token_for, tenant, enable_plugin, rejected_id
):
    enable_plugin(tenant, enabled=False)
    headers = token_for(staff["researcher"])
    assert "dummy_archive" not in {
        s["action"] for s in client.get(f"{BASE}/{rejected_id}/steps", headers=headers).json
    }
    response = client.post(f"{BASE}/{rejected_id}/steps/dummy_archive", json={"note": "x"}, headers=headers)
    assert response.status_code == 404


def test_the_generic_step_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    taken = paths["/t/{tenant}/api/v1/requests/{request_id}/steps/{action}"]["post"]
    assert "requestBody" in taken and "200" in taken["responses"]
    assert "get" in paths["/t/{tenant}/api/v1/requests/{request_id}/steps"]
