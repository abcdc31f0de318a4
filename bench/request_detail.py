"""GET ``/t/<slug>/api/v1/requests/<id>`` (token auth) against a bare Flask app serving the
same row, in two rows. Target: the platform ≥ 50 % of the bare app's throughput.

* **in-process** (SQLite): both apps' WSGI test clients side by side in this process, no
  network, and the statements the endpoint sends — the harsher measure (no server, socket or
  HTTP parsing cost shared by both sides), target ≤ 2× the bare app's time;
* **served** — issue 19's definition: both apps served by gunicorn with the production
  ``gunicorn.conf.py`` (``CHARITY_ENV=production``, production keys, ``TRUSTED_PROXIES=1``;
  the bare app through ``bench/bare_gunicorn.conf.py``, the same file), the same worker class,
  workers and threads (``--workers 2 --threads 4``, gthread), on 127.0.0.1; ``--clients``
  concurrent HTTP/1.1 keep-alive connections, one GET in flight each (``bench/served.py``),
  the two servers in interleaved rounds; req/s, p95 and the throughput ratio. SQLite always;
  PostgreSQL with ``--postgresql`` under ``scripts/with-postgres.sh`` (``make bench-detail-pg``):
  the app role under Row-Level Security, the bare app setting the tenant's signed scope and
  reading the row (two statements, as in the issue).

    .venv/bin/python bench/request_detail.py            # --quick: fewer calls, shorter rounds
    .venv/bin/python bench/request_detail.py --no-served   # the in-process row alone
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import interleave  # noqa: E402
import load  # noqa: E402
import seed  # noqa: E402
import served  # noqa: E402
from flask import Flask, jsonify  # noqa: E402
from sqlalchemy import event, make_url  # noqa: E402

from core.auth.models import User  # noqa: E402
from core.auth.services import issue_token, set_roles  # noqa: E402
from core.extensions import db  # noqa: E402
from core.requests import services  # noqa: E402
from core.tenancy import rls, tenant_context  # noqa: E402
from core.tenancy.services import create_tenant  # noqa: E402

TARGET = 2.0  # time ratio: throughput ≥ 50 % of the bare app


def prepare(app) -> tuple[int, str, str]:
    """The association, an officer with a token, one request: (request id, token, the tenant's
    signed Row-Level Security scope)."""
    with app.app_context():
        tenant = create_tenant(
            {"slug": "bench", "name_ar": "جمعية القياس", "name_en": "Benchmark association"}
        )
        officer = User(email="officer@bench.example.org", name="officer", password_hash="!")
        db.session.add(officer)
        db.session.flush()
        set_roles(tenant, officer, ["relations_officer", "researcher"])
        with tenant_context(tenant):
            request = services.create_request(
                {
                    "channel": "in_person",
                    "applicant_name": "نورة محمد السبيعي",
                    "applicant_phone": "0500000001",
                },
                officer,
            )
        _, secret = issue_token(officer)
        db.session.commit()
        request_id, scope = request.id, rls.sign(str(tenant.id))
        db.session.remove()
    return request_id, secret, scope


def bare_app(path: str) -> Flask:
    """The baseline: one SELECT of the row on a kept connection, as JSON."""
    bare = Flask("bare")
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row

    @bare.get("/t/<slug>/api/v1/requests/<int:request_id>")
    def detail(slug, request_id):
        row = conn.execute("SELECT * FROM requests_requests WHERE id = ?", (request_id,)).fetchone()
        return jsonify({k: (str(row[k]) if row[k] is not None else None) for k in row.keys()})  # noqa: SIM118 (sqlite3.Row iterates values)

    return bare


def rows(quick: bool = False) -> list[interleave.Row]:
    url = seed.sqlite_url("request-detail")
    # The rate limiter on, as production runs it (make_bench_app turns it off for seeding).
    app = seed.make_bench_app(url, RATELIMIT_ENABLED=True)
    seed.fresh_database(app)
    request_id, secret, _ = prepare(app)
    path = f"/t/bench/api/v1/requests/{request_id}"
    headers = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    bare = bare_app(make_url(url).database).test_client()
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    assert client.get(path, headers=headers).status_code == 200
    event.listen(engine, "before_cursor_execute", count)
    assert client.get(path, headers=headers).status_code == 200
    event.remove(engine, "before_cursor_execute", count)

    def candidate():
        client.get(path, headers=headers)

    def baseline():
        bare.get(path)

    cand, base = interleave.side_by_side(
        candidate, baseline, calls=50 if quick else 300, rounds=5 if quick else 7
    )
    c, b = interleave.median(cand) * 1000, interleave.median(base) * 1000
    return [
        interleave.Row(
            "GET request detail (API, SQLite, in-process WSGI)",
            c,
            b,
            "ms",
            f"≤ {TARGET:.0f}× (≥ 50 % of bare throughput)",
            c / b <= TARGET,
            note=f"{len(statements)} statements, {1000 / c:.0f} vs {1000 / b:.0f} req/s on one core",
        )
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepared_under(env: dict[str, str]) -> tuple[int, str, str]:
    """A fresh database with the bench's row, made under the servers' own environment (the
    keys the migrations write, e.g. the Row-Level Security key)."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        app = seed.make_bench_app(env["DATABASE_URL"], SECRET_KEY=env["SECRET_KEY"])
        seed.fresh_database(app)
        found = prepare(app)
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
        return found
    finally:
        os.environ.clear()
        os.environ.update(saved)


