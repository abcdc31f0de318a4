"""Grievances (تظلم) and complaints (شكوى): the case, its numbering counter, assignees,
timeline and appeals."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow

KINDS = ("grievance", "complaint")
CHANNELS = ("portal", "in_person", "phone", "letter", "email")
OUTCOMES = ("upheld", "partly_upheld", "dismissed")
# Open: the deadline runs (paused while awaiting the complainant).
OPEN_STATES = ("received", "under_review", "awaiting_complainant")
STATES = (*OPEN_STATES, "decided", "appealed", "closed", "rejected_inadmissible", "withdrawn")
INADMISSIBLE_RULES = ("anonymous", "no_contact", "late", "incomplete", "duplicate", "outside_competence")
APPEAL_STATES = ("received", "decided")


class GrievanceCounter(TenantMixin, db.Model):
    """The last grievance number given in one tenant and calendar year (row-locked on increment)."""

    __tablename__ = "grievances_counters"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class Grievance(TenantMixin, db.Model):
    __tablename__ = "grievances_grievances"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "number"),
        sa.Index("ix_grievances_grievances_tenant_state", "tenant_id", "state"),
        sa.Index("ix_grievances_grievances_tenant_complainant", "tenant_id", "complainant_user_id"),
        tenant_foreign_key("request_id", "requests_requests"),
        tenant_foreign_key("disbursement_id", "aid_disbursements"),
    )

    number: Mapped[str] = mapped_column(sa.String(24))
    number_year: Mapped[int]
    number_seq: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(16))
    category: Mapped[str] = mapped_column(sa.String(63))
    channel: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[str] = mapped_column(sa.String(32), default="received")

    # The complainant: named, with a contact number (no anonymous complaints).
    complainant_name: Mapped[str] = mapped_column(sa.String(255))
    complainant_phone: Mapped[str] = mapped_column(sa.String(32))
    complainant_email: Mapped[str | None] = mapped_column(sa.String(255))
    complainant_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    # What it is about (each optional): a request, a disbursement, a provider, a staff member.
    request_id: Mapped[int | None]
    disbursement_id: Mapped[int | None]
    provider_name: Mapped[str | None] = mapped_column(sa.String(255))
    about_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    description: Mapped[str] = mapped_column(sa.Text)
    event_date: Mapped[date]
    filed_on: Mapped[date]
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The day the deadline counts from: the filing date, or the day the grievance was reopened.
    clock_from: Mapped[date]
    # A late filing accepted by management: the excuse, who accepted it and when.
    late_excuse: Mapped[str | None] = mapped_column(sa.Text)
    excuse_accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    excuse_accepted_at: Mapped[datetime | None]
    # The rule version in force on the filing date (windows and deadline), kept with the case.
    rules: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    # Deadline: ``clock_from`` + deadline working days + working days paused.
    due_date: Mapped[date]
    paused_days: Mapped[int] = mapped_column(default=0)
    paused_since: Mapped[date | None]
    overdue_notified_at: Mapped[datetime | None]

    assigned_body: Mapped[str | None] = mapped_column(sa.String(255))
    # كيدية: recorded and audited, never shown on the portal.
    malicious: Mapped[bool] = mapped_column(default=False)
    malicious_note: Mapped[str | None] = mapped_column(sa.Text)
    disciplinary_referral: Mapped[bool] = mapped_column(default=False)

    outcome: Mapped[str | None] = mapped_column(sa.String(16))
    decision_text: Mapped[str | None] = mapped_column(sa.Text)
    action_taken: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None]
    decided_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    inadmissible_rule: Mapped[str | None] = mapped_column(sa.String(63))
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    assignees: Mapped[list[GrievanceAssignee]] = relationship(
        back_populates="grievance", cascade="all, delete-orphan", lazy="selectin"
    )
    events: Mapped[list[GrievanceEvent]] = relationship(
        back_populates="grievance", cascade="all, delete-orphan", order_by="GrievanceEvent.id"
    )
    appeals: Mapped[list[GrievanceAppeal]] = relationship(
        back_populates="grievance", cascade="all, delete-orphan", order_by="GrievanceAppeal.id"
    )

    @property
    def assignee_ids(self) -> list[int]:
        return [a.user_id for a in self.assignees]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class GrievanceAssignee(TenantMixin, db.Model):
    """A person the executive director assigned the grievance to (a committee is several)."""

    __tablename__ = "grievances_assignees"
    __tenant_table_args__ = (
        tenant_foreign_key("grievance_id", "grievances_grievances", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "grievance_id", "user_id"),
        sa.Index("ix_grievances_assignees_tenant_user", "tenant_id", "user_id"),
    )

    grievance_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    grievance: Mapped[Grievance] = relationship(back_populates="assignees")


class GrievanceEvent(TenantMixin, db.Model):
    """One step on a grievance. ``public`` steps (and their note) are shown to the complainant."""

    __tablename__ = "grievances_events"
    __tenant_table_args__ = (
        tenant_foreign_key("grievance_id", "grievances_grievances", ondelete="CASCADE"),
        sa.Index("ix_grievances_events_tenant_grievance", "tenant_id", "grievance_id"),
    )

    grievance_id: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(40))
    from_state: Mapped[str | None] = mapped_column(sa.String(32))
    to_state: Mapped[str | None] = mapped_column(sa.String(32))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    public: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    grievance: Mapped[Grievance] = relationship(back_populates="events")


class GrievanceAppeal(TenantMixin, db.Model):
    """The complainant's appeal of a decision, decided by someone who did not handle the original."""

    __tablename__ = "grievances_appeals"
    __tenant_table_args__ = (
        tenant_foreign_key("grievance_id", "grievances_grievances", ondelete="CASCADE"),
        sa.Index("ix_grievances_appeals_tenant_grievance", "tenant_id", "grievance_id"),
    )

    grievance_id: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(16), default="received")
    reason: Mapped[str] = mapped_column(sa.Text)
    filed_on: Mapped[date]
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_date: Mapped[date]
    handler_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(sa.String(16))
    decision_text: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None]
    decided_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    grievance: Mapped[Grievance] = relationship(back_populates="appeals")
