"""Count the SQL statements a block of code sends (the ``max_queries`` test fixture's engine).

Modelled on pytest-django's ``django_assert_max_num_queries``::

    with max_queries(12):
        client.get("/requests/queue/new")

counts every statement executed on the app's engine (SQLAlchemy ``before_cursor_execute``)
inside the block, except the housekeeping that is not the page's own work: the row-level
security ``set_config`` at the start of each transaction and ``SAVEPOINT`` / ``RELEASE`` /
``ROLLBACK TO`` statements. Over budget, the failure lists every statement counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine

_HOUSEKEEPING = re.compile(
    r"^\s*(SELECT\s+set_config\s*\(|SAVEPOINT\b|RELEASE\s+SAVEPOINT\b|ROLLBACK\s+TO\s+SAVEPOINT\b)",
    re.IGNORECASE,
)


def is_housekeeping(statement: str) -> bool:
    """A statement the counter ignores (RLS setting, savepoints)."""
    return bool(_HOUSEKEEPING.match(statement))


@dataclass
class CapturedQueries:
    """The statements counted inside a ``count_queries`` block."""

    statements: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.statements)

    @property
    def count(self) -> int:
        return len(self.statements)

    def report(self) -> str:
        lines = [f"{n}. {' '.join(sql.split())}" for n, sql in enumerate(self.statements, 1)]
        return "\n".join(lines)


@contextmanager
def count_queries(engine: Engine) -> Iterator[CapturedQueries]:
    """Record the statements executed on ``engine`` inside the block (housekeeping left out)."""
    captured = CapturedQueries()

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if not is_housekeeping(statement):
            captured.statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", record)


class TooManyQueries(AssertionError):
    pass


@contextmanager
def assert_max_queries(engine: Engine, budget: int, *, label: str = "") -> Iterator[CapturedQueries]:
    """Fail when the block sends more than ``budget`` statements, listing them all."""
    with count_queries(engine) as captured:
        yield captured
    if captured.count > budget:
        where = f" ({label})" if label else ""
        raise TooManyQueries(
            f"Expected at most {budget} queries{where}, {captured.count} were executed:\n{captured.report()}"
        )
