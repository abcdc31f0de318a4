from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from core.notifications import MASK, Sealed, message_text, notify, send_pending, unsealed
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


LINK = "https://platform.example.org/t/first/password/reset/secret-token-123"


def _sealed_message(tenant):
    notify(
        "password_reset",
        {"link": Sealed(LINK), "email": "a@example.org", "minutes": 60},
        email="a@example.org",
    )
    return db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.template == "password_reset")
    ).one()


def test_a_sealed_value_is_kept_masked_and_encrypted_until_the_message_is_sent(app_ctx, tenant, monkeypatch):
    handed = []

    class Recording:
        def send(self, message, tenant):
            handed.append((message.recipient, message.subject, message.body))

    from core.notifications import services

    email = services.Channel("email", "e-mail", Recording())
    monkeypatch.setattr(services, "channels", lambda: {"email": email})
    with tenant_context(tenant):
        message = _sealed_message(tenant)
        # what the outbox keeps: the link masked; the text as sent only encrypted
        assert LINK not in message.body and MASK in message.body and LINK not in message.sealed
        assert unsealed(message)[1] == message.body.replace(MASK, LINK)
        assert send_pending() == {"sent": 1, "retry": 0, "failed": 0}
        assert handed == [("a@example.org", message.subject, message.body.replace(MASK, LINK))]
        assert message.status == "sent" and message.sealed is None and LINK not in message.body
        assert unsealed(message) == (message.subject, message.body)  # the masked copy is all that is left


def test_a_sealed_text_stays_for_the_retries_and_goes_when_none_is_left(app_ctx, tenant):
    with tenant_context(tenant):  # no SMTP server: every attempt fails
        message = _sealed_message(tenant)
        assert send_pending() == {"sent": 0, "retry": 1, "failed": 0}
        assert message.sealed and LINK in unsealed(message)[1]
        later = utcnow() + timedelta(days=2)
        for _ in range(4):
            send_pending(now=later)
            later += timedelta(days=2)
        assert message.status == "failed" and message.sealed is None and LINK not in message.body


def test_a_sealed_text_the_keys_cannot_open_is_a_failed_attempt_not_a_crash(app_ctx, tenant, monkeypatch):
    from core.notifications import services

    sent = []
    email = services.Channel("email", "e-mail", type("S", (), {"send": lambda self, m, t: sent.append(m)})())
    monkeypatch.setattr(services, "channels", lambda: {"email": email})
    with tenant_context(tenant):
        message = _sealed_message(tenant)
        message.sealed = "not-a-fernet-token"
        assert send_pending() == {"sent": 0, "retry": 1, "failed": 0}
        assert sent == [] and "cannot be read" in message.last_error


def test_an_in_app_message_shows_a_sealed_value_masked(app_ctx, tenant, staff):
    with tenant_context(tenant):
        notify("member_invited", {"link": Sealed(LINK)}, user=staff["researcher"], only=("in_app",))
        message = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.channel == "in_app")).one()
        assert LINK not in message.body and LINK not in str(message.context) and message.sealed is None


def test_an_in_app_message_shows_the_page_a_sealed_value_names_for_it_in_any_language(app_ctx, tenant, staff):
    page = "https://first.example.org/t/first/surveys/mine/7"
    reader = staff["researcher"]
    with tenant_context(tenant):
        notify("member_invited", {"link": Sealed(LINK, shown=page)}, user=reader, email="a@example.org")
        messages = {m.channel: m for m in db.session.scalars(db.select(OutboxMessage))}
        in_app, email = messages["in_app"], messages["email"]
        assert page in in_app.body and LINK not in f"{in_app.body} {in_app.context}" and in_app.sealed is None
        assert page not in email.body and MASK in email.body and LINK in unsealed(email)[1]
        other = "en" if in_app.locale == "ar" else "ar"
        subject, body, language = message_text(in_app, other)
        assert language == other and page in body and body != in_app.body


def test_rotating_the_keys_re_encrypts_the_sealed_texts_still_waiting(app, tenant):
    from cryptography.fernet import Fernet

    old = list(app.config["ID_ENCRYPTION_KEYS"])
    new = Fernet.generate_key().decode()
    try:
        with app.app_context(), tenant_context(tenant):
            message_id = _sealed_message(tenant).id
            db.session.commit()
        app.config["ID_ENCRYPTION_KEYS"] = [new, *old]
        result = app.test_cli_runner().invoke(args=["registry", "rotate-keys"])
        assert result.exit_code == 0 and "1 waiting message(s)" in result.output, result.output
        app.config["ID_ENCRYPTION_KEYS"] = [new]  # the old key removed
        with app.app_context(), tenant_context(tenant):
            assert LINK in unsealed(db.session.get(OutboxMessage, message_id))[1]
    finally:
        app.config["ID_ENCRYPTION_KEYS"] = old


def test_a_label_in_a_message_is_written_in_its_readers_language_not_in_the_senders(app_ctx, tenant, staff):
    # A decision's outcome ("Upheld") queued by a staff member reading Arabic, for a reader whose
    # language was Arabic then: when the reader has switched to English, the whole message is
    # English — the label too, not the Arabic it was queued in. The e-mail goes in the
    # recipient's language whatever the sender reads.
    from flask_babel import force_locale

    from core.grievances.services.handling import OUTCOME_LABELS

    reader = staff["researcher"]
    reader.locale = "ar"
    context = {"number": "G-1", "outcome": OUTCOME_LABELS["upheld"], "reason": "—"}
    with tenant_context(tenant), force_locale("ar"):
        notify("grievance_decided", context, user=reader, only=("in_app",))
        notify("grievance_decided", context, email="a@example.org", locale="en", only=("email",))
        messages = {m.channel: m for m in db.session.scalars(db.select(OutboxMessage))}
    assert "مقبول" in messages["in_app"].body
    assert "Upheld" in messages["email"].body and "مقبول" not in messages["email"].body
    with tenant_context(tenant):
        subject, body, language = message_text(messages["in_app"], "en")
    assert language == "en" and "Upheld" in body and "مقبول" not in body
