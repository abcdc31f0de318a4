"""Issue 12: a forgotten password is reset by a link sent through the outbox (e-mail or SMS) —
single use, expiring, the same answer whether the account exists, rate-limited, the password
policy applied field by field, audited — and the portal's registration does not reveal a taken
e-mail either."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.audit.models import AuditEvent
from core.auth.models import PasswordReset, User
from core.auth.reset import issue
from core.extensions import db
from core.notifications import MASK, unsealed
from core.notifications.models import OutboxMessage
from core.tenancy import tenant_context, unscoped, utcnow
from core.testing import PASSWORD

NEW_PASSWORD = "olive-lantern-harbour-72"


def outbox(tenant, template: str) -> list[OutboxMessage]:
    with tenant_context(tenant):
        return list(
            db.session.scalars(
                db.select(OutboxMessage).where(OutboxMessage.template == template).order_by(OutboxMessage.id)
            )
        )


def link_in(message: OutboxMessage) -> str:
    """The path of the reset link in a message as sent (the outbox keeps it masked, the text as
    sent only encrypted until it is sent)."""
    assert "password/reset/" not in message.body and MASK in message.body
    return re.search(r"https?://[^/\s]+(/\S*password/reset/[A-Za-z0-9_-]+)", unsealed(message)[1]).group(1)


@pytest.fixture
def applicant(create_user_, tenant):
    user = create_user_("noura@example.org", roles={tenant: ["applicant"]}, name="Noura Alsubaie")
    user.phone = "+966551234567"
    db.session.commit()
    return user


def answer(response) -> tuple:
    """What a visitor can observe of the answer: status, where it leads, what the next page says."""
    return response.status_code, response.headers.get("Location")


def test_asking_for_a_link_answers_the_same_whether_the_account_exists(client, tenant, applicant):
    known = client.post("/t/first/password/forgot", data={"login": "noura@example.org"})
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = client.post("/t/first/password/forgot", data={"login": "nobody@example.org"})
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert answer(known) == answer(unknown) == (302, "/t/first/login")
    sent = re.search(r'role="status">([^<]*)<', known_page).group(1)
    assert sent == re.search(r'role="status">([^<]*)<', unknown_page).group(1)
    assert "60" in sent
    [message] = outbox(tenant, "password_reset")
    assert message.channel == "email" and message.recipient == "noura@example.org"
    assert "/t/first/password/reset/" in unsealed(message)[1]


def test_the_link_works_once_logs_in_and_is_audited(client, tenant, applicant):
    client.post("/t/first/password/forgot", data={"login": "NOURA@example.org "})
    path = link_in(outbox(tenant, "password_reset")[0])
    assert client.get(path).status_code == 200
    done = client.post(path, data={"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/t/first/portal/")
    home = client.get("/t/first/portal/").get_data(as_text=True)
    assert 'id="my-requests"' in home and "أُعيد تعيين كلمة المرور" in home  # logged in, told what happened
    db.session.expire_all()
    user = db.session.get(User, applicant.id)
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    with unscoped("test: the reset's audit entry"):
        actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.user_id == user.id)).all()
    assert "auth.password_reset_requested" in actions and "auth.password_reset" in actions
    # the same link a second time: refused, translated, nothing changed
    client.post("/logout")
    again = client.post(path, data={"new_password": "another-long-phrase-93", "new_password2": "x"})
    assert again.status_code == 400
    assert "رابط استعادة كلمة المرور هذا غير صالح" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, applicant.id).check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(client, tenant, applicant):
    secret = issue(applicant, "email")
    reset = db.session.scalars(db.select(PasswordReset)).one()
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(
        f"/t/first/password/reset/{secret}?lang=en",
        data={"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400 and "it expired" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, applicant.id).check_password(PASSWORD)


def test_a_wrong_token_answers_400_with_a_translated_message(client, tenant):
    arabic = client.get("/t/first/password/reset/not-a-token")
    assert arabic.status_code == 400 and "غير صالح" in arabic.get_data(as_text=True)
    english = client.get("/password/reset/not-a-token?lang=en")
    assert english.status_code == 400 and "This password-reset link is not valid" in english.get_data(
        as_text=True
    )


def test_the_new_password_follows_the_policy_field_by_field(client, tenant, applicant):
    secret = issue(applicant, "email")
    db.session.commit()
    path = f"/t/first/password/reset/{secret}?lang=en"
    weak = client.post(path, data={"new_password": "1234567890", "new_password2": "1234567890"})
    text = weak.get_data(as_text=True)
    assert weak.status_code == 422 and 'id="new_password-error"' in text and "only of digits" in text
    mine = client.post(
        path, data={"new_password": "noura-alsubaie-2026", "new_password2": "noura-alsubaie-2026"}
    )
    assert mine.status_code == 422 and "must not contain your e-mail or your name" in mine.get_data(
        as_text=True
    )
    differ = client.post(path, data={"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert differ.status_code == 422 and 'id="new_password2-error"' in differ.get_data(as_text=True)
    # refusals used nothing up: the link still works
    assert (
        client.post(path, data={"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code
        == 302
    )


def test_a_reset_ends_every_other_session_and_link(client, app, tenant, applicant):
    other_browser = app.test_client()
    assert (
        other_browser.post("/login", data={"email": applicant.email, "password": PASSWORD}).status_code == 302
    )
    assert 'id="my-requests"' in other_browser.get("/t/first/portal/").get_data(as_text=True)
    first, second = issue(applicant, "email"), issue(applicant, "email")
    db.session.commit()
    done = client.post(
        f"/password/reset/{first}", data={"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert client.get(f"/password/reset/{second}").status_code == 400
    assert 'id="landing"' in other_browser.get("/t/first/portal/").get_data(as_text=True)


def test_a_mobile_number_gets_the_link_by_sms(client, tenant, applicant):
    response = client.post("/t/first/password/forgot", data={"login": "٠٥٥ ١٢٣ ٤٥٦٧"})
    assert response.status_code == 302
    [message] = outbox(tenant, "password_reset")
    assert message.channel == "sms" and message.recipient == "+966551234567"
    path = link_in(message)
    assert (
        client.post(path, data={"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code
        == 302
    )


def test_something_neither_an_email_nor_a_mobile_is_a_field_error(client, tenant):
    response = client.post("/t/first/password/forgot?lang=en", data={"login": "12"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="login-error"' in text and "mobile number (05XXXXXXXX)" in text


def test_asking_for_links_is_rate_limited_like_the_login(client, tenant, applicant):
    statuses = [
        client.post("/t/first/password/forgot", data={"login": f"n{i}@example.org"}).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


def test_staff_ask_on_the_platform_page_and_the_link_goes_through_their_association(
    client, tenant, create_user_
):
    officer = create_user_("officer@example.org", roles={tenant: ["relations_officer"]})
    response = client.post("/password/forgot", data={"login": "officer@example.org"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    [message] = outbox(tenant, "password_reset")
    path = link_in(message)
    assert path.startswith("/password/reset/")
    done = client.post(path, data={"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, officer.id).check_password(NEW_PASSWORD)


def test_the_api_resets_a_password_without_revealing_accounts(client, tenant, applicant):
    known = client.post("/api/v1/auth/password/forgot", json={"login": "noura@example.org"})
    unknown = client.post("/api/v1/auth/password/forgot", json={"login": "ghost@example.org"})
    assert known.status_code == unknown.status_code == 202 and known.data == unknown.data
    token = link_in(outbox(tenant, "password_reset")[0]).rsplit("/", 1)[1]
    weak = client.post("/api/v1/auth/password/reset", json={"token": token, "new_password": "password12"})
    assert weak.status_code == 422 and list(weak.json["errors"]) == ["new_password"]
    done = client.post("/api/v1/auth/password/reset", json={"token": token, "new_password": NEW_PASSWORD})
    assert done.status_code == 204
    again = client.post("/api/v1/auth/password/reset", json={"token": token, "new_password": NEW_PASSWORD})
    assert again.status_code == 400 and again.json["errors"] == {"token": [again.json["message"]]}


# --------------------------------------------------------------------------- registration


def register(client, email: str, **extra):
    return client.post(
        "/t/first/portal/register",
        data={
            "name": "فهد القحطاني",
            "email": email,
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            **extra,
        },
    )


def test_registering_a_taken_email_answers_like_a_new_one_and_tells_the_owner(client, tenant, applicant):
    new = register(client, "fahad@example.org", phone="٠٥٠٠٠٠٠٠٠١")
    new_page = client.get(new.headers["Location"]).get_data(as_text=True)
    taken = register(client, "noura@example.org")
    taken_page = client.get(taken.headers["Location"]).get_data(as_text=True)
    assert new.status_code == taken.status_code == 302
    assert new.headers["Location"].replace("fahad", "X") == taken.headers["Location"].replace("noura", "X")
    flash = re.compile(r'role="status">([^<]*)<')
    assert flash.search(new_page).group(1).replace("fahad", "X") == flash.search(taken_page).group(1).replace(
        "noura", "X"
    )
    assert "already" not in taken_page and "مستخدم" not in taken_page
    # neither logs in; the new account exists with its mobile, the taken one is unchanged
    assert client.get("/t/first/portal/apply").status_code == 302
    fahad = db.session.scalars(db.select(User).where(User.email == "fahad@example.org")).one()
    assert fahad.phone == "+966500000001"
    db.session.expire_all()
    assert db.session.get(User, applicant.id).check_password(PASSWORD)
    # the owner of the taken e-mail is told, with the way to reset the password
    [told] = outbox(tenant, "account_exists")
    assert told.recipient == "noura@example.org" and "/t/first/password/forgot" in told.body
    assert [m.recipient for m in outbox(tenant, "account_created") if m.channel == "email"] == [
        "fahad@example.org"
    ]


def test_registration_errors_do_not_depend_on_existing_accounts(client, tenant, applicant):
    for email in ("noura@example.org", "someone@example.org"):
        weak = client.post(
            "/t/first/portal/register?lang=en",
            data={"name": "x", "email": email, "password": "1234567890", "password2": "1234567890"},
        )
        assert weak.status_code == 422 and 'id="password-error"' in weak.get_data(as_text=True)
