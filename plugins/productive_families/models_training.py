"""Training (seed 001, goal 6): families' needed skill areas, the registry of trainers and
training centres (local and international) with their partnership contracts, programs with
enrolment, sessions and attendance, and completion at the program's close."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import TenantMixin, db, tenant_foreign_key, utcnow

from .models import NAME_MAX, Producer

TRAINER_KINDS = ("trainer", "centre")
TRAINER_SCOPES = ("local", "international")
PROGRAM_STATES = ("open", "closed")
ENROLMENT_OUTCOMES = ("enrolled", "completed", "not_completed")


class TrainingNeed(TenantMixin, db.Model):
    """A skill area (``settings.SKILL_AREAS``) a producer's family needs training in."""

    __tablename__ = "productive_families_training_needs"
    __tenant_table_args__ = (
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "producer_id", "area"),
        sa.Index("ix_productive_families_training_needs_tenant_area", "tenant_id", "area"),
    )

    producer_id: Mapped[int]
    area: Mapped[str] = mapped_column(sa.String(40))
    noted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Trainer(TenantMixin, db.Model):
    """A trainer or a training centre, local or international, with its specialities (skill areas)."""

    __tablename__ = "productive_families_trainers"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    kind: Mapped[str] = mapped_column(sa.String(16))
    scope: Mapped[str] = mapped_column(sa.String(16))
    country: Mapped[str] = mapped_column(sa.String(2))  # ISO 3166 alpha-2
    city: Mapped[str] = mapped_column(sa.String(80), default="")
    specialities: Mapped[list] = mapped_column(sa.JSON, default=list)
    contact_name: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    phone: Mapped[str] = mapped_column(sa.String(32), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrainingContract(TenantMixin, db.Model):
    """A partnership contract with a trainer or centre (seed 001, goal 6 tasks 5–6): the signed
    document (kept by ``store_file``) and the partnership's quality score (0–100)."""

    __tablename__ = "productive_families_training_contracts"
    __tenant_table_args__ = (
        tenant_foreign_key("trainer_id", "productive_families_trainers", ondelete="CASCADE"),
        sa.Index("ix_productive_families_training_contracts_tenant_trainer", "tenant_id", "trainer_id"),
    )

    trainer_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    signed_on: Mapped[date]
    ends_on: Mapped[date | None]
    quality_score: Mapped[int]
    # StoredFile.as_dict(): storage_key, filename, content_type, size, sha256.
    file: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainer: Mapped[Trainer] = relationship(
        foreign_keys="[TrainingContract.trainer_id]",
        primaryjoin="and_(TrainingContract.trainer_id == Trainer.id, TrainingContract.tenant_id == Trainer.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class TrainingProgram(TenantMixin, db.Model):
    """A training program: specialised (counts for the seed's indicator) or general, given by a
    trainer or centre, with its dates, place and capacity; closed once its sessions are over."""

    __tablename__ = "productive_families_training_programs"
    __tenant_table_args__ = (
        tenant_foreign_key("trainer_id", "productive_families_trainers", ondelete="CASCADE"),
        sa.Index("ix_productive_families_training_programs_tenant_closed", "tenant_id", "closed_on"),
    )

    title: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    specialised: Mapped[bool] = mapped_column(default=True)
    area: Mapped[str] = mapped_column(sa.String(40), default="")
    trainer_id: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    place: Mapped[str] = mapped_column(sa.String(255))
    capacity: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    closed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainer: Mapped[Trainer] = relationship(
        foreign_keys="[TrainingProgram.trainer_id]",
        primaryjoin="and_(TrainingProgram.trainer_id == Trainer.id, TrainingProgram.tenant_id == Trainer.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class TrainingSession(TenantMixin, db.Model):
    __tablename__ = "productive_families_training_sessions"
    __tenant_table_args__ = (
        tenant_foreign_key("program_id", "productive_families_training_programs", ondelete="CASCADE"),
        sa.Index("ix_productive_families_training_sessions_tenant_program", "tenant_id", "program_id"),
    )

    program_id: Mapped[int]
    held_on: Mapped[date]
    topic: Mapped[str] = mapped_column(sa.String(255), default="")


class TrainingEnrolment(TenantMixin, db.Model):
    """A producer enrolled in a program; at the close: completed (on the closing date) or not."""

    __tablename__ = "productive_families_training_enrolments"
    __tenant_table_args__ = (
        tenant_foreign_key("program_id", "productive_families_training_programs", ondelete="CASCADE"),
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "program_id", "producer_id"),
        sa.Index("ix_productive_families_training_enrolments_tenant_producer", "tenant_id", "producer_id"),
        sa.Index("ix_productive_families_training_enrolments_tenant_completed", "tenant_id", "completed_on"),
    )

    program_id: Mapped[int]
    producer_id: Mapped[int]
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(sa.String(16), default="enrolled")
    completed_on: Mapped[date | None]

    producer: Mapped[Producer] = relationship(
        foreign_keys="[TrainingEnrolment.producer_id]",
        primaryjoin="and_(TrainingEnrolment.producer_id == Producer.id, "
        "TrainingEnrolment.tenant_id == Producer.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class TrainingInterest(TenantMixin, db.Model):
    """A producer asked, on the portal, to join a program (staff are told and decide: enrolling
    stays theirs). Once per producer and program."""

    __tablename__ = "productive_families_training_interests"
    __tenant_table_args__ = (
        tenant_foreign_key("program_id", "productive_families_training_programs", ondelete="CASCADE"),
        tenant_foreign_key("producer_id", "productive_families_producers", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "program_id", "producer_id"),
        sa.Index("ix_productive_families_training_interests_tenant_producer", "tenant_id", "producer_id"),
    )

    program_id: Mapped[int]
    producer_id: Mapped[int]
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrainingAttendance(TenantMixin, db.Model):
    """An enrolled producer present at a session (absent: no row)."""

    __tablename__ = "productive_families_training_attendance"
    __tenant_table_args__ = (
        tenant_foreign_key("session_id", "productive_families_training_sessions", ondelete="CASCADE"),
        tenant_foreign_key("enrolment_id", "productive_families_training_enrolments", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "session_id", "enrolment_id"),
        sa.Index("ix_productive_families_training_attendance_tenant_enrolment", "tenant_id", "enrolment_id"),
    )

    session_id: Mapped[int]
    enrolment_id: Mapped[int]
