"""Production serving: gunicorn (gunicorn.conf.py, 2 workers, 127.0.0.1, a free port) against
the test database serves pages and the health check; with REDIS_URL set, the login rate limit
is kept in Redis, so it is shared by all workers (a per-process limit would let each worker
count on its own)."""

from __future__ import annotations

import json
import re
import time
import urllib.parse

import pytest

from core.extensions import db
from tests.servers import BIN, app_environment, children, free_port, redis_server, start, stop, wait_for

pytestmark = pytest.mark.worker


def _request(port: int, method: str, path: str, body: str | None = None, cookie: str = ""):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Accept-Language": "ar"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _up(port: int, process) -> bool:
    if process.poll() is not None:
        return True  # exited: reported below
    try:
        return _request(port, "GET", "/healthz")[0] == 200
    except OSError:
        return False


def test_gunicorn_serves_pages_and_health_with_limits_shared_through_redis(app, tmp_path):
    import redis

    started = time.monotonic()
    port = free_port()
    with redis_server(tmp_path) as redis_url:
        env = app_environment(app, REDIS_URL=redis_url, LOGIN_RATE_LIMIT="3 per minute")
        server = start(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "wsgi:app"],
            tmp_path / "gunicorn.log",
            env,
        )  # fmt: skip
        try:
            wait_for(lambda: _up(port, server), 30, "gunicorn")
            log = tmp_path / "gunicorn.log"
            assert server.poll() is None, log.read_text()
            wait_for(lambda: len(children(server.pid)) == 2, 30, "two gunicorn workers")

            status, headers, body = _request(port, "GET", "/healthz")
            assert status == 200 and headers["Content-Type"].startswith("application/json")
            assert json.loads(body) == {"status": "ok", "database": "ok"}

            status, headers, body = _request(port, "GET", "/login")
            assert status == 200 and 'lang="ar"' in body.decode()
            cookie = "; ".join(c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or [])
            token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
            form = {"email": "nobody@example.org", "password": "wrong-password-123"}
            if token:
                form["csrf_token"] = token.group(1).decode()
            answers = [
                _request(port, "POST", "/login", urllib.parse.urlencode(form), cookie)[0] for _ in range(4)
            ]
            # Whichever worker took each attempt, the fourth is over the limit of three.
            assert answers[-1] == 429 and 429 not in answers[:3], answers
            client = redis.Redis.from_url(redis_url)
            try:
                assert any(key.startswith(b"LIMITS") for key in client.keys("*"))
            finally:
                client.close()
            wait_for(lambda: '"GET /healthz HTTP/1.1" 200' in log.read_text(), 5, "the access log")
        finally:
            stop(server)
    assert time.monotonic() - started < 60


def test_a_fresh_gunicorn_worker_answers_a_tenant_api_call_as_its_first_request(
    app, tmp_path, staff, new_request, token_for
):
    """The tenant, token and roles are read in one statement and attached as the session's
    objects (core.prepared.attach) before the view runs any query: in a fresh worker nothing
    had configured the ORM mappers yet, and every such call was a 500 under gunicorn."""
    import http.client

    request = new_request()
    db.session.commit()
    request_id = request.id
    headers = token_for(staff["researcher"])
    port = free_port()
    server = start(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "wsgi:app"],
        tmp_path / "gunicorn.log",
        app_environment(app),
    )  # fmt: skip
    try:
        wait_for(lambda: _listening(port, server), 30, "gunicorn")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", f"/t/first/api/v1/requests/{request_id}", headers=headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        assert response.status == 200, (body, (tmp_path / "gunicorn.log").read_text()[-3000:])
        assert json.loads(body)["id"] == request_id
    finally:
        stop(server)


def _listening(port: int, process) -> bool:
    """Accepting connections, without sending a request (the first request is the test's)."""
    import socket

    if process.poll() is not None:
        return True  # exited: the request below fails with the log
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_the_app_is_built_with_its_orm_mappers_configured_for_the_workers_to_inherit(tmp_path):
    """gunicorn.conf.py preloads the app in the master: configured there, the mappers reach
    every worker it forks (and every recycled one) instead of costing each one's first request
    ~0.6 s (issue 19). Checked in a fresh interpreter: the suite's own process has long
    configured them."""
    import subprocess
    import sys

    script = (
        "from sqlalchemy import inspect\n"
        "from core import create_app\n"
        f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path / 'fresh.sqlite3'}', 'SECRET_KEY': 'x' * 40}})\n"
        "from core.requests.models import AidRequest\n"
        "print(inspect(AidRequest).configured)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "True"


def test_keep_alive_connections_end_after_their_share_and_recycled_workers_end_cleanly(app, tmp_path):
    """gunicorn.conf.py: a keep-alive connection is closed after GUNICORN_MAX_KEEPALIVE_REQUESTS
    answers (the clients spread over the workers again), and a worker recycled after
    GUNICORN_MAX_REQUESTS ends without the interpreter's teardown, with status 0 (the master
    logs any other), its successor answering the next requests."""
    import http.client

    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = app_environment(
        app,
        GUNICORN_MAX_KEEPALIVE_REQUESTS="3",
        GUNICORN_MAX_REQUESTS="4",
        GUNICORN_MAX_REQUESTS_JITTER="0",
        GUNICORN_LOG_LEVEL="info",
    )
    server = start(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "wsgi:app"],
        log,
        env,
    )  # fmt: skip
    try:
        wait_for(lambda: _listening(port, server), 30, "gunicorn")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        said = []
        try:
            for _ in range(3):
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
                said.append((response.status, (response.getheader("Connection") or "").lower()))
        finally:
            connection.close()
        assert said == [(200, "keep-alive"), (200, "keep-alive"), (200, "close")], said
        answers = [_request(port, "GET", "/healthz")[0] for _ in range(9)]  # two recycles at least
        assert answers == [200] * 9
        wait_for(
            lambda: log.read_text().count("will end without the interpreter's teardown") >= 2, 10, "recycling"
        )
        text = log.read_text()
        assert text.count("Booting worker") >= 3, text[-3000:]
        assert "exited with code" not in text and "Traceback" not in text, text[-3000:]
    finally:
        stop(server)
