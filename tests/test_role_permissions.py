"""An association's own permissions for its roles (``core.auth.grants``, ``core.admin.roles``):
the tenant admin gives an action to another role or takes it away from one, over the declared
defaults. ``can()`` sees the change on the next request (and later in the same one), another
association never; what the platform fixed, platform actions, the applicant's rights and an
action left to nobody are refused by field with nothing written; a disabled plugin's overrides
are kept, inert, and count again once it is enabled."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.audit.models import AuditEvent
from core.auth import grants, permissions
from core.auth.grants import DELEGABLE_ROLES
from core.extensions import db
from core.plugins import set_plugin_state
from core.tenancy import Tenant, tenant_context

API = "/t/first/api/v1/admin/role-permissions"
AUDIT = "/t/first/api/v1/audit/events"
CHANGED = "tenant.role_permissions.changed"


@pytest.fixture
def admin_headers(staff, token_for):
    return token_for(staff["tenant_admin"])


def _stored(tenant) -> dict:
    db.session.expire_all()
    return db.session.get(Tenant, tenant.id).role_permissions


def _audited(tenant) -> list[AuditEvent]:
    with tenant_context(tenant):
        return list(
            db.session.scalars(
                db.select(AuditEvent).where(AuditEvent.action == CHANGED).order_by(AuditEvent.id)
            )
        )


def _put(client, headers, holders: dict, lang: str = "en"):
    return client.put(API, json={"holders": holders}, headers={**headers, "Accept-Language": lang})


def _row(document: dict, action: str) -> dict:
    return next(a for a in document["actions"] if a["action"] == action)


# --------------------------------------------------------------------------- can(), request by request


def test_a_role_given_an_action_holds_it_from_the_next_request(
    client, tenant, staff, admin_headers, token_for
):
    finance = token_for(staff["finance_officer"])
    assert client.get(AUDIT, headers=finance).status_code == 403
    response = _put(client, admin_headers, {"audit.read": ["tenant_admin", "auditor", "finance_officer"]})
    assert response.status_code == 200, response.json
    assert client.get(AUDIT, headers=finance).status_code == 200
    assert _stored(tenant) == {"audit.read": {"grant": ["finance_officer"], "withdraw": []}}


def test_an_action_taken_from_a_role_is_refused_from_the_next_request(
    client, staff, admin_headers, token_for
):
    auditor = token_for(staff["auditor"])
    assert client.get(AUDIT, headers=auditor).status_code == 200
    assert _put(client, admin_headers, {"audit.read": ["tenant_admin"]}).status_code == 200
    assert client.get(AUDIT, headers=auditor).status_code == 403
    # Back to the defaults: nothing is kept, and the auditor reads again.
    assert _put(client, admin_headers, {"audit.read": ["auditor", "tenant_admin"]}).status_code == 200
    assert client.get(AUDIT, headers=auditor).status_code == 200


def test_a_change_stored_between_two_requests_is_seen_by_the_second(client, tenant, staff, token_for):
    """Written by another process (here the test, straight into the row): nothing is cached past a request."""
    finance = token_for(staff["finance_officer"])
    assert client.get(AUDIT, headers=finance).status_code == 403
    db.session.get(Tenant, tenant.id).role_permissions = {"audit.read": {"grant": ["finance_officer"]}}
    db.session.commit()
    assert client.get(AUDIT, headers=finance).status_code == 200
    db.session.get(Tenant, tenant.id).role_permissions = {}
    db.session.commit()
    assert client.get(AUDIT, headers=finance).status_code == 403


def test_a_change_inside_a_request_is_seen_by_its_later_checks(app, tenant, staff):
    from core.admin import roles  # lazy: the service the change goes through

    user = staff["finance_officer"]
    with app.test_request_context("/"), tenant_context(tenant):
        assert not permissions.can(user, "requests.research")
        roles.set_holders({"requests.research": ["researcher", "finance_officer"]}, staff["tenant_admin"])
        assert permissions.can(user, "requests.research")
        assert "finance_officer" in permissions.roles_holding("requests.research")
        assert permissions.default_roles_holding("requests.research") == {"researcher"}
        db.session.rollback()


def test_the_steps_offered_on_a_request_follow_the_associations_grants(app, tenant, staff):
    """The request page's and API's step list checks many actions at once
    (``permissions.checker``): it answers as ``can`` does, the association's grants included."""
    from core.admin import roles  # lazy: the service the change goes through

    user = staff["finance_officer"]
    with app.test_request_context("/"), tenant_context(tenant):
        roles.set_holders({"requests.research": ["researcher", "finance_officer"]}, staff["tenant_admin"])
        check = permissions.checker(user, tenant)
        for action in ("requests.research", "requests.disburse", "requests.decide", "audit.read"):
            assert check(action) == permissions.can(user, action), action
        assert check("requests.research")
        db.session.rollback()


