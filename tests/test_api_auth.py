"""API authentication as API clients expect it, in the production configuration.

The token endpoint authenticates by credentials (no CSRF); a bearer-token request needs no CSRF;
a session-cookie request needs it whatever other headers it carries; a bad bearer token is 401
before anything else. Authentication and permission come before the body: 401 → 403 → 404 → 422.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from core.auth.api_auth import SAFE_METHODS, requirement_of
from core.auth.models import TENANT_ROLES, ApiToken
from core.extensions import db
from core.plugins import get_host
from core.registry import Person
from tests.fixtures import PASSWORD
from tests.registry.factories import person_payload

README = Path(__file__).resolve().parent.parent / "README.md"
CSRF_MESSAGE_AR = "انتهت صلاحية النموذج أو أُرسل من مصدر آخر. يرجى المحاولة مرة أخرى."
BAD_PERSON = {"first_name": 12, "no_such_field": True}
JUNK = {"Authorization": "Bearer not-a-token"}


def _persons(app, tenant) -> int:
    from core.tenancy import tenant_context

    with app.app_context(), tenant_context(tenant):
        return db.session.scalar(db.select(db.func.count()).select_from(Person))


# ------------------------------------------------------------------ the README, through a real server


def _readme_api_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("- **API**") :]
    return section[section.index("```sh") + len("```sh") : section.index("```", section.index("```sh") + 5)]


@pytest.fixture
def demo_accounts(create_tenant, create_user_):
    makkah = create_tenant("makkah")
    create_user_("tenant-admin@makkah.example.org", roles={makkah: ["tenant_admin"]})
    create_user_("admin@platform.example.org", platform_admin=True)
    return makkah


def _http(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the test's own server
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_readme_token_request_works_over_http_and_the_token_reads_a_tenant_api(live_server, demo_accounts):
    """The README's first curl, as the bytes it sends (no cookie, no CSRF token), to a real server."""
    status, body = _http(
        "POST",
        f"{live_server}/api/v1/auth/token",
        {"email": "tenant-admin@makkah.example.org", "password": PASSWORD},
    )
    assert status == 201, body
    bearer = {"Authorization": f"Bearer {body['token']}"}
    status, households = _http("GET", f"{live_server}/t/makkah/api/v1/households", headers=bearer)
    assert status == 200 and households == []
    status, created = _http(
        "POST", f"{live_server}/t/makkah/api/v1/persons", {"first_name": "سارة"}, headers=bearer
    )
    assert status == 422 and "family_name" in created["errors"]  # a write, no CSRF asked


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's commands need curl")
def test_readme_api_commands_run_verbatim_against_a_real_server(live_server, demo_accounts):
    host = live_server.removeprefix("http://")
    script = _readme_api_block().replace("127.0.0.1:5000", host)
    assert "curl" in script and host in script
    # The README's demo password: the accounts here use the suite's password instead.
    script = script.replace("demo-pass-2026", PASSWORD)
    result = subprocess.run(  # noqa: S603
        ["bash", "-euo", "pipefail", "-c", script],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outputs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    me, households = outputs[-2], outputs[-1]
    assert me["email"] == "tenant-admin@makkah.example.org"
    assert me["memberships"] == [{"tenant": "makkah", "roles": ["tenant_admin"]}]
    assert households == []


# ------------------------------------------------------------------ CSRF: cookie versus token


def test_token_endpoint_needs_no_csrf_even_from_a_browser_session(client, tenant, create_user_, login):
    user = create_user_(roles={tenant: ["researcher"]})
    body = {"email": user.email, "password": PASSWORD}
    assert client.post("/api/v1/auth/token", json=body, csrf=False).status_code == 201
    login(user)
    assert client.post("/api/v1/auth/token", json=body, csrf=False).status_code == 201


def test_cookie_session_api_write_without_csrf_token_is_refused_translated(
    app, client, tenant, create_user_, login
):
    login(create_user_(roles={tenant: ["relations_officer"]}))
    body = person_payload()
    refused = client.post("/t/first/api/v1/persons", json=body, headers={"Accept-Language": "ar"}, csrf=False)
    assert refused.status_code == 400 and refused.json["message"] == CSRF_MESSAGE_AR
    assert _persons(app, tenant) == 0
    assert client.post("/t/first/api/v1/persons", json=body).status_code == 201  # X-CSRFToken sent


def test_cookie_session_form_post_without_csrf_token_is_refused_translated(
    client, tenant, create_user_, login
):
    login(create_user_(roles={tenant: ["tenant_admin"]}))
    form = {"email": "new@example.org", "name": "New", "password": PASSWORD, "roles": ["researcher"]}
    refused = client.post("/t/first/admin/users?lang=ar", data=form, csrf=False)
    assert refused.status_code == 400
    assert CSRF_MESSAGE_AR in refused.get_data(as_text=True)
    assert "new@example.org" not in client.get("/t/first/admin/users").get_data(as_text=True)


def test_junk_bearer_header_does_not_switch_csrf_off_for_a_cookie_session(
    app, client, tenant, create_user_, login
):
    login(create_user_(roles={tenant: ["relations_officer"]}))
    response = client.post("/t/first/api/v1/persons", json=person_payload(), headers=JUNK)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert _persons(app, tenant) == 0


def test_valid_bearer_token_needs_no_csrf_and_is_the_identity(
    app, client, tenant, create_user_, login, token_for
):
    login(create_user_(email="cookie@example.org", roles={tenant: ["auditor"]}))
    headers = token_for(create_user_(email="token@example.org", roles={tenant: ["relations_officer"]}))
    created = client.post("/t/first/api/v1/persons", json=person_payload(), headers=headers)
    assert created.status_code == 201
    assert client.get("/api/v1/me", headers=headers).json["email"] == "token@example.org"
    assert client.get("/api/v1/me").json["email"] == "cookie@example.org"


def test_bearer_request_does_not_start_a_session(client, create_user_, token_for):
    response = client.get("/api/v1/me", headers=token_for(create_user_()))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")  # the cookie session was not even read


def test_a_cookie_request_still_varies_by_cookie(client, create_user_, login):
    login(create_user_())
    response = client.get("/api/v1/me")
    assert response.status_code == 200 and "Cookie" in response.headers["Vary"]


# ------------------------------------------------------------------ a bad token: 401 before anything


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/v1/openapi.json"),
        ("get", "/t/first/api/v1/dummy/ping"),  # needs no login (and the plugin is off: 404 otherwise)
        ("post", "/api/v1/auth/token"),
        ("post", "/t/no-such-tenant/api/v1/persons"),
        ("post", "/login"),
        ("get", "/t/first/"),
    ],
)
def test_invalid_bearer_token_is_401_before_csrf_tenant_and_body(client, tenant, method, url):
    response = getattr(client, method)(
        url, data="{not json", headers={**JUNK, "Content-Type": "application/json"}
    )
    assert response.status_code == 401, response.get_data(as_text=True)[:300]
    assert response.is_json and response.json["code"] == 401
    assert re.fullmatch(r'Bearer error="?invalid_token"?', response.headers["WWW-Authenticate"])


