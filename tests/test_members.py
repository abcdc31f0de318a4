"""Membership: adding a member invites the address (nothing about accounts outside the tenant is
touched or disclosed), POST never replaces roles, roles change by PATCH, and the last admin stays."""

from __future__ import annotations

import re

import pytest

from core.auth.models import Invitation, Membership, User
from core.extensions import db
from core.notifications import MASK, OutboxMessage, unsealed
from core.tenancy import tenant_context
from tests.fixtures import PASSWORD

MEMBERS = "/t/first/api/v1/members/"
INVITATION_KEYS = {"id", "email", "name", "roles", "status", "created_at", "expires_at"}


@pytest.fixture
def admin(tenant, create_user_):
    return create_user_("admin@first.example.org", roles={tenant: ["tenant_admin"]}, name="المدير")


@pytest.fixture
def admin_headers(admin, token_for):
    return token_for(admin)


def _roles(tenant, user) -> list[str] | None:
    with tenant_context(tenant):
        membership = db.session.execute(
            db.select(Membership).where(Membership.user_id == user.id)
        ).scalar_one_or_none()
        return membership.roles if membership else None


def _invitation_link(tenant, email: str) -> str:
    with tenant_context(tenant):
        message = (
            db.session.execute(
                db.select(OutboxMessage)
                .where(OutboxMessage.recipient == email, OutboxMessage.template == "member_invited")
                .order_by(OutboxMessage.id.desc())
            )
            .scalars()
            .first()
        )
    assert message is not None and message.channel == "email" and message.user_id is None
    assert "/join/" not in message.body and MASK in message.body  # the outbox keeps it masked
    return re.search(r"https?://[^/\s]+(/t/first/join/\S+)", unsealed(message)[1])[1]


def _membership_id(tenant, user) -> int:
    with tenant_context(tenant):
        return db.session.execute(db.select(Membership.id).where(Membership.user_id == user.id)).scalar_one()


