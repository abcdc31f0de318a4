"""Planning's rules as plain functions: figures (plan vs actual, statuses, forecast), budget,
explain, lifecycle (approval, versions, progress). Views, API and CLI stay thin."""

from __future__ import annotations

from ...calendar import today
from ...extensions import db
from ..models import Plan
from .budget import by_department, by_month, planned_cost_by_month, totals
from .explain import explain_activity, explain_indicator
from .figures import (
    PlanFigures,
    Status,
    forecast,
    indicator_status,
    plan_figures,
    planned_months,
    planned_total,
)
from .lifecycle import (
    approve,
    bind_indicator,
    record_activity_progress,
    record_indicator_progress,
    revise,
)

__all__ = [
    "PlanFigures",
    "Status",
    "approve",
    "bind_indicator",
    "by_department",
    "by_month",
    "explain_activity",
    "explain_indicator",
    "forecast",
    "indicator_status",
    "plan_figures",
    "planned_cost_by_month",
    "planned_months",
    "planned_total",
    "plans",
    "record_activity_progress",
    "record_indicator_progress",
    "revise",
    "today",
    "totals",
]


def plans() -> list[Plan]:
    return list(
        db.session.scalars(
            db.select(Plan).order_by(Plan.fiscal_year.desc(), Plan.calendar, Plan.version.desc())
        )
    )
