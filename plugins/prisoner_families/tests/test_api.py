"""The API: each capability, 422 on bad input, 409 on refusals, 404 when disabled or for another
tenant's ids, permissions, and the OpenAPI document."""

from __future__ import annotations

import pytest

from core.toolkit import db, tenant_context
from plugins.prisoner_families.models import DebtCase

from .conftest import PID, make_family

BASE = "/t/first/api/v1/prisoner_families"


@pytest.fixture
def admin_headers(enabled, staff, token_for):
    return token_for(staff["tenant_admin"])


def _prisoner(client, headers, person_id, **kw):
    body = {
        "person_id": person_id,
        "facility": "سجن القريات العام",
        "case_type": "private_right",
        "insolvent": True,
        "imprisoned_on": "1446-07-10",
        **kw,
    }
    response = client.post(f"{BASE}/prisoners", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_debt_case_walk_through_the_api(client, enabled, admin_headers):
    household_id, person_id = make_family(enabled, 1)
    prisoner = _prisoner(client, admin_headers, person_id)
    link = client.post(
        f"{BASE}/prisoners/{prisoner['id']}/families",
        json={"household_id": household_id},
        headers=admin_headers,
    )
    assert link.status_code == 201
    response = client.post(
        f"{BASE}/debt-cases",
        json={
            "prisoner_id": prisoner["id"],
            "creditor": "مؤسسة التقسيط",
            "claimed": "١٢٬٥٠٠",
            "court_reference": "447/ق",
        },
        headers=admin_headers,
    )
    assert response.status_code == 201, response.json
    case = response.json
    assert case["claimed_halalas"] == 1_250_000 and case["remaining_halalas"] == 1_250_000
    url = f"{BASE}/debt-cases/{case['id']}"
    r = client.post(
        f"{url}/negotiations",
        json={
            "attempted_on": "2025-02-01",
            "by_whom": "المدير",
            "outcome": "forgave_part",
            "forgiven": "2500",
        },
        headers=admin_headers,
    )
    assert r.status_code == 201, r.json
    r = client.post(
        f"{url}/payments",
        json={"amount": "10001", "payer": "فاعل خير", "paid_on": "2025-03-01"},
        headers=admin_headers,
    )
    assert r.status_code == 409 and "amount" in r.json["errors"]
    r = client.post(
        f"{url}/payments",
        json={"amount": "10000", "payer": "فاعل خير", "paid_on": "2025-03-01"},
        headers=admin_headers,
    )
    assert r.status_code == 201
    detail = client.get(url, headers=admin_headers).json
    assert detail["remaining_halalas"] == 0 and detail["status"] == "open"
    assert [e["kind"] for e in detail["entries"]] == ["forgiveness", "other_payment"]
    assert detail["negotiations"][0]["forgiven_halalas"] == 250_000
    r = client.post(
        f"{BASE}/prisoners/{prisoner['id']}/release",
        json={"released_on": "2025-04-01"},
        headers=admin_headers,
    )
    assert r.status_code == 200 and r.json["status"] == "released"
    detail = client.get(url, headers=admin_headers).json
    assert detail["status"] == "closed"
    r = client.post(
        f"{url}/payments",
        json={"amount": "1", "payer": "x y", "paid_on": "2025-03-01"},
        headers=admin_headers,
    )
    assert r.status_code == 409
    eligibility = client.get(f"{BASE}/households/{household_id}/eligibility", headers=admin_headers).json
    assert [c["code"] for c in eligibility] == [f"{PID}.scope", f"{PID}.residency", f"{PID}.registered"]
    assert eligibility[0]["outcome"] == "pass" and eligibility[2]["outcome"] == "fail"
    person = client.get(f"{BASE}/persons/{person_id}/eligibility", headers=admin_headers).json
    assert person[0]["figures"]["relation"] == "released_prisoner"


@pytest.mark.parametrize(
    "path, body, field",
    [
        (
            "/prisoners",
            {"person_id": 1, "facility": "س", "case_type": "x", "imprisoned_on": "2025-01-01"},
            "case_type",
        ),
        (
            "/prisoners",
            {"person_id": 1, "facility": "سجن", "case_type": "public_right", "imprisoned_on": "غدا"},
            "imprisoned_on",
        ),
        (
            "/prisoners",
            {
                "person_id": 1,
                "facility": "سجن",
                "case_type": "public_right",
                "imprisoned_on": "2025-01-01",
                "x": 1,
            },
            "x",
        ),
        ("/debt-cases", {"prisoner_id": 1, "creditor": "دائن", "claimed": "-5"}, "claimed"),
        ("/debt-cases", {"prisoner_id": 1, "creditor": "دائن", "claimed": "0"}, "claimed"),
        ("/programs", {"code": "Bad Code", "name_ar": "برنامج", "name_en": "Program"}, "code"),
        (
            "/programs",
            {"code": "p1", "name_ar": "برنامج", "name_en": "Program", "min_attendance_percent": 101},
            "min_attendance_percent",
        ),
        ("/placements", {"household_id": 1, "kind": "market", "placed_on": "2025-01-01"}, "kind"),
    ],
)
def test_bad_input_is_a_translated_422_and_nothing_is_written(client, admin_headers, path, body, field):
    response = client.post(BASE + path, json=body, headers={**admin_headers, "Accept-Language": "ar"})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert response.json["errors"][field]
    assert client.get(BASE + path, headers=admin_headers).json == []  # nothing written


def test_claim_zero_writes_nothing(client, enabled, admin_headers):
    _, person_id = make_family(enabled, 2)
    prisoner = _prisoner(client, admin_headers, person_id)
    r = client.post(
        f"{BASE}/debt-cases",
        json={"prisoner_id": prisoner["id"], "creditor": "دائن", "claimed": "0"},
        headers=admin_headers,
    )
    assert r.status_code == 422
    with tenant_context(enabled):
        assert db.session.scalars(db.select(DebtCase)).first() is None


def test_refusal_is_translated(client, enabled, admin_headers):
    _, person_id = make_family(enabled, 3)
    prisoner = _prisoner(client, admin_headers, person_id)
    case = client.post(
        f"{BASE}/debt-cases",
        json={"prisoner_id": prisoner["id"], "creditor": "دائن", "claimed": "100"},
        headers=admin_headers,
    ).json
    r = client.post(
        f"{BASE}/debt-cases/{case['id']}/payments",
        json={"amount": "200", "payer": "فاعل خير", "paid_on": "2025-03-01"},
        headers={**admin_headers, "Accept-Language": "ar"},
    )
    assert r.status_code == 409
    assert "المتبقي" in r.json["message"], r.json


def test_rehabilitation_through_the_api(client, enabled, admin_headers):
    _, person_id = make_family(enabled, 4)
    prisoner = _prisoner(client, admin_headers, person_id, case_type="public_right", insolvent=False)
    programs = client.post(f"{BASE}/programs/defaults", headers=admin_headers).json
    assert {p["code"] for p in programs} >= {"new_life", "harm_of_crime", "intellectual_security"}
    new_life = next(p for p in programs if p["code"] == "new_life")
    assert new_life["requires_interview"] and new_life["min_attendance_percent"] == 75
    enrolment = client.post(
        f"{BASE}/programs/{new_life['id']}/enrolments",
        json={"prisoner_id": prisoner["id"]},
        headers=admin_headers,
    ).json
    assert enrolment["interview_outcome"] == "pending" and not enrolment["progress"]["completed"]
    session = client.post(
        f"{BASE}/programs/{new_life['id']}/sessions",
        json={"held_on": "2025-01-05", "topic": "البداية"},
        headers=admin_headers,
    ).json
    r = client.put(
        f"{BASE}/sessions/{session['id']}/attendance",
        json={"marks": [{"enrolment_id": enrolment["id"], "present": True}]},
        headers=admin_headers,
    )
    assert r.status_code == 422  # interview not passed yet
    r = client.post(
        f"{BASE}/enrolments/{enrolment['id']}/interview",
        json={"outcome": "passed", "interview_on": "2025-01-01"},
        headers=admin_headers,
    )
    assert r.status_code == 200
    r = client.put(
        f"{BASE}/sessions/{session['id']}/attendance",
        json={"marks": [{"enrolment_id": enrolment["id"], "present": True}]},
        headers=admin_headers,
    )
    assert r.status_code == 200
    assert client.get(f"{BASE}/enrolments/{enrolment['id']}", headers=admin_headers).json["progress"][
        "completed"
    ]
    client.post(
        f"{BASE}/prisoners/{prisoner['id']}/release",
        json={"released_on": "2025-02-01"},
        headers=admin_headers,
    )
    follow_ups = client.get(f"{BASE}/follow-ups?pending=true", headers=admin_headers).json
    assert [f["months_after"] for f in follow_ups] == [6, 12]
    r = client.post(
        f"{BASE}/follow-ups/{follow_ups[0]['id']}",
        json={"done_on": "2025-08-02", "returned_to_crime": False},
        headers=admin_headers,
    )
    assert r.status_code == 200
    household_id, other_person = make_family(enabled, 5)
    assert (
        client.post(
            f"{BASE}/placements",
            json={"household_id": household_id, "kind": "exhibition", "placed_on": "2025-05-01"},
            headers=admin_headers,
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"{BASE}/employments",
            json={
                "person_id": other_person,
                "employer": "شركة",
                "referred_on": "2025-05-01",
                "employed_on": "2025-06-01",
            },
            headers=admin_headers,
        ).status_code
        == 201
    )
    kpis = {
        k["key"]: k["value"]
        for k in client.get(f"{BASE}/kpis?start=2025-01-01&end=2025-12-31", headers=admin_headers).json
    }
    assert kpis[f"{PID}.did_not_return_percent"] == 100.0
    assert kpis[f"{PID}.exhibition_families"] == 1 and kpis[f"{PID}.beneficiaries_employed"] == 1
    assert (
        client.get(f"{BASE}/kpis?start=2025-12-31&end=2025-01-01", headers=admin_headers).status_code == 422
    )


def test_fee_must_be_acknowledged(client, enabled, admin_headers):
    _, person_id = make_family(enabled, 6)
    prisoner = _prisoner(client, admin_headers, person_id, case_type="public_right", insolvent=False)
    program = client.post(
        f"{BASE}/programs",
        json={"code": "paid", "name_ar": "برنامج مدفوع", "name_en": "Paid", "fee": "150"},
        headers=admin_headers,
    ).json
    assert program["fee_halalas"] == 15_000
    r = client.post(
        f"{BASE}/programs/{program['id']}/enrolments",
        json={"prisoner_id": prisoner["id"]},
        headers=admin_headers,
    )
    assert r.status_code == 422 and "fee_acknowledged" in r.json["errors"]
    r = client.post(
        f"{BASE}/programs/{program['id']}/enrolments",
        json={"prisoner_id": prisoner["id"], "fee_acknowledged": True},
        headers=admin_headers,
    )
    assert r.status_code == 201


def test_permissions(client, enabled, staff, token_for):
    r = client.post(
        f"{BASE}/programs",
        json={"code": "pp", "name_ar": "برنامج", "name_en": "Program"},
        headers=token_for(staff["auditor"]),
    )
    assert r.status_code == 403
    assert client.get(f"{BASE}/prisoners", headers=token_for(staff["auditor"])).status_code == 200
    assert (
        client.get(
            f"{BASE}/kpis?start=2025-01-01&end=2025-12-31", headers=token_for(staff["researcher"])
        ).status_code
        == 403
    )
    assert client.get(f"{BASE}/prisoners").status_code == 401


def _ids_of_first_tenant(client, enabled, headers):
    """A full set of objects in tenant ``first``; returns every object URL of the API."""
    household_id, person_id = make_family(enabled, 9)
    prisoner = _prisoner(client, headers, person_id)
    client.post(
        f"{BASE}/prisoners/{prisoner['id']}/families", json={"household_id": household_id}, headers=headers
    )
    case = client.post(
        f"{BASE}/debt-cases",
        json={"prisoner_id": prisoner["id"], "creditor": "دائن", "claimed": "100"},
        headers=headers,
    ).json
    program = client.post(
        f"{BASE}/programs", json={"code": "p1", "name_ar": "برنامج", "name_en": "Program"}, headers=headers
    ).json
    enrolment = client.post(
        f"{BASE}/programs/{program['id']}/enrolments", json={"prisoner_id": prisoner["id"]}, headers=headers
    ).json
    session = client.post(
        f"{BASE}/programs/{program['id']}/sessions", json={"held_on": "2025-01-05"}, headers=headers
    ).json
    client.post(
        f"{BASE}/prisoners/{prisoner['id']}/release", json={"released_on": "2025-02-01"}, headers=headers
    )
    follow_up = client.get(f"{BASE}/follow-ups", headers=headers).json[0]
    return [
        ("get", f"/prisoners/{prisoner['id']}", None),
        ("patch", f"/prisoners/{prisoner['id']}", {"facility": "سجن آخر"}),
        ("post", f"/prisoners/{prisoner['id']}/release", {"released_on": "2025-02-01"}),
        ("get", f"/prisoners/{prisoner['id']}/families", None),
        ("post", f"/prisoners/{prisoner['id']}/families", {"household_id": household_id}),
        ("get", f"/households/{household_id}/eligibility", None),
        ("get", f"/persons/{person_id}/eligibility", None),
        ("get", f"/debt-cases/{case['id']}", None),
        (
            "post",
            f"/debt-cases/{case['id']}/negotiations",
            {"attempted_on": "2025-01-01", "by_whom": "المدير", "outcome": "refused"},
        ),
        (
            "post",
            f"/debt-cases/{case['id']}/payments",
            {"amount": "1", "payer": "فاعل خير", "paid_on": "2025-01-01"},
        ),
        ("get", f"/programs/{program['id']}", None),
        ("get", f"/programs/{program['id']}/enrolments", None),
        ("post", f"/programs/{program['id']}/enrolments", {"prisoner_id": prisoner["id"]}),
        ("get", f"/programs/{program['id']}/sessions", None),
        ("post", f"/programs/{program['id']}/sessions", {"held_on": "2025-01-05"}),
        ("get", f"/enrolments/{enrolment['id']}", None),
        (
            "post",
            f"/enrolments/{enrolment['id']}/interview",
            {"outcome": "passed", "interview_on": "2025-01-01"},
        ),
        (
            "put",
            f"/sessions/{session['id']}/attendance",
            {"marks": [{"enrolment_id": enrolment["id"], "present": True}]},
        ),
        ("post", f"/follow-ups/{follow_up['id']}", {"done_on": "2025-08-01", "returned_to_crime": False}),
    ]


def test_another_tenants_ids_answer_404_on_every_endpoint(
    client, enabled, other_tenant, enable_plugin, staff, make_member, token_for
):
    first_headers = token_for(staff["tenant_admin"])
    urls = _ids_of_first_tenant(client, enabled, first_headers)
    enable_plugin(other_tenant, PID)
    intruder = token_for(make_member("admin@second.example.org", other_tenant, ["tenant_admin"]))
    for method, path, body in urls:
        url = "/t/second/api/v1/prisoner_families" + path
        response = (
            getattr(client, method)(url, json=body, headers=intruder)
            if body
            else getattr(client, method)(url, headers=intruder)
        )
        assert response.status_code in (404, 422), (method, path, response.status_code, response.json)
        if response.status_code == 422:  # a body naming another tenant's object is simply unknown
            assert response.json["errors"], path
    # …and the first tenant's lists stay invisible to the second
    assert client.get("/t/second/api/v1/prisoner_families/prisoners", headers=intruder).json == []
    assert client.get("/t/second/api/v1/prisoner_families/debt-cases", headers=intruder).json == []


def test_disabled_plugin_answers_404_and_keeps_data(client, enabled, enable_plugin, admin_headers):
    _, person_id = make_family(enabled, 10)
    _prisoner(client, admin_headers, person_id)
    enable_plugin(enabled, PID, enabled=False)
    assert client.get(f"{BASE}/prisoners", headers=admin_headers).status_code == 404
    assert client.get("/t/first/prisoner_families/", headers=admin_headers).status_code == 404
    enable_plugin(enabled, PID)
    assert len(client.get(f"{BASE}/prisoners", headers=admin_headers).json) == 1


def test_every_route_is_in_the_openapi_document(client, app):
    spec = client.get("/api/v1/openapi.json").json
    paths = [p for p in spec["paths"] if "/prisoner_families/" in p]
    assert len(paths) >= 20
    rules = [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("prisoner_families_api.")]
    documented = {p.replace("{", "<").replace("}", ">") for p in paths}
    for rule in rules:
        normalized = rule.replace("<int:", "<")
        assert normalized in documented, rule
