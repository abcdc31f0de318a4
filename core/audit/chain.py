"""The keyed hash chain of the audit trail.

Entries of one tenant form a *keyed* hash chain: ``hash`` = HMAC-SHA256 under
``AUDIT_HMAC_KEY`` (configuration, outside the database) over the previous hash and the
entry's canonical content, so whoever can write the table but lacks the key can neither edit
an entry nor recompute the chain unnoticed. :func:`verify_chain` walks one chain and returns
the first broken link; :func:`rekey_chains` re-hashes every chain when the key is rotated.
Removing the *last* entries leaves a shorter chain that is still intact: see
:mod:`.checkpoints`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from .models import AuditEvent

GENESIS = "0" * 64


class AuditTampering(RuntimeError):
    """Code tried to change or remove an audit entry."""


def canonical(entry: AuditEvent) -> str:
    return json.dumps(
        [
            entry.tenant_id,
            entry.seq,
            entry.at.isoformat(timespec="microseconds"),
            entry.user_id,
            entry.user_email,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.details or {},
            entry.ip,
            entry.request_id,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def audit_key(config=None) -> bytes:
    """``AUDIT_HMAC_KEY``, or the development default derived from ``SECRET_KEY`` (refused in
    production by core.config.check)."""
    config = current_app.config if config is None else config
    key = config.get("AUDIT_HMAC_KEY")
    if key:
        return key.encode() if isinstance(key, str) else key
    return hashlib.sha256(f"charity-audit:{config['SECRET_KEY']}".encode()).digest()


def key_fingerprint(key: bytes | None = None) -> str:
    """A short public name for the key (never the key itself)."""
    return hashlib.sha256(b"charity-audit-fingerprint:" + (key or audit_key())).hexdigest()[:12]


def entry_hash(prev_hash: str, entry: AuditEvent, key: bytes | None = None) -> str:
    message = (prev_hash + "\n" + canonical(entry)).encode()
    return hmac.digest(key or audit_key(), message, "sha256").hex()


def chain_filter(tenant_id: int | None):
    return AuditEvent.tenant_id.is_(None) if tenant_id is None else AuditEvent.tenant_id == tenant_id


@dataclass
class ChainReport:
    checked: int
    broken_at_seq: int | None = None
    broken_entry_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at_seq is None


def verify_chain(tenant_id: int | None) -> ChainReport:
    """Walk one tenant's chain in order; report the first entry whose link or hash is wrong.

    The caller works for that tenant (``tenant_context``) or in the platform scope: on
    PostgreSQL, Row-Level Security shows no entries otherwise.
    """
    key = audit_key()
    previous = GENESIS
    expected_seq = 1
    checked = 0
    query = db.select(AuditEvent).where(chain_filter(tenant_id)).order_by(AuditEvent.seq)
    result = db.session.execute(query.execution_options(yield_per=1000))
    try:
        for entry in result.scalars():
            if entry.seq != expected_seq:
                return ChainReport(checked, expected_seq, entry.id, "missing entry")
            if entry.prev_hash != previous:
                return ChainReport(checked, entry.seq, entry.id, "link to previous entry broken")
            if not hmac.compare_digest(entry_hash(entry.prev_hash, entry, key), entry.hash):
                return ChainReport(checked, entry.seq, entry.id, "entry content changed")
            previous = entry.hash
            expected_seq += 1
            checked += 1
    finally:
        result.close()
    return ChainReport(checked)


def rekey_chains(connection, old_key: bytes, new_key: bytes, batch: int = 2000) -> dict:
    """Re-hash every chain under ``new_key`` (``AUDIT_HMAC_KEY`` rotation), on a connection of
    the table owner (PostgreSQL: in the platform scope, past the append-only trigger). Every
    chain is checked under ``old_key`` first; if one is broken nothing is changed and
    :class:`AuditTampering` names it. Returns the number of entries per chain."""
    table = AuditEvent.__table__
    postgres = connection.dialect.name == "postgresql"
    chains = [row[0] for row in connection.execute(sa.select(table.c.tenant_id).distinct())]

    def walk(tenant_id):
        where = table.c.tenant_id.is_(None) if tenant_id is None else table.c.tenant_id == tenant_id
        expected = 1
        while True:
            rows = connection.execute(
                sa.select(table).where(where, table.c.seq >= expected).order_by(table.c.seq).limit(batch)
            ).all()
            if not rows:
                return
            yield from rows
            expected = rows[-1].seq + 1

    for tenant_id in chains:  # check everything before changing anything
        previous = GENESIS
        for seq, row in enumerate(walk(tenant_id), start=1):
            if row.seq != seq or row.prev_hash != previous or row.hash != entry_hash(previous, row, old_key):
                raise AuditTampering(f"chain of tenant {tenant_id} is broken at #{seq}: not re-keyed")
            previous = row.hash
    if postgres:
        connection.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
    counts = {}
    for tenant_id in chains:
        previous, count = GENESIS, 0
        updates = []
        for row in walk(tenant_id):
            new_hash = entry_hash(previous, row, new_key)
            updates.append({"row_id": row.id, "new_prev": previous, "new_hash": new_hash})
            previous, count = new_hash, count + 1
            if len(updates) >= batch:
                _apply(connection, table, updates)
        _apply(connection, table, updates)
        counts[tenant_id] = count
    if postgres:
        connection.execute(sa.text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
    return counts


def _apply(connection, table, updates: list[dict]) -> None:
    if updates:
        connection.execute(
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash")),
            list(updates),
        )
        updates.clear()
