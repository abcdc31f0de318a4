"""Logging out and changing the password end every session (and, for the password, every
API token) of the user: a saved session cookie no longer opens anything."""

from __future__ import annotations

import pytest

from core.auth.models import ApiToken, User
from core.extensions import db
from tests.fixtures import PASSWORD
from tests.forms import post_form

NEW_PASSWORD = "quiet-lantern-orchard-7"


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app, cookie: str, path: str):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get(path)


def test_a_saved_cookie_no_longer_reads_the_registry_after_logout(app, client, tenant, create_user_, login):
    user = create_user_(roles={tenant: ["researcher"]})
    login(user)
    saved = _session_cookie(client)
    assert _replay(app, saved, "/t/first/registry/").status_code == 200

    assert post_form(client, "/logout").status_code == 302

    response = _replay(app, saved, "/t/first/registry/")
    # the association's own login page (issue 12: it names the association)
    assert response.status_code == 302 and response.headers["Location"].startswith("/t/first/login?next=")
    assert _replay(app, saved, "/api/v1/me").status_code == 401


def test_logout_ends_the_users_sessions_in_other_browsers(app, tenant, create_user_):
    user = create_user_(roles={tenant: ["researcher"]})
    phone, laptop = app.test_client(), app.test_client()
    for browser in (phone, laptop):
        post_form(browser, "/login", {"email": user.email, "password": PASSWORD})
    assert laptop.get("/t/first/registry/").status_code == 200
    post_form(phone, "/logout")
    assert laptop.get("/t/first/registry/").status_code == 302


def test_a_cookie_from_before_session_versions_loads_nobody(app, tenant, create_user_):
    """Cookies that carried the bare user id (``"5"``) are refused; the user logs in again."""
    user = create_user_(roles={tenant: ["researcher"]})
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert client.get("/t/first/registry/").status_code == 302


def test_a_deactivated_user_loses_the_open_session(app_ctx, client, tenant, create_user_, login):
    user = create_user_(roles={tenant: ["researcher"]})
    login(user)
    db.session.get(User, user.id).is_active = False
    db.session.commit()
    assert client.get("/t/first/registry/").status_code == 302


# --------------------------------------------------------------------------- password change


def _change(client, current=PASSWORD, new=NEW_PASSWORD, again=None):
    return post_form(
        client,
        "/account/password?lang=en",
        {"current_password": current, "new_password": new, "new_password2": again or new},
    )


def test_password_change_ends_other_sessions_and_tokens_but_keeps_this_one(
    app, app_ctx, client, tenant, create_user_, login, token_for
):
    user = create_user_(roles={tenant: ["researcher"]})
    other_browser = app.test_client()
    post_form(other_browser, "/login", {"email": user.email, "password": PASSWORD})
    headers = token_for(user)
    login(user)
    saved = _session_cookie(client)

    assert client.get("/account/password").status_code == 200
    response = _change(client)
    assert response.status_code == 302

    assert client.get("/t/first/registry/").status_code == 200  # this browser stays in
    assert other_browser.get("/t/first/registry/").status_code == 302
    assert _replay(app, saved, "/t/first/registry/").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    db.session.expire_all()
    assert all(token.revoked_at is not None for token in db.session.scalars(db.select(ApiToken)))
    fresh = app.test_client()
    assert post_form(fresh, "/login", {"email": user.email, "password": PASSWORD}).status_code == 422
    assert post_form(fresh, "/login", {"email": user.email, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"current": "not-my-password"}, "current_password", "The current password is wrong."),
        ({"new": "password12"}, "new_password", "too common"),
        ({"new": "1234567890"}, "new_password", "only of digits"),
        ({"again": "something-else-entirely"}, "new_password2", "The passwords do not match."),
        ({"new": PASSWORD}, "new_password", "different from the current one"),
    ],
)
def test_a_refused_password_change_shows_the_field_error_and_changes_nothing(
    app, app_ctx, client, tenant, create_user_, login, kwargs, field, message
):
    user = create_user_(roles={tenant: ["researcher"]})
    login(user)
    response = _change(client, **kwargs)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert client.get("/t/first/registry/").status_code == 200
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.check_password(PASSWORD) and stored.session_version == 0


def test_password_change_through_the_api_revokes_the_tokens(app, client, create_user_, token_for):
    user = create_user_()
    headers = token_for(user)
    weak = client.post(
        "/api/v1/auth/password?lang=en",
        json={"current_password": PASSWORD, "new_password": "aaaaaaaaaa"},
        headers=headers,
    )
    assert weak.status_code == 422 and list(weak.json["errors"]) == ["new_password"]

    response = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    token = client.post("/api/v1/auth/token", json={"email": user.email, "password": NEW_PASSWORD})
    assert token.status_code == 201


def test_password_change_through_the_api_needs_a_login(client):
    response = client.post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 401
