"""Real servers for end-to-end tests, on 127.0.0.1 and a free port, stopped by the test:
Debian's ``redis-server``, a Celery worker and gunicorn, each a subprocess that builds the
app from the same environment the test app was configured with (same database, keys, storage).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    """Poll ``check`` until it returns something true; its value. AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def app_environment(app: Flask, **extra: str) -> dict[str, str]:
    """The environment that makes ``create_app()`` in another process match ``app``: every
    setting read from the environment (``core.config.from_environment``) whose variable has the
    setting's name is passed on, plus the database URL and the production switch."""
    from core.config import from_environment

    config = app.config
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "CHARITY_"))}
    for key in from_environment({}):
        value = config.get(key)
        if value is None or isinstance(value, dict):
            continue
        if isinstance(value, bool):
            env[key] = "1" if value else "0"
        elif isinstance(value, list | tuple):
            env[key] = ",".join(str(v) for v in value)
        else:
            env[key] = str(value)
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=config["SQLALCHEMY_DATABASE_URI"])
    for derived in ("PRODUCTION", "SQLALCHEMY_DATABASE_URI", "JOBS_RUNNER", "CHARITY_TRACE_HOOKS"):
        env.pop(derived, None)  # set below, or chosen by the process itself (runner from REDIS_URL)
    if config.get("PRODUCTION"):
        env["CHARITY_ENV"] = "production"
    env.update(extra)
    return env


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)


def start(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    with log.open("wb") as out:
        # Own process group: stopping it stops its children (worker pool, gunicorn workers) too.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def redis_server_binary() -> str:
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if found is None:
        raise AssertionError(
            "redis-server is not installed: `make test` installs Debian's redis-server "
            "(apt-get install redis-server)"
        )
    return found


@contextmanager
def redis_server(tmp_path: Path) -> Iterator[str]:
    """Debian's redis-server on 127.0.0.1 (no persistence); yields its URL."""
    port = free_port()
    process = start(
        [redis_server_binary(), "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path), "--protected-mode", "yes"],
        tmp_path / "redis.log",
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for(lambda: _answers_ping(port) or process.poll() is not None, 10, "redis-server")
        assert process.poll() is None, (tmp_path / "redis.log").read_text()
        yield url
    finally:
        stop(process)


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …  — comm may contain spaces: split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def http_get(port: int, path: str, timeout: float = 5) -> tuple[int, dict[str, str], bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()
