"""Recording and reading the audit trail.

``record(action, obj_type, obj_id, details)`` adds an entry in the caller's transaction
(so the entry and the change commit or roll back together), linked into the tenant's keyed
hash chain (:mod:`.chain`; checkpoints of its head: :mod:`.checkpoints`). Auditors read
entries by date (:func:`events_between`) and export them as CSV; the application refuses to
change or remove an entry (:func:`install_guards`).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from types import SimpleNamespace

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import ORMExecuteState, Session

from ..bulk import insert_rows
from ..calendar import day_bounds, local_time, time_zone_of, zone_label
from ..calendar import today as tenant_today
from ..extensions import db, listen_once
from ..i18n import gettext as _
from ..tenancy import current_tenant_id, unscoped, utcnow
from ..tenancy.context import is_unscoped
from .chain import GENESIS, AuditTampering, audit_key, chain_filter, entry_hash
from .labels import action_label, object_label, object_names
from .models import AuditEvent


def request_id() -> str | None:
    if not has_request_context():
        return None
    environ = request.environ
    if "charity.request_id" not in environ:
        environ["charity.request_id"] = (request.headers.get("X-Request-ID") or uuid.uuid4().hex)[:64]
    return environ["charity.request_id"]


def _lock_chain(tenant_id: int | None) -> None:
    """Serialise writers of one chain (PostgreSQL); SQLite serialises writes itself."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            db.text("SELECT pg_advisory_xact_lock(:k)"), {"k": 0x5A0D17000000 + (tenant_id or 0)}
        )


