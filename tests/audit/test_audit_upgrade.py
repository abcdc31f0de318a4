"""An older database (unkeyed audit chains; on PostgreSQL the old, fail-open RLS policy) comes
out of ``flask db upgrade`` with keyed chains that verify, and with fail-closed RLS.

Runs on a database of its own: a SQLite file, or a schema of its own on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from core.audit.chain import GENESIS, audit_key, canonical, entry_hash, verify_chain
from core.extensions import db
from core.tenancy import Tenant, rls, tenant_context
from tests.fixtures import make_app, owner_url

SCHEMA = "old_database_upgrade"
OLD_CONDITION = (
    "NULLIF(current_setting('app.tenant_id', true), '')::integer IS NULL "
    "OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
)


@pytest.fixture
def old_database(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}", None
        return
    owner = owner_url(url)
    engine = sa.create_engine(owner)
    app_role = sa.make_url(url).username
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
        conn.execute(sa.text(f'GRANT USAGE ON SCHEMA {SCHEMA} TO "{app_role}"'))
    option = f"?options=-csearch_path%3D{SCHEMA}"
    try:
        yield url + option, owner + option
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {SCHEMA} CASCADE"))
        engine.dispose()


def _legacy_entry(tenant_id, seq, prev_hash, at, action="registry.file.read"):
    entry = SimpleNamespace(
        tenant_id=tenant_id,
        seq=seq,
        at=at,
        user_id=7,
        user_email="officer@example.org",
        action=action,
        object_type="file",
        object_id=str(seq),
        details={"part": "members", "ar": "سجل"},
        ip="127.0.0.1",
        request_id=f"req-{seq}",
        prev_hash=prev_hash,
    )
    entry.hash = hashlib.sha256((prev_hash + "\n" + canonical(entry)).encode()).hexdigest()
    return entry


def _make_old(connection, tenants: dict[str, int]) -> None:
    """What the previous release left: unkeyed chains; on PostgreSQL its fail-open policy and no
    key table nor checking functions."""
    if connection.dialect.name == "postgresql":
        for table in rls.tenant_tables(connection):
            connection.execute(
                sa.text(
                    f'ALTER POLICY {rls.POLICY} ON "{table}" USING ({OLD_CONDITION}) WITH CHECK ({OLD_CONDITION})'
                )
            )
        for function in ("charity_platform_scope()", "charity_tenant()", "charity_rls_scope()"):
            connection.execute(sa.text(f"DROP FUNCTION {function}"))
        connection.execute(sa.text(f"DROP TABLE {rls.KEY_TABLE}"))
    columns = ("tenant_id", "seq", "at", "user_id", "user_email", "action", "object_type", "object_id")
    events = sa.table(
        "audit_events",
        *[sa.column(c) for c in (*columns, "ip", "request_id", "prev_hash", "hash")],
        sa.column("details", sa.JSON),
    )
    start = datetime(2026, 11, 1, 8, 30, 0, 123456)
    for slug, count in tenants.items():
        tenant_id = connection.execute(
            sa.text(
                "INSERT INTO tenants (slug, name_ar, name_en, service_area, contact, default_locale, "
                "calendar_display, currency, hosts, settings, is_active, created_at, updated_at) VALUES "
                "(:s, :s, :s, '[]', '{}', 'ar', 'both', 'SAR', '[]', '{}', true, :at, :at) RETURNING id"
            ),
            {"s": slug, "at": start},
        ).scalar_one()
        previous = GENESIS
        for seq in range(1, count + 1):
            entry = _legacy_entry(tenant_id, seq, previous, start + timedelta(minutes=seq))
            if slug == "tampered" and seq == 2:
                entry.action = "edited after the fact"  # the old chain is already broken here
            connection.execute(events.insert().values(**vars(entry)))
            previous = entry.hash


def test_an_older_database_verifies_after_the_upgrade(old_database):
    url, owner = old_database
    application = make_app(url, DATABASE_OWNER_URL=owner)
    with application.app_context():
        upgrade(revision="core_0006")  # the last revision of the previous release
        engine = sa.create_engine(owner or url)
        try:
            with engine.begin() as conn:
                _make_old(conn, {"kept": 4, "tampered": 3})
        finally:
            engine.dispose()
        upgrade(revision="heads")
        tenants = {t.slug: t for t in db.session.execute(db.select(Tenant)).scalars()}
        with tenant_context(tenants["kept"]):
            report = verify_chain(tenants["kept"].id)
            assert (report.ok, report.checked) == (True, 4)
            first = db.session.execute(
                sa.text("SELECT prev_hash, hash FROM audit_events WHERE seq = 1 AND tenant_id = :t"),
                {"t": tenants["kept"].id},
            ).one()
        entry = _legacy_entry(tenants["kept"].id, 1, GENESIS, datetime(2026, 11, 1, 8, 31, 0, 123456))
        assert first.hash == entry_hash(GENESIS, entry, audit_key())  # re-keyed: HMAC, not SHA-256
        with tenant_context(tenants["tampered"]):
            report = verify_chain(tenants["tampered"].id)
            assert (report.ok, report.broken_at_seq, report.checked) == (False, 2, 1)
        db.session.commit()
        cli = application.test_cli_runner()
        assert cli.invoke(args=["audit", "verify", "--tenant", "kept"]).exit_code == 0
        assert cli.invoke(args=["audit", "verify", "--tenant", "tampered"]).exit_code == 1
        if db.engine.dialect.name == "postgresql":  # and Row-Level Security now fails closed
            with db.engine.connect() as conn:
                assert conn.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one() == 0
                conn.execute(
                    sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenants["kept"].id)}
                )
                assert conn.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one() == 0
        db.session.remove()
        db.engine.dispose()
