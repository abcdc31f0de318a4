"""Aid requests, their numbering counters, timeline, field visits, verifications,
committee decisions and escalations to a competent authority."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow

# Channels of seeds 002/003: every request records the one it came through.
CHANNELS = (
    "in_person",
    "phone",
    "social_media",
    "official_letter",
    "portal",
    "mobile_app",
    "help_request_service",
    "volunteer_service",
    "branch_representative",
)
VERIFICATION_BODIES = ("health", "education", "housing", "social_security", "other")
FIELD_CHECKS = ("confirmed", "corrected", "not_seen")


class RequestCounter(TenantMixin, db.Model):
    """The last request number given in one tenant and calendar year (row-locked on increment)."""

    __tablename__ = "requests_counters"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class AidRequest(TenantMixin, db.Model):
    __tablename__ = "requests_requests"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "number"),
        sa.Index("ix_requests_requests_tenant_state", "tenant_id", "state"),
        sa.Index("ix_requests_requests_tenant_applicant", "tenant_id", "applicant_user_id"),
        tenant_foreign_key("catalog_item_id", "aid_catalog_items"),
        tenant_foreign_key("file_id", "registry_files"),
        sa.Index("ix_requests_requests_tenant_file", "tenant_id", "file_id"),
    )

    number: Mapped[str | None] = mapped_column(sa.String(20))
    number_year: Mapped[int | None]
    number_seq: Mapped[int | None]
    state: Mapped[str] = mapped_column(sa.String(40), default="draft")
    channel: Mapped[str] = mapped_column(sa.String(40))
    # The applicant as they presented themselves; the registry file is linked once known.
    applicant_name: Mapped[str] = mapped_column(sa.String(255))
    applicant_phone: Mapped[str | None] = mapped_column(sa.String(32))
    applicant_email: Mapped[str | None] = mapped_column(sa.String(255))
    applicant_city: Mapped[str | None] = mapped_column(sa.String(127))
    applicant_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    file_id: Mapped[int | None]
    catalog_item_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    requested_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)
    approved_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)
    # health / education / housing …: the body the researcher must verify with, if any.
    needs_verification_with: Mapped[str | None] = mapped_column(sa.String(40))
    needs_permit: Mapped[bool] = mapped_column(default=False)
    declaration_signed_at: Mapped[datetime | None]
    declaration_signed_by: Mapped[str | None] = mapped_column(sa.String(255))
    returned_reason: Mapped[str | None] = mapped_column(sa.Text)
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Plugin fields, one namespace per plugin (validated by register_request_fields schemas).
    extra: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    events: Mapped[list[RequestEvent]] = relationship(
        primaryjoin="and_(AidRequest.id == foreign(RequestEvent.request_id), "
        "AidRequest.tenant_id == foreign(RequestEvent.tenant_id))",
        order_by="RequestEvent.id",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<AidRequest {self.number or self.id} {self.state}>"


def _child_of_request(table_args: tuple = ()) -> tuple:
    return (tenant_foreign_key("request_id", "requests_requests", ondelete="CASCADE"), *table_args)


class RequestEvent(TenantMixin, db.Model):
    """One step of a request's timeline (who did what, from which state to which)."""

    __tablename__ = "requests_events"
    __tenant_table_args__ = _child_of_request(
        (sa.Index("ix_requests_events_tenant_request", "tenant_id", "request_id"),)
    )

    request_id: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(60))
    from_state: Mapped[str | None] = mapped_column(sa.String(40))
    to_state: Mapped[str | None] = mapped_column(sa.String(40))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class FieldVisit(TenantMixin, db.Model):
    """A researcher's field visit: scheduled, then recorded with findings and checked fields.

    ``checked_fields`` is a list of ``{"field", "entered", "status", "found"}`` where status is
    ``confirmed``, ``corrected`` (``found`` holds the value in the original document) or ``not_seen``.
    """

    __tablename__ = "requests_visits"
    __tenant_table_args__ = _child_of_request(
        (sa.Index("ix_requests_visits_tenant_request", "tenant_id", "request_id"),)
    )

    request_id: Mapped[int]
    researcher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    scheduled_for: Mapped[date]
    visited_on: Mapped[date | None]
    findings: Mapped[str] = mapped_column(sa.Text, default="")
    checked_fields: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Verification(TenantMixin, db.Model):
    """An official verification contact with another body (health, education, housing …)."""

    __tablename__ = "requests_verifications"
    __tenant_table_args__ = _child_of_request(
        (sa.Index("ix_requests_verifications_tenant_request", "tenant_id", "request_id"),)
    )

    request_id: Mapped[int]
    body: Mapped[str] = mapped_column(sa.String(40))
    contact: Mapped[str] = mapped_column(sa.String(255), default="")
    reference: Mapped[str] = mapped_column(sa.String(120), default="")
    outcome: Mapped[str] = mapped_column(sa.String(20))  # confirmed / not_confirmed / pending
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    verified_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(TenantMixin, db.Model):
    """The committee's decision: approve with an amount, or reject with the applicant's reason."""

    __tablename__ = "requests_decisions"
    __tenant_table_args__ = _child_of_request(
        (sa.Index("ix_requests_decisions_tenant_request", "tenant_id", "request_id"),)
    )

    request_id: Mapped[int]
    outcome: Mapped[str] = mapped_column(sa.String(20))  # approved / rejected
    amount_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)
    ceiling_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)
    ceiling_basis: Mapped[str] = mapped_column(sa.Text, default="")
    override_reason: Mapped[str | None] = mapped_column(sa.Text)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    members_present: Mapped[list] = mapped_column(sa.JSON, default=list)
    decided_on: Mapped[date]
    assessment: Mapped[list] = mapped_column(sa.JSON, default=list)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Escalation(TenantMixin, db.Model):
    """A request that needs an official permit, sent to the competent authority."""

    __tablename__ = "requests_escalations"
    __tenant_table_args__ = _child_of_request(
        (sa.Index("ix_requests_escalations_tenant_request", "tenant_id", "request_id"),)
    )

    request_id: Mapped[int]
    authority: Mapped[str] = mapped_column(sa.String(255))
    reference: Mapped[str] = mapped_column(sa.String(120), default="")
    sent_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(sa.String(20), default="pending")  # pending / granted / refused
    outcome_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CatalogItem(TenantMixin, db.Model):
    """An item of the tenant's aid catalog: what a request asks for and a disbursement hands
    over (tenant admins extend it through ``core.aid``)."""

    __tablename__ = "aid_catalog_items"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(63))
    name_ar: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(20))
    unit: Mapped[str] = mapped_column(sa.String(20), default="family")
    default_value_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)
    seasonal: Mapped[bool] = mapped_column(default=False)
    season: Mapped[str | None] = mapped_column(sa.String(40))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
