"""Counting the SQL statements a piece of code sends (N+1 checks)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from core.extensions import db

from .budget import CapturedQueries, assert_max_queries
from .budget import count_queries as _count_on

# One counter (``core.testing.budget``) behind both fixtures: housekeeping statements (the RLS
# tenant setting, savepoints) are not the block's own work and are never counted.
Queries = CapturedQueries


@contextmanager
def count_queries(engine=None) -> Iterator[CapturedQueries]:
    """``with count_queries() as queries: ...`` then ``queries.count`` (needs an app context)."""
    with _count_on(engine if engine is not None else db.engine) as captured:
        yield captured


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
