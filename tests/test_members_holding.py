"""One member lookup, by role or by permission (the toolkit's ``users_with_role`` and
``staff_holding``): the active members of the tenant in context, by name, in one query."""

from __future__ import annotations

import pytest

from core.auth.services import members_holding, staff_holding, users_with_role
from core.extensions import db
from core.tenancy import tenant_context


@pytest.fixture
def members(tenant, other_tenant, make_member):
    made = {
        "zaid": make_member("zaid@first.example.org", tenant, ["researcher"]),
        "ahmad": make_member("ahmad@first.example.org", tenant, ["researcher", "committee_member"]),
        "officer": make_member("officer@first.example.org", tenant, ["relations_officer"]),
        "away": make_member("away@first.example.org", tenant, ["researcher"]),
        "elsewhere": make_member("elsewhere@second.example.org", other_tenant, ["researcher"]),
    }
    made["away"].is_active = False
    db.session.commit()
    return made


def test_members_holding_a_role_are_the_tenants_active_ones_by_name(tenant, members, max_queries):
    with tenant_context(tenant), max_queries(1):
        found = members_holding(role="researcher")
    assert [user.email for user in found] == ["ahmad@first.example.org", "zaid@first.example.org"]


def test_members_holding_a_permission_are_those_whose_roles_hold_it(tenant, members, max_queries):
    with tenant_context(tenant), max_queries(2):  # the tenant's enabled plugins (once a request), the members
        found = members_holding(permission="requests.research")
    assert [user.email for user in found] == ["ahmad@first.example.org", "zaid@first.example.org"]
    with tenant_context(tenant):
        assert [user.email for user in members_holding(permission="requests.create")] == [
            "officer@first.example.org"
        ]
        assert members_holding(permission="nobody.holds_this") == []


def test_the_toolkit_names_are_the_same_lookup(tenant, members):
    with tenant_context(tenant):
        assert users_with_role("committee_member") == members_holding(role="committee_member")
        assert staff_holding("requests.research") == members_holding(permission="requests.research")


@pytest.mark.parametrize("asked", [{}, {"role": "researcher", "permission": "requests.research"}])
def test_members_holding_takes_a_role_or_a_permission(tenant, asked):
    with tenant_context(tenant), pytest.raises(TypeError):
        members_holding(**asked)
