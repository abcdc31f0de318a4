"""``core.bulk``: rows straight to the driver, bound as SQLAlchemy binds them (issue 19)."""

from __future__ import annotations

import itertools
from datetime import date

import sqlalchemy as sa

from core.bulk import insert_rows
from core.extensions import db
from core.tenancy import utcnow


def _probe_table(tokens):
    metadata = sa.MetaData()
    return sa.Table(
        "charity_bulk_probe",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date),
        sa.Column("data", sa.JSON),
        sa.Column("at", sa.DateTime, default=utcnow),
        sa.Column("token", sa.String(8), default=lambda: f"t{next(tokens)}"),
        sa.Column("kind", sa.String(8), default="plain"),
        prefixes=["TEMPORARY"],
    )


def test_bulk_rows_read_back_as_sqlalchemy_wrote_them_with_their_defaults(app_ctx):
    table = _probe_table(itertools.count(1))
    connection = db.session.connection()
    table.create(connection)
    try:
        rows = [{"day": date(2026, 1, n), "data": {"n": n, "name": "سعد"}} for n in range(1, 4)]
        insert_rows(table, rows)
        connection.execute(table.insert(), [{"day": date(2026, 2, 1), "data": {"n": 9}}])  # SQLAlchemy's own
        read = connection.execute(sa.select(table).order_by(table.c.id)).mappings().all()
        assert [r["day"] for r in read] == [
            date(2026, 1, 1),
            date(2026, 1, 2),
            date(2026, 1, 3),
            date(2026, 2, 1),
        ]
        assert [r["data"] for r in read[:3]] == [row["data"] for row in rows]
        assert {r["kind"] for r in read} == {"plain"}
        # A callable default is called per row; a date-time one once for the statement.
        assert [r["token"] for r in read] == ["t1", "t2", "t3", "t4"]
        assert len({r["at"] for r in read[:3]}) == 1 and isinstance(read[0]["at"], type(read[3]["at"]))
    finally:
        table.drop(connection)
