"""Supporters (داعمون / مانحون): the supporter, contacts made with their consent, agreements
(partnership contracts with their file and dates), donations with their numbered receipts, and
pledges paid in instalments."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow

KINDS = ("individual", "company", "foundation", "government")
# Donors and partners (seed 000's "نسبة دعم المانحين والشركاء"): every kind but a government body.
DONOR_KINDS = ("individual", "company", "foundation")
CHANNELS = ("phone", "sms", "email", "whatsapp", "letter", "visit")
# The pipeline of a potential supporter (seed 001: a database of potential supporters).
STAGES = ("prospect", "contacted", "pledged", "active", "lapsed")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "prospect": ("contacted", "lapsed"),
    "contacted": ("pledged", "active", "lapsed"),
    "pledged": ("active", "lapsed"),
    "active": ("lapsed",),
    "lapsed": ("contacted",),
}
DONATION_KINDS = ("cash", "in_kind")
METHODS = ("cash", "bank_transfer", "cheque", "card", "in_kind")
AGREEMENT_KINDS = ("agreement", "partnership", "sponsorship")


class Supporter(TenantMixin, db.Model):
    __tablename__ = "supporters_supporters"
    __tenant_table_args__ = (
        sa.Index("ix_supporters_supporters_tenant_stage", "tenant_id", "stage"),
        sa.Index("ix_supporters_supporters_tenant_owner", "tenant_id", "owner_id"),
    )

    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(255))
    contact_name: Mapped[str | None] = mapped_column(sa.String(255))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    email: Mapped[str | None] = mapped_column(sa.String(255))
    city: Mapped[str | None] = mapped_column(sa.String(127))
    preferred_channel: Mapped[str | None] = mapped_column(sa.String(16))
    # The channels the supporter agreed to be contacted through (none: never contacted).
    consent_channels: Mapped[list] = mapped_column(sa.JSON, default=list)
    consent_recorded_on: Mapped[date | None]
    stage: Mapped[str] = mapped_column(sa.String(16), default="prospect")
    stage_changed_on: Mapped[date]
    # The staff member who owns the relationship.
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    def consents_to(self, channel: str | None) -> bool:
        return bool(channel) and channel in (self.consent_channels or [])


class ContactLog(TenantMixin, db.Model):
    """A contact made with a supporter, through a channel they consented to."""

    __tablename__ = "supporters_contacts"
    __tenant_table_args__ = (
        tenant_foreign_key("supporter_id", "supporters_supporters", ondelete="CASCADE"),
        sa.Index("ix_supporters_contacts_tenant_supporter", "tenant_id", "supporter_id"),
    )

    supporter_id: Mapped[int]
    channel: Mapped[str] = mapped_column(sa.String(16))
    contacted_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(sa.Text)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class Agreement(TenantMixin, db.Model):
    """An agreement or partnership contract with a supporter: its signed file and its dates."""

    __tablename__ = "supporters_agreements"
    __tenant_table_args__ = (
        tenant_foreign_key("supporter_id", "supporters_supporters", ondelete="CASCADE"),
        sa.Index("ix_supporters_agreements_tenant_supporter", "tenant_id", "supporter_id"),
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    supporter_id: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(255))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    value_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)
    # The signed contract, checked and stored like every document (core.documents, core.storage).
    filename: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(63))
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    storage_key: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def has_file(self) -> bool:
        return self.storage_key is not None

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class ReceiptCounter(TenantMixin, db.Model):
    """The last receipt number given in one tenant and calendar year (row-locked on increment)."""

    __tablename__ = "supporters_receipt_counters"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class Pledge(TenantMixin, db.Model):
    """A supporter's promise of an amount, paid in instalments."""

    __tablename__ = "supporters_pledges"
    __tenant_table_args__ = (
        tenant_foreign_key("supporter_id", "supporters_supporters", ondelete="CASCADE"),
        tenant_foreign_key("catalog_item_id", "aid_catalog_items"),
        sa.Index("ix_supporters_pledges_tenant_supporter", "tenant_id", "supporter_id"),
    )

    supporter_id: Mapped[int]
    total_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    pledged_on: Mapped[date]
    catalog_item_id: Mapped[int | None]
    season: Mapped[str | None] = mapped_column(sa.String(40))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    instalments: Mapped[list[Instalment]] = relationship(
        primaryjoin="and_(Instalment.pledge_id == Pledge.id, Instalment.tenant_id == Pledge.tenant_id)",
        foreign_keys="[Instalment.pledge_id]",
        order_by="Instalment.due_on, Instalment.id",
        viewonly=True,
        lazy="selectin",
    )


class Instalment(TenantMixin, db.Model):
    __tablename__ = "supporters_instalments"
    __tenant_table_args__ = (
        tenant_foreign_key("pledge_id", "supporters_pledges", ondelete="CASCADE"),
        sa.Index("ix_supporters_instalments_tenant_pledge", "tenant_id", "pledge_id"),
        sa.Index("ix_supporters_instalments_tenant_due", "tenant_id", "due_on"),
    )

    pledge_id: Mapped[int]
    due_on: Mapped[date]
    amount_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    paid_halalas: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    def overdue_on(self, day: date) -> bool:
        """Unpaid (in full) after its due date: due today is not overdue yet."""
        return self.paid_halalas < self.amount_halalas and self.due_on < day


class Donation(TenantMixin, db.Model):
    """A gift in cash or in kind (valued), optionally restricted to a program of the aid catalog
    or to a seasonal campaign; its receipt number is gap-free per tenant and year."""

    __tablename__ = "supporters_donations"
    __tenant_table_args__ = (
        tenant_foreign_key("supporter_id", "supporters_supporters"),
        tenant_foreign_key("catalog_item_id", "aid_catalog_items"),
        tenant_foreign_key("instalment_id", "supporters_instalments"),
        sa.UniqueConstraint("tenant_id", "receipt_number"),
        sa.Index("ix_supporters_donations_tenant_supporter", "tenant_id", "supporter_id"),
        sa.Index("ix_supporters_donations_tenant_received", "tenant_id", "received_on"),
        sa.CheckConstraint("value_halalas > 0", name="value_positive"),
    )

    supporter_id: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(16))
    method: Mapped[str] = mapped_column(sa.String(16))
    # Cash: the amount; in kind: the value the association puts on the goods.
    value_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    description: Mapped[str | None] = mapped_column(sa.Text)
    quantity: Mapped[int | None]
    received_on: Mapped[date]
    # Restricted to a program (an item of the aid catalog) or a campaign (a season); neither: general.
    catalog_item_id: Mapped[int | None]
    season: Mapped[str | None] = mapped_column(sa.String(40))
    instalment_id: Mapped[int | None]
    receipt_number: Mapped[str] = mapped_column(sa.String(24))
    receipt_year: Mapped[int]
    receipt_seq: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def restricted(self) -> bool:
        return self.catalog_item_id is not None or self.season is not None
