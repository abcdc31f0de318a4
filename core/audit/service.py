"""Recording and checking the audit trail.

``record(action, obj_type, obj_id, details)`` adds an entry in the caller's transaction
(so the entry and the change commit or roll back together). Entries of one tenant form a
*keyed* hash chain: ``hash`` = HMAC-SHA256 under ``AUDIT_HMAC_KEY`` (configuration, outside
the database) over the previous hash and the entry's canonical content, so whoever can
write the table but lacks the key can neither edit an entry nor recompute the chain
unnoticed. ``verify_chain(tenant_id)`` walks it and returns the first broken link.

Removing the *last* entries leaves a shorter chain that is still intact; that is what
checkpoints are for: :func:`checkpoint` signs the head (last seq, its hash, the count) of
every chain, ``flask audit checkpoint`` writes it to a file the auditors keep outside the
database (or to ``AUDIT_CHECKPOINT_DIR`` on a schedule), and :func:`check_against` tells
whether the chain still reaches that head unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import ORMExecuteState, Session

from ..extensions import db, listen_once
from ..tenancy import Tenant, current_tenant_id, unscoped, utcnow
from ..tenancy.context import is_unscoped
from .models import AuditEvent

GENESIS = "0" * 64


class AuditTampering(RuntimeError):
    """Code tried to change or remove an audit entry."""


def request_id() -> str | None:
    if not has_request_context():
        return None
    environ = request.environ
    if "charity.request_id" not in environ:
        environ["charity.request_id"] = (request.headers.get("X-Request-ID") or uuid.uuid4().hex)[:64]
    return environ["charity.request_id"]


def _canonical(entry: AuditEvent) -> str:
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
    message = (prev_hash + "\n" + _canonical(entry)).encode()
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def _tenant_filter(tenant_id: int | None):
    return AuditEvent.tenant_id.is_(None) if tenant_id is None else AuditEvent.tenant_id == tenant_id


def _lock_chain(tenant_id: int | None) -> None:
    """Serialise writers of one chain (PostgreSQL); SQLite serialises writes itself."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            db.text("SELECT pg_advisory_xact_lock(:k)"), {"k": 0x5A0D17000000 + (tenant_id or 0)}
        )


def record(
    action: str,
    obj_type: str,
    obj_id: object = None,
    details: dict | None = None,
    *,
    tenant_id: int | None | bool = True,
    user=None,
) -> AuditEvent:
    """Append an audit entry for the current tenant (``tenant_id=None`` for platform-level).

    ``details`` must not hold personal data (names, ID numbers): field names, codes and
    status values only — auditors read this trail.
    """
    if tenant_id is True:
        tenant_id = current_tenant_id()
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    if tenant_id is None and not is_unscoped():
        # The platform's own chain belongs to no tenant: writing it is platform-level work.
        # Pending changes are flushed first, still under the ORM's tenant checks.
        db.session.flush()
        with unscoped(f"audit: platform-level entry {action}"):
            return _append(action, obj_type, obj_id, details, None, user)
    return _append(action, obj_type, obj_id, details, tenant_id, user)


