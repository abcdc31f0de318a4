"""Needs in six areas (the case plan), partners, referrals through every transition, follow-up
reminders, and the rule that a case closes only when every need is resolved."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.testing import OutboxMessage
from core.toolkit import AidRequest, Conflict, Invalid, db
from core.toolkit import today as tenant_today

from .. import rules, services
from ..models import VictimCase
from ..models_care import Need, Referral
from ..services import care
from .conftest import API, PAGE

PARTNER = {
    "name": "مركز الإرشاد النفسي",
    "services": ["psychological", "health"],
    "contact_name": "د. سلمى",
    "phone": "0114445566",
    "agreement_reference": "اتفاقية 12/1446",
}


@pytest.fixture
def partner_id(client, staff, token_for, enabled):
    response = client.post(f"{API}/partners", json=PARTNER, headers=token_for(staff["relations_officer"]))
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.fixture
def need_id(client, staff, token_for, open_case):
    case_id = open_case()
    response = client.post(
        f"{API}/cases/{case_id}/needs",
        json={"area": "psychological", "severity": "high", "note": "نوبات هلع", "due_on": "2026-12-20"},
        headers=token_for(staff["researcher"]),
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("sent", "accepted", True),
        ("sent", "declined", True),
        ("sent", "in_service", False),
        ("sent", "completed", False),
        ("accepted", "in_service", True),
        ("accepted", "completed", False),
        ("accepted", "declined", False),
        ("in_service", "completed", True),
        ("in_service", "accepted", False),
        ("declined", "accepted", False),
        ("completed", "in_service", False),
    ],
)
def test_the_referral_path_is_sent_accepted_or_declined_in_service_completed(current, target, allowed):
    assert rules.may_move_referral(current, target) is allowed


def test_a_referral_walks_to_completion_with_its_outcome_and_meets_the_need(
    client, staff, token_for, partner_id, need_id, in_tenant, enabled
):
    headers = token_for(staff["researcher"])
    sent = client.post(
        f"{API}/needs/{need_id}/referrals",
        json={"partner_id": partner_id, "follow_up_on": "2026-12-10"},
        headers=headers,
    )
    assert sent.status_code == 201 and sent.json["status"] == "sent"
    referral_id = sent.json["id"]
    skipped = client.post(
        f"{API}/referrals/{referral_id}/status",
        json={"status": "completed", "outcome": "تم"},
        headers=headers,
    )
    assert skipped.status_code == 409
    for status in ("accepted", "in_service"):
        moved = client.post(f"{API}/referrals/{referral_id}/status", json={"status": status}, headers=headers)
        assert moved.status_code == 200 and moved.json["status"] == status
    no_outcome = client.post(
        f"{API}/referrals/{referral_id}/status", json={"status": "completed"}, headers=headers
    )
    assert no_outcome.status_code == 422 and "outcome" in no_outcome.json["errors"]
    done = client.post(
        f"{API}/referrals/{referral_id}/status",
        json={"status": "completed", "outcome": "أنهت ثماني جلسات علاج نفسي"},
        headers=headers,
    )
    assert done.status_code == 200 and done.json["outcome"] == "أنهت ثماني جلسات علاج نفسي"
    with in_tenant(enabled):
        referral = db.session.get(Referral, referral_id)
        assert referral.accepted_at and referral.in_service_at and referral.completed_at
        assert db.session.get(Need, need_id).status == "met"


def test_a_declined_referral_reopens_the_need(
    client, staff, token_for, partner_id, need_id, in_tenant, enabled
):
    headers = token_for(staff["researcher"])
    referral_id = client.post(
        f"{API}/needs/{need_id}/referrals", json={"partner_id": partner_id}, headers=headers
    ).json["id"]
    with in_tenant(enabled):
        assert db.session.get(Need, need_id).status == "referred"
    declined = client.post(
        f"{API}/referrals/{referral_id}/status", json={"status": "declined"}, headers=headers
    )
    assert declined.status_code == 200
    with in_tenant(enabled):
        assert db.session.get(Need, need_id).status == "open"
    again = client.post(f"{API}/referrals/{referral_id}/status", json={"status": "accepted"}, headers=headers)
    assert again.status_code == 409


def test_a_need_goes_only_to_a_partner_offering_its_area(client, staff, token_for, partner_id, open_case):
    headers = token_for(staff["researcher"])
    case_id = open_case()
    legal = client.post(
        f"{API}/cases/{case_id}/needs", json={"area": "legal", "severity": "medium"}, headers=headers
    )
    refused = client.post(
        f"{API}/needs/{legal.json['id']}/referrals", json={"partner_id": partner_id}, headers=headers
    )
    assert refused.status_code == 422 and "partner_id" in refused.json["errors"]


def test_a_bad_need_is_refused_field_by_field(client, staff, token_for, open_case, in_tenant, enabled):
    case_id = open_case()
    response = client.post(
        f"{API}/cases/{case_id}/needs",
        json={"area": "spiritual", "severity": "extreme"},
        headers=token_for(staff["researcher"]),
    )
    assert response.status_code == 422 and {"area", "severity"} <= set(response.json["errors"])
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(Need.id))) == 0


def test_the_case_closes_only_when_every_need_is_resolved(
    staff, open_case, walk, advance, partner_id, in_tenant, enabled
):
    case_id = open_case()
    walk(case_id, 5)
    researcher = staff["researcher"]
    with in_tenant(enabled):
        case = db.session.get(VictimCase, case_id)
        request = db.session.get(AidRequest, case.request_id)
        first = care.add_need(case, {"area": "financial", "severity": "medium"}, researcher)
        second = care.add_need(case, {"area": "psychological", "severity": "high"}, researcher)
        third = care.add_need(case, {"area": "education", "severity": "low"}, researcher)
        advance(request, "approved")
        services.take(case, "register", {}, staff["relations_officer"])
        services.take(case, "serve", {}, staff["relations_officer"])
        care.meet_in_house(first, {}, researcher)
        assert first.aid_request_id == request.id
        referral = care.refer(second, {"partner_id": partner_id}, researcher)
        with pytest.raises(Conflict):
            care.close_need(second, {"reason": "لا حاجة"}, researcher)
        with pytest.raises(Invalid):
            care.close_need(third, {"reason": ""}, researcher)
        care.close_need(third, {"reason": "انتقلت الأسرة إلى مدينة أخرى"}, researcher)
        assert care.close_problems(case)  # the referral is still running
        for status in ("accepted", "in_service"):
            care.move(referral, {"status": status}, researcher)
        care.move(referral, {"status": "completed", "outcome": "اكتمل العلاج"}, researcher)
        assert care.close_problems(case) == []
        db.session.commit()


def test_reminders_are_sent_once_when_a_follow_up_is_due(
    client, staff, token_for, partner_id, need_id, in_tenant, enabled, runner
):
    headers = token_for(staff["researcher"])
    due = (tenant_today() - timedelta(days=1)).isoformat()
    later = (tenant_today() + timedelta(days=5)).isoformat()
    client.post(
        f"{API}/needs/{need_id}/referrals",
        json={"partner_id": partner_id, "follow_up_on": due},
        headers=headers,
    )
    with in_tenant(enabled):
        case_id = db.session.get(Need, need_id).case_id
        other = care.add_need(
            db.session.get(VictimCase, case_id), {"area": "health", "severity": "low"}, staff["researcher"]
        )
        care.refer(other, {"partner_id": partner_id, "follow_up_on": later}, staff["researcher"])
        db.session.commit()
    result = runner.invoke(args=["jobs", "run", "crime_victims.follow_up_reminders"])
    assert result.exit_code == 0, result.output
    with in_tenant(enabled):
        first = care.send_reminders()  # already reminded for this date: nothing more
        reminders = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "crime_victims_follow_up")
        ).all()
    assert first == {"reminded": 0}
    assert len(reminders) >= 1 and {m.channel for m in reminders} == {"in_app"}
    assert len({m.link for m in reminders}) == 1


def test_the_case_page_shows_the_plan_and_the_referrals(
    client, staff, login, partner_id, need_id, token_for, in_tenant, enabled
):
    client.post(
        f"{API}/needs/{need_id}/referrals",
        json={"partner_id": partner_id},
        headers=token_for(staff["researcher"]),
    )
    with in_tenant(enabled):
        case_id = db.session.get(Need, need_id).case_id
    login(staff["auditor"])
    page = client.get(f"{PAGE}/cases/{case_id}").get_data(as_text=True)
    assert "نفسي" in page and "مركز الإرشاد النفسي" in page and "مرسلة" in page
    assert 'id="need-form"' not in page  # an auditor reads the plan, does not change it
    partners = client.get(f"{PAGE}/partners").get_data(as_text=True)
    assert "مركز الإرشاد النفسي" in partners and 'id="partner-form"' not in partners
