"""The shared beneficiary registry: persons, households, members, beneficiary files,
their status events, data-sharing agreements between tenants, and import jobs."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..calendar import today
from ..extensions import db
from ..jobs.models import Job
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow
from . import ids

FILE_STATUSES = ("applicant", "active", "suspended", "excluded", "closed")
GENDERS = ("male", "female")
MARITAL_STATUSES = ("single", "married", "divorced", "widowed")
HOUSING_TENURES = ("owned", "rented")
RELATIONSHIPS = (
    "spouse",
    "son",
    "daughter",
    "father",
    "mother",
    "brother",
    "sister",
    "grandson",
    "granddaughter",
    "other",
)


def NORMALIZED_NAME(length: int) -> sa.types.TypeEngine:  # noqa: N802 - reads as a column type
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


class Person(TenantMixin, db.Model):
    """One person as this tenant knows them. The ID number is never stored in clear."""

    __tablename__ = "registry_persons"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "national_id_hash"),
        # Search is a B-tree range scan (prefix) on these two, always within a tenant.
        sa.Index("ix_registry_persons_tenant_name", "tenant_id", "name_normalized"),
        sa.Index("ix_registry_persons_tenant_family", "tenant_id", "family_normalized"),
    )

    first_name: Mapped[str] = mapped_column(sa.String(80))
    father_name: Mapped[str] = mapped_column(sa.String(80), default="")
    grandfather_name: Mapped[str] = mapped_column(sa.String(80), default="")
    family_name: Mapped[str] = mapped_column(sa.String(80), default="")
    # Byte-order collation on PostgreSQL: the prefix search is a range [q, q + U+10FFFF) whose
    # upper bound only holds in code-point order, whatever the database's locale.
    name_normalized: Mapped[str] = mapped_column(NORMALIZED_NAME(340), default="")
    family_normalized: Mapped[str] = mapped_column(NORMALIZED_NAME(80), default="")
    national_id_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    # Platform-wide keyed hash: exact lookup, and the cross-tenant duplicate count.
    national_id_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    id_type: Mapped[str | None] = mapped_column(sa.String(16))
    id_expiry: Mapped[date | None]
    nationality: Mapped[str | None] = mapped_column(sa.String(64))
    birth_date: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(sa.String(8))
    marital_status: Mapped[str | None] = mapped_column(sa.String(16))
    phone: Mapped[str | None] = mapped_column(sa.String(16))
    email: Mapped[str | None] = mapped_column(sa.String(255))
    national_address: Mapped[str | None] = mapped_column(sa.String(8))
    city: Mapped[str | None] = mapped_column(sa.String(80))
    job: Mapped[str | None] = mapped_column(sa.String(120))
    monthly_income: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # halalas
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def national_id(self) -> str | None:
        return ids.decrypt(self.national_id_encrypted)

    @national_id.setter
    def national_id(self, number: str | None) -> None:
        if number:
            self.national_id_encrypted = ids.encrypt(number)
            self.national_id_hash = ids.lookup_hash(number)
            self.id_type = ids.id_type(number)
        else:
            self.national_id_encrypted = self.national_id_hash = self.id_type = None

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.first_name, self.father_name, self.grandfather_name, self.family_name) if p
        )

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


class PersonNameKey(TenantMixin, db.Model):
    """One way of writing a person's name for search: each choice of their name parts, in
    order, that ends with the last part they have (``normalize.name_keys``), normalised.

    Search is a prefix range scan on ``(tenant_id, key)``: the query "أحمد الزهراني" (first +
    family), "أحمد محمد الزهراني" (first + father + family) or "محمد الزهر" finds the person
    whichever parts were left out, since every ordered subset of the parts is a prefix of one
    of these keys. At most eight rows per person (four parts). ``sort_name`` is the person's
    ``name_normalized``, in the index so that a page of matches is ordered without reading
    ``registry_persons`` for each match.
    """

    __tablename__ = "registry_person_name_keys"
    __tenant_from_parent__ = True  # the person's tenant (migration core_0027)
    # Keyed (tenant_id, person_id, key), no id: the key also finds a person's keys (the cascade,
    # sync_name_keys) — migration core_0028.
    __tenant_natural_key__ = ("person_id", "key")
    __tenant_table_args__ = (
        tenant_foreign_key("person_id", "registry_persons", ondelete="CASCADE"),
        # Covering: the range scan yields the person ids without reading the table.
        sa.Index("ix_registry_person_name_keys_tenant_key", "tenant_id", "key", "person_id", "sort_name"),
    )

    person_id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(NORMALIZED_NAME(340), primary_key=True)
    sort_name: Mapped[str] = mapped_column(NORMALIZED_NAME(340))


class Household(TenantMixin, db.Model):
    __tablename__ = "registry_households"
    __tenant_table_args__ = (
        tenant_foreign_key("head_person_id", "registry_persons"),
        sa.Index("ix_registry_households_tenant_head", "tenant_id", "head_person_id"),
    )

    head_person_id: Mapped[int] = mapped_column()
    housing_tenure: Mapped[str] = mapped_column(sa.String(16))
    annual_rent: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # halalas
    category: Mapped[str] = mapped_column(sa.String(63), default="family")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    head: Mapped[Person] = relationship(
        foreign_keys=[head_person_id],
        primaryjoin="and_(Household.head_person_id == Person.id, Household.tenant_id == Person.tenant_id)",
        viewonly=True,
        lazy="joined",
    )
    members: Mapped[list[Member]] = relationship(
        primaryjoin="and_(Member.household_id == Household.id, Member.tenant_id == Household.tenant_id)",
        foreign_keys="[Member.household_id]",
        viewonly=True,
        order_by="Member.id",
    )
    file: Mapped[BeneficiaryFile | None] = relationship(
        primaryjoin="and_(BeneficiaryFile.household_id == Household.id, "
        "BeneficiaryFile.tenant_id == Household.tenant_id)",
        foreign_keys="[BeneficiaryFile.household_id]",
        viewonly=True,
        uselist=False,
    )


class Member(TenantMixin, db.Model):
    """A person in a household other than its head, with their situation in it."""

    __tablename__ = "registry_members"
    __tenant_table_args__ = (
        tenant_foreign_key("household_id", "registry_households", ondelete="CASCADE"),
        tenant_foreign_key("person_id", "registry_persons"),
        sa.UniqueConstraint("tenant_id", "household_id", "person_id"),
        sa.Index("ix_registry_members_tenant_person", "tenant_id", "person_id"),
    )

    household_id: Mapped[int] = mapped_column()
    person_id: Mapped[int] = mapped_column()
    relationship_: Mapped[str] = mapped_column("relationship", sa.String(32))
    job: Mapped[str | None] = mapped_column(sa.String(120))
    income: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # halalas, monthly
    resides_with_head: Mapped[bool] = mapped_column(default=True)
    studying: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Person] = relationship(
        foreign_keys=[person_id],
        primaryjoin="and_(Member.person_id == Person.id, Member.tenant_id == Person.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class BeneficiaryFile(TenantMixin, db.Model):
    """The tenant's file on one household: status, renewal dates, plugin fields."""

    __tablename__ = "registry_files"
    __tenant_table_args__ = (
        tenant_foreign_key("household_id", "registry_households", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "household_id"),
        sa.Index("ix_registry_files_tenant_status", "tenant_id", "status"),
        sa.Index("ix_registry_files_tenant_next_renewal", "tenant_id", "next_renewal_due"),
    )

    household_id: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(16), default="applicant")
    suspended_until: Mapped[date | None]
    suspension_condition: Mapped[str | None] = mapped_column(sa.String(255))
    exclusion_reason: Mapped[str | None] = mapped_column(sa.String(63))
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_renewal_date: Mapped[date | None]
    next_renewal_due: Mapped[date | None]
    extra: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    household: Mapped[Household] = relationship(
        foreign_keys=[household_id],
        primaryjoin="and_(BeneficiaryFile.household_id == Household.id, "
        "BeneficiaryFile.tenant_id == Household.tenant_id)",
        viewonly=True,
        lazy="joined",
    )

    @property
    def renewal_overdue(self) -> bool:
        return self.next_renewal_due is not None and self.next_renewal_due < today()


