"""``core.bulk``: rows straight to the driver, bound as SQLAlchemy binds them (issue 19)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.bulk import array_text, insert_rows, pipelined
from core.extensions import db
from core.tenancy import utcnow


def _probe_table(tokens, name: str = "charity_bulk_probe"):
    metadata = sa.MetaData()
    return sa.Table(
        name,
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


BULK_VALUES = {
    # PostgreSQL's text holds no NUL character, however it is sent.
    "text": st.one_of(
        st.none(),
        st.sampled_from(["", "\x1e", "\x1f", "a\x1eb", "سعد"]),
        st.text(st.characters(blacklist_characters="\x00"), max_size=12),
    ),
    "number": st.one_of(st.none(), st.integers(min_value=-(2**31), max_value=2**31 - 1)),
    "flag": st.one_of(st.none(), st.booleans()),
    "day": st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))),
    "at": st.one_of(st.none(), st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1))),
    "amount": st.one_of(st.none(), st.decimals(min_value=-(10**9), max_value=10**9, places=2)),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries(BULK_VALUES), min_size=1, max_size=6))
def test_plain_bulk_rows_read_back_exactly_whatever_their_text_or_nulls(app_ctx, rows):
    """On PostgreSQL a column goes as one text split by the server when its values allow it
    (separators inside a value, a lone empty text, NULLs: the arrays instead); read back equal
    either way, on both databases."""
    metadata = sa.MetaData()
    table = sa.Table(
        "charity_bulk_plain",
        metadata,
        sa.Column("n", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text),
        sa.Column("number", sa.Integer),
        sa.Column("flag", sa.Boolean),
        sa.Column("day", sa.Date),
        sa.Column("at", sa.DateTime),
        sa.Column("amount", sa.Numeric(14, 2)),
        prefixes=["TEMPORARY"],
    )
    connection = db.session.connection()
    table.create(connection)
    try:
        insert_rows(table, [{"n": n, **row} for n, row in enumerate(rows)])
        read = connection.execute(sa.select(table).order_by(table.c.n)).mappings().all()
        assert [{key: r[key] for key in BULK_VALUES} for r in read] == rows
    finally:
        table.drop(connection)


def test_a_column_goes_as_one_text_unless_its_values_could_not_travel_so():
    assert array_text(("أحمد", None, "", 7, date(2026, 1, 2))) == "أحمد\x1e\x1f\x1e\x1e7\x1e2026-01-02"
    assert array_text(("",)) is None  # string_to_array('') is an empty array
    assert array_text(("a\x1eb",)) is None and array_text(("\x1f", None)) is None
    assert array_text(({"n": 1},)) is None
    assert array_text((datetime(2026, 1, 1, tzinfo=UTC),)) is None


def test_in_a_pipeline_a_read_waits_for_the_inserts_sent_before_it(app_ctx):
    table = _probe_table(itertools.count(1), "charity_bulk_read_probe")
    connection = db.session.connection()
    table.create(connection)
    try:
        with pipelined():
            insert_rows(table, [{"day": date(2026, 3, n), "data": {}} for n in range(1, 6)])
            # An ORM-style read in the block: answered after the insert, not taken for a
            # statement without rows.
            assert db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 5
            insert_rows(table, [{"day": date(2026, 4, 1), "data": {}}])
        assert connection.execute(sa.select(sa.func.max(table.c.day))).scalar_one() == date(2026, 4, 1)
    finally:
        table.drop(connection)


def test_an_insert_refused_in_a_pipeline_is_raised_by_the_block_and_nothing_after_it_is_kept(app_ctx):
    table = _probe_table(itertools.count(1), "charity_bulk_refused_probe")
    connection = db.session.connection()
    table.create(connection)
    try:
        savepoint = connection.begin_nested()
        with pytest.raises(sa.exc.IntegrityError) as refused, pipelined():
            insert_rows(table, [{"id": 1, "day": date(2026, 3, 1), "data": {}}])
            insert_rows(table, [{"id": 1, "day": date(2026, 3, 2), "data": {}}])  # the same key
            insert_rows(table, [{"id": 2, "day": date(2026, 3, 3), "data": {}}])
        assert "unique" in str(refused.value).lower() or "duplicate" in str(refused.value).lower()
        savepoint.rollback()
        assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0
    finally:
        table.drop(connection)
