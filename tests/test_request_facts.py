"""The facts a tenant request reads in one statement before its view (``core.auth.request_facts``):
the tenant, the token or session user, the roles, the enabled plugins. Each is read by the request
itself, so every change committed between two requests is seen by the second one — and a change
made inside a request by the code that follows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.auth.models import ApiToken, Membership, User
from core.auth.services import revoke_token, set_roles
from core.extensions import db
from core.plugins import set_plugin_state
from core.tenancy import Tenant, tenant_context, utcnow

DETAIL = "/t/first/api/v1/requests/{}"


@pytest.fixture
def researcher(staff):
    return staff["researcher"]


@pytest.fixture
def request_id(new_request):
    request = new_request()
    db.session.commit()
    return request.id


def _get(client, request_id, headers=None):
    return client.get(DETAIL.format(request_id), headers=headers or {})


def _secret(headers: dict) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def test_a_token_revoked_between_two_requests_is_refused_by_the_second(
    client, researcher, request_id, token_for
):
    headers = token_for(researcher)
    assert _get(client, request_id, headers).status_code == 200
    assert revoke_token(_secret(headers))
    db.session.commit()
    assert _get(client, request_id, headers).status_code == 401


def test_a_token_expired_between_two_requests_is_refused_by_the_second(
    client, researcher, request_id, token_for
):
    headers = token_for(researcher)
    assert _get(client, request_id, headers).status_code == 200
    token = db.session.scalars(db.select(ApiToken).where(ApiToken.user_id == researcher.id)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _get(client, request_id, headers).status_code == 401


def test_a_user_deactivated_between_two_requests_is_refused_by_token_and_by_cookie(
    app, client, researcher, request_id, token_for, login
):
    headers = token_for(researcher)
    login(researcher)
    assert _get(client, request_id, headers).status_code == 200
    assert _get(client, request_id).status_code == 200  # the session cookie
    db.session.get(User, researcher.id).is_active = False
    db.session.commit()
    assert _get(client, request_id, headers).status_code == 401
    assert _get(client, request_id).status_code == 401


@pytest.mark.parametrize("by", ["token", "cookie"])
def test_a_role_taken_away_between_two_requests_is_missing_in_the_second(
    client, tenant, researcher, request_id, token_for, login, by
):
    headers = token_for(researcher) if by == "token" else None
    if by == "cookie":
        login(researcher)
    assert _get(client, request_id, headers).status_code == 200
    set_roles(tenant, db.session.get(User, researcher.id), ["applicant"])  # no requests.view
    db.session.commit()
    assert _get(client, request_id, headers).status_code == 403


def test_a_membership_removed_between_two_requests_is_missing_in_the_second(
    client, tenant, researcher, request_id, token_for
):
    headers = token_for(researcher)
    assert _get(client, request_id, headers).status_code == 200
    with tenant_context(tenant):
        db.session.execute(db.delete(Membership).where(Membership.user_id == researcher.id))
        db.session.commit()
    assert _get(client, request_id, headers).status_code == 403


@pytest.fixture
def applicant(tenant, make_member):
    return make_member("no-view@first.example.org", tenant, ["applicant"])


def test_a_role_given_between_two_requests_is_held_in_the_second(
    client, tenant, applicant, request_id, token_for
):
    headers = token_for(applicant)
    assert _get(client, request_id, headers).status_code == 403
    set_roles(tenant, db.session.get(User, applicant.id), ["applicant", "researcher"])
    db.session.commit()
    assert _get(client, request_id, headers).status_code == 200


def test_a_plugin_disabled_between_two_requests_is_gone_in_the_second(
    client, tenant, create_user_, token_for, enable_plugin
):
    enable_plugin(tenant, "makkah_aid")
    headers = token_for(create_user_(roles={tenant: ["tenant_admin", "researcher"]}))
    url = "/t/first/api/v1/makkah_aid/rule-versions"
    assert client.get(url, headers=headers).status_code == 200
    set_plugin_state(tenant, "makkah_aid", False)
    db.session.commit()
    assert client.get(url, headers=headers).status_code == 404
    enable_plugin(tenant, "makkah_aid")
    assert client.get(url, headers=headers).status_code == 200


def test_an_association_suspended_between_two_requests_is_not_found_by_the_second(
    client, tenant, researcher, request_id, token_for
):
    headers = token_for(researcher)
    assert _get(client, request_id, headers).status_code == 200
    db.session.get(Tenant, tenant.id).is_active = False
    db.session.commit()
    assert _get(client, request_id, headers).status_code == 404


def test_a_token_for_an_unknown_association_is_still_checked_first(client, researcher, token_for):
    assert client.get("/t/no-such/api/v1/requests/1", headers=token_for(researcher)).status_code == 404
    bogus = {"Authorization": "Bearer not-a-token"}
    assert client.get("/t/no-such/api/v1/requests/1", headers=bogus).status_code == 401


def test_another_users_token_reads_that_users_roles(client, staff, applicant, request_id, token_for):
    """The facts are the asking user's: a researcher's token, then an applicant's, then the
    researcher's again, on one client."""
    researcher, other = token_for(staff["researcher"]), token_for(applicant)
    assert _get(client, request_id, researcher).status_code == 200
    assert _get(client, request_id, other).status_code == 403
    assert _get(client, request_id, researcher).status_code == 200


