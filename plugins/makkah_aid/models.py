"""The plugin's tables (all prefixed ``makkah_aid_``, all tenant-scoped)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import TenantMixin, db, tenant_foreign_key, utcnow


class RuleVersion(TenantMixin, db.Model):
    """A snapshot of the tenant's settings and the moment it took effect.

    Written on first use and whenever the settings change; assessments, violations,
    rounds and proposals keep the id of the version they applied.
    """

    __tablename__ = "makkah_aid_rule_versions"
    __tenant_table_args__ = (
        sa.Index("ix_makkah_aid_rule_versions_tenant_from", "tenant_id", "effective_from"),
    )

    settings: Mapped[dict] = mapped_column(sa.JSON)
    digest: Mapped[str] = mapped_column(sa.String(64))
    effective_from: Mapped[datetime] = mapped_column(default=utcnow)


def _version_fk() -> sa.ForeignKeyConstraint:
    return tenant_foreign_key("rule_version_id", "makkah_aid_rule_versions")


class Assessment(TenantMixin, db.Model):
    """The need-gap assessment of one request, with every figure it used."""

    __tablename__ = "makkah_aid_assessments"
    __tenant_table_args__ = (
        tenant_foreign_key("request_id", "requests_requests", ondelete="CASCADE"),
        tenant_foreign_key("file_id", "registry_files"),
        _version_fk(),
        sa.Index("ix_makkah_aid_assessments_tenant_request", "tenant_id", "request_id"),
    )

    request_id: Mapped[int]
    file_id: Mapped[int | None]
    rule_version_id: Mapped[int]
    needs_total: Mapped[int] = mapped_column(sa.BigInteger)
    income_total: Mapped[int] = mapped_column(sa.BigInteger)
    gap: Mapped[int] = mapped_column(sa.BigInteger)
    eligible: Mapped[bool]
    band: Mapped[str | None] = mapped_column(sa.String(8))
    ceiling_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)
    figures: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    assessed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rule_version: Mapped[RuleVersion] = relationship(
        foreign_keys="[Assessment.rule_version_id]",
        primaryjoin="and_(Assessment.rule_version_id == RuleVersion.id, Assessment.tenant_id == RuleVersion.tenant_id)",
        viewonly=True,
        lazy="joined",
    )


class Violation(TenantMixin, db.Model):
    """One violation of a household file and the ladder's sanction for its occurrence."""

    __tablename__ = "makkah_aid_violations"
    __tenant_table_args__ = (
        tenant_foreign_key("file_id", "registry_files", ondelete="CASCADE"),
        tenant_foreign_key("pledge_document_id", "documents"),
        _version_fk(),
        sa.Index("ix_makkah_aid_violations_tenant_file", "tenant_id", "file_id", "code"),
        sa.Index("ix_makkah_aid_violations_tenant_ends", "tenant_id", "ends_on"),
    )

    file_id: Mapped[int]
    code: Mapped[str] = mapped_column(sa.String(63))
    occurrence: Mapped[int]
    occurred_on: Mapped[date]
    sanction: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    sanction_kind: Mapped[str] = mapped_column(sa.String(16))
    ends_on: Mapped[date | None]
    pledge_document_id: Mapped[int | None]
    referral: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    rule_version_id: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Who documented the violation when its sanction asks for it (violation 3, second time):
    # [{"role": "researcher", "user_id": 7, "name": "…"}, {"role": "executive_director", …}].
    documenters: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    lift_note: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class RenewalRound(TenantMixin, db.Model):
    """A data-renewal round announced by the association (every 6 months by default)."""

    __tablename__ = "makkah_aid_renewal_rounds"
    __tenant_table_args__ = (
        _version_fk(),
        sa.Index("ix_makkah_aid_renewal_rounds_tenant_announced", "tenant_id", "announced_on"),
    )

    title: Mapped[str] = mapped_column(sa.String(255))
    announced_on: Mapped[date]
    due_on: Mapped[date]
    late_renewal_days: Mapped[int]
    rule_version_id: Mapped[int]
    announced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Renewal(TenantMixin, db.Model):
    """One file's renewal in one round."""

    __tablename__ = "makkah_aid_renewals"
    __tenant_table_args__ = (
        tenant_foreign_key("round_id", "makkah_aid_renewal_rounds", ondelete="CASCADE"),
        tenant_foreign_key("file_id", "registry_files", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "round_id", "file_id"),
        sa.Index("ix_makkah_aid_renewals_tenant_file", "tenant_id", "file_id"),
    )

    round_id: Mapped[int]
    file_id: Mapped[int]
    renewed_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class ExclusionProposal(TenantMixin, db.Model):
    """An exclusion proposed (by an automatic rule or staff) with its evidence, until a
    human with the right role confirms or dismisses it."""

    __tablename__ = "makkah_aid_exclusion_proposals"
    __tenant_table_args__ = (
        tenant_foreign_key("file_id", "registry_files", ondelete="CASCADE"),
        tenant_foreign_key("member_id", "registry_members", ondelete="CASCADE"),
        _version_fk(),
        sa.Index("ix_makkah_aid_exclusion_proposals_tenant_status", "tenant_id", "status"),
        sa.Index("ix_makkah_aid_exclusion_proposals_tenant_file", "tenant_id", "file_id"),
    )

    file_id: Mapped[int]
    member_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(sa.String(63))
    scope: Mapped[str] = mapped_column(sa.String(8), default="file")  # file / member
    evidence: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    source: Mapped[str] = mapped_column(sa.String(16), default="automatic")  # automatic / staff
    status: Mapped[str] = mapped_column(sa.String(16), default="proposed")  # proposed confirmed dismissed
    note: Mapped[str] = mapped_column(sa.Text, default="")
    rule_version_id: Mapped[int]
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(sa.Text)


