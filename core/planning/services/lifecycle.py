"""A plan's life: approval by the board (meeting number and date, audited), revision of an
approved plan by a new draft version (the approved one stays read-only, and is superseded when
the new version is approved), and the progress entered by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError

from ...audit.services import record
from ...errors import Conflict
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...tenancy import utcnow
from ..access import require
from ..models import Activity, ActivityProgress, Goal, Indicator, IndicatorProgress, Plan


def _audit(action: str, plan: Plan, details: dict | None = None) -> None:
    record(
        action, "plan", plan.id, {"fiscal_year": plan.fiscal_year, "version": plan.version, **(details or {})}
    )


def approve(plan: Plan, actor: Any, meeting_number: str, meeting_date: date) -> Plan:
    require(actor, "planning.approve")
    if plan.status != "draft":
        raise Conflict(_l("Only a draft plan can be approved."))
    if not (meeting_number or "").strip():
        raise ValidationError({"board_meeting_number": [_l("Enter the number of the board meeting.")]})
    plan.status = "approved"
    plan.board_meeting_number = meeting_number.strip()
    plan.board_meeting_date = meeting_date
    plan.approved_at = utcnow()
    plan.approved_by_id = getattr(actor, "id", None)
    if plan.previous_id:
        previous = db.session.get(Plan, plan.previous_id)
        if previous is not None and previous.status == "approved":
            previous.status = "superseded"
    db.session.flush()
    _audit("plan.approve", plan, {"board_meeting_number": plan.board_meeting_number,
                                  "board_meeting_date": meeting_date.isoformat()})  # fmt: skip
    return plan


def _copy(row: Any, **changes: Any) -> Any:
    skip = {"id", "tenant_id"}
    values = {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key not in skip}
    return type(row)(**{**values, **changes})


def revise(plan: Plan, actor: Any) -> Plan:
    """A new draft version with the same goals, indicators and activities."""
    require(actor, "planning.edit")
    if plan.status != "approved":
        raise Conflict(_l("Only an approved plan is revised by a new version."))
    pending = db.session.scalar(db.select(Plan.id).where(Plan.previous_id == plan.id, Plan.status == "draft"))
    if pending:
        raise Conflict(_l("A draft revision of this plan already exists."))
    latest = db.session.scalar(
        db.select(db.func.max(Plan.version)).where(Plan.fiscal_year == plan.fiscal_year, Plan.calendar == plan.calendar)
    )  # fmt: skip
    new = Plan(fiscal_year=plan.fiscal_year, calendar=plan.calendar, title=plan.title, status="draft",
               version=(latest or 0) + 1, previous_id=plan.id, created_by_id=getattr(actor, "id", None))  # fmt: skip
    db.session.add(new)
    db.session.flush()
    goals = {g.id: g for g in db.session.scalars(db.select(Goal).where(Goal.plan_id == plan.id))}
    goal_ids, indicator_ids = {}, {}
    for old in goals.values():
        goal = _copy(old, plan_id=new.id)
        db.session.add(goal)
        db.session.flush()
        goal_ids[old.id] = goal.id
    for old in db.session.scalars(db.select(Indicator).where(Indicator.plan_id == plan.id)):
        indicator = _copy(old, plan_id=new.id, goal_id=goal_ids[old.goal_id])
        db.session.add(indicator)
        db.session.flush()
        indicator_ids[old.id] = indicator.id
    for old in db.session.scalars(db.select(Activity).where(Activity.plan_id == plan.id)):
        db.session.add(_copy(old, plan_id=new.id, goal_id=goal_ids[old.goal_id],
                             indicator_id=indicator_ids.get(old.indicator_id)))  # fmt: skip
    db.session.flush()
    _audit("plan.revise", new, {"previous_id": plan.id})
    return new


def _month(month: int) -> int:
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": [_l("Choose a month from 1 to 12.")]})
    return int(month)


def record_activity_progress(activity: Activity, month: int, count: Decimal | None, spend_halalas: int | None,
                             actor: Any) -> ActivityProgress:  # fmt: skip
    """Hand-entered progress, only for what the platform cannot measure (no aid program)."""
    require(actor, "planning.edit")
    if activity.catalog_item_id:
        raise Conflict(_l("This activity's actuals come from its aid program's disbursements."))
    month = _month(month)
    row = db.session.scalar(
        db.select(ActivityProgress).where(ActivityProgress.activity_id == activity.id, ActivityProgress.month == month)
    ) or ActivityProgress(activity_id=activity.id, month=month)  # fmt: skip
    row.count, row.spend_halalas, row.entered_by_id, row.entered_at = (
        count,
        spend_halalas,
        getattr(actor, "id", None),
        utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    record("plan.progress", "plan_activity", activity.id, {"month": month})
    return row


def record_indicator_progress(
    indicator: Indicator, month: int, value: Decimal, actor: Any
) -> IndicatorProgress:
    require(actor, "planning.edit")
    if indicator.kpi_source:
        raise Conflict(_l("This indicator is computed from its measure; it is not entered by hand."))
    month = _month(month)
    row = db.session.scalar(
        db.select(IndicatorProgress).where(IndicatorProgress.indicator_id == indicator.id, IndicatorProgress.month == month)
    ) or IndicatorProgress(indicator_id=indicator.id, month=month)  # fmt: skip
    row.value, row.entered_by_id, row.entered_at = value, getattr(actor, "id", None), utcnow()
    db.session.add(row)
    db.session.flush()
    record("plan.progress", "plan_indicator", indicator.id, {"month": month})
    return row


def bind_indicator(indicator: Indicator, kpi_key: str | None, actor: Any) -> Indicator:
    """Bind an indicator of a draft plan to a KPI source (or unbind it: measured by hand)."""
    require(actor, "planning.edit")
    plan = db.session.get(Plan, indicator.plan_id)
    if not plan.editable:
        raise Conflict(_l("An approved plan is read-only: revise it with a new version."))
    indicator.kpi_source = kpi_key or None
    db.session.flush()
    record("plan.bind", "plan_indicator", indicator.id, {"kpi_source": indicator.kpi_source})
    return indicator
