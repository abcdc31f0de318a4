"""Building a versioned survey through the API: question rules, publishing, new versions."""

from __future__ import annotations

from core.extensions import db
from core.surveys.models import SurveyQuestion, SurveyVersion
from core.tenancy import tenant_context

BASE = "/t/first/api/v1/surveys"

RATING = {"kind": "rating", "text_ar": "ما مدى رضاك؟", "text_en": "How satisfied are you?", "feeds_kpi": True}


def _new_survey(client, headers):
    created = client.post(
        f"{BASE}/",
        json={"code": "service", "name_ar": "استبانة الخدمة", "name_en": "Service survey"},
        headers=headers,
    )
    assert created.status_code == 201, created.json
    versions = client.get(f"{BASE}/{created.json['id']}/versions", headers=headers).json
    return created.json, versions[0]


def test_only_the_tenant_admin_builds_surveys(client, staff, token_for):
    body = {"code": "service", "name_ar": "استبانة الخدمة", "name_en": "Service survey"}
    assert client.post(f"{BASE}/", json=body, headers=token_for(staff["researcher"])).status_code == 403
    assert client.post(f"{BASE}/", json=body, headers=token_for(staff["tenant_admin"])).status_code == 201


def test_question_rules_give_field_errors_and_write_nothing(client, staff, token_for, tenant):
    headers = token_for(staff["tenant_admin"])
    _survey, version = _new_survey(client, headers)
    url = f"{BASE}/versions/{version['id']}/questions"
    cases = [
        ({**RATING, "kind": "stars"}, "kind"),
        ({**RATING, "text_ar": ""}, "text_ar"),
        ({**RATING, "text_en": "x"}, "text_en"),
        ({**RATING, "kind": "yes_no"}, "feeds_kpi"),  # only a rating feeds the KPI
        (
            {
                **RATING,
                "kind": "choice",
                "feeds_kpi": False,
                "choices": [{"code": "aa", "ar": "أ", "en": "A"}],
            },
            "choices",
        ),
        (
            {**RATING, "kind": "text", "feeds_kpi": False, "choices": [{"code": "aa", "ar": "أ", "en": "A"}]},
            "choices",
        ),
    ]
    for body, field in cases:
        response = client.post(url, json=body, headers=headers)
        assert response.status_code == 422 and field in response.json["errors"], (body, response.json)
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(SurveyQuestion.id))) == 0


def test_publishing_needs_one_kpi_rating_and_freezes_the_version(client, staff, token_for):
    headers = token_for(staff["tenant_admin"])
    survey, version = _new_survey(client, headers)
    publish = f"{BASE}/versions/{version['id']}/publish"
    assert "questions" in client.post(publish, headers=headers).json["errors"]
    url = f"{BASE}/versions/{version['id']}/questions"
    client.post(url, json={**RATING, "feeds_kpi": False}, headers=headers)
    assert "feeds_kpi" in client.post(publish, headers=headers).json["errors"]
    kpi = client.post(url, json=RATING, headers=headers)
    assert kpi.status_code == 201
    second_kpi = client.post(url, json=RATING, headers=headers)
    assert second_kpi.status_code == 422 and "feeds_kpi" in second_kpi.json["errors"]
    published = client.post(publish, headers=headers)
    assert published.status_code == 200 and published.json["state"] == "published"
    # frozen: no new question, no removal
    assert client.post(url, json={**RATING, "feeds_kpi": False}, headers=headers).status_code == 409
    assert client.delete(f"{BASE}/questions/{kpi.json['id']}", headers=headers).status_code == 409
    # a new version copies the questions; publishing it retires the old one
    draft = client.post(f"{BASE}/{survey['id']}/versions", headers=headers)
    assert draft.status_code == 201 and draft.json["number"] == 2 and len(draft.json["questions"]) == 2
    assert client.post(f"{BASE}/{survey['id']}/versions", headers=headers).status_code == 409  # one draft
    client.post(f"{BASE}/versions/{draft.json['id']}/publish", headers=headers)
    states = [v["state"] for v in client.get(f"{BASE}/{survey['id']}/versions", headers=headers).json]
    assert states == ["retired", "published"]


def test_the_first_survey_is_the_one_sent_until_another_is_chosen(client, staff, token_for, tenant):
    headers = token_for(staff["tenant_admin"])
    first, _version = _new_survey(client, headers)
    second = client.post(
        f"{BASE}/",
        json={"code": "other", "name_ar": "استبانة أخرى", "name_en": "Other survey"},
        headers=headers,
    ).json
    assert first["for_invitations"] is True and second["for_invitations"] is False
    assert client.post(f"{BASE}/{second['id']}/invitations-use", headers=headers).json["for_invitations"]
    flags = {s["code"]: s["for_invitations"] for s in client.get(f"{BASE}/", headers=headers).json}
    assert flags == {"service": False, "other": True}
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(SurveyVersion.id))) == 2


def test_settings_are_validated_field_by_field(client, staff, token_for):
    headers = token_for(staff["tenant_admin"])
    bad = client.patch(
        f"{BASE}/settings",
        json={"sampling": "some", "threshold": 6, "target_margin": 0, "free_text_roles": ["janitor"]},
        headers=headers,
    )
    assert bad.status_code == 422
    assert {"sampling", "threshold", "target_margin", "free_text_roles"} <= set(bad.json["errors"])
    good = client.patch(f"{BASE}/settings", json={"sampling": "sample", "threshold": 5}, headers=headers)
    assert good.status_code == 200 and good.json["sampling"] == "sample" and good.json["threshold"] == 5
    assert client.get(f"{BASE}/settings", headers=headers).json["threshold"] == 5
