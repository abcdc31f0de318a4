"""The request page's step forms: one table of handlers behind ``core.forms.form_transaction``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.extensions import db
from core.requests import generic_steps, steps
from core.requests.models import AidRequest, RequestEvent
from core.requests.workflow import CORE_TRANSITIONS
from core.tenancy import tenant_context

CORE_STEPS = {t.action: t for t in CORE_TRANSITIONS}
VIEW = Path(steps.__file__).parent / "templates" / "requests" / "view.html"


@pytest.fixture
def draft_id(in_first, new_request):
    request = new_request()
    db.session.commit()
    return request.id


def _events(tenant, request_id):
    with tenant_context(tenant):
        return [
            e.action
            for e in db.session.scalars(
                db.select(RequestEvent).where(RequestEvent.request_id == request_id).order_by(RequestEvent.id)
            )
        ]


def test_every_step_form_of_the_request_page_has_a_handler(app):
    text = VIEW.read_text(encoding="utf-8")
    named = set(re.findall(r"action='(\w+)'\)", text))
    handlers = app.extensions.get("request_page", {}).get("steps", {})
    added = set(handlers)
    assert named
    assert named <= set(steps.STEP_FORMS) | added
    assert "disburse" in added  # core.aid adds its step without requests importing aid
    # The other steps' buttons come from the transition table (requests.generic_steps): each has
    # a handler, core's own or the generic one.
    with app.test_request_context():
        for action, step in CORE_STEPS.items():
            if not step.elsewhere:
                assert generic_steps.handler_for(action, handlers) is not None


def test_an_unknown_step_is_not_found_and_writes_nothing(client, login, staff, tenant, draft_id):
    login(staff["relations_officer"])
    before = _events(tenant, draft_id)
    response = client.post(f"/t/first/requests/{draft_id}/step/no_such_step", data={"reason": "x"})
    assert response.status_code == 404
    assert _events(tenant, draft_id) == before


def test_a_refused_step_shows_its_field_errors_and_writes_nothing(client, login, staff, tenant, draft_id):
    login(staff["relations_officer"])
    before = _events(tenant, draft_id)
    response = client.post(f"/t/first/requests/{draft_id}/step/submit", data={"signed_by": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="step-error" data-action="submit"' in page
    assert _events(tenant, draft_id) == before
    with tenant_context(tenant):
        assert db.session.get(AidRequest, draft_id).state == "draft"


def test_a_step_the_role_may_not_take_is_refused_on_the_page(client, login, staff, tenant, draft_id):
    login(staff["finance_officer"])
    response = client.post(f"/t/first/requests/{draft_id}/step/withdraw")
    assert response.status_code == 403
    assert 'id="step-error" data-action="withdraw"' in response.get_data(as_text=True)
    with tenant_context(tenant):
        assert db.session.get(AidRequest, draft_id).state == "draft"


def test_a_step_taken_is_committed_once_and_redirects_to_the_request(client, login, staff, tenant, draft_id):
    login(staff["relations_officer"])
    response = client.post(
        f"/t/first/requests/{draft_id}/step/submit", data={"declaration": "on", "signed_by": "نورة"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/requests/{draft_id}")
    with tenant_context(tenant):
        assert db.session.get(AidRequest, draft_id).state != "draft"
    assert "submit" in _events(tenant, draft_id)
