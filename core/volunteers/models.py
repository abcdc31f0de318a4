"""Volunteers (متطوعون): the offer and its decision, opportunities with their places, each
volunteer's assignment with check-in, check-out and the supervisor's confirmation of hours,
and the field visits a volunteer accompanied (seed 000, developmental goal 4)."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow

# "من الأفراد أو الجهات": a person, or a person on behalf of an organisation.
KINDS = ("individual", "organisation")
STATES = ("applied", "accepted", "declined", "inactive")
DAYS = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
OPPORTUNITY_KINDS = ("event", "program_session", "distribution_day", "field_campaign")
OPPORTUNITY_STATES = ("open", "closed")
# applied: the volunteer asked for a place; assigned: staff gave them one (or accepted the ask).
ASSIGNMENT_STATES = ("applied", "assigned", "withdrawn")
HOURS_STATES = ("none", "pending", "confirmed", "rejected")


class Volunteer(TenantMixin, db.Model):
    __tablename__ = "volunteers_volunteers"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "user_id"),
        sa.Index("ix_volunteers_volunteers_tenant_state", "tenant_id", "state"),
    )

    # The portal account, when the volunteer signed up themselves (staff may register without one).
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(255))
    phone: Mapped[str] = mapped_column(sa.String(32))
    email: Mapped[str | None] = mapped_column(sa.String(255))
    city: Mapped[str | None] = mapped_column(sa.String(127))
    kind: Mapped[str] = mapped_column(sa.String(16), default="individual")
    organisation_name: Mapped[str | None] = mapped_column(sa.String(255))
    skills: Mapped[list] = mapped_column(sa.JSON, default=list)  # codes of the tenant's skill list
    days: Mapped[list] = mapped_column(sa.JSON, default=list)  # DAYS
    available_from: Mapped[time | None]
    available_to: Mapped[time | None]
    areas: Mapped[list] = mapped_column(sa.JSON, default=list)  # preferred areas, in the volunteer's words
    field_visits: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[str] = mapped_column(sa.String(16), default="applied")
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Opportunity(TenantMixin, db.Model):
    """A day's volunteering: an event, a program session, a distribution day, a field campaign."""

    __tablename__ = "volunteers_opportunities"
    __tenant_table_args__ = (
        sa.Index("ix_volunteers_opportunities_tenant_date", "tenant_id", "on_date"),
        tenant_foreign_key("catalog_item_id", "aid_catalog_items"),
    )

    kind: Mapped[str] = mapped_column(sa.String(24))
    title: Mapped[str] = mapped_column(sa.String(255))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    on_date: Mapped[date]
    starts_at: Mapped[time | None]
    ends_at: Mapped[time | None]
    location: Mapped[str] = mapped_column(sa.String(255), default="")
    skills: Mapped[list] = mapped_column(sa.JSON, default=list)
    places: Mapped[int] = mapped_column(default=1)
    # A distribution day's program: its list is the day's recipients of this catalog item.
    catalog_item_id: Mapped[int | None]
    # The staff member who confirms the hours (besides the coordinators).
    supervisor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(sa.String(16), default="open")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assignment(TenantMixin, db.Model):
    """A volunteer's place in an opportunity, and the hours it recorded."""

    __tablename__ = "volunteers_assignments"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "opportunity_id", "volunteer_id"),
        sa.Index("ix_volunteers_assignments_tenant_volunteer", "tenant_id", "volunteer_id"),
        tenant_foreign_key("opportunity_id", "volunteers_opportunities", ondelete="CASCADE"),
        tenant_foreign_key("volunteer_id", "volunteers_volunteers", ondelete="CASCADE"),
    )

    opportunity_id: Mapped[int]
    volunteer_id: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(16), default="assigned")
    origin: Mapped[str] = mapped_column(sa.String(16), default="assigned")  # assigned / applied
    checked_in_at: Mapped[datetime | None]
    checked_out_at: Mapped[datetime | None]
    # The recorded minutes (check-in to check-out) and the supervisor's confirmed figure.
    minutes: Mapped[int | None]
    hours_state: Mapped[str] = mapped_column(sa.String(16), default="none")
    confirmed_minutes: Mapped[int | None]
    confirmation_note: Mapped[str | None] = mapped_column(sa.Text)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VisitCompanion(TenantMixin, db.Model):
    """A volunteer who accompanied a researcher's field visit (never the researcher of record)."""

    __tablename__ = "volunteers_visit_companions"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "visit_id", "volunteer_id"),
        tenant_foreign_key("visit_id", "requests_visits", ondelete="CASCADE"),
        tenant_foreign_key("volunteer_id", "volunteers_volunteers", ondelete="CASCADE"),
    )

    visit_id: Mapped[int]
    volunteer_id: Mapped[int]
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Referral(TenantMixin, db.Model):
    """The volunteer a request came through (channel ``volunteer_service``, seed 003)."""

    __tablename__ = "volunteers_referrals"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "request_id"),
        tenant_foreign_key("request_id", "requests_requests", ondelete="CASCADE"),
        tenant_foreign_key("volunteer_id", "volunteers_volunteers", ondelete="CASCADE"),
    )

    request_id: Mapped[int]
    volunteer_id: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