class Circumstance(TenantMixin, db.Model):
    """A circumstance of a household file (الظروف: work-impeding condition, costly health
    condition, dismissal, special disaster …), recorded only with its supporting document."""

    __tablename__ = "makkah_aid_circumstances"
    __tenant_table_args__ = (
        tenant_foreign_key("file_id", "registry_files", ondelete="CASCADE"),
        tenant_foreign_key("document_id", "documents"),
        sa.Index("ix_makkah_aid_circumstances_tenant_file", "tenant_id", "file_id"),
    )

    file_id: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(63))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    occurred_on: Mapped[date | None]
    document_id: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_on: Mapped[date | None]

    @property
    def in_force(self) -> bool:
        return self.ended_on is None


class Provider(TenantMixin, db.Model):
    """A body the association pays to deliver a service (dialysis centre, hearing and speech
    clinic, landlord of widows' housing …), with its contract; bank details are for finance."""

    __tablename__ = "makkah_aid_providers"
    __tenant_table_args__ = (
        tenant_foreign_key("catalog_item_id", "aid_catalog_items"),
        sa.UniqueConstraint("tenant_id", "name"),
    )

    name: Mapped[str] = mapped_column(sa.String(255))
    catalog_item_id: Mapped[int]
    phone: Mapped[str] = mapped_column(sa.String(32), default="")
    contract_reference: Mapped[str] = mapped_column(sa.String(120), default="")
    contract_ends_on: Mapped[date | None]
    # The contract file (core.documents' checked storage; not a household's document).
    contract_file: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    bank_name: Mapped[str] = mapped_column(sa.String(120), default="")
    iban: Mapped[str] = mapped_column(sa.String(34), default="")
    account_holder: Mapped[str] = mapped_column(sa.String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProviderDelivery(TenantMixin, db.Model):
    """A disbursement delivered by a provider: which provider, and its proof of receipt
    (the provider's invoice or the beneficiary's acknowledgement)."""

    __tablename__ = "makkah_aid_provider_deliveries"
    __tenant_table_args__ = (
        tenant_foreign_key("disbursement_id", "aid_disbursements", ondelete="CASCADE"),
        tenant_foreign_key("provider_id", "makkah_aid_providers"),
        tenant_foreign_key("request_id", "requests_requests", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "disbursement_id"),
        sa.Index("ix_makkah_aid_provider_deliveries_tenant_provider", "tenant_id", "provider_id"),
    )

    disbursement_id: Mapped[int]
    provider_id: Mapped[int]
    request_id: Mapped[int]
    proof: Mapped[str] = mapped_column(sa.String(20))  # invoice / acknowledgement
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
