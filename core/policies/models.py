"""Policy documents (اللائحة الأساسية، دليل خدمات البحث الاجتماعي، دليل سياسة الدعم، نموذج طلب
الدعم …): each version a row, its file in core.documents' checked storage, its board approval
and the dates it is in force."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow

KINDS = (
    "basic_regulation",
    "research_services_guide",
    "support_policy_guide",
    "support_request_form",
    "other",
)


class PolicyDocument(TenantMixin, db.Model):
    """One version of a policy document; a revision is a new row pointing at the one it revises."""

    __tablename__ = "policies_documents"
    __tenant_table_args__ = (
        tenant_foreign_key("previous_id", "policies_documents"),
        sa.Index("ix_policies_documents_tenant_kind_from", "tenant_id", "kind", "in_force_from"),
    )

    title: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(32))
    version: Mapped[str] = mapped_column(sa.String(20))
    board_meeting_number: Mapped[str | None] = mapped_column(sa.String(20))
    board_approved_on: Mapped[date | None]
    in_force_from: Mapped[date]
    in_force_until: Mapped[date | None]
    # The file kept by ``core.documents.services.store_file`` (key, name, type, size, sha256).
    file: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    previous_id: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)
