"""Tenant API of the operational plans: ``/t/<tenant>/api/v1/planning/…``."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from ..api import ApiBlueprint
from ..downloads import download_response
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..kpi import kpi_sources
from ..lookup import get_or_404
from ..tenancy import current_tenant
from . import exports, importer, services
from .models import Activity, Indicator, Plan
from .schemas import (
    PlanActivityProgressSchema,
    PlanApproveSchema,
    PlanBindSchema,
    PlanExplainQuerySchema,
    PlanExplainSchema,
    PlanFiguresSchema,
    PlanFileSchema,
    PlanImportFormSchema,
    PlanIndicatorProgressSchema,
    PlanMeasureSchema,
    PlanPreviewSchema,
    PlanSchema,
)

bp = ApiBlueprint("planning_api", __name__, description="Operational plans and their live KPIs")


def figures_out(plan: Plan) -> dict:
    """The plan with every goal, indicator and activity, their actuals, statuses and forecast."""
    figures = services.plan_figures(plan, services.today())
    goals = []
    for goal in figures.goals:
        goals.append({
            "id": goal.goal.id, "number": goal.goal.number, "kind": goal.goal.kind, "text": goal.goal.text,
            "cost_halalas": goal.cost_halalas, "status": goal.status.__dict__,
            "indicators": [{
                **{k: getattr(f.indicator, k) for k in ("id", "name", "target_text", "target_kind", "comparison",
                                                        "target_low", "target_high", "target_unit", "baseline",
                                                        "kpi_source")},
                "source": f.source, "monthly": f.monthly, "actual": f.actual, "status": f.status.__dict__,
                "projected": f.projected, "on_course_to_miss": f.will_miss,
            } for f in goal.indicators],
            "activities": [{
                **{k: getattr(f.activity, k) for k in ("id", "name", "indicator_id", "program_group",
                                                       "catalog_item_id", "continuous", "unit", "quarters",
                                                       "duration_days", "deliverable", "department",
                                                       "cost_halalas")},
                "planned_total": f.planned_total, "planned": f.planned, "source": f.source, "actual": f.actual,
                "spend_halalas": f.spend, "actual_total": f.actual_total, "status": f.status.__dict__,
            } for f in goal.activities],
        })  # fmt: skip
    return {
        **PlanSchema().dump(plan),
        "today": figures.today,
        "goals": goals,
        "budget_by_department": services.by_department(figures),
        "budget_by_month": services.by_month(figures),
    }


def explain_out(result: dict) -> dict:
    records = [
        {**r, "url": url_for(r["endpoint"], **r["values"]) if r.get("endpoint") else None}
        for r in result["records"]
    ]
    return {**result, "records": records}


@bp.route("/plans")
@bp.response(200, PlanSchema(many=True))
@bp.requires("planning.view")
def list_plans():
    return services.plans()


@bp.route("/plans", methods=["POST"])
@bp.arguments(PlanImportFormSchema, location="form")
@bp.arguments(PlanFileSchema, location="files")
@bp.response(201, PlanSchema)
@bp.requires("planning.edit")
def import_plan(form, files):
    """Import a new plan from a CSV or XLSX file (multipart ``file`` with ``fiscal_year``,
    ``calendar``, ``title``). Every bad row is reported (422) and nothing is written."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError({"file": [_l("Choose the plan file (CSV or Excel).")]})
    plan = importer.create_plan(upload.read(), upload.filename, actor=current_user, **form)
    db.session.commit()
    return plan


@bp.route("/plans/<int:plan_id>")
@bp.response(200, PlanFiguresSchema)
@bp.requires("planning.view")
def plan_detail(plan_id):
    """Plan against actual: statuses with their rules, forecast, budget by department and month."""
    return figures_out(get_or_404(Plan, plan_id))


