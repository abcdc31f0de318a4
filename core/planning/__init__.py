"""Operational plans (الخطة التشغيلية, issue 14, spec/planning.md): a yearly plan approved by the
board, its goals, indicators and activities, kept live against the tenant's own data.

Public surface: the models, :mod:`.services` (plan vs actual with statuses and their rules,
forecast, budget, explain, approval and versions, progress), :mod:`.importer` (the plan file of
notes/plan_format.md, also used by the demo loader and the CLI), :mod:`.values` (the parser of
what associations type), core's KPI sources (:mod:`.kpis`).
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from ..api import register_tenant_api
from ..i18n import isolated_number
from . import api, cli, hooks, views
from .import_columns import label_of
from .models import Activity, ActivityProgress, Goal, Indicator, IndicatorProgress, Plan

__all__ = ["Activity", "ActivityProgress", "Goal", "Indicator", "IndicatorProgress", "Plan", "init_app"]


def plan_number(value) -> Markup:
    """A planned or actual quantity for a page: ``12.00`` → ``12``, ``2.50`` → ``2.5``, isolated."""
    if value is None or value == "":
        return Markup("")
    number = Decimal(str(value)).normalize()
    return isolated_number(f"{number:f}")


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    register_tenant_api(api.bp, "planning")
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/planning")
    app.jinja_env.filters["plan_number"] = plan_number
    app.jinja_env.filters["plan_field"] = label_of
    cli.register(app)