def test_a_role_change_inside_a_request_is_seen_by_its_later_checks(app, tenant, applicant):
    """The roles read with the tenant fill the request's cache; ``set_roles`` drops it."""
    from core.auth import permissions  # lazy: the module whose cache is looked at

    user = applicant
    with app.test_request_context("/"), tenant_context(tenant):
        permissions.remember_roles(user, tenant, ["applicant"])
        assert not permissions.can(user, "requests.view")
        set_roles(tenant, user, ["researcher"])
        assert permissions.can(user, "requests.view")
        db.session.rollback()


def test_the_session_cookie_request_reads_its_facts_in_the_same_statement(
    client, researcher, request_id, login, max_queries
):
    login(researcher)
    assert _get(client, request_id).status_code == 200  # warm: the app's caches
    db.session.expunge_all()
    with max_queries(2) as captured:  # tenant + user + roles + plugins; the request with its events
        response = _get(client, request_id)
    assert response.status_code == 200
    assert captured.count <= 2, captured.report()


def test_a_slug_given_to_another_association_between_two_requests_names_that_one(
    client, tenant, other_tenant, researcher, request_id, token_for
):
    """The id a process remembers for a slug (PostgreSQL: the tenant its read runs under) is a
    hint checked against the row: the slug now names another association, where the user holds
    no role."""
    headers = token_for(researcher)
    assert _get(client, request_id, headers).status_code == 200
    first, second = db.session.get(Tenant, tenant.id), db.session.get(Tenant, other_tenant.id)
    first.slug, second.slug = "first-old", "first-new"
    db.session.flush()
    second.slug = "first"
    db.session.commit()
    assert _get(client, request_id, headers).status_code == 403
    assert client.get(f"/t/first-old/api/v1/requests/{request_id}", headers=headers).status_code == 200


def test_a_tenant_part_that_is_no_slug_is_not_found_and_never_sent_to_the_database(
    client, tenant, create_user_, token_for
):
    # PostgreSQL refuses a NUL in text: sent, it was a 500.
    headers = token_for(create_user_(roles={tenant: ["researcher"]}))
    for path in ("/t/%00/api/v1/requests/", "/t/first%00/api/v1/requests/1", "/t/FIRST/api/v1/requests/"):
        assert client.get(path, headers=headers).status_code == 404, path
    assert client.get("/t/fi%00rst/").status_code == 404
    assert client.get("/t/first/api/v1/requests/", headers=headers).status_code == 200


@pytest.mark.parametrize("by", ["token", "cookie"])
def test_a_permission_the_association_took_from_a_role_between_two_requests_is_refused_by_the_second(
    client, tenant, researcher, request_id, token_for, login, by
):
    """The association's own grants and withdrawals are on the tenant's row, read with it."""
    headers = token_for(researcher) if by == "token" else None
    if by == "cookie":
        login(researcher)
    assert _get(client, request_id, headers).status_code == 200
    db.session.get(Tenant, tenant.id).role_permissions = {"requests.view": {"withdraw": ["researcher"]}}
    db.session.commit()
    assert _get(client, request_id, headers).status_code == 403
    db.session.get(Tenant, tenant.id).role_permissions = {}
    db.session.commit()
    assert _get(client, request_id, headers).status_code == 200


def test_the_associations_own_permissions_cost_no_statement(
    client, tenant, researcher, request_id, token_for, max_queries
):
    db.session.get(Tenant, tenant.id).role_permissions = {"requests.view": {"grant": ["finance_officer"]}}
    db.session.commit()
    headers = token_for(researcher)
    assert _get(client, request_id, headers).status_code == 200  # warm: the app's caches
    db.session.expunge_all()
    with max_queries(2) as captured:  # tenant (its permissions) + user + roles + plugins; the request
        response = _get(client, request_id, headers)
    assert response.status_code == 200
    assert captured.count <= 2, captured.report()
