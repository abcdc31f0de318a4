"""Bulk inserts that skip SQLAlchemy's per-row parameter handling (issue 19): for the tens of
thousands of rows of an import — persons, members, search keys, audit entries — it costs more
than the insert itself. Rows go to the driver's ``executemany`` (or, on PostgreSQL, one
statement over arrays), each value bound as SQLAlchemy would bind it. In the caller's
transaction, on ``db.session``'s connection.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from .extensions import db


def insert_rows(table, rows: list[dict]) -> None:
    """``rows`` (dicts with the same keys) straight to the driver, as SQLAlchemy would send
    them: each value through its column type's bind processor for this dialect (dates as text
    on SQLite, JSON serialised), and the columns a row leaves out given their Python-side
    defaults. On PostgreSQL one statement over arrays of the columns' types (see
    :func:`insert_plain`)."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect
    given = list(rows[0])
    defaulted = [c for c in table.c if c.name not in rows[0] and c.default is not None]
    # A default is taken once for the statement (and bound once) when it is a constant or a
    # date-time (``created_at``: now, the rows then written at one moment); any other callable
    # default is called per row.
    per_row = [c for c in defaulted if c.default.is_callable and not isinstance(c.type, sa.DateTime)]
    once = [c for c in defaulted if all(c.name != p.name for p in per_row)]
    columns = [*(table.c[name] for name in given), *per_row]

    def processor(column):
        return column.type.dialect_impl(dialect).bind_processor(dialect)

    def bound(column, value):
        process = processor(column)
        return process(value) if process else value

    converted = [(i, process) for i, c in enumerate(columns) if (process := processor(c))]
    fixed = [bound(c, c.default.arg(None) if c.default.is_callable else c.default.arg) for c in once]
    values = []
    for row in rows:
        value = [row[name] for name in given]
        value += [c.default.arg(None) for c in per_row]
        for i, process in converted:
            value[i] = process(value[i])
        values.append((*value, *fixed))
    every = (*columns, *once)
    types = tuple(_sql_type(c, dialect) for c in every) if dialect.name == "postgresql" else None
    insert_plain(table, tuple(c.name for c in every), values, types)


def _sql_type(column, dialect) -> str:
    """The column's SQL type for an array of its values (its collation is the column's own)."""
    return _COLLATE.sub("", column.type.compile(dialect=dialect))


_COLLATE = re.compile(r'\s+COLLATE\s+("[^"]*"|\S+)')


def insert_plain(
    table, columns: tuple[str, ...], values: list[tuple], types: tuple[str, ...] | None = None
) -> None:
    """Rows of values the driver takes as they are (no defaults, no type conversion) straight
    to it: the search keys are ~7 rows a person, where SQLAlchemy's per-row parameter
    processing would cost more than the insert. On PostgreSQL with the columns' SQL ``types``,
    one statement over arrays (``INSERT … SELECT FROM unnest(…)``): the driver's
    ``executemany`` runs the statement once per row, which costs the server ten times more."""
    if not values:
        return
    connection = db.session.connection()
    quote = connection.dialect.identifier_preparer.quote
    into = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
    if types and connection.dialect.name == "postgresql":
        arrays, parameters = [], []
        for kind, column in zip(types, zip(*values, strict=True), strict=True):
            joined = array_text(column)
            if joined is None:
                arrays.append(f"%s::{kind}[]")
                parameters.append(list(column))
            else:
                arrays.append(f"string_to_array(%s, chr(30), chr(31))::{kind}[]")
                parameters.append(joined)
        statement = into + f"SELECT * FROM unnest({', '.join(arrays)})"
        connection.exec_driver_sql(statement, tuple(parameters), execution_options=UNANSWERED)
        return
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(into + f"VALUES ({', '.join([mark] * len(columns))})", values)


# Values PostgreSQL reads back from their text as the driver would have sent them (these types
# exactly: a subclass, an enumeration say, may write itself otherwise).
_AS_TEXT = frozenset({str, int, float, bool, Decimal, date, datetime})
_PLAIN = frozenset({str, int, Decimal})  # ``str`` writes them as PostgreSQL reads them
_SEPARATOR, _NULL = "\x1e", "\x1f"  # ASCII's record and unit separators


def array_text(column: tuple) -> str | None:
    """A column's values as one text for ``string_to_array(text, chr(30), chr(31))`` (each
    value's text, a lone chr(31) for NULL), or None when that could not carry them (a value of
    another kind, an aware date-time, a separator inside a value, a lone empty text). For the
    driver an array is a Python loop over its values: 400,000 search keys took ~3 s to send
    as arrays and ~0.5 s as one text."""
    kinds = set(map(type, column))
    if kinds <= _PLAIN:  # texts and numbers: their str, in one pass at C speed
        texts, nulls = list(map(str, column)) if kinds - {str} else column, 0
    else:
        texts, nulls = [], 0
        for value in column:
            if value is None:
                texts.append(_NULL)
                nulls += 1
            elif type(value) in _AS_TEXT and not (type(value) is datetime and value.tzinfo is not None):
                texts.append(value.isoformat() if isinstance(value, date) else str(value))
            else:
                return None
    joined = _SEPARATOR.join(texts)
    if not joined or joined.count(_SEPARATOR) != len(texts) - 1 or joined.count(_NULL) != nulls:
        return None
    return joined


# An insert that is not waited for in a pipeline (its errors are raised at the next wait).
_UNANSWERED_OPTION = "charity_unanswered"
UNANSWERED = {_UNANSWERED_OPTION: True}
_PIPELINE = "charity_pipeline"


@contextmanager
def pipelined() -> Iterator[None]:
    """``db.session``'s connection in pipeline mode until the block ends (PostgreSQL, psycopg 3):
    the bulk inserts above are sent without waiting for the server's answer, so the server
    writes one batch while Python prepares the next. Any other statement meanwhile (an ORM
    load, a read) first waits for everything sent before it (:func:`answer_in_pipeline`), then
    behaves as outside. An error of an unanswered insert is raised at the next wait, at the
    latest when the block ends. Elsewhere (SQLite) nothing changes."""
    connection = db.session.connection()
    raw = connection.connection.dbapi_connection
    if connection.dialect.name != "postgresql" or not hasattr(raw, "pipeline"):
        yield
        return
    error = connection.dialect.loaded_dbapi.Error
    try:
        with raw.pipeline() as pipeline:
            connection.info[_PIPELINE] = pipeline
            try:
                yield
            finally:
                connection.info.pop(_PIPELINE, None)
    except error as exc:  # raised by the block's last wait: as SQLAlchemy raises the others
        raise sa.exc.DBAPIError.instance(
            "(a pipelined statement)", None, exc, error, dialect=connection.dialect
        ) from exc


def answer_in_pipeline(connection, cursor, statement, parameters, context, executemany) -> None:
    """An engine's ``after_cursor_execute`` (PostgreSQL): in a :func:`pipelined` block, a
    statement other than an unanswered insert waits for its answer (the pipeline is synced)
    before SQLAlchemy reads it."""
    pipeline = connection.info.get(_PIPELINE)
    if pipeline is not None and not (
        context is not None and context.execution_options.get(_UNANSWERED_OPTION)
    ):
        pipeline.sync()
