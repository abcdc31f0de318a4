"""HTTP throughput of two gunicorn servers side by side (``request_detail.py --served``).

:func:`gunicorn` starts a server on 127.0.0.1 with a given config file, worker class and count;
:func:`drive` keeps ``clients`` HTTP/1.1 **keep-alive** connections busy for a number of
seconds — each connection sends the next GET as soon as the previous answer is read (a closed
loop, one request in flight per connection), all from one thread of this process
(non-blocking sockets and ``selectors``, requests pre-encoded, answers parsed by their
``Content-Length``) so the client costs as little of the 2 cores as it can, and the same for
both servers. :func:`interleaved` alternates the two servers round by round (the order flipped
every round, fresh connections each round), as ``interleave.side_by_side`` does in-process.
"""

from __future__ import annotations

import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(40)
        except subprocess.TimeoutExpired:
            self.process.kill()


def gunicorn(
    name: str,
    app: str,
    config: Path,
    env: dict,
    port: int,
    *,
    workers: int,
    threads: int,
    cwd: Path,
    log: Path,
) -> Server:
    command = [
        str(BIN / "gunicorn"), "--config", str(config), "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), app,
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Server(name, port, process, log)


def wait_up(server: Server, path: str, headers: dict[str, str], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name}: gunicorn exited:\n{server.log.read_text()[-3000:]}")
        try:
            asked = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", headers=headers)
            with urllib.request.urlopen(asked, timeout=5) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{server.name} did not answer 200 on {path}:\n{server.log.read_text()[-3000:]}")


@dataclass
class Result:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    reconnects: int = 0
    closed: int = 0  # connections the server ended with "Connection: close", opened again

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds


class _Conn:
    __slots__ = ("sock", "buffer", "sent_at", "need", "closing")

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.buffer = b""
        self.sent_at = 0.0
        self.need = -1  # bytes of the whole answer once its head is read
        self.closing = False  # the answer said "Connection: close"


def _request_bytes(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def drive(port: int, path: str, headers: dict[str, str], *, clients: int, seconds: float) -> Result:
    """``clients`` keep-alive connections, each one GET in flight, for ``seconds``."""
    payload = _request_bytes(path, headers)
    selector = selectors.DefaultSelector()
    conns = [_Conn(port) for _ in range(clients)]
    result = Result(seconds)
    started = time.perf_counter()
    deadline = started + seconds
    for conn in conns:
        conn.sent_at = time.perf_counter()
        conn.sock.sendall(payload)
        selector.register(conn.sock, selectors.EVENT_READ, conn)
    while True:
        now = time.perf_counter()
        if now >= deadline:
            break
        for key, _ in selector.select(timeout=deadline - now):
            conn = key.data
            try:
                chunk = conn.sock.recv(65536)
            except ConnectionError:
                chunk = b""
            if not chunk:
                # gunicorn recycles a worker after max_requests (gunicorn.conf.py) and closes its
                # keep-alive connections: the client connects again and asks again, as a real
                # one would (the wait counts in that request's latency).
                selector.unregister(conn.sock)
                conn.sock.close()
                sent_at = conn.sent_at
                conn.__init__(port)
                conn.sent_at = sent_at
                conn.sock.sendall(payload)
                selector.register(conn.sock, selectors.EVENT_READ, conn)
                result.reconnects += 1
                continue
            conn.buffer += chunk
            if conn.need < 0:
                head_end = conn.buffer.find(b"\r\n\r\n")
                if head_end < 0:
                    continue
                head = conn.buffer[:head_end].decode("latin-1").lower()
                length = int(head.split("content-length:", 1)[1].split("\r\n", 1)[0])
                conn.need = head_end + 4 + length
                if not head.startswith(("http/1.1 200", "http/1.0 200")):
                    result.errors += 1
                conn.closing = "\r\nconnection: close" in head
            if len(conn.buffer) < conn.need:
                continue
            finished = time.perf_counter()
            if finished <= deadline:
                result.latencies.append(finished - conn.sent_at)
            conn.buffer, conn.need = conn.buffer[conn.need :], -1
            if conn.closing:  # the server ends the connection (gunicorn.conf.py: max_keepalive_requests)
                selector.unregister(conn.sock)
                conn.sock.close()
                conn.__init__(port)
                selector.register(conn.sock, selectors.EVENT_READ, conn)
                result.closed += 1
            conn.sent_at = finished
            conn.sock.sendall(payload)
    result.seconds = time.perf_counter() - started
    for conn in conns:
        selector.unregister(conn.sock)
        conn.sock.close()
    selector.close()
    return result


def interleaved(
    candidate: tuple[int, str, dict],
    baseline: tuple[int, str, dict],
    *,
    clients: int,
    seconds: float,
    rounds: int,
) -> tuple[list[Result], list[Result]]:
    """Each side ``rounds`` times for ``seconds`` (after a warm-up of both), alternated."""
    for port, path, headers in (candidate, baseline):
        drive(port, path, headers, clients=clients, seconds=max(1.0, seconds / 2))
    cand: list[Result] = []
    base: list[Result] = []
    for r in range(rounds):
        order = [(candidate, cand), (baseline, base)]
        if r % 2:
            order.reverse()
        for (port, path, headers), into in order:
            into.append(drive(port, path, headers, clients=clients, seconds=seconds))
    return cand, base
