"""Households, members, beneficiary files, status events, renewal, plugin hooks; tenants apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from marshmallow import Schema, fields

from core.calendar import today as tenant_today
from core.extensions import db
from core.plugins import PluginMeta
from core.registry import BeneficiaryFile, Choice, FileEvent, FileFields
from core.toolkit import hookimpl
from tests.registry.factories import household_payload, person_payload, valid_id


def test_register_a_household_with_members_opens_an_applicant_file(api, officer):
    response = api(officer).post("/households", json=household_payload())
    assert response.status_code == 201, response.json
    body = response.json
    assert body["head"]["first_name"] == "أحمد"
    assert [m["relationship"] for m in body["members"]] == ["spouse", "son"]
    assert body["members"][1]["studying"] is True
    assert body["annual_rent"] == 18000 and body["annual_rent_halalas"] == 1800000
    assert body["file"]["status"] == "applicant"
    events = api(officer).get(f"/files/{body['file']['id']}/events").json
    assert [e["kind"] for e in events] == ["created"]


def test_rented_housing_needs_the_annual_rent_and_a_bad_member_writes_nothing(
    api, officer, app_ctx, tenant, in_tenant
):
    from core.registry import Person

    response = api(officer).post("/households", json=household_payload(annual_rent=""))
    assert response.status_code == 422 and "annual_rent" in response.json["errors"]
    bad_member = household_payload(
        members=[
            {
                "person": {"first_name": "سعد", "family_name": "x", "national_id": "1111"},
                "relationship": "son",
            }
        ]
    )
    response = api(officer).post("/households", json=bad_member)
    assert response.status_code == 422
    assert "national_id" in response.json["errors"]["members"]["0"]["person"]
    with in_tenant(tenant):
        assert db.session.execute(db.select(db.func.count(Person.id))).scalar_one() == 0


def test_members_can_be_added_listed_updated_and_removed(api, officer, create_household, tenant):
    household = create_household(tenant)
    client = api(officer)
    added = client.post(
        f"/households/{household.id}/members",
        json={
            "person": {"first_name": "نورة", "family_name": "الغامدي"},
            "relationship": "daughter",
            "income": "٥٠٠",
        },
    )
    assert added.status_code == 201, added.json
    assert added.json["income"] == 500
    member_id = added.json["id"]
    assert len(client.get(f"/households/{household.id}/members").json) == 3
    patched = client.patch(f"/households/{household.id}/members/{member_id}", json={"studying": True})
    assert patched.status_code == 200 and patched.json["studying"] is True
    assert client.delete(f"/households/{household.id}/members/{member_id}").status_code == 204
    assert len(client.get(f"/households/{household.id}/members").json) == 2


def test_status_changes_are_events_with_who_when_why(api, officer, create_user_, create_household, tenant):
    household = create_household(tenant)
    file_id = api(officer).get(f"/households/{household.id}").json["file"]["id"]
    client = api(officer)
    response = client.post(f"/files/{file_id}/status", json={"status": "active", "reason": "اكتملت الدراسة"})
    assert response.status_code == 200, response.json
    assert response.json["next_renewal_due"]
    until = (tenant_today() + timedelta(days=60)).isoformat()
    response = client.post(
        f"/files/{file_id}/status",
        json={"status": "suspended", "reason": "رفض الزيارة", "suspended_until": until},
    )
    assert response.status_code == 200 and response.json["suspended_until"] == until
    events = client.get(f"/files/{file_id}/events").json
    assert [(e["from_status"], e["to_status"]) for e in events[:2]] == [
        ("active", "suspended"),
        ("applicant", "active"),
    ]
    assert events[0]["user_id"] == officer.id and events[0]["reason"] == "رفض الزيارة"


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"status": "applicant", "reason": "x"}, 409, "status"),  # already an applicant
        ({"status": "excluded", "reason": "x"}, 422, "exclusion_reason"),
        ({"status": "excluded", "reason": "x", "exclusion_reason": "nope"}, 422, "exclusion_reason"),
        ({"status": "active"}, 422, "reason"),
        ({"status": "gone", "reason": "x"}, 422, "status"),
    ],
)
def test_bad_status_changes_are_refused(api, officer, create_household, tenant, payload, status, field):
    household = create_household(tenant)
    file_id = api(officer).get(f"/households/{household.id}").json["file"]["id"]
    response = api(officer).post(f"/files/{file_id}/status", json=payload)
    assert response.status_code == status
    assert field in response.json["errors"]


def test_an_applicants_file_may_be_suspended_and_resumes_as_an_applicant(
    api, officer, create_household, tenant
):
    household = create_household(tenant)
    file_id = api(officer).get(f"/households/{household.id}").json["file"]["id"]
    suspended = api(officer).post(
        f"/files/{file_id}/status",
        json={"status": "suspended", "reason": "مخالفة", "suspension_condition": "تحديث البيانات"},
    )
    assert suspended.status_code == 200 and suspended.json["status"] == "suspended"
    resumed = api(officer).post(f"/files/{file_id}/status", json={"status": "applicant", "reason": "حُدّثت"})
    assert resumed.status_code == 200 and resumed.json["status"] == "applicant"


def test_exclusion_with_a_core_reason_code(api, officer, create_household, tenant):
    household = create_household(tenant)
    file_id = api(officer).get(f"/households/{household.id}").json["file"]["id"]
    response = api(officer).post(
        f"/files/{file_id}/status",
        json={"status": "excluded", "reason": "تحسن الحال", "exclusion_reason": "improved"},
    )
    assert response.status_code == 200 and response.json["exclusion_reason"] == "improved"


def test_an_associations_own_exclusion_reason_is_refused_without_its_plugin(
    api, officer, create_household, tenant
):
    """Seed 004's reasons (daughter married …) are the Makkah plugin's, not core's."""
    household = create_household(tenant)
    file_id = api(officer).get(f"/households/{household.id}").json["file"]["id"]
    response = api(officer).post(
        f"/files/{file_id}/status",
        json={"status": "excluded", "reason": "زواج", "exclusion_reason": "girl_married"},
    )
    assert response.status_code == 422 and "exclusion_reason" in response.json["errors"]


