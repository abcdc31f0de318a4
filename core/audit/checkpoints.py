"""Checkpoints of the audit chains: the signed heads kept outside the database.

Removing the *last* entries leaves a shorter chain that is still intact; that is what
checkpoints are for: :func:`checkpoint` signs the head (last seq, its hash, the count) of
every chain, ``flask audit checkpoint`` writes it to a file the auditors keep outside the
database (or to ``AUDIT_CHECKPOINT_DIR`` on a schedule), and :func:`check_against` tells
whether the chain still reaches that head unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from ..extensions import db
from ..tenancy import Tenant, unscoped
from .chain import GENESIS, audit_key, chain_filter, key_fingerprint
from .models import AuditEvent

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
        .where(chain_filter(tenant_id))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    count = db.session.execute(
        db.select(db.func.count(AuditEvent.id)).where(chain_filter(tenant_id))
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
        db.select(AuditEvent.id, AuditEvent.hash).where(chain_filter(tenant_id), AuditEvent.seq == seq)
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
