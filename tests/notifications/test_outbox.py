from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from core.notifications import notify, send_pending
from core.notifications.models import OutboxMessage
from core.tenancy import tenant_context, utcnow


def test_submission_lands_in_the_outbox_per_channel_in_the_applicants_language(new_request, staff, in_first):
    from core.requests import services

    request = new_request(applicant_email="noura@example.org")
    services.submit(request, staff["relations_officer"], declaration_signed_by="نورة")
    messages = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.template == "request_received")
        .order_by(OutboxMessage.channel)
    ).all()
    assert {m.channel for m in messages} == {"email", "sms"}
    assert all(request.number in m.body and "جمعية first" in m.body for m in messages)


def test_sms_is_log_only_and_email_without_smtp_is_retried_then_failed(app_ctx, tenant, caplog):
    with tenant_context(tenant):
        notify(
            "request_approved",
            {"number": "1447-000001", "amount": "100.00"},
            email="a@example.org",
            phone="0500000001",
            locale="en",
        )
        counts = send_pending()
        assert counts == {"sent": 1, "retry": 1, "failed": 0}
        assert "SMS log-only, not sent" in caplog.text
        email = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.channel == "email")).one()
        assert email.status == "pending" and "SMTP" in email.last_error
        later = utcnow() + timedelta(days=2)
        for _ in range(5):
            send_pending(now=later)
            later += timedelta(days=2)
        assert email.status == "failed" and email.attempts == 5


def test_email_goes_through_smtp_settings(app_ctx, tenant, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append(message["To"])

    monkeypatch.setattr("core.notifications.senders.smtplib.SMTP", FakeSMTP)
    tenant.settings = {"smtp": {"host": "mail.example.org", "port": 587}}
    with tenant_context(tenant):
        notify("request_received", {"number": "1447-000002", "date": "x"}, email="b@example.org", locale="en")
        assert send_pending()["sent"] == 1
    assert sent == [("mail.example.org", 587), "b@example.org"]


def test_in_app_messages_reach_only_their_user(app_ctx, tenant, staff):
    from core.notifications import in_app_messages

    with tenant_context(tenant):
        notify("request_received", {"number": "1447-000003", "date": "x"}, user=staff["applicant"])
        assert len(in_app_messages(staff["applicant"])) == 1
        assert in_app_messages(staff["researcher"]) == []