def test_adding_an_unknown_address_sends_an_invitation_and_creates_nothing_else(
    client, tenant, admin_headers, app_ctx
):
    response = client.post(
        MEMBERS,
        json={"email": "New@Example.org", "name": "سارة", "roles": ["researcher"]},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.json
    assert set(response.json) == INVITATION_KEYS
    assert response.json["email"] == "new@example.org" and response.json["status"] == "pending"
    assert db.session.execute(db.select(User).where(User.email == "new@example.org")).first() is None
    assert _invitation_link(tenant, "new@example.org").startswith("/t/first/join/")
    with tenant_context(tenant):
        stored = db.session.execute(db.select(Invitation)).scalar_one()
        assert stored.token_hash not in response.get_data(as_text=True)


def test_an_address_with_an_account_elsewhere_gets_the_same_answer_and_is_not_attached(
    client, tenant, other_tenant, create_user_, admin_headers
):
    outsider = create_user_(
        "boss@example.org", roles={other_tenant: ["tenant_admin"]}, platform_admin=True, name="Secret Name"
    )
    known = client.post(
        MEMBERS, json={"email": "boss@example.org", "roles": ["auditor"]}, headers=admin_headers
    )
    unknown = client.post(
        MEMBERS, json={"email": "nobody@example.org", "roles": ["auditor"]}, headers=admin_headers
    )
    assert known.status_code == unknown.status_code == 201
    assert set(known.json) == set(unknown.json) == INVITATION_KEYS
    ignore = {"id", "email", "created_at", "expires_at"}
    assert {k: v for k, v in known.json.items() if k not in ignore} == {
        k: v for k, v in unknown.json.items() if k not in ignore
    }
    body = known.get_data(as_text=True)
    assert (
        "Secret Name" not in body and "is_platform_admin" not in body and str(outsider.id) != known.json["id"]
    )
    assert _roles(tenant, outsider) is None
    assert _roles(other_tenant, outsider) == ["tenant_admin"]


def test_the_invited_account_logs_in_and_accepts(client, tenant, create_user_, admin_headers, login):
    invited = create_user_("worker@example.org")
    client.post(MEMBERS, json={"email": "worker@example.org", "roles": ["researcher"]}, headers=admin_headers)
    link = _invitation_link(tenant, "worker@example.org")
    anonymous = client.get(link)
    assert anonymous.status_code == 200 and "/login" in anonymous.get_data(as_text=True)
    login(invited)
    assert client.get(link).status_code == 200
    accepted = client.post(link)
    assert accepted.status_code == 302
    assert _roles(tenant, invited) == ["researcher"]
    assert client.post(link).status_code == 404  # a link works once


def test_an_invited_address_without_account_creates_it_on_the_link(client, tenant, admin_headers, app_ctx):
    client.post(
        MEMBERS,
        json={"email": "fresh@example.org", "name": "ريم", "roles": ["auditor"]},
        headers=admin_headers,
    )
    link = _invitation_link(tenant, "fresh@example.org")
    form = client.get(link).get_data(as_text=True)
    assert 'name="password2"' in form and "ريم" in form
    mismatch = client.post(link, data={"name": "ريم", "password": PASSWORD, "password2": "other-password-1"})
    assert mismatch.status_code == 422
    created = client.post(link, data={"name": "ريم", "password": PASSWORD, "password2": PASSWORD})
    assert created.status_code == 302
    user = db.session.execute(db.select(User).where(User.email == "fresh@example.org")).scalar_one()
    assert user.name == "ريم" and _roles(tenant, user) == ["auditor"]
    assert client.get("/t/first/").status_code == 200  # logged in as the new account


def test_another_logged_in_account_cannot_accept_someone_elses_invitation(
    client, tenant, create_user_, admin_headers, login
):
    client.post(
        MEMBERS, json={"email": "target@example.org", "roles": ["tenant_admin"]}, headers=admin_headers
    )
    link = _invitation_link(tenant, "target@example.org")
    intruder = create_user_("intruder@example.org")
    login(intruder)
    assert client.post(link).status_code == 409
    assert _roles(tenant, intruder) is None
    assert client.get("/t/first/join/not-a-token").status_code == 404


def test_posting_an_existing_member_is_refused_and_keeps_their_roles(
    client, tenant, create_user_, admin_headers
):
    member = create_user_("member@example.org", roles={tenant: ["researcher"]})
    response = client.post(
        MEMBERS, json={"email": "MEMBER@example.org", "roles": ["tenant_admin"]}, headers=admin_headers
    )
    assert response.status_code == 422
    assert "PATCH" in " ".join(response.json["errors"]["email"])
    assert _roles(tenant, member) == ["researcher"]


def test_roles_change_with_patch_and_the_member_list_discloses_no_platform_flags(
    client, tenant, create_user_, admin_headers
):
    member = create_user_("member@example.org", roles={tenant: ["researcher"]}, platform_admin=True)
    member_id = _membership_id(tenant, member)
    changed = client.patch(f"{MEMBERS}{member_id}", json={"roles": ["auditor"]}, headers=admin_headers)
    assert changed.status_code == 200 and changed.json["roles"] == ["auditor"]
    assert (
        client.patch(f"{MEMBERS}{member_id}", json={"roles": ["king"]}, headers=admin_headers).status_code
        == 422
    )
    listed = client.get(MEMBERS, headers=admin_headers)
    assert "is_platform_admin" not in listed.get_data(as_text=True)
    assert set(listed.json[0]["user"]) == {"id", "email", "name"}


def test_the_last_admin_cannot_be_demoted_or_removed_through_the_api(
    client, tenant, admin, admin_headers, create_user_
):
    own_id = _membership_id(tenant, admin)
    demoted = client.patch(f"{MEMBERS}{own_id}", json={"roles": ["researcher"]}, headers=admin_headers)
    assert demoted.status_code == 409 and demoted.json["errors"]["roles"]
    removed = client.delete(f"{MEMBERS}{own_id}", headers=admin_headers)
    assert removed.status_code == 409 and removed.json["errors"]["roles"]
    assert _roles(tenant, admin) == ["tenant_admin"]
    # a second admin: now the first may step down
    second = create_user_("second-admin@example.org", roles={tenant: ["tenant_admin"]})
    assert (
        client.patch(f"{MEMBERS}{own_id}", json={"roles": ["researcher"]}, headers=admin_headers).status_code
        == 200
    )
    assert _roles(tenant, admin) == ["researcher"]
    assert _roles(tenant, second) == ["tenant_admin"]


def test_an_admin_cannot_remove_their_own_membership_through_the_api(
    client, tenant, admin, admin_headers, create_user_
):
    create_user_("second-admin@example.org", roles={tenant: ["tenant_admin"]})
    own_id = _membership_id(tenant, admin)
    removed = client.delete(f"{MEMBERS}{own_id}", headers=admin_headers)
    assert removed.status_code == 422 and removed.json["errors"]["membership"]
    assert _roles(tenant, admin) == ["tenant_admin"]  # nothing removed


def test_an_inactive_admin_does_not_count_as_the_remaining_admin(
    client, tenant, admin, admin_headers, create_user_, app_ctx
):
    dormant = create_user_("dormant@example.org", roles={tenant: ["tenant_admin"]})
    dormant = db.session.merge(dormant)
    dormant.is_active = False
    db.session.commit()
    own_id = _membership_id(tenant, admin)
    assert (
        client.patch(f"{MEMBERS}{own_id}", json={"roles": ["auditor"]}, headers=admin_headers).status_code
        == 409
    )


def test_the_last_admin_cannot_demote_themselves_on_the_page(client, tenant, admin, login):
    login(admin)
    own_id = _membership_id(tenant, admin)
    page = client.post(
        f"/t/first/admin/users/{own_id}?lang=en", data={"action": "save", "roles": ["researcher"]}
    )
    assert page.status_code == 422
    assert "at least one admin" in page.get_data(as_text=True)
    assert _roles(tenant, admin) == ["tenant_admin"]


def test_the_page_invites_instead_of_attaching_an_existing_account(
    client, tenant, other_tenant, admin, create_user_, login
):
    outsider = create_user_("outsider@example.org", roles={other_tenant: ["researcher"]})
    login(admin)
    sent = client.post(
        "/t/first/admin/users", data={"email": "outsider@example.org", "roles": ["finance_officer"]}
    )
    assert sent.status_code == 302
    assert _roles(tenant, outsider) is None
    page = client.get("/t/first/admin/users").get_data(as_text=True)
    assert "outsider@example.org" in page and "data-invitation=" in page