class FileEvent(TenantMixin, db.Model):
    """One thing that happened to a file: who, when, why, from what to what."""

    __tablename__ = "registry_file_events"
    __tenant_table_args__ = (
        tenant_foreign_key("file_id", "registry_files", ondelete="CASCADE"),
        sa.Index("ix_registry_file_events_tenant_file", "tenant_id", "file_id"),
    )

    file_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(sa.String(32))  # created, status, renewed, updated
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str | None] = mapped_column(sa.String(16))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SharingAgreement(db.Model):
    """A data-sharing agreement between two tenants (a platform-level row, not scoped).

    The pair is stored ordered (``tenant_a_id < tenant_b_id``); the agreement is in force
    when both sides accepted and neither revoked.
    """

    __tablename__ = "registry_sharing_agreements"
    __distribution__ = "reference"  # platform: between two tenants, owned by neither
    __table_args__ = (
        sa.UniqueConstraint("tenant_a_id", "tenant_b_id"),
        sa.CheckConstraint("tenant_a_id < tenant_b_id", name="ordered_pair"),
        sa.Index("ix_registry_sharing_agreements_b", "tenant_b_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_a_id: Mapped[int] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    tenant_b_id: Mapped[int] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    accepted_by_a_at: Mapped[datetime | None]
    accepted_by_b_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def in_force(self) -> bool:
        return self.accepted_by_a_at is not None and self.accepted_by_b_at is not None


class ImportJob(TenantMixin, db.Model):
    """A household import: validated first, then written in one transaction. Its state,
    heartbeat and progress live in its ``core.jobs.Job`` (run inline for small files, by the
    job runner — Celery or in-process — for big ones)."""

    __tablename__ = "registry_import_jobs"
    __tenant_table_args__ = (tenant_foreign_key("job_id", "jobs", ondelete="CASCADE"),)

    job_id: Mapped[int | None] = mapped_column()
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    only_good_rows: Mapped[bool] = mapped_column(default=False)
    total_rows: Mapped[int] = mapped_column(default=0)
    households_created: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(sa.JSON, default=list)
    storage_key: Mapped[str | None] = mapped_column(sa.String(255))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    job: Mapped[Job | None] = relationship(
        foreign_keys=[job_id],
        primaryjoin="and_(ImportJob.job_id == Job.id, ImportJob.tenant_id == Job.tenant_id)",
        viewonly=True,
        lazy="joined",
    )

    # The job's states as the import pages and the API have always named them.
    STATUS = {"queued": "pending", "running": "running", "succeeded": "done", "failed": "failed",
              "interrupted": "interrupted"}  # fmt: skip

    @property
    def status(self) -> str:
        return self.STATUS[self.job.state] if self.job is not None else "pending"

    @property
    def reason(self) -> str | None:
        return self.job.reason if self.job is not None else None

    @property
    def heartbeat_at(self) -> datetime | None:
        return self.job.heartbeat_at if self.job is not None else None

    @property
    def finished_at(self) -> datetime | None:
        return self.job.finished_at if self.job is not None else None

    # The job counts every row twice: once checked, once written (total = 2 × rows).
    @property
    def validated_rows(self) -> int:
        return min(self.job.progress, self.total_rows) if self.job is not None else 0

    @property
    def processed_rows(self) -> int:
        return (
            max(0, min(self.job.progress - self.total_rows, self.total_rows)) if self.job is not None else 0
        )

    @property
    def progress(self) -> int:
        """Validation is the first half, writing the second (the job counts both, in rows)."""
        if self.job is None:
            return 0
        return self.job.percent
