"""Statements compiled once and sent on the session's own DBAPI cursor (hot paths).

:class:`Prepared` skips what ``Connection.execute`` does on every call — cache-key
generation, the compiled-cache lookup, result metadata from the cursor description — which
costs more than a short indexed read itself. The statement still runs on the session's
connection, in its transaction (on PostgreSQL under the tenant set for Row-Level Security),
the engine's ``before/after_cursor_execute`` listeners are called as for any statement
(statement counters, tracing), and a driver's error is raised as SQLAlchemy's (a dropped
connection invalidated).

:func:`attach` turns the columns of one table read that way into the ORM object the session
would have loaded (persistent, in its identity map, nothing pending), without a statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, configure_mappers
from sqlalchemy.orm.attributes import instance_state, set_committed_value

T = TypeVar("T")


class Prepared:
    """A statement compiled once per database dialect and sent as its SQL text on the DBAPI
    cursor of the session's connection, its result columns converted by their types' own
    result processors (dates on SQLite, JSON, booleans)."""

    def __init__(self, statement: sa.Select) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple] = {}
        self._converted: dict[str, tuple] = {}  # (position, result processor) of the columns that have one

    def _for(self, dialect) -> tuple:
        entry = self._compiled.get(dialect.name)
        if entry is None:
            compiled = self.statement.compile(dialect=dialect)
            processors = tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in self.statement.selected_columns
            )
            order = tuple(compiled.positiontup) if compiled.positional else None
            # Values the compiler bound itself (SQLite's "LIMIT ? OFFSET ?" of a limit alone).
            fixed = {name: value for name, value in compiled.params.items() if value is not None}
            entry = self._compiled[dialect.name] = (str(compiled), order, fixed, processors)
        return entry

    def rows(self, connection: sa.Connection, params: dict) -> list[tuple]:
        """The rows, each value converted by its column's type."""
        found, processors = self.raw(connection, params)
        converted = self._converted.get(connection.dialect.name)
        if converted is None:
            converted = self._converted[connection.dialect.name] = tuple(
                (index, process) for index, process in enumerate(processors) if process is not None
            )
        if not converted:
            return found
        rows = []
        for row in found:
            values = list(row)
            for index, process in converted:
                values[index] = process(values[index])
            rows.append(tuple(values))
        return rows

    def raw(self, connection: sa.Connection, params: dict) -> tuple[list[tuple], tuple]:
        """The rows as the driver gave them, and each column's result processor (or None)."""
        sql, order, fixed, processors = self._for(connection.dialect)
        params = {**fixed, **params} if fixed else params
        args = tuple(params[name] for name in order) if order is not None else params
        cursor = connection.connection.cursor()
        try:
            for listener in connection.dispatch.before_cursor_execute:
                sql, args = listener(connection, cursor, sql, args, None, False)
            try:
                cursor.execute(sql, args)
                found = cursor.fetchall()
            except connection.dialect.loaded_dbapi.Error as error:
                # As ``Connection.execute`` would: SQLAlchemy's exception, and a connection the
                # server dropped invalidated (the pool replaces it) instead of handed out again.
                connection._handle_dbapi_exception(error, sql, args, cursor, None)
            for listener in connection.dispatch.after_cursor_execute:
                listener(connection, cursor, sql, args, None, False)
        finally:
            cursor.close()
        return found, processors


def attribute_keys(model: type, columns) -> tuple[str, ...]:
    """The ORM attribute of ``model`` each of ``columns`` (of its table) is mapped to."""
    mapper = sa.inspect(model)
    return tuple(mapper.get_property_by_column(column).key for column in columns)


_PLANS: dict[tuple[type, tuple[str, ...]], tuple] = {}


def _plan(model: type, keys: tuple[str, ...]) -> tuple:
    """The mapper of ``model``, where its primary key sits among ``keys``, and the attributes
    outside ``keys`` a query would load as columns (deferred or SQL-expression ones: expired on
    attach so that reading one loads it) — once per pair."""
    plan = _PLANS.get((model, keys))
    if plan is None:
        mapper = sa.inspect(model)
        # A fresh process (a gunicorn worker's first request) may attach before any query has
        # configured the mappers: without it the class's attributes have no loader yet.
        configure_mappers()
        positions = tuple(
            keys.index(mapper.get_property_by_column(column).key) for column in mapper.primary_key
        )
        manager = mapper.class_manager
        unloaded = tuple(
            key for key in manager if key not in keys and manager[key].impl.accepts_scalar_loader
        )
        plan = _PLANS[(model, keys)] = (mapper, positions, unloaded)
    return plan


def attach(session: Session, model: type[T], keys: tuple[str, ...], values: Mapping | tuple) -> T:
    """The persistent ``model`` object of this row (``keys``: :func:`attribute_keys` of every
    column of its table, ``values`` converted by their types), as a query would have loaded
    it: the object already in the session's identity map when there is one (its expired
    attributes filled from the row, nothing else overwritten), else a new one put there — its
    relationships load lazily."""
    mapper, positions, unloaded = _plan(model, keys)
    values = tuple(values)
    if len(values) != len(keys):
        raise ValueError(f"{len(values)} values for {len(keys)} attributes of {model.__name__}")
    identity = mapper.identity_key_from_primary_key(tuple(values[i] for i in positions))
    existing = session.identity_map.get(identity)
    if existing is not None:
        # As a query does: what the object has loaded (or changed) stays, what it has not (an
        # expired attribute) is taken from the row.
        data = dict(zip(keys, values, strict=True))
        for key in instance_state(existing).unloaded & data.keys():
            set_committed_value(existing, key, data[key])
        return existing
    instance = mapper.class_manager.new_instance()
    state = instance_state(instance)
    state.dict.update(zip(keys, values, strict=True))
    # ``make_transient_to_detached`` without what a fresh row does not need: the identity is
    # already known, and only column attributes the row lacks are expired — it would walk every
    # relationship too (they load lazily anyway, being absent).
    state.key = identity
    state._commit_all(state.dict)
    if unloaded:
        state._expire_attributes(state.dict, unloaded)
    # ``session.add`` without its save-update cascade: the new object holds its columns only,
    # so there is nothing to cascade to, and walking the mapper's relationships to find that
    # out cost more than the rest of the attach.
    session._update_impl(state)
    return instance
