"""Partner access: a scoped, expiring link to ONE referral, sent to its partner organisation.
Only a hash of the link's random token is kept; each use of the link is recorded."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.toolkit import TenantMixin, db, tenant_foreign_key, utcnow

from .models import CODE_MAX


class PartnerLink(TenantMixin, db.Model):
    """A link for the partner of one referral: usable until ``expires_on`` (inclusive), unless
    revoked (or replaced by a newer link) first, or the referral is completed or declined."""

    __tablename__ = "crime_victims_partner_links"
    __tenant_table_args__ = (
        tenant_foreign_key("referral_id", "crime_victims_referrals", ondelete="CASCADE"),
        sa.Index("ix_crime_victims_partner_links_tenant_token", "tenant_id", "token_hash"),
        sa.Index("ix_crime_victims_partner_links_tenant_referral", "tenant_id", "referral_id"),
    )

    referral_id: Mapped[int] = mapped_column()
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    expires_on: Mapped[date]
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # revoked | replaced (a newer link was issued) — None while the link is out
    revoked_why: Mapped[str | None] = mapped_column(sa.String(CODE_MAX))


class PartnerLinkUse(TenantMixin, db.Model):
    """One use of a partner link: opened, accepted, declined, in_service, completed."""

    __tablename__ = "crime_victims_partner_link_uses"
    __tenant_table_args__ = (
        tenant_foreign_key("link_id", "crime_victims_partner_links", ondelete="CASCADE"),
        sa.Index("ix_crime_victims_partner_link_uses_tenant_link", "tenant_id", "link_id"),
    )

    link_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    at: Mapped[datetime] = mapped_column(default=utcnow)
