"""The clients of ``bench/load.py`` (locust headless; not run on its own).

Every client logs in before the measured window (even clients through the login form with the
page's CSRF token and the session cookie, odd clients for a bearer token), then creates and
submits aid requests through the API; one probe client reads a request every half second. The
window opens when the last client has logged in (statistics reset) and closes after
``LOAD_SECONDS``: the figures are written to ``LOAD_RESULTS`` and the run stops by itself.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

import gevent
from gevent.event import Event
from locust import FastHttpUser, between, constant, events, task

ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text()) if "LOAD_ACCOUNTS" in os.environ else []
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
LOW, HIGH = (float(x) for x in os.environ.get("LOAD_WAIT", "5,15").split(","))
TARGET_MS = 1000
# Logging in is before the window (argon2 on purpose costs ~0.1 s of a core each): a client whose
# login timed out while the others logged in tries again, at most this often.
LOGIN_ATTEMPTS = 4

_next_account = itertools.count()
_ready = Event()
_logged_in = [0]
_login_failures: list[str] = []
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FLOW = "create+submit"
PROBE = "GET /t/<slug>/api/v1/requests/<id> (probe)"


def _session_cookie(response) -> str | None:
    for name, value in response.headers.items():
        if name.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0]
    return None


class _Client(FastHttpUser):
    abstract = True
    connection_timeout = 30
    network_timeout = 60

    def _log_in(self, account: dict, form: bool) -> None:
        """The real login: the form (CSRF token of the page, session cookie) or the token endpoint."""
        address = f"10.{self.number // 250 % 250}.{self.number % 250}.{random.randint(1, 250)}"
        origin = f"https://{self.host.split('://', 1)[1]}"
        # Through the reverse proxy: the client's own address, TLS ended at the proxy.
        # Every call on a connection of its own, as nginx talks to its upstream by default
        # (HTTP/1.0, no upstream keep-alive): a connection left idle in the client's pool (the
        # login's) raced gunicorn's keep-alive close (5 s) when reused, seconds later, by a create.
        self.headers = {
            "X-Forwarded-For": address,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "ar",
            "Connection": "close",
        }
        if not form:
            answer = self.client.post(
                "/api/v1/auth/token",
                json={"email": account["email"], "password": PASSWORD, "name": "load"},
                headers=self.headers,
                name="POST /api/v1/auth/token (login)",
            )
            if answer.status_code != 201:
                raise RuntimeError(f"token endpoint answered {answer.status_code}")
            self.headers["Authorization"] = f"Bearer {answer.json()['token']}"
            return
        page = self.client.get("/login", headers=self.headers, name="GET /login (login)")
        if page.status_code != 200:
            raise RuntimeError(f"login page answered {page.status_code}")
        cookie = _session_cookie(page)
        token = _CSRF.search(page.text).group(1)
        answer = self.client.post(
            "/login",
            data={"email": account["email"], "password": PASSWORD, "csrf_token": token},
            headers={**self.headers, "Cookie": cookie, "Referer": f"{origin}/login"},
            name="POST /login (login)",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"login form answered {answer.status_code}")
        cookie = _session_cookie(answer) or cookie
        # The token a page of the association carries (its logout form), sent as X-CSRFToken.
        home = self.client.get(
            f"/t/{account['slug']}/",
            headers={**self.headers, "Cookie": cookie},
            name="GET /t/<slug>/ (login)",
        )
        self.headers.update(
            {"Cookie": _session_cookie(home) or cookie, "X-CSRFToken": _CSRF.search(home.text).group(1)}
        )
        self.headers["Referer"] = f"{origin}/t/{account['slug']}/"

    def on_start(self) -> None:
        self.number = next(_next_account)
        self.account = ACCOUNTS[self.number % len(ACCOUNTS)]
        self.base = f"/t/{self.account['slug']}/api/v1/requests"
        for attempt in range(LOGIN_ATTEMPTS):
            try:
                self._log_in(self.account, form=self.number % 2 == 0)
                self.prepare()
                break
            except Exception as exc:  # noqa: BLE001 - retried, then reported as a problem of the run
                if attempt == LOGIN_ATTEMPTS - 1:
                    _login_failures.append(f"client {self.number}: {exc!r}")
                gevent.sleep(2 + 2 * attempt)
        _logged_in[0] += 1
        if _logged_in[0] == self.environment.runner.target_user_count and not _ready.is_set():
            self.environment.runner.stats.reset_all()
            _ready.set()
            gevent.spawn(_close_window, self.environment)
        _ready.wait()
        # People do not all press "submit" at the same instant: the first call of each client
        # comes at a random moment of its first wait (else 200 create+submit arrive at once).
        gevent.sleep(random.uniform(0, HIGH) if isinstance(self, Officer) else 0)

    def prepare(self) -> None:
        pass

    def create(self) -> int | None:
        answer = self.client.post(
            self.base + "/",
            json={
                "channel": "phone",
                "applicant_name": f"متقدم الحمل {self.number}",
                "summary": "طلب مساعدة",
            },
            headers=self.headers,
            name="POST /t/<slug>/api/v1/requests/",
        )
        return answer.json()["id"] if answer.status_code == 201 else None


class Officer(_Client):
    """A relations officer registering requests received by phone, one every few seconds."""

    weight = 1000
    wait_time = between(LOW, HIGH)

    @task
    def create_and_submit(self) -> None:
        started = time.perf_counter()
        error = None
        request_id = self.create()
        if request_id is None:
            error = RuntimeError("create failed")
        else:
            answer = self.client.post(
                f"{self.base}/{request_id}/submit",
                json={"declaration": True, "signed_by": f"متقدم الحمل {self.number}"},
                headers=self.headers,
                name="POST /t/<slug>/api/v1/requests/<id>/submit",
            )
            if answer.status_code != 200 or not answer.json().get("number"):
                error = RuntimeError(f"submit answered {answer.status_code}")
        events.request.fire(
            request_type="FLOW",
            name=FLOW,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )


class Probe(_Client):
    """Reads one request twice a second: how long does anyone wait for a page under the load?"""

    fixed_count = 1
    wait_time = constant(0.5)

    def prepare(self) -> None:
        self.request_id = self.create()
        if self.request_id is None:
            raise RuntimeError("the probe's request was not created")

    @task
    def read(self) -> None:
        self.client.get(f"{self.base}/{self.request_id}", headers=self.headers, name=PROBE)


_first_login = [0.0]


@events.test_start.add_listener
def _started(environment, **kwargs) -> None:
    _first_login[0] = time.monotonic()


@events.test_stop.add_listener
def _stopped(environment, **kwargs) -> None:
    """The ceiling (``--run-time``) hit before every client had logged in: say so."""
    if not _ready.is_set():
        with open(os.environ["LOAD_RESULTS"], "w") as out:
            problem = (
                f"only {_logged_in[0]} of {environment.runner.target_user_count} clients logged in in time"
            )
            json.dump({"lines": [problem, *_login_failures[:5]], "problems": [problem]}, out)


def _close_window(environment) -> None:
    started = time.monotonic()
    logging_in = started - _first_login[0]
    gevent.sleep(SECONDS)
    stats = environment.runner.stats
    elapsed = time.monotonic() - started
    lines, problems = [f"logging in (before the window): {logging_in:.0f} s"], list(_login_failures)
    for name in (FLOW, PROBE):
        entry = stats.entries.get((name, "FLOW" if name == FLOW else "GET"))
        if entry is None or not entry.num_requests:
            problems.append(f"no {name} in the window")
            continue
        p95 = entry.get_response_time_percentile(0.95)
        lines.append(
            f"{name}: {entry.num_requests} in {elapsed:.0f} s ({entry.num_requests / elapsed:.1f}/s), "
            f"median {entry.median_response_time:.0f} ms, p95 {p95:.0f} ms, max {entry.max_response_time:.0f} ms, "
            f"failures {entry.num_failures} (target p95 <= {TARGET_MS} ms, no failure)"
        )
        if p95 > TARGET_MS:
            problems.append(f"{name} p95 {p95:.0f} ms > {TARGET_MS} ms")
    for (name, method), entry in sorted(stats.entries.items()):
        if method != "FLOW" and name != PROBE and entry.num_requests:
            lines.append(
                f"  {method} {name}: {entry.num_requests}, median {entry.median_response_time:.0f} ms, "
                f"p95 {entry.get_response_time_percentile(0.95):.0f} ms, failures {entry.num_failures}"
            )
    total = stats.total
    lines.append(
        f"all requests: {total.num_requests} ({total.num_requests / elapsed:.0f}/s), failures {total.num_failures}"
    )
    for error in list(stats.errors.values())[:5]:
        lines.append(f"  error x{error.occurrences}: {error.method} {error.name}: {error.error}")
    if total.num_failures:
        problems.append(f"{total.num_failures} failed requests")
    with open(os.environ["LOAD_RESULTS"], "w") as out:
        json.dump({"lines": lines, "problems": problems}, out)
    environment.runner.quit()
