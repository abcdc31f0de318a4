"""Defects the schemathesis run (tests/test_api_fuzz.py) found in the registry API."""

from __future__ import annotations

import pytest


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
