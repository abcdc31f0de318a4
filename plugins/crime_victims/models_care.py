"""The care of a case: its needs in six areas (the case plan), the tenant's partner
organisations, and the referrals of needs to them."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.toolkit import TenantMixin, db, tenant_foreign_key, utcnow

from .models import CODE_MAX, NAME_MAX


class Need(TenantMixin, db.Model):
    """A need of a case in one area, with its severity: who acts and by when (the case plan),
    and how it was resolved — met in-house (core's aid request), referred to a partner until the
    referral completed, or closed with a reason."""

    __tablename__ = "crime_victims_needs"
    __tenant_table_args__ = (
        tenant_foreign_key("case_id", "crime_victims_cases", ondelete="CASCADE"),
        tenant_foreign_key("aid_request_id", "requests_requests"),
        sa.Index("ix_crime_victims_needs_tenant_case", "tenant_id", "case_id"),
    )

    case_id: Mapped[int] = mapped_column()
    area: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    severity: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    # open → met (in-house) | referred → (its referral completed) met | closed (with a reason)
    status: Mapped[str] = mapped_column(sa.String(CODE_MAX), default="open")
    aid_request_id: Mapped[int | None] = mapped_column()
    closed_reason: Mapped[str | None] = mapped_column(sa.Text)
    resolved_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Partner(TenantMixin, db.Model):
    """A partner organisation that takes referrals: its services (areas), contact and agreement."""

    __tablename__ = "crime_victims_partners"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    services: Mapped[list] = mapped_column(sa.JSON, default=list)
    contact_name: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    email: Mapped[str | None] = mapped_column(sa.String(255))
    agreement_reference: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    agreement_until: Mapped[date | None]
    # The signed agreement, kept by core's ``store_file`` (key, name, type, size, sha256).
    agreement_file: Mapped[dict | None] = mapped_column(sa.JSON)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Referral(TenantMixin, db.Model):
    """A need referred to a partner: ``sent → accepted | declined → in_service → completed``,
    with the outcome and the follow-up date (a reminder when it is due)."""

    __tablename__ = "crime_victims_referrals"
    __tenant_table_args__ = (
        tenant_foreign_key("need_id", "crime_victims_needs", ondelete="CASCADE"),
        tenant_foreign_key("partner_id", "crime_victims_partners"),
        sa.Index("ix_crime_victims_referrals_tenant_status", "tenant_id", "status", "follow_up_on"),
    )

    need_id: Mapped[int] = mapped_column()
    partner_id: Mapped[int] = mapped_column()
    sent_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(CODE_MAX), default="sent")
    outcome: Mapped[str] = mapped_column(sa.Text, default="")
    follow_up_on: Mapped[date | None]
    reminded_on: Mapped[date | None]
    accepted_at: Mapped[datetime | None]
    in_service_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
