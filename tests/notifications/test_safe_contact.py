"""Safe contact, the outbox's one rule: an unsafe address or channel is never sent (withheld with
its reason), a message outside the person's safe window is held and released by the outbox job
when the window opens — for every notification, here the portal's decision notice."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.extensions import db
from core.notifications import notify, send_pending
from core.notifications.models import ContactSafety, OutboxMessage
from core.notifications.safety import contact_safety_of, in_window, normalize, set_contact_safety
from core.requests.services import reject
from core.tenancy import utcnow


def _window_ahead() -> tuple[time, time]:
    """A two-hour window opening two hours from now, Riyadh time (UTC+3): now is outside it."""
    local = utcnow() + timedelta(hours=3)
    start = (local + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    return start.time(), (start + timedelta(hours=2)).time()


@pytest.fixture
def decided(new_request, advance, staff, create_person, tenant, in_first):
    """Reject a request after the applicant's safe-contact record was set; its messages."""

    def decide(**safety) -> dict[str, OutboxMessage]:
        person = db.session.merge(create_person(tenant, phone="0551234567", email="victim@example.org"))
        set_contact_safety(person.id, addresses=["0551234567", "victim@example.org"], **safety)
        request = new_request(applicant_phone="0551234567", applicant_email="victim@example.org")
        advance(request, "in_committee")
        reject(
            request,
            staff["committee_member"],
            reason="لا تنطبق الشروط",
            members_present=[staff["committee_member"].id],
        )
        db.session.flush()
        messages = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "request_rejected")
        ).all()
        return {m.channel: m for m in messages}

    return decide


def test_a_decision_notice_to_an_unsafe_phone_is_withheld_never_sent(decided):
    messages = decided(unsafe_addresses=["+966551234567"])
    sms = messages["sms"]
    assert (sms.status, sms.last_error) == ("withheld", "unsafe_address")
    assert messages["email"].status == "pending"
    send_pending(now=utcnow() + timedelta(days=3))
    assert sms.status == "withheld" and sms.sent_at is None and sms.attempts == 0


def test_an_unsafe_channel_withholds_every_message_by_it(decided):
    messages = decided(unsafe_channels=["email"])
    assert (messages["email"].status, messages["email"].last_error) == ("withheld", "unsafe_channel")
    assert messages["sms"].status == "pending"


def test_a_decision_notice_outside_the_safe_window_is_held_then_released_when_it_opens(decided):
    start, end = _window_ahead()
    messages = decided(window_start=start, window_end=end)
    sms, email = messages["sms"], messages["email"]
    assert (sms.status, sms.last_error) == ("held", "outside_window") and email.status == "held"
    opening = sms.next_attempt_at
    assert (opening + timedelta(hours=3)).time() == start and opening > utcnow()
    send_pending(now=opening - timedelta(minutes=1))
    assert sms.status == "held" and sms.attempts == 0
    send_pending(now=opening + timedelta(minutes=1))
    assert sms.status == "sent" and sms.sent_at is not None
    assert email.status != "held" and email.attempts == 1  # released (no SMTP server here: retried)


def test_a_held_message_is_withheld_if_the_channel_became_unsafe_meanwhile(decided):
    start, end = _window_ahead()
    sms = decided(window_start=start, window_end=end)["sms"]
    assert sms.status == "held"
    safety, addresses = contact_safety_of(_person_id())
    assert addresses == [("551234567", False), ("victim@example.org", False)]
    set_contact_safety(
        safety.person_id,
        addresses=["0551234567"],
        unsafe_channels=["sms"],
        window_start=start,
        window_end=end,
    )
    send_pending(now=sms.next_attempt_at + timedelta(minutes=1))
    assert (sms.status, sms.last_error) == ("withheld", "unsafe_channel")


def _person_id() -> int:
    return db.session.scalar(db.select(ContactSafety.person_id))


def test_in_app_messages_and_people_without_a_record_are_untouched(decided, staff, in_first):
    messages = decided(unsafe_channels=["sms", "email"])
    assert all(m.status == "withheld" for m in messages.values())
    other = notify(
        "request_approved", {"number": "1", "amount": "5"}, phone="0509999999", user=staff["auditor"]
    )
    assert {m.channel: m.status for m in other} == {"in_app": "pending", "email": "pending", "sms": "pending"}


def test_addresses_compare_by_the_last_nine_digits_or_lower_case():
    assert normalize("+966 55 123 4567") == normalize("0551234567") == "551234567"
    assert normalize("Victim@Example.ORG") == "victim@example.org"


@given(st.times(), st.times(), st.times())
def test_a_window_holds_its_start_excludes_its_end_and_may_cross_midnight(moment, start, end):
    inside = in_window(moment, start, end)
    if start == end:
        assert inside
    elif start < end:
        assert inside is (start <= moment < end)
    else:
        assert inside is (moment >= start or moment < end)
