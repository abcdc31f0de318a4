"""The one tenant-safe lookup (``get_or_404``) and the one error vocabulary (``core.errors``)."""

from __future__ import annotations

import pytest

from core import toolkit
from core.errors import STATUS_MESSAGES, AppError, Conflict, Forbidden, Invalid, NotFound
from core.extensions import db
from core.lookup import get_in_tenant, get_or_404
from core.registry.models import Household, Member, Person
from core.tenancy import TenantRequired


def test_get_or_404_finds_a_row_of_the_tenant_in_context(create_household, tenant, in_tenant):
    household = create_household(tenant)
    with in_tenant(tenant):
        assert get_or_404(Household, household.id).id == household.id


def test_another_tenants_id_is_not_found_even_from_the_identity_map(
    create_household, tenant, other_tenant, in_tenant
):
    theirs = create_household(other_tenant)
    with in_tenant(other_tenant):
        loaded = db.session.get(Household, theirs.id)  # now in the session's identity map
        assert loaded is not None
    with in_tenant(tenant):
        with pytest.raises(NotFound):
            get_or_404(Household, theirs.id)
        assert get_in_tenant(Household, theirs.id) is None


def test_filters_narrow_the_lookup_to_a_parent(create_household, tenant, in_tenant):
    first, second = create_household(tenant), create_household(tenant)
    with in_tenant(tenant):
        member_id = db.session.get(Household, first.id).members[0].id
        assert get_or_404(Member, member_id, household_id=first.id).id == member_id
        with pytest.raises(NotFound):
            get_or_404(Member, member_id, household_id=second.id)


@pytest.mark.parametrize("bad_id", [None, "1", 1.0, True, -(2**63) - 1, 2**63, 10**30])
def test_an_id_that_cannot_be_a_key_is_not_found(bad_id, create_household, tenant, in_tenant):
    create_household(tenant)
    with in_tenant(tenant), pytest.raises(NotFound):
        get_or_404(Household, bad_id)


def test_a_tenant_table_lookup_needs_a_tenant(app_ctx):
    with pytest.raises(TenantRequired):
        get_or_404(Person, 1)


def test_not_found_carries_the_standard_message_and_status(app_ctx):
    error = NotFound()
    assert error.status == 404 and str(error.message) == str(STATUS_MESSAGES[404]) and error.errors == {}


def test_an_out_of_range_id_in_the_address_answers_404_on_every_database(api, officer, tenant):
    response = api(officer).get(f"/households/{10**30}", headers={"Accept-Language": "ar"})
    assert response.status_code == 404
    assert response.json["code"] == 404 and response.json["message"] == "غير موجود."


def test_a_member_of_another_household_answers_404(api, officer, create_household, tenant, in_tenant):
    first, second = create_household(tenant), create_household(tenant)
    with in_tenant(tenant):
        member_id = db.session.get(Household, first.id).members[0].id
    assert api(officer).get(f"/households/{second.id}/members/{member_id}").status_code == 404
    assert api(officer).get(f"/households/{first.id}/members/{member_id}").status_code == 200


def test_the_html_pages_answer_the_error_page(
    client, login, officer, create_household, other_tenant, in_tenant
):
    theirs = create_household(other_tenant)
    login(officer)
    response = client.get(f"/t/first/registry/households/{theirs.id}")
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_one_error_vocabulary_is_what_the_toolkit_and_the_workflow_use():
    for name, error in {
        "AppError": AppError,
        "NotFound": NotFound,
        "Forbidden": Forbidden,
        "Conflict": Conflict,
    }.items():
        assert getattr(toolkit, name) is error
    assert toolkit.Invalid is Invalid and toolkit.get_or_404 is get_or_404
    assert (Forbidden.status, NotFound.status, Conflict.status) == (403, 404, 409)
