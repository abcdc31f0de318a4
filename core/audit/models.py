"""The audit trail: append-only, hash-chained (keyed) per tenant."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy import utcnow


class AuditEvent(db.Model):
    """Who did what to which object, when, from where.

    Not a ``TenantMixin`` table: platform-level entries have no tenant. Every read
    filters by tenant explicitly. ``seq`` numbers the entries of one tenant (or of the
    platform when ``tenant_id`` is null); ``hash`` = HMAC-SHA256 under ``AUDIT_HMAC_KEY`` over
    ``prev_hash`` and the entry's canonical content, so editing or removing an entry breaks the
    chain, and nobody without the key can recompute it (migration core_0009 re-keyed the
    unkeyed SHA-256 chains of earlier releases). Removing the last entries is caught against
    a checkpoint kept outside the database (``flask audit checkpoint``).
    """

    __tablename__ = "audit_events"
    # Citus: on the coordinator only — platform entries have no tenant (docs/scaling.md).
    __distribution__ = "local"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "seq"),
        sa.Index("ix_audit_events_tenant_at", "tenant_id", "at"),
        sa.Index("ix_audit_events_tenant_object", "tenant_id", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    # No cascade: an association with an audit trail is deactivated, never deleted.
    tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tenants.id"))
    seq: Mapped[int] = mapped_column(sa.BigInteger)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.Integer)  # kept even if the user is deleted
    user_email: Mapped[str | None] = mapped_column(sa.String(255))
    action: Mapped[str] = mapped_column(sa.String(63))
    object_type: Mapped[str] = mapped_column(sa.String(63))
    object_id: Mapped[str | None] = mapped_column(sa.String(63))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
