"""Partner access: a scoped, expiring link to ONE referral for its partner organisation —
issued, re-issued and revoked by staff who manage referrals; opened without a login; the
partner acknowledges and reports through the staff's own transitions; every use audited with
the partner as actor; every kind of invalid link answers the same "not valid" page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.testing import MASK, AuditEvent, OutboxMessage, unsealed
from core.toolkit import NotFound, db, format_date

from .. import rules, services
from ..models_care import Need, Referral
from ..models_partner import PartnerLink
from ..services import partner_access
from .conftest import API, PAGE, PID

PARTNER = {
    "name": "مركز الإرشاد النفسي",
    "services": ["psychological"],
    "contact_name": "د. سلمى",
    "phone": "0114445566",
}
NOT_VALID_AR = "هذا الرابط غير صالح"


@pytest.fixture
def referral_id(client, staff, token_for, open_case, in_tenant, enabled):
    """A case (with a sealed narrative) whose psychological need is referred to a partner."""
    headers = token_for(staff["researcher"])
    partner = client.post(f"{API}/partners", json=PARTNER, headers=token_for(staff["relations_officer"]))
    case_id = open_case()
    with in_tenant(enabled):
        case = services.get_case(case_id)
        case.researcher_id = staff["researcher"].id
        db.session.commit()
    written = client.put(
        f"{API}/cases/{case_id}/narrative",
        json={"narrative": "سرد مختوم لا يراه الشريك", "incident_details": "تفاصيل الحادثة السرية"},
        headers=headers,
    )
    assert written.status_code == 204, written.json
    need = client.post(
        f"{API}/cases/{case_id}/needs",
        json={"area": "psychological", "severity": "high", "note": "جلسات دعم نفسي أسبوعية"},
        headers=headers,
    )
    sent = client.post(
        f"{API}/needs/{need.json['id']}/referrals", json={"partner_id": partner.json["id"]}, headers=headers
    )
    assert sent.status_code == 201, sent.json
    return sent.json["id"]


@pytest.fixture
def issue(client, staff, token_for):
    def go(referral_id: int, user="researcher") -> str:
        response = client.post(f"{API}/referrals/{referral_id}/partner-link", headers=token_for(staff[user]))
        assert response.status_code == 201, response.json
        return response.json["url"]

    return go


def _path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _actions(tenant, in_tenant, code_prefix="crime_victims.partner_link"):
    with in_tenant(tenant):
        return [
            (e.action, e.user_email, e.details)
            for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))
            if e.action.startswith(code_prefix) or e.action == "crime_victims.referral.moved"
        ]


def test_only_a_hash_of_the_token_is_kept_and_the_link_opens_without_a_login(
    app, referral_id, issue, in_tenant, enabled, case_victim_number
):
    url = issue(referral_id)
    token = url.rsplit("/", 1)[1]
    assert f"/t/first/{PID}/partner-link/" in url
    with in_tenant(enabled):
        link = db.session.scalar(db.select(PartnerLink))
        assert link.token_hash == partner_access.token_hash(token) and token not in link.token_hash
    anonymous = app.test_client()
    page = anonymous.get(_path(url))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "مركز الإرشاد النفسي" in html and "جلسات دعم نفسي أسبوعية" in html
    assert 'id="need-area"' in html and 'id="association-contact"' in html
    # Never the victim: no narrative, no incident details, no ID number, no phone, no city.
    for secret in ("سرد مختوم", "تفاصيل الحادثة", case_victim_number, "0551112233", "منيرة"):
        assert secret not in html
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert lang_switch_works(anonymous, _path(url))
    opened = _actions(enabled, in_tenant)
    assert opened[-1][0] == "crime_victims.partner_link.opened"
    assert opened[-1][1] == "شريك: مركز الإرشاد النفسي"


def lang_switch_works(client, path: str) -> bool:
    switched = client.get(f"/lang/en?next={path}", follow_redirects=True)
    html = switched.get_data(as_text=True)
    return switched.status_code == 200 and "A referral for" in html and 'lang="en"' in html


@pytest.fixture
def case_victim_number(victim):
    return victim.number


def test_the_partner_accepts_reports_service_and_completes_through_the_staff_transitions(
    app, referral_id, issue, in_tenant, enabled
):
    path = _path(issue(referral_id))
    partner = app.test_client()
    assert partner.get(path).status_code == 200
    skipped = partner.post(path, data={"action": "complete", "outcome": "تم"})
    assert skipped.status_code == 409  # not offered, and the staff's state machine refuses it
    for action in ("accept", "in_service"):
        answer = partner.post(path, data={"action": action})
        assert answer.status_code == 200 and 'id="partner-link-done"' in answer.get_data(as_text=True)
    missing = partner.post(path, data={"action": "complete", "outcome": "  "})
    assert missing.status_code == 422 and 'id="outcome-error"' in missing.get_data(as_text=True)
    done = partner.post(path, data={"action": "complete", "outcome": "أنهت ثماني جلسات"})
    assert done.status_code == 200
    with in_tenant(enabled):
        referral = db.session.get(Referral, referral_id)
        need = db.session.get(Need, referral.need_id)
        assert (referral.status, referral.outcome, need.status) == ("completed", "أنهت ثماني جلسات", "met")
    # Completed: the link has ended.
    ended = partner.get(path)
    assert ended.status_code == 404 and NOT_VALID_AR in ended.get_data(as_text=True)
    trail = _actions(enabled, in_tenant)
    moved = [t for t in trail if t[0] == "crime_victims.referral.moved"]
    assert [m[2]["status"] for m in moved] == ["accepted", "in_service", "completed"]
    assert {m[1] for m in moved} == {"شريك: مركز الإرشاد النفسي"}
    used = [t[2]["action"] for t in trail if t[0] == "crime_victims.partner_link.used"]
    assert used == ["accept", "in_service", "complete"]


def test_declining_needs_a_reason_then_reopens_the_need_and_ends_the_link(
    app, referral_id, issue, in_tenant, enabled
):
    path = _path(issue(referral_id))
    partner = app.test_client()
    partner.get(path)
    refused = partner.post(path, data={"action": "decline", "reason": ""})
    assert refused.status_code == 422 and 'id="reason-error"' in refused.get_data(as_text=True)
    with in_tenant(enabled):
        assert db.session.get(Referral, referral_id).status == "sent"  # nothing written
    declined = partner.post(path, data={"action": "decline", "reason": "لا يتوفر أخصائي هذا الشهر"})
    assert declined.status_code == 200
    with in_tenant(enabled):
        referral = db.session.get(Referral, referral_id)
        assert referral.status == "declined" and referral.outcome == "لا يتوفر أخصائي هذا الشهر"
        assert db.session.get(Need, referral.need_id).status == "open"
    assert partner.get(path).status_code == 404


def test_reissuing_replaces_the_old_link_and_revoking_ends_it(
    app, client, staff, token_for, referral_id, issue, in_tenant, enabled
):
    first = _path(issue(referral_id))
    second = _path(issue(referral_id))
    partner = app.test_client()
    old = partner.get(first)
    assert old.status_code == 404 and NOT_VALID_AR in old.get_data(as_text=True)
    assert partner.get(second).status_code == 200
    revoked = client.delete(
        f"{API}/referrals/{referral_id}/partner-link", headers=token_for(staff["researcher"])
    )
    assert revoked.status_code == 204
    assert partner.get(second).status_code == 404
    again = client.delete(
        f"{API}/referrals/{referral_id}/partner-link", headers=token_for(staff["researcher"])
    )
    assert again.status_code == 409
    assert partner.post(second, data={"action": "accept"}).status_code == 404
    with in_tenant(enabled):
        assert db.session.get(Referral, referral_id).status == "sent"


def test_unknown_and_other_tenant_tokens_and_a_disabled_plugin_give_the_same_page(
    app, referral_id, issue, other_tenant, enable_plugin, enabled
):
    path = _path(issue(referral_id))
    token = path.rsplit("/", 1)[1]
    enable_plugin(other_tenant, PID)
    partner = app.test_client()
    pages = [
        partner.get(f"{PAGE}/partner-link/not-a-token"),
        partner.get(f"{PAGE}/partner-link/{'x' * 300}"),
        partner.get(f"/t/second/{PID}/partner-link/{token}"),
    ]
    enable_plugin(enabled, PID, enabled=False)
    pages.append(partner.get(path))
    for page in pages:
        assert page.status_code == 404
        assert 'id="partner-link-not-valid"' in page.get_data(as_text=True)
        assert NOT_VALID_AR in page.get_data(as_text=True)
    api = partner.get(f"/t/second/api/v1/{PID}/partner-link/{token}")
    assert api.status_code == 404


def test_staff_without_the_care_of_referrals_cannot_issue_and_staff_see_the_link_and_its_uses(
    app, client, staff, token_for, login, referral_id, issue, in_tenant, enabled
):
    denied = client.post(f"{API}/referrals/{referral_id}/partner-link", headers=token_for(staff["auditor"]))
    assert denied.status_code == 403
    path = _path(issue(referral_id))
    app.test_client().get(path)
    state = client.get(f"{API}/referrals/{referral_id}/partner-link", headers=token_for(staff["auditor"]))
    assert state.json["out"] is True and state.json["usable"] is True
    assert [use["action"] for use in state.json["uses"]] == ["opened"]
    with in_tenant(enabled):
        case_id = db.session.get(Need, db.session.get(Referral, referral_id).need_id).case_id
    login(staff["researcher"])
    page = client.get(f"{PAGE}/cases/{case_id}").get_data(as_text=True)
    assert 'data-link-out="1"' in page and "فتحه الشريك" in page
    reissued = client.post(f"{PAGE}/referrals/{referral_id}/partner-link")
    assert reissued.status_code == 200
    assert re.search(
        r'id="partner-link-url"[^>]*value="https://[^"]*/partner-link/', reissued.get_data(as_text=True)
    )
    assert app.test_client().get(path).status_code == 404  # the re-issued one replaced it


def test_the_partner_api_reads_and_reports_by_the_token(app, referral_id, issue, in_tenant, enabled):
    token = issue(referral_id).rsplit("/", 1)[1]
    partner = app.test_client()
    read = partner.get(f"{API}/partner-link/{token}")
    assert read.status_code == 200
    assert set(read.json) >= {"partner", "area", "severity", "request", "next_actions", "link_expires_on"}
    assert "narrative" not in read.json and read.json["next_actions"] == ["accept", "decline"]
    refused = partner.post(f"{API}/partner-link/{token}", json={"action": "decline"})
    assert refused.status_code == 422 and "reason" in refused.json["errors"]
    accepted = partner.post(f"{API}/partner-link/{token}", json={"action": "accept"})
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"


@given(days=st.integers(min_value=1, max_value=365), offset=st.integers(min_value=-3, max_value=3))
def test_a_link_is_usable_on_its_last_day_and_not_after(days, offset):
    issued = date(2026, 11, 1)
    last = rules.partner_link_expiry(issued, days)
    assert last == issued + timedelta(days=days)
    assert rules.partner_link_usable(last, False, "sent", last + timedelta(days=offset)) is (offset <= 0)
    assert rules.partner_link_usable(last, True, "sent", issued) is False
    assert rules.partner_link_usable(last, False, "completed", issued) is False


def test_the_tenant_sets_the_days_a_link_lasts_at_least_one(
    staff, referral_id, in_tenant, enabled, enable_plugin
):
    with pytest.raises(Exception, match="partner_link_days"):
        enable_plugin(enabled, PID, settings={"partner_link_days": 0})
    enable_plugin(enabled, PID, settings={"partner_link_days": 3})
    with in_tenant(enabled):
        referral = db.session.get(Referral, referral_id)
        link, token = partner_access.issue(referral, staff["researcher"], on=date(2026, 11, 1))
        db.session.commit()
        assert link.expires_on == date(2026, 11, 4)
        assert partner_access.resolve(token, on=date(2026, 11, 4)).link.id == link.id
        with pytest.raises(NotFound):
            partner_access.resolve(token, on=date(2026, 11, 5))


def test_the_partner_form_keeps_csrf_refuses_unknown_actions_and_is_rate_limited(
    app, referral_id, issue, in_tenant, enabled
):
    path = _path(issue(referral_id))
    partner = app.test_client()
    partner.get(path)
    forged = partner.post(path, data={"action": "accept"}, csrf=False)
    assert forged.status_code == 400
    unknown = partner.post(path, data={"action": "approve_everything"})
    assert unknown.status_code == 422
    with in_tenant(enabled):
        assert db.session.get(Referral, referral_id).status == "sent"  # nothing written
    answers = [partner.post(path, data={"action": "nothing"}).status_code for _ in range(25)]
    assert 429 in answers and 500 not in answers


# --------------------------------------------------------------------------- the link by e-mail

PARTNER_EMAIL = "referrals@counselling.example.org"


def _set_partner_email(referral_id, in_tenant, tenant, email):
    with in_tenant(tenant):
        referral = db.session.get(Referral, referral_id)
        services.care.get_partner(referral.partner_id).email = email
        db.session.commit()


def _outbox(tenant, in_tenant):
    with in_tenant(tenant):
        return db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "crime_victims_partner_link")
        ).all()


def test_the_link_is_emailed_to_the_partner_in_the_association_language_and_it_works(
    app, client, staff, token_for, referral_id, in_tenant, enabled, case_victim_number
):
    _set_partner_email(referral_id, in_tenant, enabled, PARTNER_EMAIL)
    issued = client.post(
        f"{API}/referrals/{referral_id}/partner-link",
        json={"send_email": True},
        headers=token_for(staff["researcher"]),
    )
    assert issued.status_code == 201 and issued.json["emailed"] is True
    (message,) = _outbox(enabled, in_tenant)
    assert (message.channel, message.recipient, message.locale) == ("email", PARTNER_EMAIL, "ar")
    # The outbox keeps the message with the link masked; the text as sent only encrypted.
    assert issued.json["url"] not in message.body and MASK in message.body and message.context is None
    assert issued.json["url"] not in (message.sealed or "")
    subject, body = unsealed(message)
    assert issued.json["url"] in body and body.replace(issued.json["url"], MASK) == message.body
    assert enabled.name("ar") in message.subject and enabled.name("ar") in message.body
    with in_tenant(enabled):
        link = db.session.scalar(db.select(PartnerLink))
        assert format_date(link.expires_on) in message.body
    assert "نفسي" in message.body  # the referral's area, in Arabic
    # Never the victim: no name, narrative, incident, ID number, phone, city, nor the need's note.
    for secret in (
        "منيرة",
        "سرد مختوم",
        "تفاصيل الحادثة",
        case_victim_number,
        "0551112233",
        "الرياض",
        "جلسات دعم نفسي أسبوعية",
    ):
        assert secret not in message.body and secret not in message.subject
    assert app.test_client().get(_path(issued.json["url"])).status_code == 200
    sent = [entry for entry in _actions(enabled, in_tenant) if entry[0].endswith(".sent")]
    assert sent == [
        (
            "crime_victims.partner_link.sent",
            staff["researcher"].email,
            {"referral_id": referral_id, "channel": "email", "message_id": message.id, "status": "pending"},
        )
    ]


def test_a_partner_without_an_email_is_a_field_error_and_no_link_is_issued(
    client, staff, token_for, login, referral_id, in_tenant, enabled
):
    refused = client.post(
        f"{API}/referrals/{referral_id}/partner-link",
        json={"send_email": True},
        headers=token_for(staff["researcher"]),
    )
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["send_email"]
    login(staff["researcher"])
    page = client.post(f"{PAGE}/referrals/{referral_id}/partner-link", data={"send_email": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and f'id="send_email-{referral_id}-error"' in html
    assert "لا يوجد لهذا الشريك بريد إلكتروني" in html
    with in_tenant(enabled):
        assert db.session.scalars(db.select(PartnerLink)).all() == []
    assert _outbox(enabled, in_tenant) == [] and _actions(enabled, in_tenant) == []


def test_staff_choose_the_email_on_the_case_page_and_see_where_it_went(
    client, staff, login, referral_id, in_tenant, enabled
):
    _set_partner_email(referral_id, in_tenant, enabled, PARTNER_EMAIL)
    login(staff["researcher"])
    with in_tenant(enabled):
        case_id = db.session.get(Need, db.session.get(Referral, referral_id).need_id).case_id
    assert f'id="send_email-{referral_id}"' in client.get(f"{PAGE}/cases/{case_id}").get_data(as_text=True)
    issued = client.post(f"{PAGE}/referrals/{referral_id}/partner-link", data={"send_email": "1"})
    html = issued.get_data(as_text=True)
    assert issued.status_code == 200 and 'id="partner-link-emailed"' in html and PARTNER_EMAIL in html
    assert len(_outbox(enabled, in_tenant)) == 1
    plain = client.post(f"{PAGE}/referrals/{referral_id}/partner-link")
    assert 'id="partner-link-emailed"' not in plain.get_data(as_text=True)
    assert len(_outbox(enabled, in_tenant)) == 1  # re-issued without the e-mail: nothing queued