def test_another_associations_roles_keep_their_defaults(
    client, tenant, other_tenant, staff, admin_headers, app
):
    assert _put(client, admin_headers, {"audit.read": ["tenant_admin"]}).status_code == 200
    with app.test_request_context("/"):
        first, second = db.session.get(Tenant, tenant.id), db.session.get(Tenant, other_tenant.id)
        with tenant_context(second):
            assert "auditor" in permissions.roles_holding("audit.read")
        with tenant_context(first):
            assert "auditor" not in permissions.roles_holding("audit.read")


def test_checks_without_overrides_use_the_declared_table_itself(app, tenant):
    with app.test_request_context("/"), tenant_context(tenant):
        assert permissions._table_for(db.session.get(Tenant, tenant.id)) is permissions._action_table()


# --------------------------------------------------------------------------- refusals, nothing written


@pytest.mark.parametrize(
    ("action", "roles", "message"),
    [
        ("no.such_action", ["researcher"], "no such permission"),
        ("platform.tenants.manage", ["tenant_admin"], "Platform permissions"),
        ("tenant.users.manage", ["tenant_admin", "researcher"], "fixed by the platform"),
        ("tenant.settings.manage", ["researcher"], "fixed by the platform"),
        ("audit.read", ["auditor", "treasurer"], "Unknown role: treasurer"),
        ("audit.read", ["auditor", "tenant_admin", "applicant"], "An applicant sees only their own file"),
        ("portal.apply", [], "An applicant sees only their own file"),
        ("requests.decide", [], "At least one role must keep this permission"),
    ],
)
def test_a_refused_change_names_the_permission_and_writes_nothing(
    client, tenant, admin_headers, action, roles, message
):
    holders = {"audit.export": ["tenant_admin"], action: roles}  # the valid one is not written either
    response = _put(client, admin_headers, holders)
    assert response.status_code == 422
    assert message in " ".join(response.json["errors"]["holders"][action])
    assert "audit.export" not in response.json["errors"]["holders"]
    assert _stored(tenant) == {}
    assert _audited(tenant) == []


def test_refusals_are_translated(client, admin_headers):
    response = _put(client, admin_headers, {"tenant.users.manage": ["researcher"]}, lang="ar")
    assert response.status_code == 422
    assert "المنصة" in response.json["errors"]["holders"]["tenant.users.manage"][0]


def test_asking_for_the_present_holders_of_a_fixed_action_changes_nothing_and_is_no_error(
    client, tenant, admin_headers
):
    response = _put(client, admin_headers, {"tenant.users.manage": ["tenant_admin"]})
    assert response.status_code == 200
    assert _stored(tenant) == {} and _audited(tenant) == []


@pytest.mark.parametrize("body", [{}, {"holders": {}}, {"holders": {"audit.read": "auditor"}}, {"other": 1}])
def test_a_malformed_body_is_a_422(client, admin_headers, body):
    response = client.put(API, json=body, headers=admin_headers)
    assert response.status_code == 422


def test_only_who_manages_users_and_roles_reads_or_changes_them(client, staff, token_for):
    researcher = token_for(staff["researcher"])
    assert client.get(API, headers=researcher).status_code == 403
    assert (
        client.put(API, json={"holders": {"audit.read": ["researcher"]}}, headers=researcher).status_code
        == 403
    )


# --------------------------------------------------------------------------- the document, the audit


def test_the_document_lists_every_action_in_words_with_its_defaults_and_changes(client, admin_headers):
    assert _put(client, admin_headers, {"audit.read": ["tenant_admin", "finance_officer"]}).status_code == 200
    document = client.get(API, headers={**admin_headers, "Accept-Language": "ar"}).json
    assert {r["code"] for r in document["roles"]} >= {"tenant_admin", "finance_officer", "applicant"}
    assert next(r["label"] for r in document["roles"] if r["code"] == "finance_officer") == "الموظف المالي"
    row = _row(document, "audit.read")
    assert row["default_roles"] == ["tenant_admin", "auditor"]
    assert row["roles"] == ["tenant_admin", "finance_officer"]
    assert row["granted"] == ["finance_officer"] and row["withdrawn"] == ["auditor"]
    assert row["fixed"] is False and row["group"] == "audit"
    assert "_" not in row["label"] and row["group_label"] != "audit"
    assert _row(document, "tenant.users.manage")["fixed"] is True


