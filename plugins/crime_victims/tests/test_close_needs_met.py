"""A case the committee accepted whose needs were met without a disbursement (partners completed
their referrals, others closed with a reason) closes with the step ``close_needs_met``: from the
request page and the generic step endpoint, with its outcome note, refused until every need is
resolved and the service is recorded."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.testing import AuditEvent
from core.toolkit import AidRequest, Conflict, Invalid, db, label, take_request_step
from core.toolkit import hooks as tenant_hooks

from .. import rules, services
from ..models import VictimCase
from ..services import care, closing
from .conftest import API

STEP = "close_needs_met"
REQUESTS = "/t/first/api/v1/requests"
STATUSES = st.sampled_from(("open", "referred", "met", "closed"))


@given(st.lists(STATUSES, max_size=6))
def test_needs_are_met_only_when_the_plan_has_needs_and_every_one_is_resolved(statuses):
    expected = bool(statuses) and all(status in ("met", "closed") for status in statuses)
    assert rules.case_needs_met(statuses) is expected


@pytest.fixture
def partner_id(enabled, staff, in_tenant):
    with in_tenant(enabled):
        partner = care.add_partner(
            {"name": "مركز الإرشاد النفسي", "services": ["psychological"]}, staff["relations_officer"]
        )
        db.session.commit()
        return partner.id


@pytest.fixture
def accepted(staff, open_case, walk, advance, partner_id, in_tenant, enabled):
    """An accepted case (request ``approved``, registered, served) with a need referred to a
    partner (the referral in service) and a need still open."""
    case_id = open_case()
    walk(case_id, 5)
    researcher, officer = staff["researcher"], staff["relations_officer"]
    with in_tenant(enabled):
        case = db.session.get(VictimCase, case_id)
        request = db.session.get(AidRequest, case.request_id)
        referred = care.add_need(case, {"area": "psychological", "severity": "high"}, researcher)
        other = care.add_need(case, {"area": "education", "severity": "low"}, researcher)
        advance(request, "approved")
        services.take(case, "register", {}, officer)
        services.take(case, "serve", {"note": "جلسات إرشاد لدى الشريك"}, officer)
        referral = care.refer(referred, {"partner_id": partner_id}, researcher)
        for status in ("accepted", "in_service"):
            care.move(referral, {"status": status}, researcher)
        db.session.commit()
        return SimpleNamespace(
            case_id=case_id, request_id=request.id, referral_id=referral.id, other_id=other.id
        )


def _resolve_needs(accepted, staff):
    researcher = staff["researcher"]
    referral = care.get_referral(accepted.referral_id)
    care.move(referral, {"status": "completed", "outcome": "اكتمل العلاج النفسي"}, researcher)
    care.close_need(care.get_need(accepted.other_id), {"reason": "التحقت بمدرسة قريبة"}, researcher)


def _request(accepted) -> AidRequest:
    db.session.expire_all()
    return db.session.get(AidRequest, accepted.request_id)


def test_the_step_is_refused_while_a_need_is_with_a_partner_or_open(accepted, staff, in_tenant, enabled):
    with in_tenant(enabled):
        request = _request(accepted)
        with pytest.raises(Conflict) as refused:
            take_request_step(request, STEP, staff["relations_officer"], note="اكتملت")
        assert refused.value.message == care.close_problems(db.session.get(VictimCase, accepted.case_id))[0]
        assert _request(accepted).state == "approved"


def test_the_step_closes_the_case_once_every_need_is_resolved(accepted, staff, in_tenant, enabled):
    with in_tenant(enabled):
        _resolve_needs(accepted, staff)
        request = _request(accepted)
        assert closing.problems(db.session.get(VictimCase, accepted.case_id)) == []
        with pytest.raises(Invalid):  # the outcome of the case is required
            take_request_step(request, STEP, staff["relations_officer"], note=" ")
        take_request_step(request, STEP, staff["relations_officer"], note="استوفى الشريك الاحتياج النفسي")
        db.session.commit()
        assert _request(accepted).state == "closed"
        audited = db.session.scalar(
            db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == f"request.{STEP}")
        )
        assert audited == 1


def test_a_case_without_needs_or_without_its_service_recorded_is_refused(
    staff, open_case, walk, advance, in_tenant, enabled
):
    case_id = open_case()
    walk(case_id, 5)
    with in_tenant(enabled):
        case = db.session.get(VictimCase, case_id)
        request = db.session.get(AidRequest, case.request_id)
        advance(request, "approved")
        assert closing.problems(case) == [
            str(closing._("The case plan has no need: assess the case's needs first."))
        ]
        care.add_need(case, {"area": "legal", "severity": "low"}, staff["researcher"])
        need = care.needs_of(case)[0]
        care.close_need(need, {"reason": "حُلّت القضية وديًا"}, staff["researcher"])
        refused = [
            str(m)
            for found in tenant_hooks().validate_request_transition(
                request=request, action=STEP, actor=staff["relations_officer"], data={}
            )
            for m in found or []
        ]
        assert refused and "7" in refused[0]  # intake step 7 (the service) is not recorded yet


def test_a_request_that_is_not_a_victim_case_does_not_close_this_way(enabled):
    assert closing.problems(None)


# --------------------------------------------------------------------------- the API


def test_the_api_lists_and_takes_the_step_with_its_outcome_note(
    client, staff, token_for, accepted, in_tenant, enabled
):
    headers = token_for(staff["relations_officer"])
    listed = client.get(f"{REQUESTS}/{accepted.request_id}/steps", headers=headers)
    step = {s["action"]: s for s in listed.json}[STEP]
    assert step["label"] == "إغلاق الحالة: استُوفيت الاحتياجات" and step["note_required"] is True
    refused = client.post(
        f"{REQUESTS}/{accepted.request_id}/steps/{STEP}", json={"note": "x"}, headers=headers
    )
    assert refused.status_code == 409 and "احتياج" in refused.json["message"]
    with in_tenant(enabled):
        _resolve_needs(accepted, staff)
        db.session.commit()
    no_note = client.post(f"{REQUESTS}/{accepted.request_id}/steps/{STEP}", json={}, headers=headers)
    assert no_note.status_code == 422 and "note" in no_note.json["errors"]
    done = client.post(
        f"{REQUESTS}/{accepted.request_id}/steps/{STEP}",
        json={"note": "استوفى الشريك الاحتياج النفسي وأُغلق الاحتياج التعليمي"},
        headers=headers,
    )
    assert done.status_code == 200, done.json
    assert done.json["state"] == "closed" and done.json["events"][-1]["action"] == STEP


def test_the_api_refuses_a_role_that_does_not_close_requests(client, staff, token_for, accepted):
    response = client.post(
        f"{REQUESTS}/{accepted.request_id}/steps/{STEP}",
        json={"note": "x"},
        headers=token_for(staff["researcher"]),
    )
    assert response.status_code == 403


def test_the_case_api_still_reads_the_closed_case(client, staff, token_for, accepted, in_tenant, enabled):
    with in_tenant(enabled):
        _resolve_needs(accepted, staff)
        db.session.commit()
    headers = token_for(staff["relations_officer"])
    client.post(f"{REQUESTS}/{accepted.request_id}/steps/{STEP}", json={"note": "اكتملت"}, headers=headers)
    case = client.get(f"{API}/cases/{accepted.case_id}", headers=headers)
    assert case.status_code == 200


# --------------------------------------------------------------------------- the page


def test_the_request_page_offers_the_step_and_closes_the_case_after_asking(
    client, login, staff, accepted, in_tenant, enabled
):
    with in_tenant(enabled):
        _resolve_needs(accepted, staff)
        db.session.commit()
    login(staff["relations_officer"])
    page = client.get(f"/t/first/requests/{accepted.request_id}").get_data(as_text=True)
    assert f'data-action="{STEP}"' in page and "إغلاق الحالة: استُوفيت الاحتياجات" in page
    assert "نتيجة الحالة" in page  # the outcome note's label
    url = f"/t/first/requests/{accepted.request_id}/step/{STEP}"
    note = "استوفى الشريك الاحتياج النفسي"
    asked = client.post(url, data={"note": note})
    assert asked.status_code == 200 and 'name="confirmed"' in asked.get_data(as_text=True)
    done = client.post(url, data={"note": note, "confirmed": "yes"})
    assert done.status_code == 302
    page = client.get(f"/t/first/requests/{accepted.request_id}").get_data(as_text=True)
    assert 'data-state="closed"' in page and note in page
    with in_tenant(enabled):
        assert label(f"request.{STEP}", "audit_action") != f"request.{STEP}"


def test_the_page_shows_why_the_case_cannot_close_yet(client, login, staff, accepted):
    login(staff["relations_officer"])
    response = client.post(
        f"/t/first/requests/{accepted.request_id}/step/{STEP}", data={"note": "اكتملت", "confirmed": "yes"}
    )
    assert response.status_code == 409
    assert "احتياج" in response.get_data(as_text=True)


def test_the_case_page_points_to_the_step_once_every_need_is_resolved(
    client, login, staff, accepted, in_tenant, enabled
):
    login(staff["relations_officer"])
    case_url = f"/t/first/crime_victims/cases/{accepted.case_id}"
    assert 'id="needs-met"' not in client.get(case_url).get_data(as_text=True)
    with in_tenant(enabled):
        _resolve_needs(accepted, staff)
        db.session.commit()
    page = client.get(case_url).get_data(as_text=True)
    assert 'id="needs-met"' in page
    assert f"/requests/{accepted.request_id}#step-{STEP}" in page
