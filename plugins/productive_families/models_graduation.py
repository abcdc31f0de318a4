"""Graduation and the plugin's stored documents (tenant-owned, ``productive_families_…``):

- the baseline monthly income of each producer, taken from the registry household when the
  producer's first anchor event (licence issued, financing granted, training completed) happens;
- income follow-ups, each answering one due slot (an anchor and the months after it);
- the licensing procedure leaflet of an activity and an exhibition's feasibility study, files kept
  by core's storage (``store_file``) and described by the ``StoredFile`` dict kept here.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import TenantMixin, db, tenant_foreign_key, utcnow

from .models import Producer

NOTE_MAX = 2000


class IncomeBaseline(TenantMixin, db.Model):
    """The household's monthly income (halalas) as the registry recorded it when the producer's
    first anchor event happened; never changed afterwards, so every follow-up compares to it."""

    __tablename__ = "productive_families_income_baselines"
    __tenant_table_args__ = (
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "producer_id"),
    )

    producer_id: Mapped[int]
    income_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    # The first anchor: its kind (licence, financing, training …) and date.
    anchor_kind: Mapped[str] = mapped_column(sa.String(16))
    anchor_on: Mapped[date]
    # The day the registry's figure was read.
    captured_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IncomeFollowUp(TenantMixin, db.Model):
    """One income follow-up of a producer: the slot it answers (anchor kind and date, months
    after it), the day it was made, the monthly income found and the change against the baseline."""

    __tablename__ = "productive_families_income_followups"
    __tenant_table_args__ = (
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "producer_id", "anchor_kind", "anchor_on", "months"),
        sa.Index("ix_productive_families_income_followups_tenant_followed", "tenant_id", "followed_on"),
    )

    producer_id: Mapped[int]
    anchor_kind: Mapped[str] = mapped_column(sa.String(16))
    anchor_on: Mapped[date]
    months: Mapped[int]
    followed_on: Mapped[date]
    income_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    change_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    producer: Mapped[Producer] = relationship(
        foreign_keys="[IncomeFollowUp.producer_id]",
        primaryjoin="and_(IncomeFollowUp.producer_id == Producer.id, IncomeFollowUp.tenant_id == Producer.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class LicenceLeaflet(TenantMixin, db.Model):
    """The procedure leaflet of an activity that needs a licence (the tenant's reference list is
    keyed by activity, each with its issuing body): a file kept by ``store_file``."""

    __tablename__ = "productive_families_licence_leaflets"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "activity"),)

    activity: Mapped[str] = mapped_column(sa.String(40))
    # ``StoredFile.as_dict()``: storage_key, filename, content_type, size, sha256.
    file: Mapped[dict] = mapped_column(sa.JSON)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeasibilityStudy(TenantMixin, db.Model):
    """An exhibition's feasibility study (seed 001, goal 1 task 1): a file kept by ``store_file``."""

    __tablename__ = "productive_families_feasibility_studies"
    __tenant_table_args__ = (
        tenant_foreign_key("exhibition_id", "productive_families_exhibitions", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "exhibition_id"),
    )

    exhibition_id: Mapped[int]
    file: Mapped[dict] = mapped_column(sa.JSON)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
