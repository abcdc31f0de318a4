"""The audit trail: every read and change recorded, append-only, hash-chained per tenant."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.audit import AuditEvent, record, verify_chain
from core.audit.chain import AuditTampering
from core.extensions import db
from core.tenancy import unscoped
from tests.registry.factories import household_payload


def _actions(tenant_id):
    with unscoped("test: read a chain"):
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
    with unscoped("test: the latest entry"):
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
    with unscoped("test: every chain"):
        seqs = db.session.execute(
            db.select(AuditEvent.tenant_id, AuditEvent.seq).order_by(AuditEvent.id)
        ).all()
        assert [tuple(r) for r in seqs] == [(tenant.id, 1), (tenant.id, 2), (other_tenant.id, 1), (None, 1)]
        for tenant_id in (tenant.id, other_tenant.id, None):
            assert verify_chain(tenant_id).checked == (2 if tenant_id == tenant.id else 1)
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


def _tamper(sql: str, params: list[dict] | dict | None = None) -> None:
    """Change the table behind the application's back (PostgreSQL: as the table owner, past
    the trigger, in the signed platform scope — the worst case: whoever has the owner's
    password; the audit key is still not theirs)."""
    from flask import current_app
    from sqlalchemy import create_engine

    from core.tenancy import rls

    if db.engine.dialect.name != "postgresql":
        db.session.execute(text(sql), params)
        db.session.commit()
        return
    db.session.commit()
    engine = create_engine(
        current_app.config.get("DATABASE_OWNER_URL") or current_app.config["SQLALCHEMY_DATABASE_URI"]
    )
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant', :t, true)"), {"t": rls.platform_token()})
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
            conn.execute(text(sql), params)
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
    with in_tenant(tenant):
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
        with in_tenant(tenant), pytest.raises(DBAPIError, match="append-only"):  # RLS shows its rows
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


# --------------------------------------------------------------------------- keyed chain and checkpoints


def _five_entries(tenant, in_tenant):
    with in_tenant(tenant):
        for n in range(5):
            record("registry.file.read", "file", n)
    db.session.commit()


def _verify(runner, tenant, checkpoint=None):
    args = ["audit", "verify", "--tenant", tenant.slug]
    if checkpoint is not None:
        args += ["--checkpoint", str(checkpoint)]
    return runner.invoke(args=args)


def test_the_chain_is_keyed_with_audit_hmac_key(app_ctx, tenant, in_tenant):
    import hashlib
    import hmac

    from core.audit.chain import GENESIS, audit_key, canonical

    with in_tenant(tenant):
        entry = record("a", "x", 1)
    db.session.commit()
    message = (GENESIS + "\n" + canonical(entry)).encode()
    assert entry.hash == hmac.new(audit_key(), message, hashlib.sha256).hexdigest()
    assert entry.hash != hashlib.sha256(message).hexdigest()


def test_an_untouched_chain_passes_against_its_checkpoint(app_ctx, runner, tenant, in_tenant, tmp_path):
    _five_entries(tenant, in_tenant)
    out = tmp_path / "cp.json"
    written = runner.invoke(args=["audit", "checkpoint", "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert f"{tenant.slug}: 5 entries" in written.output
    result = _verify(runner, tenant, out)
    assert result.exit_code == 0, result.output
    assert "5 entries, chain intact" in result.output and "#5" in result.output
    with in_tenant(tenant):
        record("later", "x", 6)  # entries after the checkpoint are fine
    db.session.commit()
    assert _verify(runner, tenant, out).exit_code == 0


def test_removing_the_last_entries_is_detected_with_the_checkpoint(
    app_ctx, runner, tenant, in_tenant, tmp_path
):
    _five_entries(tenant, in_tenant)
    out = tmp_path / "cp.json"
    runner.invoke(args=["audit", "checkpoint", "--out", str(out)])
    _tamper("DELETE FROM audit_events WHERE tenant_id = :t AND seq > 3", {"t": tenant.id})
    alone = _verify(runner, tenant)  # what is left is a well-formed chain: only the checkpoint knows
    assert alone.exit_code == 0 and "3 entries" in alone.output
    result = _verify(runner, tenant, out)
    assert result.exit_code == 1
    assert "truncated" in result.output and "#5" in result.output and "#3" in result.output


def test_a_chain_recomputed_without_the_key_is_detected(app_ctx, runner, tenant, in_tenant, tmp_path):
    import hashlib
    import hmac

    from core.audit.chain import GENESIS, canonical

    _five_entries(tenant, in_tenant)
    out = tmp_path / "cp.json"
    runner.invoke(args=["audit", "checkpoint", "--out", str(out)])
    with in_tenant(tenant):
        entries = db.session.execute(db.select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
    for forge in (
        lambda m: hashlib.sha256(m).hexdigest(),  # the old, unkeyed chain
        lambda m: hmac.new(b"a guessed key", m, hashlib.sha256).hexdigest(),
    ):
        rows, previous = [], GENESIS
        for entry in entries:
            entry_hash = forge((previous + "\n" + canonical(entry)).encode())
            rows.append({"id": entry.id, "prev": previous, "hash": entry_hash})
            previous = entry_hash
        _tamper("UPDATE audit_events SET prev_hash = :prev, hash = :hash WHERE id = :id", rows)
        result = _verify(runner, tenant)
        assert result.exit_code == 1 and "#1" in result.output and "entry content changed" in result.output
        assert _verify(runner, tenant, out).exit_code == 1


def test_an_edited_checkpoint_file_is_refused(app_ctx, runner, tenant, in_tenant, tmp_path):
    import json

    _five_entries(tenant, in_tenant)
    out = tmp_path / "cp.json"
    runner.invoke(args=["audit", "checkpoint", "--out", str(out)])
    data = json.loads(out.read_text())
    for chain in data["chains"]:
        if chain["tenant"] == tenant.slug:
            chain["seq"] = chain["count"] = 3  # an insider "moves" the checkpoint before truncating
    out.write_text(json.dumps(data))
    result = _verify(runner, tenant, out)
    assert result.exit_code == 1 and "not signed with this AUDIT_HMAC_KEY" in result.output


def test_checkpoints_go_to_the_configured_folder_and_the_newest_is_used(
    app, app_ctx, runner, tenant, in_tenant, tmp_path
):
    _five_entries(tenant, in_tenant)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 2  # nowhere to write
    app.config["AUDIT_CHECKPOINT_DIR"] = str(tmp_path / "checkpoints")
    try:
        from core.jobs import run_periodic

        written = run_periodic("audit.checkpoint")  # what the beat schedule runs every hour
        first = Path(written["*"]["file"])
        with in_tenant(tenant):
            record("later", "x", 6)
        db.session.commit()
        assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
        files = sorted((tmp_path / "checkpoints").glob("audit-checkpoint-*.json"))
        assert len(files) == 2 and files[0] == first
        _tamper("DELETE FROM audit_events WHERE tenant_id = :t AND seq = 6", {"t": tenant.id})
        result = _verify(runner, tenant, tmp_path / "checkpoints")  # the newest: 6 entries
        assert result.exit_code == 1 and "truncated" in result.output
    finally:
        app.config["AUDIT_CHECKPOINT_DIR"] = None


def test_the_platform_chain_is_checkpointed_and_verified_too(app_ctx, runner, tmp_path):
    record("platform.thing", "tenant", 1, tenant_id=None)
    db.session.commit()
    out = tmp_path / "cp.json"
    runner.invoke(args=["audit", "checkpoint", "--out", str(out)])
    result = runner.invoke(args=["audit", "verify", "--tenant", "-", "--checkpoint", str(out)])
    assert result.exit_code == 0 and "1 entries" in result.output, result.output


def test_production_refuses_the_development_audit_and_rls_keys():
    from core.config import ConfigError, check

    good = {
        "PRODUCTION": True,
        "SECRET_KEY": "s" * 40,
        "ID_ENCRYPTION_KEYS": ["k"],
        "ID_HMAC_KEY": "h" * 40,
        "RLS_KEY": "r" * 40,
        "AUDIT_HMAC_KEY": "a" * 40,
        "PUBLIC_URL": "https://charity.example.org",
    }
    check(good)
    for key in ("RLS_KEY", "AUDIT_HMAC_KEY"):
        with pytest.raises(ConfigError, match=key):
            check({**good, key: None})
        with pytest.raises(ConfigError, match=key):
            check({**good, key: "short"})


def test_a_chain_rewritten_even_with_the_key_is_caught_by_the_checkpoint(
    app_ctx, runner, tenant, in_tenant, tmp_path
):
    """An insider with the database *and* the key edits entry #2 and recomputes the chain: the
    database alone cannot tell, the checkpoint the auditors kept can."""
    from core.audit.chain import GENESIS, entry_hash

    _five_entries(tenant, in_tenant)
    out = tmp_path / "cp.json"
    runner.invoke(args=["audit", "checkpoint", "--out", str(out)])
    with in_tenant(tenant):
        entries = db.session.execute(db.select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
        db.session.expunge_all()
    rows, previous = [], GENESIS
    for entry in entries:
        if entry.seq == 2:
            entry.action = "registry.file.nothing"
        entry.hash = entry_hash(previous, entry)
        rows.append({"id": entry.id, "action": entry.action, "prev": previous, "hash": entry.hash})
        previous = entry.hash
    _tamper("UPDATE audit_events SET action = :action, prev_hash = :prev, hash = :hash WHERE id = :id", rows)
    assert _verify(runner, tenant).exit_code == 0
    result = _verify(runner, tenant, out)
    assert result.exit_code == 1 and "rewritten" in result.output and "#5" in result.output


def test_the_audit_key_rotates_by_rekeying_every_intact_chain(
    app, app_ctx, runner, tenant, other_tenant, in_tenant, monkeypatch
):
    old, new = "the-old-key-that-wrote-the-chains", "the-new-audit-key-after-rotation"
    monkeypatch.setitem(app.config, "AUDIT_HMAC_KEY", old)
    _five_entries(tenant, in_tenant)
    with in_tenant(other_tenant):
        record("a", "x", 1)
    db.session.commit()
    monkeypatch.setenv("OLD_AUDIT_KEY", old)
    monkeypatch.setitem(app.config, "AUDIT_HMAC_KEY", new)
    assert _verify(runner, tenant).exit_code == 1  # written under the old key
    rotated = runner.invoke(args=["audit", "rekey", "--old-key-env", "OLD_AUDIT_KEY"])
    assert rotated.exit_code == 0 and "Re-keyed 6 entries in 2 chain(s)" in rotated.output, rotated.output
    assert _verify(runner, tenant).exit_code == 0 and _verify(runner, other_tenant).exit_code == 0
    # A broken chain is not laundered by a rotation: refused, nothing changed.
    _tamper("UPDATE audit_events SET action = 'edited' WHERE tenant_id = :t AND seq = 2", {"t": tenant.id})
    monkeypatch.setenv("OLD_AUDIT_KEY", new)
    monkeypatch.setitem(app.config, "AUDIT_HMAC_KEY", old)
    refused = runner.invoke(args=["audit", "rekey", "--old-key-env", "OLD_AUDIT_KEY"])
    assert (
        refused.exit_code == 1
        and "broken at #2" in refused.output
        and "Nothing was changed" in refused.output
    )
    monkeypatch.setitem(app.config, "AUDIT_HMAC_KEY", new)
    assert _verify(runner, other_tenant).exit_code == 0  # still under the new key: untouched
