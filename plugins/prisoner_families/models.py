"""Tables of the plugin: prisoners and their families, debt cases, rehabilitation, self-reliance.

Money is in halalas (integers). Every table is tenant-owned; foreign keys between tenant tables
carry ``tenant_id`` so a row can never point into another tenant.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import Person, TenantMixin, db, tenant_foreign_key, utcnow

CASE_TYPES = ("public_right", "private_right")
PRISONER_STATUSES = ("in_prison", "released", "deceased")
DEBT_STATUSES = ("open", "closed")
ENTRY_KINDS = ("forgiveness", "association_payment", "other_payment")
NEGOTIATION_OUTCOMES = ("forgave_all", "forgave_part", "refused", "pending")
INTERVIEW_OUTCOMES = ("pending", "passed", "failed")
ENROLMENT_STATUSES = ("enrolled", "withdrawn")
PLACEMENT_KINDS = ("school_canteen", "exhibition")


class Prisoner(TenantMixin, db.Model):
    """A prisoner (a person of the registry) and his case."""

    __tablename__ = "prisoner_families_prisoners"
    __tenant_table_args__ = (
        tenant_foreign_key("person_id", "registry_persons"),
        sa.UniqueConstraint("tenant_id", "person_id"),
        sa.Index("ix_prisoner_families_prisoners_tenant_status", "tenant_id", "status"),
        sa.CheckConstraint("case_type IN ('public_right', 'private_right')", name="case_type"),
        sa.CheckConstraint("status IN ('in_prison', 'released', 'deceased')", name="status"),
    )

    person_id: Mapped[int]
    facility: Mapped[str] = mapped_column(sa.String(255))
    case_type: Mapped[str] = mapped_column(sa.String(20))
    insolvent: Mapped[bool] = mapped_column(default=False)
    imprisoned_on: Mapped[date]
    expected_release_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(20), default="in_prison")
    released_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(
        foreign_keys="[Prisoner.person_id]",
        primaryjoin="and_(Prisoner.person_id == Person.id, Prisoner.tenant_id == Person.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class FamilyLink(TenantMixin, db.Model):
    """A household the prisoner supported before imprisonment, with its evidence letter."""

    __tablename__ = "prisoner_families_family_links"
    __tenant_table_args__ = (
        tenant_foreign_key("prisoner_id", "prisoner_families_prisoners", ondelete="CASCADE"),
        tenant_foreign_key("household_id", "registry_households", ondelete="CASCADE"),
        tenant_foreign_key("evidence_document_id", "documents"),
        # A household may be linked to one prisoner; a prisoner to several households.
        sa.UniqueConstraint("tenant_id", "household_id"),
        sa.Index("ix_prisoner_families_family_links_tenant_prisoner", "tenant_id", "prisoner_id"),
    )

    prisoner_id: Mapped[int]
    household_id: Mapped[int]
    evidence_document_id: Mapped[int | None]
    linked_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DebtCase(TenantMixin, db.Model):
    """The debt of an insolvent private-right prisoner: claimed, forgiven, paid, remaining."""

    __tablename__ = "prisoner_families_debt_cases"
    __tenant_table_args__ = (
        tenant_foreign_key("prisoner_id", "prisoner_families_prisoners", ondelete="CASCADE"),
        sa.Index("ix_prisoner_families_debt_cases_tenant_prisoner", "tenant_id", "prisoner_id"),
        sa.Index("ix_prisoner_families_debt_cases_tenant_status", "tenant_id", "status"),
        sa.CheckConstraint("claimed_halalas > 0", name="claimed_positive"),
        sa.CheckConstraint(
            "forgiven_halalas >= 0 AND paid_by_association_halalas >= 0 AND paid_by_others_halalas >= 0",
            name="amounts_not_negative",
        ),
        sa.CheckConstraint(
            "forgiven_halalas + paid_by_association_halalas + paid_by_others_halalas <= claimed_halalas",
            name="settled_within_claim",
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name="status"),
    )

    prisoner_id: Mapped[int]
    creditor: Mapped[str] = mapped_column(sa.String(255))
    court_reference: Mapped[str] = mapped_column(sa.String(120), default="")
    claimed_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    forgiven_halalas: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    paid_by_association_halalas: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    paid_by_others_halalas: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    prisoner: Mapped[Prisoner] = relationship(
        foreign_keys="[DebtCase.prisoner_id]",
        primaryjoin="and_(DebtCase.prisoner_id == Prisoner.id, DebtCase.tenant_id == Prisoner.tenant_id)",
        viewonly=True,
        lazy="joined",
    )

    @property
    def settled_halalas(self) -> int:
        return self.forgiven_halalas + self.paid_by_association_halalas + self.paid_by_others_halalas

    @property
    def remaining_halalas(self) -> int:
        return self.claimed_halalas - self.settled_halalas


class DebtEntry(TenantMixin, db.Model):
    """One change of a debt case's amounts (the ledger behind the totals)."""

    __tablename__ = "prisoner_families_debt_entries"
    __tenant_table_args__ = (
        tenant_foreign_key("case_id", "prisoner_families_debt_cases", ondelete="CASCADE"),
        tenant_foreign_key("disbursement_id", "aid_disbursements"),
        # A disbursement counts once.
        sa.UniqueConstraint("tenant_id", "disbursement_id"),
        sa.Index("ix_prisoner_families_debt_entries_tenant_case", "tenant_id", "case_id"),
        sa.Index("ix_prisoner_families_debt_entries_tenant_kind_date", "tenant_id", "kind", "entry_date"),
        sa.CheckConstraint("amount_halalas > 0", name="amount_positive"),
    )

    case_id: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(32))
    amount_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    entry_date: Mapped[date]
    payer: Mapped[str] = mapped_column(sa.String(255), default="")
    catalog_code: Mapped[str | None] = mapped_column(sa.String(63))
    disbursement_id: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Negotiation(TenantMixin, db.Model):
    """An attempt with the creditor to reduce or forgive the amount (date, who, outcome)."""

    __tablename__ = "prisoner_families_negotiations"
    __tenant_table_args__ = (
        tenant_foreign_key("case_id", "prisoner_families_debt_cases", ondelete="CASCADE"),
        sa.Index("ix_prisoner_families_negotiations_tenant_case", "tenant_id", "case_id"),
    )

    case_id: Mapped[int]
    attempted_on: Mapped[date]
    by_whom: Mapped[str] = mapped_column(sa.String(255))
    outcome: Mapped[str] = mapped_column(sa.String(20))
    forgiven_halalas: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Program(TenantMixin, db.Model):
    """A rehabilitation program (New Life, HR development, …) and its attendance rules."""

    __tablename__ = "prisoner_families_programs"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "code"),
        sa.CheckConstraint("fee_halalas >= 0", name="fee_not_negative"),
        sa.CheckConstraint("min_attendance_percent BETWEEN 0 AND 100", name="attendance_percent"),
    )

    code: Mapped[str] = mapped_column(sa.String(63))
    name_ar: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    requires_interview: Mapped[bool] = mapped_column(default=False)
    fee_halalas: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    min_attendance_percent: Mapped[int] = mapped_column(default=75)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Enrolment(TenantMixin, db.Model):
    __tablename__ = "prisoner_families_enrolments"
    __tenant_table_args__ = (
        tenant_foreign_key("program_id", "prisoner_families_programs", ondelete="CASCADE"),
        tenant_foreign_key("prisoner_id", "prisoner_families_prisoners", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "program_id", "prisoner_id"),
        sa.Index("ix_prisoner_families_enrolments_tenant_prisoner", "tenant_id", "prisoner_id"),
    )

    program_id: Mapped[int]
    prisoner_id: Mapped[int]
    enrolled_on: Mapped[date]
    interview_outcome: Mapped[str | None] = mapped_column(sa.String(16))
    interview_on: Mapped[date | None]
    fee_acknowledged: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(16), default="enrolled")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    prisoner: Mapped[Prisoner] = relationship(
        foreign_keys="[Enrolment.prisoner_id]",
        primaryjoin="and_(Enrolment.prisoner_id == Prisoner.id, Enrolment.tenant_id == Prisoner.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class ProgramSession(TenantMixin, db.Model):
    __tablename__ = "prisoner_families_sessions"
    __tenant_table_args__ = (
        tenant_foreign_key("program_id", "prisoner_families_programs", ondelete="CASCADE"),
        sa.Index("ix_prisoner_families_sessions_tenant_program", "tenant_id", "program_id"),
    )

    program_id: Mapped[int]
    held_on: Mapped[date]
    topic: Mapped[str] = mapped_column(sa.String(255), default="")


class Attendance(TenantMixin, db.Model):
    __tablename__ = "prisoner_families_attendance"
    __tenant_table_args__ = (
        tenant_foreign_key("session_id", "prisoner_families_sessions", ondelete="CASCADE"),
        tenant_foreign_key("enrolment_id", "prisoner_families_enrolments", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "session_id", "enrolment_id"),
        sa.Index("ix_prisoner_families_attendance_tenant_enrolment", "tenant_id", "enrolment_id"),
    )

    session_id: Mapped[int]
    enrolment_id: Mapped[int]
    present: Mapped[bool] = mapped_column(default=False)


class FollowUp(TenantMixin, db.Model):
    """A recidivism follow-up of a released participant, N months after release."""

    __tablename__ = "prisoner_families_follow_ups"
    __tenant_table_args__ = (
        tenant_foreign_key("prisoner_id", "prisoner_families_prisoners", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "prisoner_id", "months_after"),
        sa.Index("ix_prisoner_families_follow_ups_tenant_due", "tenant_id", "due_on"),
    )

    prisoner_id: Mapped[int]
    months_after: Mapped[int]
    due_on: Mapped[date]
    done_on: Mapped[date | None]
    returned_to_crime: Mapped[bool | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    prisoner: Mapped[Prisoner] = relationship(
        foreign_keys="[FollowUp.prisoner_id]",
        primaryjoin="and_(FollowUp.prisoner_id == Prisoner.id, FollowUp.tenant_id == Prisoner.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class Placement(TenantMixin, db.Model):
    """A prisoner's family placed in a school canteen or an exhibition (self-reliance)."""

    __tablename__ = "prisoner_families_placements"
    __tenant_table_args__ = (
        tenant_foreign_key("household_id", "registry_households", ondelete="CASCADE"),
        sa.Index("ix_prisoner_families_placements_tenant_date", "tenant_id", "placed_on"),
    )

    household_id: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))
    venue: Mapped[str] = mapped_column(sa.String(255), default="")
    placed_on: Mapped[date]
    notes: Mapped[str] = mapped_column(sa.Text, default="")


class Employment(TenantMixin, db.Model):
    """A beneficiary referred to an employer; ``employed_on`` once placed."""

    __tablename__ = "prisoner_families_employments"
    __tenant_table_args__ = (
        tenant_foreign_key("person_id", "registry_persons", ondelete="CASCADE"),
        sa.Index("ix_prisoner_families_employments_tenant_employed", "tenant_id", "employed_on"),
    )

    person_id: Mapped[int]
    employer: Mapped[str] = mapped_column(sa.String(255))
    job_title: Mapped[str] = mapped_column(sa.String(255), default="")
    referred_on: Mapped[date]
    employed_on: Mapped[date | None]
