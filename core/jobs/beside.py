"""SQLite: the progress of a job whose own transaction holds the database's one write lock.

SQLite has one writer at a time. A task that writes its rows in one transaction (an import:
all or nothing) holds that lock until it commits, so its progress reports cannot reach the
job's row, as they do on PostgreSQL through a connection of their own: the progress page would
show the value from before the writing began (half, for an import) until the very end, and on a
write longer than ``JOBS_STALE_AFTER_SECONDS`` the heartbeat would go stale and another process
would take the job for dead.

Such a report is written here instead: a small database file of its own beside the main one
(``<database>-progress``; a process-local table for an in-memory database), one row per
running job. Every ``Job`` loaded while it runs is given the newer progress and heartbeat found
here (an ORM load event), so the pages, the API and the reaper read them alike. The row goes
when the job ends. A report is best effort: one that cannot be written within a second is
skipped (the next chunk brings the next).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

log = logging.getLogger("charity_platform.jobs")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS progress (tenant_id INTEGER NOT NULL, job_id INTEGER NOT NULL, "
    "progress INTEGER NOT NULL, total INTEGER, heartbeat_at TEXT NOT NULL, PRIMARY KEY (tenant_id, job_id))"
)
# In-memory databases (one process): (database, tenant id, job id) → a row as the file keeps it.
_LOCAL: dict[tuple[str, int, int], tuple[int, int | None, str]] = {}
_LOCK = threading.Lock()


def path_of(engine: sa.Engine) -> str | None:
    """The file beside ``engine``'s SQLite database ("" for an in-memory one); None when the
    database is not SQLite (its jobs report to their own row)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    if (
        database in ("", ":memory:")
        or database.startswith("file:")
        or engine.url.query.get("mode") == "memory"
    ):
        return ""
    return f"{database}-progress"


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=1.0, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")  # a lost report costs nothing: the next one comes
    connection.execute(_SCHEMA)
    return connection


def _store(engine: sa.Engine, tenant_id: int, job_id: int, sql: str, params: tuple, local) -> Any:
    """Run ``sql`` on the file beside ``engine``'s database (``local(table, key)`` on the
    process-local table of an in-memory one); None when not SQLite or the file is busy."""
    path = path_of(engine)
    if path is None:
        return None
    if not path:
        with _LOCK:
            return local(_LOCAL, (str(engine.url), tenant_id, job_id))
    try:
        with closing(_connect(path)) as connection:
            return connection.execute(sql, params).fetchone()
    except sqlite3.Error:
        log.warning("progress of job %s not kept beside the database", job_id, exc_info=True)
        return None


def write(
    engine: sa.Engine, tenant_id: int, job_id: int, progress: int, total: int | None, at: datetime
) -> None:
    _store(
        engine, tenant_id, job_id,
        "INSERT OR REPLACE INTO progress VALUES (?, ?, ?, ?, ?)",
        (tenant_id, job_id, progress, total, at.isoformat()),
        lambda table, key: table.__setitem__(key, (progress, total, at.isoformat())),
    )  # fmt: skip


def read(engine: sa.Engine, tenant_id: int, job_id: int) -> tuple[int, int | None, datetime] | None:
    """``(progress, total, heartbeat)`` last reported for the job, or None."""
    row = _store(
        engine, tenant_id, job_id,
        "SELECT progress, total, heartbeat_at FROM progress WHERE tenant_id = ? AND job_id = ?",
        (tenant_id, job_id),
        lambda table, key: table.get(key),
    )  # fmt: skip
    return None if row is None else (row[0], row[1], datetime.fromisoformat(row[2]))


def forget(engine: sa.Engine, tenant_id: int, job_id: int) -> None:
    """The job ended: its row goes."""
    _store(
        engine, tenant_id, job_id,
        "DELETE FROM progress WHERE tenant_id = ? AND job_id = ?",
        (tenant_id, job_id),
        lambda table, key: table.pop(key, None),
    )  # fmt: skip


def overlay(job, engine: sa.Engine) -> None:
    """Give a running ``job`` just loaded the newer progress and heartbeat reported beside the
    database (as committed values: nothing to flush)."""
    found = read(engine, job.tenant_id, job.id) if job.state == "running" else None
    if found is None:
        return
    progress, total, heartbeat = found
    if job.heartbeat_at is not None and heartbeat <= job.heartbeat_at:
        return
    set_committed_value(job, "progress", progress)
    set_committed_value(job, "heartbeat_at", heartbeat)
    if total is not None:
        set_committed_value(job, "total", total)
