"""The audit trail: every read and change recorded, append-only, hash-chained per tenant."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.audit import AuditEvent, record, verify_chain
from core.audit.service import AuditTampering
from core.extensions import db
from tests.registry.factories import household_payload


def _actions(tenant_id):
    return (
        db.session.execute(
            db.select(AuditEvent.action).where(AuditEvent.tenant_id == tenant_id).order_by(AuditEvent.seq)
        )
        .scalars()
        .all()
    )


def test_reads_and_changes_are_recorded_with_user_ip_and_request_id(api, officer, tenant, app_ctx):
    client = api(officer)
    household_id = client.post("/households", json=household_payload()).json["id"]
    client.get(f"/households/{household_id}", headers={"X-Request-ID": "req-42"})
    actions = _actions(tenant.id)
    assert "registry.household.created" in actions and actions[-1] == "registry.file.read"
    read = db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
    assert (read.user_id, read.ip, read.request_id, read.object_id) == (
        officer.id,
        "127.0.0.1",
        "req-42",
        str(household_id),
    )
    assert "الغامدي" not in str(read.details)


def test_each_tenant_has_its_own_chain(app_ctx, tenant, other_tenant, in_tenant):
    with in_tenant(tenant):
        record("a", "x", 1)
        record("b", "x", 2)
    with in_tenant(other_tenant):
        record("c", "x", 3)
    record("platform.thing", "tenant", tenant.id, tenant_id=None)
    db.session.commit()
    seqs = db.session.execute(db.select(AuditEvent.tenant_id, AuditEvent.seq).order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in seqs] == [(tenant.id, 1), (tenant.id, 2), (other_tenant.id, 1), (None, 1)]
    for tenant_id in (tenant.id, other_tenant.id, None):
        assert verify_chain(tenant_id).ok


def test_the_application_refuses_to_change_or_delete_entries(app_ctx, tenant, in_tenant):
    with in_tenant(tenant):
        entry = record("a", "x", 1)
    db.session.commit()
    entry.action = "changed"
    with pytest.raises(AuditTampering):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, entry.id))
    with pytest.raises(AuditTampering):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditTampering):
        db.session.execute(db.delete(AuditEvent))
    db.session.rollback()


def _tamper(sql: str) -> None:
    """Change the table behind the application's back (PostgreSQL: as the table owner, past the trigger)."""
    from flask import current_app
    from sqlalchemy import create_engine

    if db.engine.dialect.name != "postgresql":
        db.session.execute(text(sql))
        db.session.commit()
        return
    db.session.commit()
    engine = create_engine(
        current_app.config.get("DATABASE_OWNER_URL") or current_app.config["SQLALCHEMY_DATABASE_URI"]
    )
    try:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
            conn.execute(text(sql))
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("UPDATE audit_events SET action = 'nothing happened' WHERE seq = 3", "entry content changed"),
        ("DELETE FROM audit_events WHERE seq = 3", "missing entry"),
    ],
)
def test_verify_reports_the_first_broken_link(app_ctx, runner, tenant, in_tenant, sql, problem):
    with in_tenant(tenant):
        for n in range(5):
            record("registry.file.read", "file", n)
    db.session.commit()
    result = runner.invoke(args=["audit", "verify", "--tenant", tenant.slug])
    assert result.exit_code == 0 and "5 entries" in result.output
    _tamper(sql)
    report = verify_chain(tenant.id)
    assert (report.broken_at_seq, report.problem, report.checked) == (3, problem, 2)
    result = runner.invoke(args=["audit", "verify", "--tenant", tenant.slug])
    assert result.exit_code == 1 and "#3" in result.output


def test_postgresql_trigger_refuses_update_and_delete(app_ctx, tenant, in_tenant):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; SQLite relies on the application guard and the chain")
    with in_tenant(tenant):
        record("a", "x", 1)
    db.session.commit()
    for sql in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(sql))
        db.session.rollback()


def test_auditors_export_a_date_range_to_csv(api, officer, create_user_, tenant, app_ctx):
    api(officer).post("/households", json=household_payload())
    auditor = create_user_(roles={tenant: ["auditor"]})
    response = api(auditor).get(
        "/audit/export.csv", query_string={"start": "2000-01-01", "end": "2999-12-31"}
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffseq,at,user_id")
    assert "registry.household.created" in body
    empty = api(auditor).get("/audit/export.csv", query_string={"start": "2000-01-01", "end": "2000-01-02"})
    assert empty.get_data(as_text=True).count("\n") == 1
    assert api(officer).get("/audit/export.csv").status_code == 403
    assert api(auditor).get("/audit/verify").json["ok"] is True
    assert "audit.exported" in _actions(tenant.id)


def test_the_audit_page_is_for_auditors(client, login, create_user_, tenant):
    auditor = create_user_(roles={tenant: ["auditor"]})
    login(auditor)
    assert client.get(f"/t/{tenant.slug}/audit/?verify=1").status_code == 200
    assert client.get(f"/t/{tenant.slug}/registry/").status_code == 403
