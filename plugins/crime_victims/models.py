"""The plugin's tables: the tenant's crime categories, the victim cases and the timeline of their
intake steps. Tenant-owned (``TenantMixin``): keyed by ``(tenant_id, id)``, every query scoped to
the tenant in context; names start with the plugin id."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.toolkit import TenantMixin, db, tenant_foreign_key, utcnow

CODE_MAX = 40
NAME_MAX = 120
TEXT_MAX = 2000


class Category(TenantMixin, db.Model):
    """A crime category of the tenant's list (the spec's defaults, extended by the tenant admin)."""

    __tablename__ = "crime_victims_categories"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    name_ar: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    name_en: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VictimCase(TenantMixin, db.Model):
    """A victim's case: core's aid request (its workflow, number, declaration, decision) with
    what a victim-services case adds. ``person_id`` is the registry person the case is about —
    the victim, or a family member of a victim (``relation`` set) — matched at intake step 2."""

    __tablename__ = "crime_victims_cases"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "request_id"),
        tenant_foreign_key("request_id", "requests_requests", ondelete="CASCADE"),
        tenant_foreign_key("person_id", "registry_persons"),
        sa.Index("ix_crime_victims_cases_tenant_step", "tenant_id", "step"),
    )

    request_id: Mapped[int] = mapped_column()
    person_id: Mapped[int | None] = mapped_column()
    # None: the person is the victim; else their relation to the victim (``rules.RELATIONS``).
    relation: Mapped[str | None] = mapped_column(sa.String(CODE_MAX))
    category_code: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    incident_date: Mapped[date | None]
    city: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    # The official report (police or public prosecution), or the recorded reason it is absent.
    report_authority: Mapped[str | None] = mapped_column(sa.String(CODE_MAX))
    report_reference: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    no_report_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Section 4 of seed 003: how the case reached the association.
    channel: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    branch_office: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    representative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Proactive outreach: the outside body that referred the victim (police, hospital, …).
    referrer_kind: Mapped[str | None] = mapped_column(sa.String(CODE_MAX))
    referrer_name: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    # The last intake step completed (1 … 7, ``rules.STEPS``).
    step: Mapped[int] = mapped_column(default=0)
    researcher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Sealed: what happened and the incident's details, encrypted at rest with the national IDs'
    # keys (``encrypt_at_rest``); read only through ``services.narrative`` (every read audited).
    narrative_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    incident_details_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseStep(TenantMixin, db.Model):
    """One recorded event of a case's intake: which step, what was done (``kind``), by whom, when.
    The timeline of a case is its steps in order."""

    __tablename__ = "crime_victims_steps"
    __tenant_table_args__ = (
        tenant_foreign_key("case_id", "crime_victims_cases", ondelete="CASCADE"),
        sa.Index("ix_crime_victims_steps_tenant_case", "tenant_id", "case_id", "id"),
    )

    case_id: Mapped[int] = mapped_column()
    step: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    # Codes, dates and user ids only (the note of a referral answer is the officer's own words).
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class NarrativeRead(TenantMixin, db.Model):
    """One read of a case's sealed narrative: who, when, through which path; a break-glass read
    (the executive director, not assigned) with its reason."""

    __tablename__ = "crime_victims_narrative_reads"
    __tenant_table_args__ = (
        tenant_foreign_key("case_id", "crime_victims_cases", ondelete="CASCADE"),
        sa.Index("ix_crime_victims_narrative_reads_tenant_case", "tenant_id", "case_id"),
    )

    case_id: Mapped[int] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    basis: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    via: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Session(TenantMixin, db.Model):
    """A session with the victim: at the office, at home or remote ("from their location")."""

    __tablename__ = "crime_victims_sessions"
    __tenant_table_args__ = (
        tenant_foreign_key("case_id", "crime_victims_cases", ondelete="CASCADE"),
        sa.Index("ix_crime_victims_sessions_tenant_case", "tenant_id", "case_id", "scheduled_at"),
    )

    case_id: Mapped[int] = mapped_column()
    mode: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    scheduled_at: Mapped[datetime] = mapped_column()
    place: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
