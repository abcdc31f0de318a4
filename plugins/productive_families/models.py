"""The plugin's tables (tenant-owned, named ``productive_families_…``): producers on top of the
shared registry household, their products and product photos (core documents)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import Document, Household, Person, TenantMixin, db, tenant_foreign_key, utcnow

LICENCE_STATES = ("none", "applied", "issued", "expired")
SALES_CHANNELS = ("home", "exhibitions", "social_media", "online_store", "shops", "school_canteens", "other")
NAME_MAX = 120
TEXT_MAX = 2000


class Producer(TenantMixin, db.Model):
    """A home-based producer: the registry household (and the person who produces) with the
    activity, capacity, sales channels, needs, licence and public-showcase consent."""

    __tablename__ = "productive_families_producers"
    __tenant_table_args__ = (
        tenant_foreign_key("household_id", "registry_households", ondelete="CASCADE"),
        tenant_foreign_key("person_id", "registry_persons", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "household_id"),
        sa.Index("ix_productive_families_producers_tenant_user", "tenant_id", "user_id"),
        sa.Index("ix_productive_families_producers_tenant_licence", "tenant_id", "licence_status"),
    )

    household_id: Mapped[int]
    person_id: Mapped[int]
    # The producer's portal account (an applicant of the association), once linked by staff.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The name the producer sells under (shown on the showcase instead of the person's name).
    trade_name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    activity: Mapped[str] = mapped_column(sa.String(40))
    capacity: Mapped[str] = mapped_column(sa.String(255), default="")
    sales_channels: Mapped[list] = mapped_column(sa.JSON, default=list)
    financing_needs: Mapped[str] = mapped_column(sa.Text, default="")
    training_needs: Mapped[str] = mapped_column(sa.Text, default="")
    licence_status: Mapped[str] = mapped_column(sa.String(16), default="none")
    licence_body: Mapped[str] = mapped_column(sa.String(160), default="")
    licence_number: Mapped[str] = mapped_column(sa.String(64), default="")
    licence_applied_on: Mapped[date | None]
    licence_issued_on: Mapped[date | None]
    licence_expires_on: Mapped[date | None]
    # The expiry date a warning was last sent for (one warning per licence term).
    licence_warned_for: Mapped[date | None]
    showcase_consent: Mapped[bool] = mapped_column(default=False)
    # The contact the producer chose for the public page: a WhatsApp number (digits).
    showcase_whatsapp: Mapped[str] = mapped_column(sa.String(16), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    household: Mapped[Household] = relationship(
        foreign_keys="[Producer.household_id]",
        primaryjoin="and_(Producer.household_id == Household.id, Producer.tenant_id == Household.tenant_id)",
        viewonly=True,
        lazy="joined",
    )
    person: Mapped[Person] = relationship(
        foreign_keys="[Producer.person_id]",
        primaryjoin="and_(Producer.person_id == Person.id, Producer.tenant_id == Person.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class Product(TenantMixin, db.Model):
    """A product a producer sells, with its price (halalas)."""

    __tablename__ = "productive_families_products"
    __tenant_table_args__ = (
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        sa.Index("ix_productive_families_products_tenant_producer", "tenant_id", "producer_id"),
    )

    producer_id: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    price_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    available: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProductPhoto(TenantMixin, db.Model):
    """A photo of a product: a core document (stored by core's storage) of the producer's household."""

    __tablename__ = "productive_families_product_photos"
    __tenant_table_args__ = (
        tenant_foreign_key("product_id", "productive_families_products", ondelete="CASCADE"),
        tenant_foreign_key("document_id", "documents", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "document_id"),
        sa.Index("ix_productive_families_product_photos_tenant_product", "tenant_id", "product_id"),
    )

    product_id: Mapped[int]
    document_id: Mapped[int]

    document: Mapped[Document] = relationship(
        foreign_keys="[ProductPhoto.document_id]",
        primaryjoin="and_(ProductPhoto.document_id == Document.id, ProductPhoto.tenant_id == Document.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


APPLICATION_STATES = ("applied", "selected", "not_selected", "withdrawn")


class Exhibition(TenantMixin, db.Model):
    """A specialised exhibition (seed 001, goal 1): dates, place, the call for participation with
    its deadline and the number of booths."""

    __tablename__ = "productive_families_exhibitions"
    __tenant_table_args__ = (
        sa.Index("ix_productive_families_exhibitions_tenant_starts", "tenant_id", "starts_on"),
    )

    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    place: Mapped[str] = mapped_column(sa.String(255))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    applications_close_on: Mapped[date]
    booths: Mapped[int]
    # The feasibility study's conclusion as approved (seed 001, goal 1 task 1).
    feasibility_summary: Mapped[str] = mapped_column(sa.Text, default="")
    selection_criteria: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExhibitionApplication(TenantMixin, db.Model):
    """A producer's application to an exhibition: the staff's score against the criteria, the
    booth allocated and the sales recorded after the event."""

    __tablename__ = "productive_families_exhibition_applications"
    __tenant_table_args__ = (
        tenant_foreign_key("exhibition_id", "productive_families_exhibitions", ondelete="CASCADE"),
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "exhibition_id", "producer_id"),
        sa.Index(
            "ix_productive_families_exhibition_applications_tenant_producer", "tenant_id", "producer_id"
        ),
    )

    exhibition_id: Mapped[int]
    producer_id: Mapped[int]
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(16), default="applied")
    score: Mapped[int | None]  # 0–100 against the exhibition's criteria
    booth: Mapped[int | None]
    sales_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)

    producer: Mapped[Producer] = relationship(
        foreign_keys="[ExhibitionApplication.producer_id]",
        primaryjoin="and_(ExhibitionApplication.producer_id == Producer.id, "
        "ExhibitionApplication.tenant_id == Producer.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class AwardRound(TenantMixin, db.Model):
    """The annual award for the outstanding productive family: criteria with weights (summing to
    100), nominations, judges; published once ranked."""

    __tablename__ = "productive_families_award_rounds"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    # [{"code": "c1", "name": "…", "weight": 40}, …]
    criteria: Mapped[list] = mapped_column(sa.JSON, default=list)
    winners: Mapped[int] = mapped_column(default=3)
    judge_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AwardNomination(TenantMixin, db.Model):
    __tablename__ = "productive_families_award_nominations"
    __tenant_table_args__ = (
        tenant_foreign_key("round_id", "productive_families_award_rounds", ondelete="CASCADE"),
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "round_id", "producer_id"),
    )

    round_id: Mapped[int]
    producer_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    producer: Mapped[Producer] = relationship(
        foreign_keys="[AwardNomination.producer_id]",
        primaryjoin="and_(AwardNomination.producer_id == Producer.id, AwardNomination.tenant_id == Producer.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class AwardScore(TenantMixin, db.Model):
    """One judge's scores (0–10 per criterion) of one nomination, final once submitted."""

    __tablename__ = "productive_families_award_scores"
    __tenant_table_args__ = (
        tenant_foreign_key("nomination_id", "productive_families_award_nominations", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "nomination_id", "judge_id"),
    )

    nomination_id: Mapped[int]
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    scores: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


BODY_KINDS = ("bank", "fund", "company", "charity", "government", "other")
FINANCING_STATES = ("referred", "approved", "rejected", "disbursed")


class FinancingBody(TenantMixin, db.Model):
    """A financing body or partner (seed 001, goal 7): a bank, a fund, a company …; a partner has
    the partnership criteria and a quality score (0–100)."""

    __tablename__ = "productive_families_financing_bodies"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    kind: Mapped[str] = mapped_column(sa.String(16))
    is_partner: Mapped[bool] = mapped_column(default=False)
    partnership_criteria: Mapped[str] = mapped_column(sa.Text, default="")
    quality_score: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FinancingRequest(TenantMixin, db.Model):
    """A producer's financing request referred to a body, with its outcome and amount."""

    __tablename__ = "productive_families_financing_requests"
    __tenant_table_args__ = (
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        tenant_foreign_key("body_id", "productive_families_financing_bodies", ondelete="CASCADE"),
        sa.Index("ix_productive_families_financing_requests_tenant_referred", "tenant_id", "referred_on"),
    )

    producer_id: Mapped[int]
    body_id: Mapped[int]
    purpose: Mapped[str] = mapped_column(sa.String(255))
    requested_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    status: Mapped[str] = mapped_column(sa.String(16), default="referred")
    approved_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)
    referred_on: Mapped[date]
    decided_on: Mapped[date | None]

    producer: Mapped[Producer] = relationship(
        foreign_keys="[FinancingRequest.producer_id]",
        primaryjoin="and_(FinancingRequest.producer_id == Producer.id, FinancingRequest.tenant_id == Producer.tenant_id)",
        viewonly=True,
        lazy="joined",
    )
    body: Mapped[FinancingBody] = relationship(
        foreign_keys="[FinancingRequest.body_id]",
        primaryjoin="and_(FinancingRequest.body_id == FinancingBody.id, FinancingRequest.tenant_id == FinancingBody.tenant_id)",
        viewonly=True,
        lazy="joined",
    )