def _locked_head(tenant_id: int | None):
    """The chain's last ``(seq, hash)`` (None: empty), read once its lock is held."""
    _lock_chain(tenant_id)
    return db.session.execute(
        db.select(AuditEvent.seq, AuditEvent.hash)
        .where(chain_filter(tenant_id))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()


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
    # Everything but the link and the time is made before the chain is locked (on PostgreSQL
    # the lock is held to commit): the entry's content, its details as JSON, the key. The time
    # is taken under the lock, so entries' times follow their order in the chain.
    entry = AuditEvent(
        tenant_id=tenant_id,
        user_id=getattr(user, "id", None),
        user_email=getattr(user, "email", None),
        action=action,
        object_type=obj_type,
        object_id=None if obj_id is None else str(obj_id),
        details=json.loads(json.dumps(details or {}, default=str)),
        ip=(request.remote_addr if has_request_context() else None),
        request_id=request_id(),
    )
    key = audit_key()
    last = _locked_head(tenant_id)
    entry.at = utcnow()
    entry.seq = (last.seq + 1) if last else 1
    entry.prev_hash = last.hash if last else GENESIS
    entry.hash = entry_hash(entry.prev_hash, entry, key)
    db.session.add(entry)
    db.session.flush()
    return entry


def record_many(entries: Iterable[tuple[str, str, object, dict | None]], *, user=None) -> int:
    """Append ``(action, object type, object id, details)`` entries for the current tenant, in
    the order given, as :func:`record` would one by one — same chain, same hashes — but read
    the chain's head once and insert them in one bulk statement (an import's per-row entries).
    In the caller's transaction; returns the number appended."""
    return ChainWriter(user=user).append(entries)


class ChainWriter:
    """Bulk entries appended to the current tenant's chain over several calls (an import, chunk
    by chunk): the chain's lock is taken and its head read at the first call only — the
    transaction holds the lock until it ends, so the head stays this writer's — and later calls
    send their one insert without reading anything back. Nothing else may append to the chain
    in this transaction between two calls."""

    def __init__(self, *, user=None) -> None:
        self.tenant_id = current_tenant_id()
        if user is None and has_request_context() and current_user and current_user.is_authenticated:
            user = current_user
        # Read now: the writer's later calls may not wait for an answer (an import's pipeline).
        self.user_id, self.user_email = getattr(user, "id", None), getattr(user, "email", None)
        self.head: tuple[int, str] | None = None  # (seq, hash) once read

    def append(self, entries: Iterable[tuple[str, str, object, dict | None]]) -> int:
        if self.head is None:
            last = _locked_head(self.tenant_id)
            self.head = (last.seq, last.hash) if last else (0, GENESIS)
        seq, previous = self.head
        common = {
            "tenant_id": self.tenant_id,
            "at": utcnow(),
            "user_id": self.user_id,
            "user_email": self.user_email,
            "ip": request.remote_addr if has_request_context() else None,
            "request_id": request_id(),
        }
        key = audit_key()
        rows = []
        for action, obj_type, obj_id, details in entries:
            seq += 1
            row = {
                **common,
                "seq": seq,
                "action": action,
                "object_type": obj_type,
                "object_id": None if obj_id is None else str(obj_id),
                "details": json.loads(json.dumps(details or {}, default=str)),
                "prev_hash": previous,
            }
            row["hash"] = previous = entry_hash(previous, SimpleNamespace(**row), key)
            rows.append(row)
        insert_rows(AuditEvent.__table__, rows)
        self.head = (seq, previous)
        return len(rows)


def _between(query, start: date | None, end: date | None):
    """Entries of the association's days ``start``..``end`` (either open): from its midnight
    before ``start`` to its midnight after ``end``, not UTC's."""
    if start:
        query = query.where(AuditEvent.at >= day_bounds(start, start)[0])
    if end:
        query = query.where(AuditEvent.at < day_bounds(end, end)[1])
    return query


def events_between(tenant_id: int, start: date | None, end: date | None, limit: int | None = None):
    query = _between(db.select(AuditEvent).where(chain_filter(tenant_id)), start, end)
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
# Without dates, an export covers the last 30 days (an auditor's usual look-back).
DEFAULT_EXPORT_DAYS = 30


def export_range(start: date | None, end: date | None, today: date | None = None) -> tuple[date, date]:
    """The dates an export covers: ``end`` or today, from ``start`` or 30 days before."""
    end = end or today or tenant_today()
    return start or end - timedelta(days=DEFAULT_EXPORT_DAYS), end


def csv_headers() -> list[str]:
    """The human export's column headers, in the page's language."""
    return [
        _("No."),
        _("Time (%(zone)s)", zone=zone_label(time_zone_of())),
        _("User"),
        _("Action"),
        _("Object"),
        _("Object no."),
        _("IP address"),
        _("Request ID"),
        _("Details"),
        _("Action code"),
        _("Object type code"),
        _("User ID"),
        _("Hash"),
    ]


def names_between(tenant_id: int, start: date | None, end: date | None) -> dict[tuple[str, str], str]:
    """The names of the objects audited in the range (request numbers …), for the CSV for people;
    one query for the distinct objects, then one per object type (the tenant in context)."""
    query = db.select(AuditEvent.object_type, AuditEvent.object_id).where(chain_filter(tenant_id)).distinct()
    return object_names([tuple(row) for row in db.session.execute(_between(query, start, end))])


def export_csv(
    tenant_id: int,
    start: date | None,
    end: date | None,
    *,
    for_people: bool = False,
    names: dict[tuple[str, str], str] | None = None,
) -> Iterator[str]:
    """CSV lines (UTF-8 with BOM so spreadsheet programs read Arabic), oldest first.

    ``for_people``: headers in the page's language, actions and objects in words (their codes
    kept in their own columns; objects by the ``names`` of :func:`names_between`); else the
    machine columns of ``CSV_COLUMNS`` (the API's)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow(csv_headers() if for_people else CSV_COLUMNS)
    rows = sorted(events_between(tenant_id, start, end), key=lambda e: e.seq)
    for entry in rows:
        details = json.dumps(entry.details or {}, ensure_ascii=False, sort_keys=True)
        if for_people:
            writer.writerow(
                [
                    entry.seq,
                    local_time(entry.at).strftime("%Y-%m-%d %H:%M:%S"),  # the association's clock
                    entry.user_email or "",
                    action_label(entry.action),
                    object_label(entry.object_type, entry.object_id, names),
                    entry.object_id or "",
                    entry.ip or "",
                    entry.request_id or "",
                    details,
                    entry.action,
                    entry.object_type,
                    entry.user_id or "",
                    entry.hash,
                ]
            )
        else:
            writer.writerow(
                [
                    entry.seq,
                    entry.at.isoformat(timespec="seconds"),  # UTC, as stored (the API's columns)
                    entry.user_id or "",
                    entry.user_email or "",
                    entry.action,
                    entry.object_type,
                    entry.object_id or "",
                    entry.ip or "",
                    entry.request_id or "",
                    details,
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
