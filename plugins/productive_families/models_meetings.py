"""Tables of meetings with active families (attendance, the challenges survey answered there) and of
economic and community initiatives (needs study, design, annual plan, quality score) — seed 001,
goals 1 and 3."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import TenantMixin, db, tenant_foreign_key, utcnow

from .models import NAME_MAX, Producer

# The themes a challenge is filed under (each choice of the challenges survey carries one).
CHALLENGE_THEMES = (
    "marketing",
    "licensing",
    "financing",
    "raw_materials",
    "training",
    "family",
    "health",
    "other",
)
INITIATIVE_KINDS = ("economic", "community")
INITIATIVE_STATES = ("needs_study", "design", "planned", "in_progress", "completed", "cancelled")


class Meeting(TenantMixin, db.Model):
    """A meeting with active productive families: when (stored UTC, typed in the association's
    time zone), where, on what; the challenges survey version its answers belong to."""

    __tablename__ = "productive_families_meetings"
    __tenant_table_args__ = (
        tenant_foreign_key("survey_version_id", "surveys_versions"),
        sa.Index("ix_productive_families_meetings_tenant_starts", "tenant_id", "starts_at"),
    )

    topic: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    place: Mapped[str] = mapped_column(sa.String(255))
    starts_at: Mapped[datetime]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # The published version of core's survey the families answered at this meeting.
    survey_version_id: Mapped[int | None]
    attendance_recorded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingInvitee(TenantMixin, db.Model):
    """A producer invited to a meeting; ``present`` once attendance is recorded (None: not yet)."""

    __tablename__ = "productive_families_meeting_invitees"
    __tenant_table_args__ = (
        tenant_foreign_key("meeting_id", "productive_families_meetings", ondelete="CASCADE"),
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "meeting_id", "producer_id"),
        sa.Index("ix_productive_families_meeting_invitees_tenant_producer", "tenant_id", "producer_id"),
    )

    meeting_id: Mapped[int]
    producer_id: Mapped[int]
    present: Mapped[bool | None]

    producer: Mapped[Producer] = relationship(
        foreign_keys="[MeetingInvitee.producer_id]",
        primaryjoin="and_(MeetingInvitee.producer_id == Producer.id, MeetingInvitee.tenant_id == Producer.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class MeetingResponse(TenantMixin, db.Model):
    """A challenges survey response (core's ``SurveyResponse``, anonymous) given at a meeting."""

    __tablename__ = "productive_families_meeting_responses"
    __tenant_table_args__ = (
        tenant_foreign_key("meeting_id", "productive_families_meetings", ondelete="CASCADE"),
        tenant_foreign_key("response_id", "surveys_responses", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "response_id"),
        sa.Index("ix_productive_families_meeting_responses_tenant_meeting", "tenant_id", "meeting_id"),
    )

    meeting_id: Mapped[int]
    response_id: Mapped[int]


class InitiativeCriterion(TenantMixin, db.Model):
    """One of the tenant's quality criteria for initiatives, with its weight (the set sums to 100)."""

    __tablename__ = "productive_families_initiative_criteria"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    weight: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)


class Initiative(TenantMixin, db.Model):
    """An economic or community initiative: needs study (text and an optional stored file), design,
    status, and its quality score against the tenant's criteria (snapshot of the criteria used)."""

    __tablename__ = "productive_families_initiatives"
    __tenant_table_args__ = (
        sa.Index("ix_productive_families_initiatives_tenant_scored", "tenant_id", "scored_on"),
    )

    kind: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    year: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16), default="needs_study")
    needs_study: Mapped[str] = mapped_column(sa.Text, default="")
    # StoredFile.as_dict() of the needs study document, if one was attached.
    needs_file: Mapped[dict | None] = mapped_column(sa.JSON)
    design: Mapped[str] = mapped_column(sa.Text, default="")
    # [{"name": "…", "weight": 40, "score": 9}, …] as scored; points = Σ weight × score (0–1000).
    scores: Mapped[list] = mapped_column(sa.JSON, default=list)
    quality_points: Mapped[int | None]
    scored_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InitiativeActivity(TenantMixin, db.Model):
    """One line of an initiative's annual plan: what, in which month, who is responsible."""

    __tablename__ = "productive_families_initiative_activities"
    __tenant_table_args__ = (
        tenant_foreign_key("initiative_id", "productive_families_initiatives", ondelete="CASCADE"),
        sa.Index(
            "ix_productive_families_initiative_activities_tenant_initiative", "tenant_id", "initiative_id"
        ),
    )

    initiative_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(255))
    month: Mapped[int]
    owner: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    done: Mapped[bool] = mapped_column(default=False)