@bp.route("/plans/<int:plan_id>/preview", methods=["POST"])
@bp.arguments(PlanFileSchema, location="files")
@bp.response(200, PlanPreviewSchema)
@bp.requires("planning.edit")
def preview_import(files, plan_id):
    """What re-importing the file (multipart ``file``) into the draft would add, change and remove."""
    plan = get_or_404(Plan, plan_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError({"file": [_l("Choose the plan file (CSV or Excel).")]})
    return importer.preview(plan, upload.read(), upload.filename, current_user)


@bp.route("/plans/<int:plan_id>/import", methods=["POST"])
@bp.arguments(PlanFileSchema, location="files")
@bp.response(200, PlanSchema)
@bp.requires("planning.edit")
def reimport(files, plan_id):
    """Replace the draft's rows by the file's (multipart ``file``)."""
    plan = get_or_404(Plan, plan_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError({"file": [_l("Choose the plan file (CSV or Excel).")]})
    importer.apply(plan, upload.read(), upload.filename, current_user)
    db.session.commit()
    return plan


@bp.route("/plans/<int:plan_id>/approve", methods=["POST"])
@bp.arguments(PlanApproveSchema)
@bp.response(200, PlanSchema)
@bp.requires("planning.approve")
def approve_plan(data, plan_id):
    """Record the board's approval (meeting number and date); audited."""
    plan = services.approve(get_or_404(Plan, plan_id), current_user, data["board_meeting_number"],
                            data["board_meeting_date"])  # fmt: skip
    db.session.commit()
    return plan


@bp.route("/plans/<int:plan_id>/revise", methods=["POST"])
@bp.response(201, PlanSchema)
@bp.requires("planning.edit")
def revise_plan(plan_id):
    """A new draft version of an approved plan (the approved one stays read-only)."""
    plan = services.revise(get_or_404(Plan, plan_id), current_user)
    db.session.commit()
    return plan


@bp.route("/plans/<int:plan_id>/activities/<int:activity_id>/progress", methods=["POST"])
@bp.arguments(PlanActivityProgressSchema)
@bp.response(204)
@bp.requires("planning.edit")
def activity_progress(data, plan_id, activity_id):
    activity = get_or_404(Activity, activity_id, plan_id=plan_id)
    spend = None if data["spend_sar"] is None else int(data["spend_sar"] * 100)
    services.record_activity_progress(activity, data["month"], data["count"], spend, current_user)
    db.session.commit()


@bp.route("/plans/<int:plan_id>/indicators/<int:indicator_id>/progress", methods=["POST"])
@bp.arguments(PlanIndicatorProgressSchema)
@bp.response(204)
@bp.requires("planning.edit")
def indicator_progress(data, plan_id, indicator_id):
    indicator = get_or_404(Indicator, indicator_id, plan_id=plan_id)
    services.record_indicator_progress(indicator, data["month"], data["value"], current_user)
    db.session.commit()


@bp.route("/plans/<int:plan_id>/indicators/<int:indicator_id>/measure", methods=["POST"])
@bp.arguments(PlanBindSchema)
@bp.response(204)
@bp.requires("planning.edit")
def bind_measure(data, plan_id, indicator_id):
    """Bind the indicator to a KPI source by key (``null``: measured by hand)."""
    indicator = get_or_404(Indicator, indicator_id, plan_id=plan_id)
    keys = {s.key for s in kpi_sources(current_tenant())}
    if data["kpi_source"] and data["kpi_source"] not in keys:
        raise ValidationError({"kpi_source": [_l("No measure with this key for this association.")]})
    services.bind_indicator(indicator, data["kpi_source"], current_user)
    db.session.commit()


@bp.route("/plans/<int:plan_id>/activities/<int:activity_id>/explain")
@bp.arguments(PlanExplainQuerySchema, location="query")
@bp.response(200, PlanExplainSchema)
@bp.requires("planning.view")
def explain_activity(query, plan_id, activity_id):
    """The records behind an activity's actual (its program's disbursements) that the viewer may read."""
    plan = get_or_404(Plan, plan_id)
    activity = get_or_404(Activity, activity_id, plan_id=plan_id)
    return explain_out(
        services.explain_activity(plan, activity, query["month"], current_user, services.today())
    )


@bp.route("/plans/<int:plan_id>/indicators/<int:indicator_id>/explain")
@bp.arguments(PlanExplainQuerySchema, location="query")
@bp.response(200, PlanExplainSchema)
@bp.requires("planning.view")
def explain_indicator(query, plan_id, indicator_id):
    """The records behind a computed indicator that the viewer may read."""
    plan = get_or_404(Plan, plan_id)
    indicator = get_or_404(Indicator, indicator_id, plan_id=plan_id)
    return explain_out(
        services.explain_indicator(plan, indicator, query["month"], current_user, services.today())
    )


@bp.route("/plans/<int:plan_id>/export.xlsx")
@bp.response(200, description="XLSX workbook: activities with their month grid, indicators, budget")
@bp.requires("planning.view")
def export_xlsx(plan_id):
    """The plan and its progress as XLSX (audited)."""
    return _export(plan_id, "xlsx")


@bp.route("/plans/<int:plan_id>/export.pdf")
@bp.response(200, description="PDF document, Arabic shaped and tables right to left")
@bp.requires("planning.view")
def export_pdf(plan_id):
    """The plan and its progress as PDF (audited; 503 where this server cannot make PDFs)."""
    return _export(plan_id, "pdf")


def _export(plan_id: int, fmt: str):
    plan = get_or_404(Plan, plan_id)
    data = exports.export_bytes(plan, fmt)
    db.session.commit()
    return download_response(data, exports.filename(plan, fmt), exports.MIMETYPES[fmt])


@bp.route("/measures")
@bp.response(200, PlanMeasureSchema(many=True))
@bp.requires("planning.view")
def measures():
    """The KPI sources an indicator can be bound to (core's and the enabled plugins')."""
    return [{"key": s.key, "label": str(s.label), "unit": s.unit} for s in kpi_sources(current_tenant())]
