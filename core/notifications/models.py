"""The notification outbox: every message is a row, sent (and retried) by a per-channel sender."""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow

# ``held``: outside the recipient's safe contact window, released when it opens; ``withheld``:
# never sent, the channel or address is unsafe for the recipient (``safety.py``).
STATUSES = ("pending", "held", "sent", "failed", "withheld")


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
    # The subject and body as sent, when the message carries values it must not keep in clear
    # (``services.Sealed``: an access link): encrypted at rest, dropped once the message is sent
    # (or will never be); ``subject`` and ``body`` above show those values masked.
    sealed: Mapped[str | None] = mapped_column(sa.Text)
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


class ContactSafety(TenantMixin, db.Model):
    """A person's safe-contact record: unsafe channels and the window of the day (the tenant's
    time zone) when a message may arrive; the addresses it covers are ``ContactAddress`` rows."""

    __tablename__ = "notifications_contact_safety"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "person_id"),
        tenant_foreign_key("person_id", "registry_persons", ondelete="CASCADE"),
    )

    person_id: Mapped[int] = mapped_column()
    unsafe_channels: Mapped[list] = mapped_column(sa.JSON, default=list)
    window_start: Mapped[time | None]
    window_end: Mapped[time | None]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactAddress(TenantMixin, db.Model):
    """A phone number (last nine digits) or e-mail (lower case) a safe-contact record covers."""

    __tablename__ = "notifications_contact_addresses"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "safety_id", "address"),
        sa.Index("ix_notifications_contact_addresses_tenant_address", "tenant_id", "address"),
        tenant_foreign_key("safety_id", "notifications_contact_safety", ondelete="CASCADE"),
    )

    safety_id: Mapped[int] = mapped_column()
    address: Mapped[str] = mapped_column(sa.String(255))
    unsafe: Mapped[bool] = mapped_column(default=False)
