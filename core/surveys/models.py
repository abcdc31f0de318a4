"""Satisfaction surveys: versioned questionnaires, invitations (a signed single-use link) and
responses.

A survey has versions; a version is a ``draft`` while its questions are edited, then
``published`` (frozen; invitations point at it) and ``retired`` when a newer version is
published. A response is stored without its invitation unless the tenant turns
``identified`` on (anonymity by default): the invitation only records *that* it was
answered, and the response carries the program and month the KPI breaks down by.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow

QUESTION_KINDS = ("rating", "yes_no", "choice", "text")
VERSION_STATES = ("draft", "published", "retired")
TRIGGERS = ("disbursement", "request_closed", "paper")
CHANNELS = ("link", "paper")
RATING_MIN, RATING_MAX = 1, 5

__all__ = [
    "CHANNELS",
    "QUESTION_KINDS",
    "RATING_MAX",
    "RATING_MIN",
    "TRIGGERS",
    "VERSION_STATES",
    "Survey",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyVersion",
]


class Survey(TenantMixin, db.Model):
    __tablename__ = "surveys_surveys"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(63))
    name_ar: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))
    # The survey whose published version the invitations use (at most one per tenant).
    for_invitations: Mapped[bool] = mapped_column(default=False)
    # The plugin (or core module) whose feature the survey serves, e.g. a plugin's questionnaire
    # (its id); None: one of the association's own surveys, built in the survey builder. An owned
    # survey is changed only by its owner: the builder shows it read-only and refuses to edit it.
    owner: Mapped[str | None] = mapped_column(sa.String(63))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyVersion(TenantMixin, db.Model):
    __tablename__ = "surveys_versions"
    __tenant_table_args__ = (
        tenant_foreign_key("survey_id", "surveys_surveys", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "survey_id", "number"),
    )

    survey_id: Mapped[int]
    number: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(16), default="draft")
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyQuestion(TenantMixin, db.Model):
    __tablename__ = "surveys_questions"
    __tenant_table_args__ = (
        tenant_foreign_key("version_id", "surveys_versions", ondelete="CASCADE"),
        sa.Index("ix_surveys_questions_tenant_version", "tenant_id", "version_id"),
    )

    version_id: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(sa.String(16))
    text_ar: Mapped[str] = mapped_column(sa.Text)
    text_en: Mapped[str] = mapped_column(sa.Text)
    # single choice: [{"code": "sms", "ar": "…", "en": "…"}, …]
    choices: Mapped[list] = mapped_column(sa.JSON, default=list)
    required: Mapped[bool] = mapped_column(default=True)
    # The 1–5 rating whose answers make the satisfaction KPI (one per published version).
    feeds_kpi: Mapped[bool] = mapped_column(default=False)


class SurveyInvitation(TenantMixin, db.Model):
    """One beneficiary asked once about one request (after a disbursement or its closing).

    ``sampled`` is False for an eligible request the month's random sample left out (kept so
    the population of the program and month is known); such a row has no token.
    """

    __tablename__ = "surveys_invitations"
    __tenant_table_args__ = (
        tenant_foreign_key("version_id", "surveys_versions"),
        tenant_foreign_key("request_id", "requests_requests", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "request_id"),
        sa.UniqueConstraint("tenant_id", "token_hash"),
        sa.Index("ix_surveys_invitations_tenant_period", "tenant_id", "period", "program_id"),
    )

    version_id: Mapped[int]
    request_id: Mapped[int | None]  # None only for demo data
    program_id: Mapped[int | None]  # the request's catalog item, if any
    period: Mapped[str] = mapped_column(sa.String(7))  # "YYYY-MM" of the invitation
    trigger: Mapped[str] = mapped_column(sa.String(20))
    sampled: Mapped[bool] = mapped_column(default=True)
    token_hash: Mapped[str | None] = mapped_column(sa.String(64))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class SurveyResponse(TenantMixin, db.Model):
    __tablename__ = "surveys_responses"
    __tenant_table_args__ = (
        tenant_foreign_key("version_id", "surveys_versions"),
        tenant_foreign_key("invitation_id", "surveys_invitations", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "invitation_id"),
        sa.Index("ix_surveys_responses_tenant_period", "tenant_id", "period", "program_id"),
    )

    version_id: Mapped[int]
    # Only when the tenant has turned ``identified`` on; otherwise None (anonymous).
    invitation_id: Mapped[int | None]
    program_id: Mapped[int | None]
    period: Mapped[str] = mapped_column(sa.String(7))
    channel: Mapped[str] = mapped_column(sa.String(16))
    # {"<question id>": 4 | true | "choice_code" | "free text"}
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    kpi_score: Mapped[int | None]  # the answer to the question that feeds the KPI
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
