"""The baseline of the served request-detail row (``bench/request_detail.py --served``): a bare
Flask app reading the same row of ``requests_requests`` as JSON, served by gunicorn exactly as the
platform is (``bench/bare_gunicorn.conf.py`` runs ``gunicorn.conf.py``).

``BARE_DATABASE``: a SQLite file path, or a PostgreSQL URL. Each gunicorn thread keeps its own
connection (opened on first use, after the fork). SQLite: one ``SELECT``. PostgreSQL: the app's
role under Row-Level Security, so one transaction per request with the tenant's signed scope
set (``BARE_TENANT_SCOPE``, ``set_config(…, true)``) and the ``SELECT`` — the two statements of
issue 19's bare app.
"""

from __future__ import annotations

import os
import threading

from flask import Flask, jsonify

DATABASE = os.environ.get("BARE_DATABASE", "")
SCOPE = os.environ.get("BARE_TENANT_SCOPE", "")
_local = threading.local()

app = Flask("bare")


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        if DATABASE.startswith("postgresql"):
            import psycopg  # lazy: only the PostgreSQL variant needs the driver
            from psycopg.rows import dict_row

            conn = psycopg.connect(
                DATABASE.replace("postgresql+psycopg://", "postgresql://"), row_factory=dict_row
            )
        else:
            import sqlite3  # lazy: only the SQLite variant needs it

            conn = sqlite3.connect(DATABASE, check_same_thread=False)
            conn.row_factory = sqlite3.Row
        _local.conn = conn
    return conn


def _row(request_id: int) -> dict | None:
    conn = _connection()
    if DATABASE.startswith("postgresql"):
        with conn.transaction():
            conn.execute("SELECT set_config('app.tenant', %s, true)", (SCOPE,))
            return conn.execute("SELECT * FROM requests_requests WHERE id = %s", (request_id,)).fetchone()
    row = conn.execute("SELECT * FROM requests_requests WHERE id = ?", (request_id,)).fetchone()
    return None if row is None else {key: row[key] for key in row.keys()}  # noqa: SIM118 (sqlite3.Row iterates values)


@app.get("/t/<slug>/api/v1/requests/<int:request_id>")
def detail(slug, request_id):
    row = _row(request_id)
    if row is None:
        return jsonify({"message": "not found"}), 404
    return jsonify({key: (str(value) if value is not None else None) for key, value in row.items()})
