"""Operational plans (الخطة التشغيلية): the plan and its versions, goals, indicators, activities,
and the progress entered by hand for what the platform cannot measure (spec/planning.md)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow

CALENDARS = ("gregorian", "hijri")
# draft → approved (by the board); an approved plan revised by a new version becomes superseded.
STATUSES = ("draft", "approved", "superseded")
GOAL_KINDS = ("strategic", "developmental")
COMPARISONS = ("at_least", "at_most", "between", "equals")
TARGET_UNITS = ("percent", "count", "sar")
QUANTITY = sa.Numeric(14, 2)


class Plan(TenantMixin, db.Model):
    """One version of a tenant's plan for a fiscal year. Only a draft is edited."""

    __tablename__ = "planning_plans"
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "fiscal_year", "calendar", "version"),
        tenant_foreign_key("previous_id", "planning_plans"),
    )

    fiscal_year: Mapped[int]
    calendar: Mapped[str] = mapped_column(sa.String(12), default="gregorian")
    title: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None]  # the version this one revises
    board_meeting_number: Mapped[str | None] = mapped_column(sa.String(40))
    board_meeting_date: Mapped[date | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goals: Mapped[list[Goal]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Goal.position"
    )

    @property
    def editable(self) -> bool:
        return self.status == "draft"


def _child_of_plan(*args) -> tuple:
    return (tenant_foreign_key("plan_id", "planning_plans", ondelete="CASCADE"), *args)


class Goal(TenantMixin, db.Model):
    __tablename__ = "planning_goals"
    __tenant_table_args__ = _child_of_plan(sa.Index("ix_planning_goals_tenant_plan", "tenant_id", "plan_id"))

    plan_id: Mapped[int]
    position: Mapped[int]
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text)

    plan: Mapped[Plan] = relationship(back_populates="goals")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="Indicator.position"
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="Activity.position"
    )


class Indicator(TenantMixin, db.Model):
    """A target (a number with unit and comparison, or free text), a baseline, and how it is
    measured: by hand per month, or by a KPI source (``core.kpi``) named by its key."""

    __tablename__ = "planning_indicators"
    __tenant_table_args__ = (
        *_child_of_plan(sa.Index("ix_planning_indicators_tenant_plan", "tenant_id", "plan_id")),
        tenant_foreign_key("goal_id", "planning_goals", ondelete="CASCADE"),
    )

    plan_id: Mapped[int]
    goal_id: Mapped[int]
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.Text)
    target_text: Mapped[str] = mapped_column(sa.Text, default="")
    target_kind: Mapped[str] = mapped_column(sa.String(8), default="text")  # number / text
    comparison: Mapped[str | None] = mapped_column(sa.String(12))
    target_low: Mapped[Decimal | None] = mapped_column(QUANTITY)
    target_high: Mapped[Decimal | None] = mapped_column(QUANTITY)
    target_unit: Mapped[str | None] = mapped_column(sa.String(8))
    baseline: Mapped[str] = mapped_column(sa.Text, default="")
    kpi_source: Mapped[str | None] = mapped_column(sa.String(120))

    goal: Mapped[Goal] = relationship(back_populates="indicators")


class Activity(TenantMixin, db.Model):
    """An activity or task: planned quantity (or continuous), its schedule (a count per month,
    per quarter, or a duration in days), deliverable, department and cost; optionally an aid
    program of the catalog, whose disbursements are then its actuals."""

    __tablename__ = "planning_activities"
    __tenant_table_args__ = (
        *_child_of_plan(sa.Index("ix_planning_activities_tenant_plan", "tenant_id", "plan_id")),
        tenant_foreign_key("goal_id", "planning_goals", ondelete="CASCADE"),
        tenant_foreign_key("indicator_id", "planning_indicators"),
        tenant_foreign_key("catalog_item_id", "aid_catalog_items"),
    )

    plan_id: Mapped[int]
    goal_id: Mapped[int]
    indicator_id: Mapped[int | None]
    position: Mapped[int]
    line: Mapped[int | None]  # the row of the imported file
    program_group: Mapped[str] = mapped_column(sa.String(255), default="")
    name: Mapped[str] = mapped_column(sa.Text)
    catalog_item_id: Mapped[int | None]
    planned_quantity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    continuous: Mapped[bool] = mapped_column(default=False)
    unit: Mapped[str] = mapped_column(sa.String(63), default="")
    # Planned counts as decimal strings: 12 months, or 4 quarters (empty lists when unused).
    months: Mapped[list] = mapped_column(sa.JSON, default=list)
    quarters: Mapped[list] = mapped_column(sa.JSON, default=list)
    duration_days: Mapped[int | None]
    deliverable: Mapped[str] = mapped_column(sa.Text, default="")
    department: Mapped[str] = mapped_column(sa.String(255), default="")
    cost_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)

    goal: Mapped[Goal] = relationship(back_populates="activities")


class ActivityProgress(TenantMixin, db.Model):
    """Actual count and spend of an activity in one month of the plan, entered by hand."""

    __tablename__ = "planning_activity_progress"
    __tenant_table_args__ = (
        tenant_foreign_key("activity_id", "planning_activities", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "activity_id", "month"),
    )

    activity_id: Mapped[int]
    month: Mapped[int]  # 1..12 of the fiscal year
    count: Mapped[Decimal | None] = mapped_column(QUANTITY)
    spend_halalas: Mapped[int | None] = mapped_column(sa.BigInteger)
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)


class IndicatorProgress(TenantMixin, db.Model):
    """Actual value of a hand-measured indicator in one month of the plan."""

    __tablename__ = "planning_indicator_progress"
    __tenant_table_args__ = (
        tenant_foreign_key("indicator_id", "planning_indicators", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "indicator_id", "month"),
    )

    indicator_id: Mapped[int]
    month: Mapped[int]
    value: Mapped[Decimal] = mapped_column(QUANTITY)
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