def test_renewal_uses_the_tenant_interval(api, officer, create_household, tenant, app_ctx):
    tenant.settings = {"registry": {"renewal_interval_months": 3}}
    db.session.commit()
    household = create_household(tenant)
    file_id = api(officer).get(f"/households/{household.id}").json["file"]["id"]
    response = api(officer).post(f"/files/{file_id}/renewals", json={"renewed_on": "2026-01-31"})
    assert response.status_code == 200
    assert response.json["last_renewal_date"] == "2026-01-31"
    assert response.json["next_renewal_due"] == "2026-04-30"
    assert response.json["renewal_overdue"] is True
    overdue = api(officer).get("/files", query_string={"renewal_overdue": "true"}).json
    assert [f["id"] for f in overdue] == [file_id]


# --------------------------------------------------------------------------- plugin hooks


class PrisonerFields(Schema):
    prison = fields.String(required=True)
    release_date = fields.Date()


class _RegistryTestPlugin:
    PLUGIN = PluginMeta(id="regtest", name_ar="اختبار السجل", name_en="Registry test", version="1.0")
    seen: list = []

    @staticmethod
    @hookimpl
    def register_household_categories():
        return [Choice("crime_victim", "Crime victim family")]

    @staticmethod
    @hookimpl
    def register_file_fields():
        return [FileFields("regtest", PrisonerFields, "Prisoner")]

    @staticmethod
    @hookimpl
    def validate_file_status_change(file, old, new, reason, user):
        return ["closed files need the committee"] if new == "closed" else []

    @staticmethod
    @hookimpl
    def file_status_changed(file, old, new):
        _RegistryTestPlugin.seen.append((old, new))


@pytest.fixture
def regtest_plugin(app, enable_plugin, tenant):
    import types

    module = types.ModuleType("tests.registry.regtest")
    for name in (
        "PLUGIN",
        "register_household_categories",
        "register_file_fields",
        "validate_file_status_change",
        "file_status_changed",
    ):
        setattr(module, name, getattr(_RegistryTestPlugin, name))
    module.__file__ = __file__
    host = app.extensions["charity_plugins"]
    if "regtest" not in host.plugins:
        host.add(module)
    enable_plugin(tenant, "regtest")
    _RegistryTestPlugin.seen.clear()
    return module


