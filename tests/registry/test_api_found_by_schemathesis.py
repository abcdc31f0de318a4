"""Defects the schemathesis run (tests/test_api_fuzz.py) found in the registry API."""

from __future__ import annotations

import pytest

from tests.registry.factories import valid_id


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_members_blank_father_name_is_stored_empty_not_a_server_error(
    api, officer, create_household, tenant, blank
):
    household = create_household(tenant)
    client = api(officer)
    added = client.post(
        f"/households/{household.id}/members",
        json={
            "person": {"first_name": "نورة", "family_name": "الغامدي", "father_name": blank},
            "relationship": "daughter",
        },
    )
    assert added.status_code == 201, added.json
    member_id = added.json["id"]
    patched = client.patch(
        f"/households/{household.id}/members/{member_id}", json={"person": {"grandfather_name": blank}}
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["person"]["father_name"] == ""
    assert patched.json["person"]["grandfather_name"] == ""


def test_a_fractional_count_is_refused_not_truncated(api, officer, create_household, tenant):
    household = create_household(tenant)
    response = api(officer).patch(f"/households/{household.id}", json={"head_person_id": 1.5})
    assert response.status_code == 422
    assert "head_person_id" in response.json["errors"]


def test_a_members_national_id_already_registered_is_a_field_error_not_a_500(
    api, officer, create_household, create_person, tenant
):
    household = create_household(tenant)
    taken = valid_id()
    create_person(tenant, national_id=taken)
    client = api(officer)
    added = client.post(
        f"/households/{household.id}/members",
        json={"person": {"first_name": "نورة", "family_name": "الغامدي"}, "relationship": "daughter"},
    )
    member_id = added.json["id"]
    response = client.patch(
        f"/households/{household.id}/members/{member_id}", json={"person": {"national_id": taken}}
    )
    assert response.status_code == 422
    assert "national_id" in response.json["errors"]["person"]


def test_a_partial_member_update_documents_its_person_as_partial(client):
    document = client.get("/api/v1/openapi.json").json
    body = document["paths"]["/t/{tenant}/api/v1/households/{household_id}/members/{member_id}"]["patch"]
    patch_schema = body["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    person_ref = document["components"]["schemas"][patch_schema]["properties"]["person"]["$ref"]
    person = document["components"]["schemas"][person_ref.rsplit("/", 1)[1]]
    assert "required" not in person