@pytest.mark.parametrize("state", ["revoked", "expired", "inactive user", "empty"])
def test_revoked_expired_and_empty_tokens_are_401(app_ctx, client, tenant, create_user_, token_for, state):
    from datetime import timedelta

    from core.auth.models import User
    from core.tenancy import utcnow

    user = create_user_(roles={tenant: ["tenant_admin"]})
    headers = token_for(user) if state != "empty" else {"Authorization": "Bearer "}
    token = db.session.scalars(db.select(ApiToken)).first()
    if state == "revoked":
        token.revoked_at = utcnow()
    elif state == "expired":
        token.expires_at = utcnow() - timedelta(seconds=1)
    elif state == "inactive user":
        db.session.get(User, user.id).is_active = False
    db.session.commit()
    response = client.post("/t/first/api/v1/persons", json=BAD_PERSON, headers=headers)
    assert response.status_code == 401


# ------------------------------------------------------------------ 401 → 403 → 404 → 422


def test_bogus_token_with_bad_body_is_401(client, tenant):
    assert client.post("/t/first/api/v1/persons", json=BAD_PERSON, headers=JUNK).status_code == 401


def test_no_credentials_with_bad_body_is_401(client, tenant):
    assert client.post("/t/first/api/v1/persons", json=BAD_PERSON, csrf=False).status_code == 401


def test_role_without_the_permission_with_bad_body_is_403(client, tenant, create_user_, token_for):
    headers = token_for(create_user_(roles={tenant: ["finance_officer"]}))
    assert client.post("/t/first/api/v1/persons", json=BAD_PERSON, headers=headers).status_code == 403


def test_cookie_session_without_the_permission_with_bad_body_is_403(client, tenant, create_user_, login):
    login(create_user_(roles={tenant: ["finance_officer"]}))
    assert client.post("/t/first/api/v1/persons", json=BAD_PERSON).status_code == 403


def test_unknown_tenant_with_good_auth_and_bad_body_is_404(client, tenant, create_user_, token_for):
    headers = token_for(create_user_(roles={tenant: ["tenant_admin"]}))
    assert client.post("/t/no-such/api/v1/persons", json=BAD_PERSON, headers=headers).status_code == 404


def test_plugin_not_enabled_for_the_tenant_with_bad_body_is_404(client, tenant, create_user_, token_for):
    headers = token_for(create_user_(roles={tenant: list(TENANT_ROLES)}))
    response = client.post("/t/first/api/v1/makkah_aid/rounds", json={"due": []}, headers=headers)
    assert response.status_code == 404