def test_plugins_add_categories_and_validated_file_fields(
    api, officer, regtest_plugin, create_tenant, create_user_
):
    payload = household_payload(category="crime_victim", extra={"regtest": {"prison": ""}})
    payload["extra"] = {"regtest": {}}
    response = api(officer).post("/households", json=payload)
    assert response.status_code == 422 and "prison" in response.json["errors"]["extra"]["regtest"]
    payload["extra"] = {"regtest": {"prison": "بريمان", "release_date": "2027-01-01"}}
    response = api(officer).post("/households", json=payload)
    assert response.status_code == 201, response.json
    assert response.json["file"]["extra"] == {"regtest": {"prison": "بريمان", "release_date": "2027-01-01"}}
    # a tenant without the plugin has neither the category nor the fields
    create_tenant("plain")
    plain_user = create_user_(roles={create_tenant("plain2"): ["relations_officer"]})
    other = api(plain_user, "plain2").post(
        "/households",
        json=household_payload(category="crime_victim", head=person_payload(national_id=valid_id())),
    )
    assert other.status_code == 422 and "category" in other.json["errors"]


def test_plugins_hear_and_may_refuse_status_changes(api, officer, regtest_plugin, create_household, tenant):
    household = create_household(tenant)
    file_id = api(officer).get(f"/households/{household.id}").json["file"]["id"]
    assert (
        api(officer).post(f"/files/{file_id}/status", json={"status": "active", "reason": "ok"}).status_code
        == 200
    )
    assert _RegistryTestPlugin.seen == [("applicant", "active")]
    refused = api(officer).post(f"/files/{file_id}/status", json={"status": "closed", "reason": "x"})
    assert refused.status_code == 409 and refused.json["message"] == "closed files need the committee"


# --------------------------------------------------------------------------- tenants apart


def test_every_registry_endpoint_answers_404_for_another_tenants_ids(
    api, create_user_, create_household, tenant, other_tenant, in_tenant
):
    theirs = create_household(other_tenant)
    with in_tenant(other_tenant):
        file = db.session.execute(db.select(BeneficiaryFile)).scalar_one()
        member_id = theirs.members[0].id
        file_id, head_id = file.id, theirs.head_person_id
    me = api(create_user_(roles={tenant: ["tenant_admin"]}))
    checks = [
        ("get", f"/persons/{head_id}", None),
        ("patch", f"/persons/{head_id}", {"job": "x"}),
        ("get", f"/persons/{head_id}/duplicates", None),
        ("get", f"/households/{theirs.id}", None),
        ("patch", f"/households/{theirs.id}", {"category": "family"}),
        ("get", f"/households/{theirs.id}/members", None),
        ("post", f"/households/{theirs.id}/members", {"person_id": head_id, "relationship": "son"}),
        ("get", f"/households/{theirs.id}/members/{member_id}", None),
        ("patch", f"/households/{theirs.id}/members/{member_id}", {"studying": True}),
        ("delete", f"/households/{theirs.id}/members/{member_id}", None),
        ("get", f"/files/{file_id}", None),
        ("get", f"/files/{file_id}/events", None),
        ("post", f"/files/{file_id}/status", {"status": "active", "reason": "x"}),
        ("post", f"/files/{file_id}/renewals", {}),
    ]
    for method, path, body in checks:
        response = getattr(me, method)(path, **({"json": body} if body is not None else {}))
        assert response.status_code == 404, (method, path, response.status_code)
    assert me.get("/persons").json == [] and me.get("/households").json == [] and me.get("/files").json == []
    with in_tenant(other_tenant):
        assert db.session.execute(db.select(db.func.count(FileEvent.id))).scalar_one() == 1


def test_a_household_head_must_belong_to_this_tenant(api, create_user_, create_person, tenant, other_tenant):
    theirs = create_person(other_tenant)
    me = api(create_user_(roles={tenant: ["relations_officer"]}))
    response = me.post("/households", json={"head_person_id": theirs.id, "housing_tenure": "owned"})
    assert response.status_code == 422 and "head_person_id" in response.json["errors"]


def test_registry_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/persons",
        "/persons/{person_id}",
        "/households",
        "/households/{household_id}/members",
        "/files/{file_id}/events",
        "/documents",
    ):
        assert f"/t/{{tenant}}/api/v1{path}" in paths, path