def _append(action, obj_type, obj_id, details, tenant_id: int | None, user) -> AuditEvent:
    _lock_chain(tenant_id)
    last = db.session.execute(
        db.select(AuditEvent.seq, AuditEvent.hash)
        .where(_tenant_filter(tenant_id))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    entry = AuditEvent(
        tenant_id=tenant_id,
        seq=(last.seq + 1) if last else 1,
        at=utcnow(),
        user_id=getattr(user, "id", None),
        user_email=getattr(user, "email", None),
        action=action,
        object_type=obj_type,
        object_id=None if obj_id is None else str(obj_id),
        details=json.loads(json.dumps(details or {}, default=str)),
        ip=(request.remote_addr if has_request_context() else None),
        request_id=request_id(),
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry_hash(entry.prev_hash, entry)
    db.session.add(entry)
    db.session.flush()
    return entry


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
    query = db.select(AuditEvent).where(_tenant_filter(tenant_id)).order_by(AuditEvent.seq)
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


# --------------------------------------------------------------------------- checkpoints

CHECKPOINT_FORMAT = "charity-audit-checkpoint/1"


class CheckpointError(ValueError):
    """A checkpoint file that cannot be trusted (unreadable, or not signed with our key)."""


@dataclass
class ChainHead:
    tenant: str  # slug, or "-" for the platform's own chain
    tenant_id: int | None
    seq: int
    entry_id: int | None
    head: str
    count: int
    at: str | None

    def record(self) -> dict:
        return dict(self.__dict__)


def chain_head(tenant_id: int | None) -> tuple[int, int | None, str, int, str | None]:
    """(last seq, its id, its hash, number of entries, its time) of one chain (caller in scope)."""
    last = db.session.execute(
        db.select(AuditEvent.seq, AuditEvent.id, AuditEvent.hash, AuditEvent.at)
        .where(_tenant_filter(tenant_id))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    count = db.session.execute(
        db.select(db.func.count(AuditEvent.id)).where(_tenant_filter(tenant_id))
    ).scalar_one()
    if last is None:
        return 0, None, GENESIS, 0, None
    return last.seq, last.id, last.hash, count, last.at.isoformat(timespec="microseconds")


def _record_signature(record: dict, key: bytes) -> str:
    body = {k: v for k, v in record.items() if k != "signature"}
    message = "charity-audit-checkpoint:" + json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def checkpoint() -> dict:
    """The signed heads of every chain (each tenant's and the platform's), to keep outside
    the database. Each chain's record is signed on its own, so one can be checked alone."""
    key = audit_key()
    written_at = datetime.now(UTC).isoformat(timespec="seconds")
    chains = []
    with unscoped("audit checkpoint: the head of every association's audit chain"):
        tenants = db.session.execute(db.select(Tenant.id, Tenant.slug).order_by(Tenant.slug)).all()
        for tenant_id, slug in [*tenants, (None, "-")]:
            seq, entry_id, head, count, at = chain_head(tenant_id)
            record = {
                **ChainHead(slug, tenant_id, seq, entry_id, head, count, at).record(),
                "written_at": written_at,
            }
            record["signature"] = _record_signature(record, key)
            chains.append(record)
    return {
        "format": CHECKPOINT_FORMAT,
        "written_at": written_at,
        "key": key_fingerprint(key),
        "chains": chains,
    }


def write_checkpoint(path: Path) -> dict:
    data = checkpoint()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)
    return data


def checkpoint_path(directory: str | Path) -> Path:
    """A new file name in the checkpoint folder (UTC time, sorts in writing order)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return Path(directory) / f"audit-checkpoint-{stamp}.json"


def write_scheduled_checkpoint() -> Path | None:
    """The periodic run: a checkpoint in ``AUDIT_CHECKPOINT_DIR`` when configured."""
    directory = current_app.config.get("AUDIT_CHECKPOINT_DIR")
    if not directory:
        return None
    path = checkpoint_path(directory)
    write_checkpoint(path)
    return path


def latest_checkpoint_file(path: Path) -> Path:
    """A checkpoint file, or the newest one in a folder of them."""
    if path.is_dir():
        files = sorted(path.glob("audit-checkpoint-*.json"))
        if not files:
            raise CheckpointError(f"no audit-checkpoint-*.json in {path}")
        return files[-1]
    return path


def load_checkpoint(path: Path, slug: str) -> dict:
    """The signed record of one chain from a checkpoint file; :class:`CheckpointError` if the
    file is unreadable, lacks that chain, or its signature does not hold under our key."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"cannot read the checkpoint {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"{path} is not an audit checkpoint ({CHECKPOINT_FORMAT})")
    records = [r for r in data.get("chains") or [] if isinstance(r, dict) and r.get("tenant") == slug]
    if not records:
        raise CheckpointError(f"the checkpoint {path} has no chain for {slug!r}")
    record = records[0]
    expected = _record_signature(record, audit_key())
    if not hmac.compare_digest(str(record.get("signature", "")), expected):
        raise CheckpointError(
            f"the checkpoint's record for {slug!r} is not signed with this AUDIT_HMAC_KEY "
            "(the file was edited, or written with another key)"
        )
    return record


def check_against(tenant_id: int | None, record: dict) -> str | None:
    """Does the chain (in the database now) still reach the checkpointed head unchanged?
    None if so, else what is wrong. The caller works in the chain's scope."""
    if record.get("tenant_id") != tenant_id:
        return f"the checkpoint is for another chain (tenant id {record.get('tenant_id')})"
    seq = int(record["seq"])
    last_seq, _, _, count, _ = chain_head(tenant_id)
    if seq == 0:
        return None
    entry = db.session.execute(
        db.select(AuditEvent.id, AuditEvent.hash).where(_tenant_filter(tenant_id), AuditEvent.seq == seq)
    ).first()
    if entry is None or last_seq < seq:
        return (
            f"truncated: the checkpoint of {record.get('written_at')} ends at entry #{seq} "
            f"({record['count']} entries); the database now ends at #{last_seq} ({count} entries)"
        )
    if not hmac.compare_digest(entry.hash, str(record["head"])) or entry.id != record.get("entry_id"):
        return (
            f"rewritten: entry #{seq} no longer has the hash the checkpoint of "
            f"{record.get('written_at')} recorded (the chain was recomputed or replaced)"
        )
    if count < int(record["count"]):
        return f"entries removed: {count} in the database, {record['count']} at the checkpoint"
    return None


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


def events_between(tenant_id: int, start: date | None, end: date | None, limit: int | None = None):
    query = db.select(AuditEvent).where(_tenant_filter(tenant_id))
    if start:
        query = query.where(AuditEvent.at >= datetime.combine(start, datetime.min.time()))
    if end:
        query = query.where(AuditEvent.at < datetime.combine(end + timedelta(days=1), datetime.min.time()))
    query = query.order_by(AuditEvent.seq.desc())
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).scalars()


CSV_COLUMNS = (
    "seq",
    "at",
    "user_id",
    "user_email",
    "action",
    "object_type",
    "object_id",
    "ip",
    "request_id",
    "details",
    "hash",
)


def export_csv(tenant_id: int, start: date | None, end: date | None) -> Iterator[str]:
    """CSV lines (UTF-8 with BOM so spreadsheet programs read Arabic), oldest first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow(CSV_COLUMNS)
    rows = sorted(events_between(tenant_id, start, end), key=lambda e: e.seq)
    for entry in rows:
        writer.writerow(
            [
                entry.seq,
                entry.at.isoformat(timespec="seconds"),
                entry.user_id or "",
                entry.user_email or "",
                entry.action,
                entry.object_type,
                entry.object_id or "",
                entry.ip or "",
                entry.request_id or "",
                json.dumps(entry.details or {}, ensure_ascii=False, sort_keys=True),
                entry.hash,
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
    yield buffer.getvalue()


# --------------------------------------------------------------------------- append-only in the app


def _refuse_changes(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTampering("audit entries are append-only")


def _refuse_bulk(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(m.class_ is AuditEvent for m in state.all_mappers):
        raise AuditTampering("audit entries are append-only")


def install_guards() -> None:
    """The application refuses to change audit rows on every database; PostgreSQL also has a trigger.
    Attached to ``db.session``'s sessions, once however many apps the process builds."""
    listen_once(db.session, "before_flush", _refuse_changes)
    listen_once(db.session, "do_orm_execute", _refuse_bulk)