def test_other_tenants_object_is_404(app, client, tenant, other_tenant, create_user_, token_for):
    from core.registry.schemas import PersonSchema
    from core.registry.services import create_person
    from core.tenancy import tenant_context

    with app.app_context(), tenant_context(other_tenant):
        person = create_person(PersonSchema().load(person_payload()))
        db.session.commit()
        person_id = person.id
    headers = token_for(create_user_(roles={tenant: ["relations_officer"]}))
    response = client.patch(
        f"/t/first/api/v1/persons/{person_id}", json={"first_name": "نورة"}, headers=headers
    )
    assert response.status_code == 404


def test_good_auth_with_bad_body_is_422_by_field(client, tenant, create_user_, token_for):
    headers = token_for(create_user_(roles={tenant: ["relations_officer"]}))
    response = client.post("/t/first/api/v1/persons", json=BAD_PERSON, headers=headers)
    assert response.status_code == 422 and "first_name" in response.json["errors"]


# ------------------------------------------------------------------ the sweep: every API rule


def _api_rules(app):
    for rule in app.url_map.iter_rules():
        if "/api/v1/" in rule.rule and not rule.endpoint.startswith("api-docs") and rule.endpoint != "static":
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def _url(rule) -> str:
    def value(match):
        converter, name = match.group(1), match.group(2)
        return "first" if name == "tenant" else ("1" if converter in ("int:", "float:") else "x")

    return re.sub(r"<([a-z]+:)?([^>]+)>", value, rule.rule)


# Unsafe API endpoints anyone may call: they authenticate the request themselves.
PUBLIC_UNSAFE = {
    ("POST", "auth_api.create_token"),
    ("DELETE", "auth_api.delete_token"),
    # the survey link: its signed single-use token is the credential (core/surveys/api.py)
    ("POST", "surveys_api.answer"),
    # a forgotten password: authenticated by the reset link's token in the body (issue 12)
    ("POST", "account_api.api_forgot"),
    ("POST", "account_api.api_reset"),
    # a partner organisation's link to one referral: the link's token (only its hash is kept) is
    # the credential, it expires and is audited on every use (plugins/crime_victims/api_partner.py)
    ("POST", "crime_victims_api.partner_report"),
}


@pytest.fixture
def every_plugin_enabled(app, tenant, enable_plugin):
    for plugin_id in get_host(app).plugins:
        if plugin_id != "external":
            enable_plugin(tenant, plugin_id)


def test_every_api_endpoint_answers_401_to_a_bogus_token_whatever_the_body(app, client, every_plugin_enabled):
    checked = 0
    for rule, method in _api_rules(app):
        response = client.open(_url(rule), method=method, json=BAD_PERSON, headers=JUNK)
        assert response.status_code == 401, (method, rule.rule, response.status_code)
        checked += 1
    assert checked > 100


def test_every_api_write_needs_a_login_before_its_body_is_read(app, client, every_plugin_enabled):
    """No credentials, a bad body: 401 (never 422, never 400 for CSRF), except the token endpoint."""
    public = set()
    with app.test_request_context():
        for rule, method in _api_rules(app):
            if method in SAFE_METHODS:
                continue
            if requirement_of(rule.endpoint) is None:
                public.add((method, rule.endpoint))
                continue
            response = client.open(_url(rule), method=method, json=BAD_PERSON, csrf=False)
            assert response.status_code == 401, (method, rule.rule, response.status_code)
    assert public == PUBLIC_UNSAFE, "a new unsafe API endpoint without requires()/login_required"


def test_every_permission_is_checked_before_the_body(
    app, client, tenant, create_user_, token_for, every_plugin_enabled
):
    """A user with no role anywhere: 403 on every ``requires`` endpoint and on every association
    endpoint that needs a login, never 422 (the body is not read)."""
    headers = token_for(create_user_())
    checked = 0
    with app.test_request_context():
        rules = [
            (rule, method)
            for rule, method in _api_rules(app)
            if (needed := requirement_of(rule.endpoint)) and (needed.actions or "<tenant>" in rule.rule)
        ]
    for rule, method in rules:
        response = client.open(_url(rule), method=method, json=BAD_PERSON, headers=headers)
        assert response.status_code == 403, (method, rule.rule, response.status_code)
        checked += 1
    assert checked > 100


def test_a_role_without_the_permission_gets_403_before_the_body_on_every_endpoint(
    app, client, tenant, create_user_, token_for, every_plugin_enabled
):
    """An auditor (a member: reads the audit trail) posting bad bodies to what it may not do: 403."""
    from core.auth import can
    from core.tenancy import tenant_context

    auditor = create_user_(roles={tenant: ["auditor"]})
    headers = token_for(auditor)
    with app.test_request_context(), tenant_context(tenant):
        rules = [
            (rule, method)
            for rule, method in _api_rules(app)
            if "<tenant>" in rule.rule
            and (needed := requirement_of(rule.endpoint))
            and needed.actions
            and not any(can(auditor, action) for action in needed.actions)
        ]
    for rule, method in rules:
        response = client.open(_url(rule), method=method, json=BAD_PERSON, headers=headers)
        assert response.status_code == 403, (method, rule.rule, response.status_code)
    assert len(rules) > 50
