"""The plan's files: XLSX (workbook of activities, indicators, budget) — one function for the
page, the API and the CLI."""

from __future__ import annotations

from ..audit.services import record
from . import services
from .models import Plan
from .services.export import plan_xlsx

FORMATS = ("xlsx",)


def export_bytes(plan: Plan, fmt: str) -> bytes:
    figures = services.plan_figures(plan, services.today())
    data = plan_xlsx(figures)
    record("plan.export", "plan", plan.id, {"format": fmt})
    return data
