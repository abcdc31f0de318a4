"""audit: the hash chain becomes keyed (HMAC-SHA256 under AUDIT_HMAC_KEY)

Existing entries are re-keyed in place, chain by chain, in order: each entry's unkeyed
link is checked first (SHA-256, the old format) and only an intact prefix is re-keyed. A
chain that was already broken stays broken at the same entry, so ``flask audit verify``
reports after the upgrade what it reported before; an intact chain (the demo data, every
untampered database) verifies under the key afterwards. The downgrade does the reverse.

The key comes from the configuration the migration runs with (AUDIT_HMAC_KEY, or the
development default derived from SECRET_KEY): run ``flask db upgrade`` with the production
key in place. On PostgreSQL the append-only trigger is disabled for the rewrite, in the
migration's transaction.

Revision ID: core_0009
Revises: core_0008
"""

import hashlib
import hmac
import json

import sqlalchemy as sa
from alembic import op

revision = "core_0009"
down_revision = "core_0008"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
BATCH = 2000

events = sa.table(
    "audit_events",
    sa.column("id", sa.BigInteger),
    sa.column("tenant_id", sa.Integer),
    sa.column("seq", sa.BigInteger),
    sa.column("at", sa.DateTime),
    sa.column("user_id", sa.Integer),
    sa.column("user_email", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("details", sa.JSON),
    sa.column("ip", sa.String),
    sa.column("request_id", sa.String),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _canonical(row) -> str:
    # Frozen copy of core.audit.chain.canonical as of this revision.
    return json.dumps(
        [
            row.tenant_id,
            row.seq,
            row.at.isoformat(timespec="microseconds"),
            row.user_id,
            row.user_email,
            row.action,
            row.object_type,
            row.object_id,
            row.details or {},
            row.ip,
            row.request_id,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def _unkeyed(prev_hash: str, row) -> str:
    return hashlib.sha256((prev_hash + "\n" + _canonical(row)).encode()).hexdigest()


def _keyed(key: bytes):
    def digest(prev_hash: str, row) -> str:
        return hmac.new(key, (prev_hash + "\n" + _canonical(row)).encode(), hashlib.sha256).hexdigest()

    return digest


def _key() -> bytes:
    from core.audit.chain import audit_key

    return audit_key()


def _rewrite(old, new) -> None:
    """Re-hash every chain with ``new`` as far as it is intact under ``old``."""
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    chains = [row[0] for row in bind.execute(sa.select(events.c.tenant_id).distinct())]
    for tenant_id in chains:
        where = events.c.tenant_id.is_(None) if tenant_id is None else events.c.tenant_id == tenant_id
        old_prev, new_prev, expected, intact = GENESIS, GENESIS, 1, True
        while intact:
            batch = bind.execute(
                sa.select(events).where(where, events.c.seq >= expected).order_by(events.c.seq).limit(BATCH)
            ).all()
            if not batch:
                break
            updates = []
            for row in batch:
                if row.seq != expected or row.prev_hash != old_prev or old(row.prev_hash, row) != row.hash:
                    print(f"audit chain of tenant {tenant_id}: broken at #{row.seq}; left as it was from there")
                    intact = False
                    break
                new_hash = new(new_prev, row)
                updates.append({"row_id": row.id, "new_prev": new_prev, "new_hash": new_hash})
                old_prev, new_prev, expected = row.hash, new_hash, expected + 1
            if updates:
                bind.execute(
                    events.update()
                    .where(events.c.id == sa.bindparam("row_id"))
                    .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash")),
                    updates,
                )
    if postgres:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")


def upgrade():
    _rewrite(_unkeyed, _keyed(_key()))


def downgrade():
    _rewrite(_keyed(_key()), _unkeyed)
