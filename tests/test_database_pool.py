"""Pooled connections to PostgreSQL are tried after they idled, not on every request
(``core.extensions.PingWhenIdle``, ``DATABASE_PING_AFTER_IDLE_SECONDS``)."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import create_engine, exc, text
from sqlalchemy.pool import NullPool

from core.extensions import db
from tests.fixtures import make_app

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="SQLite opens a file, not a connection to a server that can drop it",
)


def _backend_pid(application) -> int:
    """One unit of work, as a request's: the pooled connection is checked out and back in."""
    with application.app_context():
        try:
            return db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        except exc.DBAPIError:
            db.session.rollback()  # as the app's error handlers do; it must not fail in turn
            raise
        finally:
            db.session.remove()


def _terminate(url: str, pid: int) -> None:
    """The server ends that connection (as a restart or an idle timeout would)."""
    killer = create_engine(url, poolclass=NullPool)
    try:
        with killer.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    finally:
        killer.dispose()
    time.sleep(0.2)  # the backend has gone by the time the next checkout tries it


def _pings(application, monkeypatch) -> list[int]:
    with application.app_context():
        dialect = db.engine.dialect
    counted: list[int] = []
    real = dialect.do_ping

    def counting(dbapi_connection):
        counted.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counting)
    return counted


def test_a_connection_used_a_moment_ago_is_handed_out_without_a_round_trip(database_url, monkeypatch):
    application = make_app(database_url, DATABASE_PING_AFTER_IDLE_SECONDS=60)
    pings = _pings(application, monkeypatch)
    first = _backend_pid(application)
    assert [_backend_pid(application) for _ in range(5)] == [first] * 5  # the same pooled connection
    assert pings == []


def test_a_connection_the_server_dropped_while_it_idled_is_replaced_before_use(database_url, monkeypatch):
    application = make_app(database_url, DATABASE_PING_AFTER_IDLE_SECONDS=0.1)
    pings = _pings(application, monkeypatch)
    dropped = _backend_pid(application)
    _terminate(database_url, dropped)
    replacement = _backend_pid(application)  # no error: tried, found gone, replaced
    assert replacement != dropped
    assert pings  # it was tried


def test_without_the_check_a_dropped_connection_fails_the_next_request(database_url):
    # The check is what saves the request above: with it off the same sequence fails.
    application = make_app(database_url, DATABASE_PING_AFTER_IDLE_SECONDS=None)
    dropped = _backend_pid(application)
    _terminate(database_url, dropped)
    with pytest.raises(exc.OperationalError):
        _backend_pid(application)
    assert _backend_pid(application) != dropped  # and SQLAlchemy discards it after that failure


def test_a_connection_dropped_under_a_request_answers_its_error_and_the_next_request_is_served(database_url):
    # The health check's own answer for a database it cannot reach (503), not a 500 from the
    # rollback after it (Row-Level Security's bookkeeping read the dropped connection's state).
    application = make_app(database_url, DATABASE_PING_AFTER_IDLE_SECONDS=None)
    client = application.test_client()
    assert client.get("/healthz").status_code == 200
    _terminate(database_url, _backend_pid(application))
    dropped = client.get("/healthz")
    assert dropped.status_code == 503 and dropped.json["database"] == "unreachable"
    assert client.get("/healthz").status_code == 200


def test_a_statement_sent_on_the_cursor_of_a_dropped_connection_fails_as_sqlalchemy_and_drops_it(
    database_url,
):
    # core.prepared (the hot paths' statements, the tenant setting of each transaction) sends on
    # the DBAPI cursor: its error must still be SQLAlchemy's, the connection invalidated.
    import sqlalchemy as sa

    from core.prepared import Prepared

    application = make_app(database_url, DATABASE_PING_AFTER_IDLE_SECONDS=None)
    dropped = _backend_pid(application)
    _terminate(database_url, dropped)
    with application.app_context():
        with pytest.raises(exc.OperationalError) as failed:
            Prepared(sa.select(sa.literal(1))).rows(db.session.connection(), {})
        assert failed.value.connection_invalidated
        db.session.rollback()
        db.session.remove()
    assert _backend_pid(application) != dropped  # the next unit of work has a new connection
