"""The platform API: tenants, plugins per tenant, members; errors and the OpenAPI document."""

from __future__ import annotations

import pytest

from tests.fixtures import make_app


@pytest.fixture
def admin_headers(create_user_, token_for):
    return token_for(create_user_(platform_admin=True))


def test_healthz_reports_database(client):
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_database_is_unreachable(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")
    assert app.test_client().get("/healthz").status_code == 503


def test_openapi_document_covers_every_api_route(client, app):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = set(document["paths"])
    for rule in app.url_map.iter_rules():
        if (
            "/api/v1/" in rule.rule
            and not rule.rule.startswith("/api/v1/openapi")
            and rule.endpoint != "static"
        ):
            if rule.endpoint.startswith("api-docs"):
                continue
            path = rule.rule.replace("<", "{").replace(">", "}")
            path = __import__("re").sub(r"\{\w+:(\w+)\}", r"{\1}", path)
            assert path in documented, f"{rule.rule} missing from the OpenAPI document"
    assert client.get("/api/v1/docs").status_code == 200


def test_platform_admin_creates_and_edits_a_tenant(client, admin_headers):
    body = {
        "slug": "new-assoc",
        "name_ar": "جمعية جديدة",
        "name_en": "New association",
        "founded_hijri": 1440,
    }
    created = client.post("/api/v1/tenants", json=body, headers=admin_headers)
    assert created.status_code == 201 and created.json["slug"] == "new-assoc"
    edited = client.patch("/api/v1/tenants/new-assoc", json={"city": "جدة"}, headers=admin_headers)
    assert edited.status_code == 200 and edited.json["city"] == "جدة"
    listed = client.get("/api/v1/tenants", headers=admin_headers).json
    assert [t["slug"] for t in listed] == ["new-assoc"]


def test_bad_tenant_is_refused_with_translated_field_errors_and_nothing_written(client, admin_headers):
    body = {"slug": "Bad Slug", "name_ar": "", "name_en": "x", "calendar_display": "lunar", "colour": "red"}
    response = client.post("/api/v1/tenants", json=body, headers={**admin_headers, "Accept-Language": "ar"})
    assert response.status_code == 422
    errors = response.json["errors"]
    assert {"slug", "name_ar", "calendar_display", "colour"} <= set(errors)
    assert errors["colour"] == ["حقل غير معروف."]
    assert client.get("/api/v1/tenants", headers=admin_headers).json == []


def test_duplicate_slug_is_refused(client, admin_headers, tenant):
    body = {"slug": "first", "name_ar": "مكرر", "name_en": "Duplicate"}
    response = client.post("/api/v1/tenants?lang=en", json=body, headers=admin_headers)
    assert response.status_code == 422
    assert response.json["errors"]["slug"] == ["Another association already uses this slug."]


def test_non_admin_gets_403_and_anonymous_401(client, tenant, create_user_, token_for):
    headers = token_for(create_user_(roles={tenant: ["tenant_admin"]}))
    assert client.get("/api/v1/tenants", headers=headers).status_code == 403
    assert client.get("/api/v1/tenants").status_code == 401


def test_plugins_are_listed_and_enabled_per_tenant_through_the_api(
    client, admin_headers, tenant, other_tenant
):
    plugins = client.get("/api/v1/plugins", headers=admin_headers).json
    assert "dummy" in [p["id"] for p in plugins]
    response = client.put(
        "/api/v1/tenants/first/plugins/dummy",
        json={"enabled": True, "settings": {"ceiling": 9}},
        headers=admin_headers,
    )
    assert response.status_code == 200
    states = {
        p["plugin_id"]: p for p in client.get("/api/v1/tenants/first/plugins", headers=admin_headers).json
    }
    assert states["dummy"]["enabled"] and states["dummy"]["settings"] == {"greeting": "marhaba", "ceiling": 9}
    others = {
        p["plugin_id"]: p for p in client.get("/api/v1/tenants/second/plugins", headers=admin_headers).json
    }
    assert not others["dummy"]["enabled"]


def test_bad_plugin_settings_through_the_api_answer_422(client, admin_headers, tenant):
    response = client.put(
        "/api/v1/tenants/first/plugins/dummy?lang=en",
        json={"enabled": True, "settings": {"ceiling": 5000}},
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert "ceiling" in response.json["errors"]
    states = {
        p["plugin_id"]: p for p in client.get("/api/v1/tenants/first/plugins", headers=admin_headers).json
    }
    assert not states["dummy"]["enabled"]


def test_unknown_plugin_and_tenant_answer_404(client, admin_headers, tenant):
    assert (
        client.put(
            "/api/v1/tenants/first/plugins/nope", json={"enabled": True}, headers=admin_headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/tenants/nowhere", headers=admin_headers).status_code == 404


def test_tenant_admin_manages_members_through_the_api(client, tenant, create_user_, token_for):
    headers = token_for(create_user_(roles={tenant: ["tenant_admin"]}))
    invited = client.post(
        "/t/first/api/v1/members/", json={"email": "r@example.org", "roles": ["researcher"]}, headers=headers
    )
    assert invited.status_code == 201 and invited.json["status"] == "pending"
    member = create_user_("m@example.org", roles={tenant: ["researcher"]})
    member_id = next(
        m["id"]
        for m in client.get("/t/first/api/v1/members/", headers=headers).json
        if m["user"]["id"] == member.id
    )
    changed = client.patch(
        f"/t/first/api/v1/members/{member_id}", json={"roles": ["auditor"]}, headers=headers
    )
    assert changed.json["roles"] == ["auditor"]
    bad = client.patch(f"/t/first/api/v1/members/{member_id}", json={"roles": ["king"]}, headers=headers)
    assert bad.status_code == 422
    assert client.delete(f"/t/first/api/v1/members/{member_id}", headers=headers).status_code == 204


def test_unknown_api_route_answers_json_404_in_the_requested_language(client):
    response = client.get("/api/v1/nothing-here", headers={"Accept-Language": "ar"})
    assert response.status_code == 404
    assert response.json == {"code": 404, "message": "غير موجود.", "errors": {}}
    assert client.get("/api/v1/nothing-here?lang=en").json["message"] == "Not found."


def test_malformed_json_answers_400_not_500(client, admin_headers):
    response = client.post(
        "/api/v1/tenants", data="{not json", headers={**admin_headers, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert "code" in response.json
