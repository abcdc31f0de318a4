"""Counting the SQL statements a piece of code sends (N+1 checks)."""

from __future__ import annotations

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
