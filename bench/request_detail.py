"""GET ``/t/<slug>/api/v1/requests/<id>`` (token auth) against a bare Flask app serving the
same row with one SQL statement, side by side in one process (WSGI test clients, no network),
and the statements the endpoint sends. Target: the platform ≥ 50 % of the bare app's
throughput, so its time per request ≤ 2× the bare one's.

    .venv/bin/python bench/request_detail.py            # --quick: fewer calls
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import interleave  # noqa: E402
import seed  # noqa: E402
from flask import Flask, jsonify  # noqa: E402
from sqlalchemy import event, make_url  # noqa: E402

from core.auth.models import User  # noqa: E402
from core.auth.services import issue_token, set_roles  # noqa: E402
from core.extensions import db  # noqa: E402
from core.requests import services  # noqa: E402
from core.tenancy import tenant_context  # noqa: E402
from core.tenancy.services import create_tenant  # noqa: E402

TARGET = 2.0  # time ratio: throughput ≥ 50 % of the bare app


def prepare(app) -> tuple[int, str]:
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
        request_id = request.id
        db.session.remove()
    return request_id, secret


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
    app = seed.make_bench_app(url)
    seed.fresh_database(app)
    request_id, secret = prepare(app)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    return 0 if interleave.print_rows("Request detail", rows(args.quick)) else 1


if __name__ == "__main__":
    sys.exit(main())
