"""Redirects stay on this site; every response carries the security headers; cookies are flagged."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urljoin, urlsplit

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.serving import make_server

from core.security import CONTENT_SECURITY_POLICY, safe_redirect_target
from tests.fixtures import PASSWORD, make_app
from tests.forms import post_form

SITE = "https://site.example/t/first/registry/"

NASTY_TARGETS = [
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r\n/evil.com",
    "\t//evil.com",
    " //evil.com",
    "/ /evil.com",
    "/\u00a0/evil.com",  # no-break space
    "/\u3000/evil.com",  # ideographic space
    "/\u2028/evil.com",  # line separator
    "/\u200b/evil.com",  # zero-width space (format character)
    "/\ufeff/evil.com",
    "/\x00/evil.com",
    "/\x7f/evil.com",
    "\\\\evil.com",
    "/\\evil.com",
    "\\/evil.com",
    "/\\/evil.com",
    "//evil.com",
    "///evil.com",
    "https://evil.com",
    "https:/evil.com",
    "https:evil.com",
    "HTTP://evil.com/",
    "//evil.com/%2e%2e",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.com",
    "t/first/",
    "",
    "   ",
    None,
    123,
]


@pytest.mark.parametrize("target", NASTY_TARGETS)
def test_redirect_targets_off_this_site_are_refused(target):
    assert safe_redirect_target(target) is None


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/t/first/registry/",
        "/t/first/registry/?q=%D8%A3&page=2",
        "/admin/#tenants",
        "/a:b",
        "/login?next=/x",
    ],
)
def test_paths_of_this_site_are_kept(target):
    assert safe_redirect_target(target) == target


def _as_a_browser_reads_it(target: str) -> str:
    """What the WHATWG URL parser does first: drop tabs and new lines, trim C0 controls
    and spaces at both ends, read backslashes as slashes."""
    cleaned = "".join(ch for ch in target if ch not in "\t\n\r").strip("".join(map(chr, range(0x21))))
    return cleaned.replace("\\", "/")


@given(
    st.text(alphabet=st.sampled_from("/\\:.@ \t\n\r\x00\x0b\u00a0\u3000\u200bhtpsjavcrievl%09").filter(bool))
)
def test_whatever_is_accepted_stays_on_this_site(target):
    result = safe_redirect_target(target)
    if result is None:
        return
    assert result.startswith("/") and not result.startswith("//") and "\\" not in result
    resolved = urlsplit(urljoin(SITE, _as_a_browser_reads_it(result)))
    assert (resolved.scheme, resolved.netloc) == ("https", "site.example")


@given(st.text())
def test_any_text_gives_a_site_path_or_nothing(target):
    result = safe_redirect_target(target)
    assert result is None or (
        result.startswith("/")
        and not result.startswith("//")
        and urlsplit(urljoin(SITE, _as_a_browser_reads_it(result))).netloc == "site.example"
    )


@pytest.mark.parametrize("target", ["/%09/evil.com", "/%5Cevil.com", "%2F%2Fevil.com", "https://evil.com"])
def test_language_switch_does_not_redirect_off_site(client, target):
    response = client.get(f"/lang/en?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_returns_to_the_page_it_came_from(client):
    response = client.get("/lang/en?next=/t/first/registry/%3Fq%3Dx")
    assert response.headers["Location"] == "/t/first/registry/?q=x"


@pytest.mark.parametrize("target", ["/%09/evil.com", "/%E3%80%80/evil.com", "//evil.com", "/%5C/evil.com"])
def test_login_does_not_redirect_off_site(client, create_user_, target):
    user = create_user_()
    response = client.post(f"/login?next={target}", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_page_asked_for(client, create_user_):
    user = create_user_()
    response = client.post("/login?next=/t/first/registry/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/t/first/registry/"


# --------------------------------------------------------------------------- headers

EXPECTED_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def test_the_policy_allows_no_inline_script_or_style():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


@pytest.mark.parametrize(
    "path",
    ["/login", "/api/v1/openapi.json", "/api/v1/me", "/static/app.css", "/no/such/page", "/api/v1/docs"],
)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # a static file's body is a file
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert response.headers.get("Strict-Transport-Security") == HSTS  # the suite runs production


def test_a_header_the_view_set_is_kept_once_whatever_its_spelling(database_url):
    app = make_app(database_url)

    @app.get("/own-headers")
    def own_headers():
        return "", 204, {"referrer-policy": "no-referrer", "X-FRAME-OPTIONS": "SAMEORIGIN"}

    response = app.test_client().get("/own-headers")
    assert response.headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # the others still added


def test_development_allows_plain_http(database_url):
    development = make_app(database_url, PRODUCTION=False)
    response = development.test_client().get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


def _production_app(database_url):
    return make_app(
        database_url,
        PRODUCTION=True,
        SECRET_KEY="a-private-test-key-for-production-checks",
        ID_ENCRYPTION_KEYS=[Fernet.generate_key().decode()],
        ID_HMAC_KEY="a-private-test-hmac-key",
    )


@contextmanager
def served(application) -> Iterator[tuple[str, int]]:
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def _raw(host_port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(*host_port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def test_a_real_server_sends_the_headers_on_pages_and_api_in_production(database_url, create_user_):
    application = _production_app(database_url)
    with served(application) as address:
        page = _raw(address, "GET", "/login")
        api = _raw(address, "GET", "/api/v1/me")
        openapi = _raw(address, "GET", "/api/v1/openapi.json")
    assert page.status == 200 and api.status == 401 and openapi.status == 200
    for response in (page, api, openapi):
        for name, value in EXPECTED_HEADERS.items():
            assert response.getheader(name) == value, name
        assert response.getheader("Strict-Transport-Security") == HSTS


def test_a_real_server_redirects_only_within_the_site(app):
    with served(app) as address:
        response = _raw(address, "GET", "/lang/en?next=/%09/evil.com")
        good = _raw(address, "GET", "/lang/en?next=/t/first/registry/")
    assert response.status == 302 and response.getheader("Location") == "/"
    assert good.getheader("Location") == "/t/first/registry/"


# --------------------------------------------------------------------------- cookies


def test_session_cookie_is_secure_httponly_and_lax_in_production(database_url, create_user_):
    application = _production_app(database_url)
    client = application.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    user = create_user_()
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "secure" in flags and "httponly" in flags
    assert flags["samesite"].lower() == "samesite=lax"
    assert application.config["REMEMBER_COOKIE_SECURE"] and application.config["REMEMBER_COOKIE_HTTPONLY"]
    assert application.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
