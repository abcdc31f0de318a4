"""The auditors' page: recent entries, CSV export of a date range, chain check."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request

from ..auth.permissions import require
from ..numbers import normalize_digits
from ..tenancy import require_tenant
from . import chain, services
from .labels import action_label, object_label

bp = Blueprint("audit", __name__, url_prefix="/t/<tenant>/audit", template_folder="templates")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(normalize_digits(value or "").strip()) if value else None
    except ValueError:
        return None


@bp.route("/")
@require("audit.read")
def index():
    start, end = _date(request.args.get("start")), _date(request.args.get("end"))
    events = list(services.events_between(require_tenant().id, start, end, limit=200))
    report = chain.verify_chain(require_tenant().id) if request.args.get("verify") else None
    return render_template(
        "audit/index.html",
        events=events,
        start=start,
        end=end,
        report=report,
        action_label=action_label,
        object_label=object_label,
    )
