"""The plan's files: XLSX (workbook of activities, indicators, budget) and PDF (the print page
through WeasyPrint, Arabic shaped and tables right to left) — one function for the page, the
API and the CLI. Rendering the PDF needs a request context (templates, ``url_for``)."""

from __future__ import annotations

from flask import render_template

from ..audit.services import record
from ..pdf import render_pdf
from . import services
from .chart import plan_charts
from .models import Plan
from .services.export import plan_xlsx

FORMATS = ("xlsx", "pdf")
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def filename(plan: Plan, fmt: str) -> str:
    return f"plan-{plan.fiscal_year}-v{plan.version}.{fmt}"


def pdf_html(plan: Plan, figures, charts: dict) -> str:
    return render_template(
        "planning/pdf.html", plan=plan, figures=figures, charts=charts, totals=services.totals(figures)
    )


def export_bytes(plan: Plan, fmt: str) -> bytes:
    """The file, and its audit entry (the caller commits)."""
    figures = services.plan_figures(plan, services.today())
    data = plan_xlsx(figures) if fmt == "xlsx" else render_pdf(pdf_html(plan, figures, plan_charts(figures)))
    record("plan.export", "plan", plan.id, {"format": fmt})
    return data