def served_row(url: str, owner: str, args) -> interleave.Row:
    """Issue 19's row: both apps behind gunicorn (module docstring), interleaved rounds."""
    kind = "PostgreSQL" if seed.is_postgres(url) else "SQLite"
    work = Path(tempfile.mkdtemp(prefix="charity-detail-"))
    env = load.production_environment(url, owner, str(work / "storage"))
    request_id, secret, scope = _prepared_under(env)
    path = f"/t/bench/api/v1/requests/{request_id}"
    # Through the simulated reverse proxy, as bench/load.py: the client's address, TLS ended there.
    proxy = {"X-Forwarded-For": "10.1.2.3", "X-Forwarded-Proto": "https"}
    headers = {**proxy, "Authorization": f"Bearer {secret}"}
    size = {"workers": args.workers, "threads": args.threads, "cwd": ROOT}
    root = Path(args.root).resolve() if args.root else ROOT  # another checkout's code, run in turns
    platform = served.gunicorn(
        "platform", "wsgi:app", root / "gunicorn.conf.py",
        {**env, "PYTHONPATH": str(root), "GUNICORN_ACCESS_LOG": str(work / "platform-access.log")},
        _free_port(), log=work / "platform.log", **{**size, "cwd": root},
    )  # fmt: skip
    bare = served.gunicorn(
        "bare", "bare_detail:app", ROOT / "bench" / "bare_gunicorn.conf.py",
        {
            **env, "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
            "GUNICORN_ACCESS_LOG": str(work / "bare-access.log"),
            "BARE_DATABASE": url if seed.is_postgres(url) else make_url(url).database, "BARE_TENANT_SCOPE": scope,
        },
        _free_port(), log=work / "bare.log", **size,
    )  # fmt: skip
    try:
        served.wait_up(platform, path, headers)
        served.wait_up(bare, path, headers)
        cand, base = served.interleaved(
            (platform.port, path, headers),
            (bare.port, path, headers),
            clients=args.clients,
            seconds=args.seconds,
            rounds=args.rounds,
        )
    finally:
        platform.stop()
        bare.stop()
    c = interleave.median([r.throughput for r in cand])
    b = interleave.median([r.throughput for r in base])
    c95 = interleave.p95([x for r in cand for x in r.latencies]) * 1000
    b95 = interleave.p95([x for r in base for x in r.latencies]) * 1000
    errors = sum(r.errors for r in cand + base)
    reconnects = sum(r.reconnects for r in cand), sum(r.reconnects for r in base)
    return interleave.Row(
        f"GET request detail (API, {kind}, gunicorn {args.workers} gthread workers × {args.threads} threads, "
        f"{args.clients} keep-alive clients on 127.0.0.1{', code of ' + args.root if args.root else ''})",
        c,
        b,
        "req/s",
        "≥ 0.50× (≥ 50 % of bare throughput)",
        c / b >= 0.5 and errors == 0,
        note=f"p95 {c95:.1f} vs {b95:.1f} ms, median of {args.rounds} interleaved rounds × {args.seconds:g} s, "
        f"{errors} non-200 answers, reconnections after a worker's recycling {reconnects[0]} / {reconnects[1]}; "
        f"logs in {work}",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-served", action="store_true", help="the in-process row only")
    parser.add_argument("--served-only", action="store_true", help="the served rows only")
    parser.add_argument(
        "--postgresql",
        action="store_true",
        help="the served row on DATABASE_URL's PostgreSQL too (make bench-detail-pg)",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive connections")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0, help="per round and server")
    parser.add_argument(
        "--root",
        help="serve the platform from another checkout (e.g. main's, for a before/after run in turns)",
    )
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds = 3, 1.0
    found = [] if args.served_only else rows(args.quick)
    if not args.no_served:
        found.append(served_row(seed.sqlite_url("request-detail-served"), "", args))
        if args.postgresql:
            url, owner = os.environ.get("DATABASE_URL", ""), os.environ.get("DATABASE_OWNER_URL", "")
            if not (seed.is_postgres(url) and owner):
                print("--postgresql needs DATABASE_URL and DATABASE_OWNER_URL (make bench-detail-pg)")
                return 2
            found.append(served_row(url, owner, args))
    return 0 if interleave.print_rows("Request detail", found) else 1


if __name__ == "__main__":
    sys.exit(main())
