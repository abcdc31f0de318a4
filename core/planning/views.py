"""Planning pages: the plans and the import form, a plan against actual (goals, indicators,
month grid, budget, charts), the records behind a figure, approval, revision, re-import with a
preview, progress entry, the template and the exports. Thin: the rules are in ``services``."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from ..auth.permissions import require
from ..downloads import XLSX_MIMETYPE, download_response, xlsx_bytes
from ..extensions import db
from ..forms import FormOutcome, ask_confirmation, confirmed, form_transaction
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_or_404
from ..tenancy import require_tenant
from . import exports, importer, services
from .api import explain_out
from .chart import plan_charts
from .import_columns import template_headers
from .models import Activity, Indicator, Plan
from .schemas import (
    PlanActivityProgressSchema,
    PlanApproveSchema,
    PlanImportFormSchema,
    PlanIndicatorProgressSchema,
)

bp = Blueprint("planning", __name__, template_folder="templates")
MONTHS = list(range(1, 13))


def _upload() -> tuple[bytes, str]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError({"file": [_l("Choose the plan file (CSV or Excel).")]})
    return upload.read(), upload.filename


@bp.route("/", methods=["GET", "POST"])
@require("planning.view")
def index():
    outcome = FormOutcome()
    if request.method == "POST":
        with form_transaction("planning.edit") as outcome:
            form = PlanImportFormSchema().load(
                {k: request.form.get(k, "") for k in ("fiscal_year", "calendar", "title")}
            )
            plan = importer.create_plan(*_upload(), actor=current_user, **form)
        if outcome.ok:
            flash(_("The plan was imported."), "success")
            return redirect(url_for(".detail", plan_id=plan.id))
    return render_template(
        "planning/index.html", plans=services.plans(), errors=outcome.errors, form=request.form
    ), outcome.status


def _page(plan: Plan, outcome: FormOutcome | None = None, template: str = "planning/detail.html", **extra):
    figures = services.plan_figures(plan, services.today())
    outcome = outcome or FormOutcome()
    versions = db.session.scalars(
        db.select(Plan).where(Plan.fiscal_year == plan.fiscal_year, Plan.calendar == plan.calendar).order_by(Plan.version)
    ).all()  # fmt: skip
    return render_template(
        template, plan=plan, figures=figures, charts=plan_charts(figures), totals=services.totals(figures),
        months=MONTHS, versions=versions, errors=outcome.errors, form=request.form, **extra,
    ), outcome.status  # fmt: skip


@bp.route("/<int:plan_id>")
@require("planning.view")
def detail(plan_id):
    return _page(get_or_404(Plan, plan_id))


@bp.route("/<int:plan_id>/print")
@require("planning.view")
def print_view(plan_id):
    """The plan and its progress as a print page (the PDF renders the same page)."""
    plan = get_or_404(Plan, plan_id)
    return _page(plan, template="planning/print.html", **print_context(plan))


def print_context(plan: Plan) -> dict:
    return {"tenant": require_tenant(), "today": services.today(),
            "back_url": url_for(".detail", plan_id=plan.id)}  # fmt: skip


@bp.route("/<int:plan_id>/approve", methods=["POST"])
@require("planning.approve")
def approve(plan_id):
    plan = get_or_404(Plan, plan_id)
    with form_transaction("planning.approve") as outcome:
        data = PlanApproveSchema().load(
            {k: request.form.get(k, "") for k in ("board_meeting_number", "board_meeting_date")}
        )
        services.approve(plan, current_user, data["board_meeting_number"], data["board_meeting_date"])
    if outcome.ok:
        flash(_("The board's approval was recorded."), "success")
        return redirect(url_for(".detail", plan_id=plan.id))
    return _page(plan, outcome)


@bp.route("/<int:plan_id>/revise", methods=["POST"])
@require("planning.edit")
def revise(plan_id):
    plan = get_or_404(Plan, plan_id)
    if not confirmed(request.form):
        return ask_confirmation(
            title=_("Revise the approved plan with a new version?"),
            affects=[_("A new draft version is made from this plan; this approved version stays read-only until the board approves the new one.")],
            action_url=url_for(".revise", plan_id=plan.id), fields=request.form, button=_("Make a new version"),
            cancel_url=url_for(".detail", plan_id=plan.id), danger=False,
        )  # fmt: skip
    with form_transaction("planning.edit") as outcome:
        new = services.revise(plan, current_user)
    if outcome.ok:
        flash(_("A new draft version was made."), "success")
        return redirect(url_for(".detail", plan_id=new.id))
    return _page(plan, outcome)


@bp.route("/<int:plan_id>/import", methods=["POST"])
@require("planning.edit")
def reimport(plan_id):
    """First post: the file is checked and the changes shown; the second (confirmed) applies them."""
    plan = get_or_404(Plan, plan_id)
    with form_transaction("planning.edit") as outcome:
        if confirmed(request.form):
            try:
                data = base64.b64decode(request.form.get("content", ""), validate=True)
            except (binascii.Error, ValueError):
                raise ValidationError({"file": [_l("Choose the plan file (CSV or Excel).")]}) from None
            importer.apply(plan, data, request.form.get("filename", "plan.csv"), current_user)
        else:
            data, filename = _upload()
            changes = importer.preview(plan, data, filename, current_user)
    if not outcome.ok:
        return _page(plan, outcome)
    if confirmed(request.form):
        flash(_("The draft was updated from the file."), "success")
        return redirect(url_for(".detail", plan_id=plan.id))
    return render_template(
        "planning/preview.html", plan=plan, changes=changes, filename=filename,
        content=base64.b64encode(data).decode("ascii"),
    )  # fmt: skip


@bp.route("/<int:plan_id>/activities/<int:activity_id>/progress", methods=["POST"])
@require("planning.edit")
def activity_progress(plan_id, activity_id):
    plan = get_or_404(Plan, plan_id)
    activity = get_or_404(Activity, activity_id, plan_id=plan.id)
    with form_transaction("planning.edit") as outcome:
        raw = {k: request.form.get(k) or None for k in ("month", "count", "spend_sar")}
        data = PlanActivityProgressSchema().load(raw)
        spend = None if data["spend_sar"] is None else int(data["spend_sar"] * 100)
        services.record_activity_progress(activity, data["month"], data["count"], spend, current_user)
    if outcome.ok:
        flash(_("The progress was saved."), "success")
        return redirect(url_for(".detail", plan_id=plan.id) + f"#activity-{activity.id}")
    return _page(plan, outcome)


@bp.route("/<int:plan_id>/indicators/<int:indicator_id>/progress", methods=["POST"])
@require("planning.edit")
def indicator_progress(plan_id, indicator_id):
    plan = get_or_404(Plan, plan_id)
    indicator = get_or_404(Indicator, indicator_id, plan_id=plan.id)
    with form_transaction("planning.edit") as outcome:
        data = PlanIndicatorProgressSchema().load(
            {k: request.form.get(k) or None for k in ("month", "value")}
        )
        services.record_indicator_progress(indicator, data["month"], data["value"], current_user)
    if outcome.ok:
        flash(_("The progress was saved."), "success")
        return redirect(url_for(".detail", plan_id=plan.id) + f"#indicator-{indicator.id}")
    return _page(plan, outcome)


@bp.route("/<int:plan_id>/<any(activities, indicators):kind>/<int:item_id>/explain")
@require("planning.view")
def explain(plan_id, kind, item_id):
    plan = get_or_404(Plan, plan_id)
    month = request.args.get("month", type=int)
    month = month if month in MONTHS else None
    if kind == "activities":
        item = get_or_404(Activity, item_id, plan_id=plan.id)
        result = services.explain_activity(plan, item, month, current_user, services.today())
    else:
        item = get_or_404(Indicator, item_id, plan_id=plan.id)
        result = services.explain_indicator(plan, item, month, current_user, services.today())
    return render_template(
        "planning/explain.html", plan=plan, item=item, month=month, result=explain_out(result)
    )


@bp.route("/template.<any(csv, xlsx):fmt>")
@require("planning.view")
def template(fmt):
    """The import template: the header row of the plan format (notes in the first line)."""
    headers = template_headers()
    if fmt == "xlsx":
        return download_response(
            xlsx_bytes(_("Plan"), headers, [], rtl=True), "plan-template.xlsx", XLSX_MIMETYPE
        )
    note = "# " + _("One row per activity; blank goal and indicator cells repeat the row above.")
    body = "\ufeff" + note + "\n" + ",".join(headers) + "\n"
    return download_response(body.encode("utf-8"), "plan-template.csv", "text/csv")


@bp.route("/<int:plan_id>/export.<any(xlsx, pdf):fmt>")
@require("planning.view")
def export(plan_id, fmt):
    """The plan and its progress as XLSX or PDF (a translated 503 where PDFs cannot be made)."""
    plan = get_or_404(Plan, plan_id)
    data = exports.export_bytes(plan, fmt)
    db.session.commit()
    return download_response(data, exports.filename(plan, fmt), exports.MIMETYPES[fmt])
