"""The notification outbox: every message is a row, sent (and retried) by a per-channel sender."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy import TenantMixin, utcnow

STATUSES = ("pending", "sent", "failed")


class OutboxMessage(TenantMixin, db.Model):
    __tablename__ = "notifications_outbox"
    __tenant_table_args__ = (
        sa.Index("ix_notifications_outbox_tenant_status", "tenant_id", "status", "next_attempt_at"),
        sa.Index("ix_notifications_outbox_tenant_user", "tenant_id", "user_id", "channel"),
    )

    channel: Mapped[str] = mapped_column(sa.String(20))
    template: Mapped[str] = mapped_column(sa.String(63))
    recipient: Mapped[str] = mapped_column(sa.String(255), default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    locale: Mapped[str] = mapped_column(sa.String(8), default="ar")
    subject: Mapped[str] = mapped_column(sa.String(255), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # A page of the platform the message is about (a path: the staff inbox links to it).
    link: Mapped[str | None] = mapped_column(sa.String(500))
    # In-app messages: the template's values (strings), so the portal can show the message again
    # in the language the reader has chosen since (``services.message_text``).
    context: Mapped[dict | None] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
