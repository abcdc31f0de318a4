"""Login, roles and the one permission check; API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.auth import can
from core.auth.models import ApiToken
from core.extensions import db
from core.tenancy import tenant_context, utcnow
from tests.fixtures import PASSWORD


def test_password_is_stored_as_argon2_hash(app_ctx, create_user_):
    user = create_user_()
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD) and not user.check_password("wrong")


def test_login_with_wrong_password_gives_translated_field_error(client, create_user_):
    user = create_user_()
    response = client.post("/login?lang=ar", data={"email": user.email, "password": "nope"})
    assert response.status_code == 422
    assert "البريد الإلكتروني أو كلمة المرور غير صحيحة" in response.get_data(as_text=True)


def test_login_then_logout(client, tenant, create_user_, login):
    user = create_user_(roles={tenant: ["researcher"]})
    login(user)
    assert client.get("/t/first/").status_code == 200
    client.post("/logout")
    # Logged out, the association's home is its portal's landing page (issue 12), and a staff
    # page asks to log in again.
    response = client.get("/t/first/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/t/first/portal/")
    response = client.get("/t/first/requests/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_permission_is_default_deny(app_ctx, tenant, other_tenant, create_user_):
    user = create_user_(roles={tenant: ["researcher"]})
    with tenant_context(tenant):
        assert can(user, "tenant.view")
        assert not can(user, "tenant.users.manage")
        assert not can(user, "no.such.action")
    assert not can(user, "tenant.view", other_tenant)
    assert not can(None, "tenant.view", tenant)


def test_platform_admin_has_no_tenant_actions_without_membership(app_ctx, tenant, create_user_):
    admin = create_user_(platform_admin=True)
    assert can(admin, "platform.tenants.manage")
    assert not can(admin, "tenant.view", tenant)
    assert not can(admin, "tenant.staff", tenant)


def test_tenant_admin_reaches_only_their_association(client, tenant, other_tenant, create_user_, login):
    login(create_user_(roles={tenant: ["tenant_admin"]}))
    assert client.get("/t/first/admin/users").status_code == 200
    assert client.get("/t/second/admin/users").status_code == 403
    assert client.get("/admin/").status_code == 403


def test_tenant_admin_invites_a_user_with_roles(client, tenant, create_user_, login):
    login(create_user_(roles={tenant: ["tenant_admin"]}))
    response = client.post(
        "/t/first/admin/users", data={"email": "new@example.org", "name": "New", "roles": ["researcher"]}
    )
    assert response.status_code == 302
    page = client.get("/t/first/admin/users").get_data(as_text=True)
    assert "new@example.org" in page


def test_adding_a_user_without_roles_is_refused_with_field_error(client, tenant, create_user_, login):
    login(create_user_(roles={tenant: ["tenant_admin"]}))
    response = client.post("/t/first/admin/users?lang=en", data={"email": "x@example.org"})
    assert response.status_code == 422
    assert "Choose at least one role." in response.get_data(as_text=True)


def test_login_is_rate_limited_per_account(app, client, create_user_, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    user = create_user_()
    codes = [
        client.post("/login", data={"email": user.email, "password": "bad"}).status_code for _ in range(4)
    ]
    assert codes == [422, 422, 422, 429]


def test_login_form_needs_the_csrf_token(client, create_user_):
    user = create_user_()
    forged = client.post("/login?lang=ar", data={"email": user.email, "password": PASSWORD}, csrf=False)
    assert forged.status_code == 400
    assert "انتهت صلاحية النموذج" in forged.get_data(as_text=True)
    assert client.get("/api/v1/me").status_code == 401
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_logout_form_needs_the_csrf_token(client, tenant, create_user_, login):
    login(create_user_(roles={tenant: ["researcher"]}))
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/t/first/").status_code == 200


def test_token_is_issued_stored_hashed_and_authenticates(client, tenant, create_user_, app):
    user = create_user_(roles={tenant: ["tenant_admin"]})
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    secret = response.json["token"]
    with app.app_context():
        stored = db.session.execute(db.select(ApiToken.token_hash)).scalar_one()
    assert secret not in stored
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json["memberships"] == [
        {"tenant": "first", "roles": ["tenant_admin"]}
    ]


def test_revoked_and_expired_tokens_are_refused(client, create_user_, app):
    user = create_user_()
    secret = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD}).json["token"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    secret = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD}).json["token"]
    with app.app_context():
        for token in db.session.execute(db.select(ApiToken)).scalars():
            token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


@pytest.mark.parametrize(
    "body, field",
    [({"email": "a@example.org"}, "password"), ({"password": "x"}, "email"), ({"email": "no"}, "email")],
)
def test_token_request_with_bad_input_answers_422_by_field(client, body, field):
    response = client.post("/api/v1/auth/token?lang=en", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_wrong_password_for_token_answers_401_translated(client, create_user_):
    user = create_user_()
    response = client.post(
        "/api/v1/auth/token", json={"email": user.email, "password": "bad"}, headers={"Accept-Language": "ar"}
    )
    assert response.status_code == 401
    assert response.json["message"] == "البريد الإلكتروني أو كلمة المرور غير صحيحة."
