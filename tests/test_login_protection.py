"""Failed logins on the form and the API count together, per account and per address:
back-off, then a lockout that a platform admin can lift. In Redis when REDIS_URL is set."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.auth.throttle import Policy, Record, login_guard, wait_seconds
from tests.fixtures import PASSWORD, make_app
from tests.forms import csrf_token, post_form

WRONG = "not-the-password"


def _retry_after(response) -> int:
    """Flask-Limiter (when on) answers the longer of its own wait and ours."""
    return int(response.headers["Retry-After"])


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


SMALL_LIMITS = {
    "LOGIN_BACKOFF_AFTER": 2,
    "LOGIN_LOCKOUT_AFTER": 4,
    "LOGIN_LOCKOUT_MINUTES": 15,
    "LOGIN_IP_BACKOFF_AFTER": 0,
    "LOGIN_IP_LOCKOUT_AFTER": 50,
}


def _guarded_app(database_url, clock: Clock, **settings):
    # The request-rate limit is lifted: these tests count failed logins, not requests.
    settings.setdefault("LOGIN_RATE_LIMIT", "1000 per minute")
    # Counts in this app's memory (its fake clock), unless the test brings its own Redis.
    settings.setdefault("REDIS_URL", None)
    application = make_app(database_url, **{**SMALL_LIMITS, **settings})
    with application.app_context():
        login_guard().clock = clock
    return application


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guarded(database_url, clock):
    return _guarded_app(database_url, clock)


def _form(client, email, password=WRONG):
    return post_form(client, "/login?lang=en", {"email": email, "password": password})


def _api(client, email, password=WRONG):
    return client.post("/api/v1/auth/token?lang=en", json={"email": email, "password": password})


def test_form_and_api_share_one_counter_with_back_off_then_lockout(guarded, clock, create_user_):
    user = create_user_()
    client = guarded.test_client()
    assert _form(client, user.email).status_code == 422
    assert _api(client, user.email).status_code == 401

    # two failures: the next attempt must wait a second, even with the right password
    waiting = _api(client, user.email, PASSWORD)
    assert waiting.status_code == 429 and _retry_after(waiting) >= 1
    assert "Wait 1 second and try again" in waiting.json["message"]  # ngettext: one second
    page = _form(client, user.email, PASSWORD)
    assert page.status_code == 429 and "Wait 1 second and try again" in page.get_data(as_text=True)

    clock.advance(1)
    assert _form(client, user.email).status_code == 422
    assert "Wait 2 seconds" in _api(client, user.email, PASSWORD).json["message"]  # the wait doubles
    clock.advance(2)
    locked = _api(client, user.email)  # the fourth failure locks the account
    assert locked.status_code == 429 and _retry_after(locked) >= 15 * 60 - 1
    assert "locked for 15 minutes" in locked.json["message"]

    clock.advance(10 * 60)
    page = _form(client, user.email, PASSWORD)
    assert page.status_code == 429 and "locked for 5 minutes" in page.get_data(as_text=True)
    clock.advance(5 * 60)
    assert _form(client, user.email, PASSWORD).status_code == 302


def test_a_locked_account_gets_a_translated_message_on_the_form(database_url, clock, create_user_):
    application = _guarded_app(database_url, clock, LOGIN_BACKOFF_AFTER=0, LOGIN_LOCKOUT_AFTER=2)
    user = create_user_()
    client = application.test_client()
    post_form(client, "/login", {"email": user.email, "password": WRONG})
    response = post_form(client, "/login?lang=ar", {"email": user.email, "password": WRONG})
    assert response.status_code == 429 and _retry_after(response) >= 899
    assert "مقفل" in response.get_data(as_text=True)


def test_the_email_is_counted_however_it_is_written(guarded, create_user_):
    create_user_(email="case@example.org")
    client = guarded.test_client()
    _form(client, " CASE@example.org")
    _api(client, "Case@Example.org")
    assert _form(client, "case@example.org", PASSWORD).status_code == 429


def test_a_successful_login_forgets_the_accounts_failures(guarded, clock, create_user_):
    user = create_user_()
    client = guarded.test_client()
    _form(client, user.email)
    assert _form(client, user.email, PASSWORD).status_code == 302
    _api(client, user.email)
    assert _api(client, user.email, PASSWORD).status_code == 201  # one failure only: no wait


def test_failures_are_forgotten_after_the_window(guarded, clock, create_user_):
    user = create_user_()
    client = guarded.test_client()
    _form(client, user.email)
    clock.advance(16 * 60)
    _form(client, user.email)
    assert _api(client, user.email, PASSWORD).status_code == 201


def test_guessing_at_many_accounts_from_one_address_is_locked(database_url, clock, create_user_):
    application = _guarded_app(database_url, clock, LOGIN_IP_LOCKOUT_AFTER=3)
    user = create_user_()
    client = application.test_client()
    for n in range(3):
        _form(client, f"guess{n}@example.org")
    refused = _api(client, user.email, PASSWORD)
    assert refused.status_code == 429 and "from your network" in refused.json["message"]
    elsewhere = application.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"  # another client address (no traffic is sent)
    assert _api(elsewhere, user.email, PASSWORD).status_code == 201


def _lock(client, clock, email):
    """Four failures, a minute apart (past each back-off): the account is locked."""
    for _ in range(4):
        clock.advance(60)
        _api(client, email)
    assert _api(client, email, PASSWORD).status_code == 429


def test_a_platform_admin_unlocks_an_account_on_the_admin_page(guarded, clock, create_user_):
    user = create_user_(email="locked@example.org")
    admin = create_user_(email="root@example.org", platform_admin=True)
    client = guarded.test_client()
    _lock(client, clock, user.email)

    admin_client = guarded.test_client()
    assert _form(admin_client, admin.email, PASSWORD).status_code == 302
    page = admin_client.get("/admin/lockouts?lang=en").get_data(as_text=True)
    assert "locked@example.org" in page and 'id="locked-accounts"' in page
    response = post_form(admin_client, "/admin/lockouts/unlock?lang=en", {"email": user.email})
    assert response.status_code == 302
    assert "No account is locked." in admin_client.get("/admin/lockouts?lang=en").get_data(as_text=True)
    assert _form(client, user.email, PASSWORD).status_code == 302


def test_only_platform_admins_see_the_lockouts_page(guarded, tenant, create_user_):
    user = create_user_(roles={tenant: ["tenant_admin"]})
    client = guarded.test_client()
    _form(client, user.email, PASSWORD)
    assert client.get("/admin/lockouts").status_code == 403
    assert post_form(client, "/admin/lockouts/unlock", {"email": user.email}).status_code == 403


def test_unlock_with_the_cli_and_the_api(guarded, clock, create_user_, token_for):
    user = create_user_(email="locked@example.org")
    admin = create_user_(platform_admin=True)
    plain = create_user_()
    client = guarded.test_client()

    _lock(client, clock, user.email)
    with guarded.app_context():  # the CLI runs in the app context already pushed
        result = guarded.test_cli_runner().invoke(args=["users", "unlock", "LOCKED@example.org"])
    assert result.exit_code == 0 and "locked@example.org is unlocked." in result.output
    assert _api(client, user.email, PASSWORD).status_code == 201

    _lock(client, clock, user.email)
    api = guarded.test_client()
    assert (
        api.post("/api/v1/auth/unlock", json={"email": user.email}, headers=token_for(plain)).status_code
        == 403
    )
    response = api.post("/api/v1/auth/unlock", json={"email": user.email}, headers=token_for(admin))
    assert response.status_code == 200 and response.json == {"email": user.email, "was_locked": True}
    assert _api(client, user.email, PASSWORD).status_code == 201


@given(
    failures=st.integers(0, 40),
    since=st.floats(0, 10_000, allow_nan=False),
    backoff_after=st.integers(1, 10),
)
def test_the_wait_never_shrinks_with_more_failures_and_ends(failures, since, backoff_after):
    policy = Policy(backoff_after, 0, 900, 900, 300)
    now = 1_000_000.0
    fewer = wait_seconds(Record(failures, now - since), policy, now)[0]
    more = wait_seconds(Record(failures + 1, now - since), policy, now)[0]
    assert more >= fewer
    assert wait_seconds(Record(failures, now - 301), policy, now) == (0, False)


# --------------------------------------------------------------------------- Redis

REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture
def redis_url() -> Iterator[str]:
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def test_every_process_sees_the_same_counts_in_redis(database_url, redis_url, clock, create_user_):
    """Two apps (two web processes) on one Redis: failures, lockouts and unlocks are shared."""
    first = _guarded_app(database_url, clock, REDIS_URL=redis_url, RATELIMIT_STORAGE_URI="memory://")
    second = _guarded_app(database_url, clock, REDIS_URL=redis_url, RATELIMIT_STORAGE_URI="memory://")
    user = create_user_(email="shared@example.org")
    one, two = first.test_client(), second.test_client()

    _form(one, user.email)
    _api(two, user.email)
    assert _api(one, user.email, PASSWORD).status_code == 429  # back-off after 2, across processes
    clock.advance(1)
    _form(two, user.email)
    clock.advance(2)
    _form(one, user.email)
    assert "locked" in _api(two, user.email, PASSWORD).json["message"]
    with first.app_context():
        assert [email for email, _until in login_guard().locked_accounts()] == [user.email]

    with second.app_context():
        assert second.test_cli_runner().invoke(args=["users", "unlock", user.email]).exit_code == 0
    assert _form(one, user.email, PASSWORD).status_code == 302
    with second.app_context():
        login_guard().store.client.close()
    with first.app_context():
        login_guard().store.client.close()


def test_the_request_rate_limit_counts_form_and_api_together(database_url, clock, create_user_):
    application = _guarded_app(
        database_url, clock, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", LOGIN_BACKOFF_AFTER=0
    )
    user = create_user_()
    client = application.test_client()
    token = csrf_token(client)
    form = [
        client.post("/login", data={"email": user.email, "password": WRONG, "csrf_token": token}).status_code
        for _ in range(2)
    ]
    assert form == [422, 422]
    assert _api(client, user.email).status_code == 401
    assert _api(client, user.email, PASSWORD).status_code == 429  # the fourth login request this minute
