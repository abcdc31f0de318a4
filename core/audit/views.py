"""The auditors' page: recent entries, CSV export of a date range, chain check."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from marshmallow import ValidationError

from ..auth.permissions import require
from ..i18n import translate_messages
from ..tenancy import require_tenant
from . import chain, services
from .api import RangeArgs, csv_download
from .labels import action_label, object_label, object_names

bp = Blueprint("audit", __name__, url_prefix="/t/<tenant>/audit", template_folder="templates")


def _range() -> tuple[dict, dict]:
    """The page's dates (Hijri or Gregorian, any digits, blank = none), or their errors."""
    try:
        typed = {k: request.args[k] for k in ("start", "end") if request.args.get(k, "").strip()}
        return RangeArgs().load(typed), {}  # a blank box is no date
    except ValidationError as exc:
        return {"start": None, "end": None}, translate_messages(exc.messages)


@bp.route("/")
@require("audit.read")
def index():
    dates, errors = _range()
    return _page(dates, errors, 400 if errors else 200)


def _page(dates: dict, errors: dict, status: int):
    start, end = dates.get("start"), dates.get("end")
    events = [] if errors else list(services.events_between(require_tenant().id, start, end, limit=200))
    report = chain.verify_chain(require_tenant().id) if request.args.get("verify") and not errors else None
    return render_template(
        "audit/index.html",
        events=events,
        start=start,
        end=end,
        report=report,
        action_label=action_label,
        object_label=object_label,
        names=object_names(events),
        errors=errors,
        typed=request.args,
        default_days=services.DEFAULT_EXPORT_DAYS,
    ), status


@bp.route("/export.csv")
@require("audit.export")
def export():
    """The date range as CSV for people: headers in the page's language, actions and objects in
    words; without dates, the last 30 days. A bad date shows the page with its error (400)."""
    dates, errors = _range()
    if errors:
        return _page(dates, errors, 400)
    return csv_download(dates["start"], dates["end"], for_people=True)