def test_each_change_is_audited_with_the_old_and_the_new_holders(client, tenant, admin_headers, staff):
    holders = {"audit.read": ["tenant_admin", "finance_officer"], "audit.export": ["auditor", "tenant_admin"]}
    assert _put(client, admin_headers, holders).status_code == 200  # audit.export unchanged: not audited
    (entry,) = _audited(tenant)
    assert entry.object_type == "tenant" and entry.user_id == staff["tenant_admin"].id
    assert entry.details == {
        "permission": "audit.read",
        "old": ["tenant_admin", "auditor"],
        "new": ["tenant_admin", "finance_officer"],
    }


def test_the_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "put"} <= set(paths["/t/{tenant}/api/v1/admin/role-permissions"])


# --------------------------------------------------------------------------- a plugin's actions


def test_a_plugins_action_can_be_given_and_its_override_sleeps_while_the_plugin_is_disabled(
    client, tenant, staff, admin_headers, enable_plugin, login
):
    enable_plugin(tenant, "dummy")
    login(staff["finance_officer"])
    assert client.get("/t/first/dummy/").status_code == 403
    assert (
        _put(
            client, admin_headers, {"dummy.view": ["tenant_admin", "researcher", "finance_officer"]}
        ).status_code
        == 200
    )
    assert client.get("/t/first/dummy/").status_code == 200

    set_plugin_state(tenant, "dummy", False)
    db.session.commit()
    document = client.get(API, headers=admin_headers).json
    assert "dummy.view" not in {a["action"] for a in document["actions"]}
    refused = _put(client, admin_headers, {"dummy.view": ["tenant_admin"]})
    assert refused.status_code == 422  # not an action of this association while disabled
    assert _stored(tenant)["dummy.view"] == {"grant": ["finance_officer"], "withdraw": []}  # kept
    # Another change leaves the sleeping one as it is.
    assert (
        _put(client, admin_headers, {"audit.read": ["tenant_admin", "auditor", "researcher"]}).status_code
        == 200
    )
    assert "dummy.view" in _stored(tenant)

    enable_plugin(tenant, "dummy")
    assert client.get("/t/first/dummy/").status_code == 200
    assert _row(client.get(API, headers=admin_headers).json, "dummy.view")["granted"] == ["finance_officer"]


# --------------------------------------------------------------------------- the rules


STAFF = st.sets(st.sampled_from(DELEGABLE_ROLES))


@given(default=STAFF, wanted=STAFF)
def test_the_stored_change_gives_exactly_the_holders_asked_for(default, wanted):
    default = frozenset(default)
    change = grants.change_to(default, wanted)
    assert grants.holders(default, change) == wanted
    assert (change is None) == (wanted == default)


def test_stored_overrides_that_may_not_count_are_ignored():
    declared = {
        "audit.read": frozenset({"auditor"}),
        "fixed.one": frozenset({"tenant_admin"}),
        "portal.apply": frozenset({"applicant"}),
    }
    overrides = {
        "audit.read": {"grant": ["researcher", "applicant", "nobody"], "withdraw": ["auditor"]},
        "fixed.one": {"grant": ["researcher"]},
        "portal.apply": {"withdraw": ["applicant"]},
        "gone.plugin_action": {"grant": ["researcher"]},
        "platform.tenants.manage": {"grant": ["tenant_admin"]},
    }
    table = grants.effective(declared, frozenset({"fixed.one"}), overrides)
    assert table == {
        "audit.read": {"researcher"},
        "fixed.one": {"tenant_admin"},
        "portal.apply": {"applicant"},
    }


def test_every_feature_of_core_that_declares_permissions_has_a_name_on_the_page(app):
    from core.admin.roles import CORE_GROUPS, group_of  # lazy: the page's groups
    from core.testing.contract import core_actions  # lazy: the declarations of core

    assert {group_of(action) for action in core_actions(app)} <= set(CORE_GROUPS)
