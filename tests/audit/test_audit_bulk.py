"""Bulk audit entries (``record_many``, an import's per-row entries): the same chain, one insert."""

from __future__ import annotations

from core.audit import AuditEvent, record, verify_chain
from core.audit.services import record_many
from core.extensions import db
from core.testing import count_queries


def test_bulk_entries_chain_between_single_ones_and_verify(app_ctx, tenant, other_tenant, in_tenant):
    with in_tenant(other_tenant):
        record("test.other", "thing", 1)  # another chain, untouched
        db.session.commit()
    with in_tenant(tenant):
        record("test.before", "thing", 1)
        with count_queries() as queries:
            appended = record_many(
                [("test.bulk", "thing", n, {"n": n, "at": "x"}) for n in range(2, 6)]
                + [("test.bulk", "thing", None, None)]
            )
        # The chain's head read once (after PostgreSQL's advisory lock on the chain), one bulk insert.
        assert appended == 5 and queries.count == (3 if db.engine.dialect.name == "postgresql" else 2)
        record("test.after", "thing", 7)
        db.session.commit()
        entries = (
            db.session.execute(
                db.select(AuditEvent).where(AuditEvent.tenant_id == tenant.id).order_by(AuditEvent.seq)
            )
            .scalars()
            .all()
        )
        assert [e.seq for e in entries] == list(range(1, 8))
        assert [e.action for e in entries] == ["test.before"] + ["test.bulk"] * 5 + ["test.after"]
        assert [e.object_id for e in entries[1:6]] == ["2", "3", "4", "5", None]
        assert all(
            later.prev_hash == earlier.hash for earlier, later in zip(entries, entries[1:], strict=False)
        )
        report = verify_chain(tenant.id)
        assert report.ok and report.checked == 7
    with in_tenant(other_tenant):
        assert verify_chain(other_tenant.id).checked == 1


def test_nothing_to_append_writes_nothing(app_ctx, tenant, in_tenant):
    with in_tenant(tenant):
        assert record_many([]) == 0
        assert verify_chain(tenant.id).checked == 0
