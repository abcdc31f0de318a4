"""Documents attached to a person, a household or an aid request."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow


class Document(TenantMixin, db.Model):
    __tablename__ = "documents"
    __tenant_table_args__ = (
        tenant_foreign_key("person_id", "registry_persons", ondelete="CASCADE"),
        tenant_foreign_key("household_id", "registry_households", ondelete="CASCADE"),
        tenant_foreign_key("request_id", "requests_requests", ondelete="CASCADE"),
        sa.CheckConstraint(
            "person_id IS NOT NULL OR household_id IS NOT NULL OR request_id IS NOT NULL", name="has_owner"
        ),
        sa.Index("ix_documents_tenant_person", "tenant_id", "person_id"),
        sa.Index("ix_documents_tenant_household", "tenant_id", "household_id"),
        sa.Index("ix_documents_tenant_request", "tenant_id", "request_id"),
    )

    person_id: Mapped[int | None] = mapped_column()
    household_id: Mapped[int | None] = mapped_column()
    request_id: Mapped[int | None] = mapped_column()
    doc_type: Mapped[str] = mapped_column(sa.String(63))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(63))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(255))
    note: Mapped[str | None] = mapped_column(sa.String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]

    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id], lazy="joined")
    verified_by = relationship("User", foreign_keys=[verified_by_id], lazy="joined")
