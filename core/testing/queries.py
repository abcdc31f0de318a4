"""Counting the SQL statements a piece of code sends (N+1 checks)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event

from core.extensions import db


@dataclass
class Queries:
    """The statements sent inside one ``query_counter()`` block."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def __len__(self) -> int:
        return self.count


@contextmanager
def count_queries(engine=None) -> Iterator[Queries]:
    """``with count_queries() as queries: ...`` then ``queries.count`` (needs an app context)."""
    engine = engine if engine is not None else db.engine
    queries = Queries()

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        queries.statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield queries
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def query_counter(app_ctx) -> Callable[..., object]:
    """``with query_counter() as queries: client.get(...)``; ``queries.count``, ``queries.statements``."""
    return count_queries


@pytest.fixture
def max_queries(app):
    """``with max_queries(12): client.get(...)`` — fail when the block sends more statements to the
    database than the budget (RLS ``set_config`` and savepoints not counted), listing those sent.
    The object yielded has ``.count`` and ``.statements`` (to record a page's figure).
    pytest-django's ``django_assert_max_num_queries`` is the model."""
    from .budget import assert_max_queries

    def budget(limit: int, *, label: str = ""):
        with app.app_context():
            engine = db.engine
        return assert_max_queries(engine, limit, label=label)

    return budget


def note_query_figure(page: str, rows: int, count: int) -> None:
    """With ``QUERY_FIGURES=<file>``, append "page, rows, queries" to it (the report's table)."""
    path = os.environ.get("QUERY_FIGURES")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{page}\t{rows}\t{count}\n")


@pytest.fixture
def page_budget(max_queries):
    """``page_budget(page, rows, budget, call)``: ``call()`` answers 200 within ``budget`` queries."""

    def run(page: str, rows: int, budget: int, call):
        captured = None
        try:
            with max_queries(budget, label=f"{page}, {rows} rows") as captured:
                response = call()
        finally:
            if captured is not None:
                note_query_figure(page, rows, captured.count)
        assert response.status_code == 200, response.data[:500]
        return response

    return run
