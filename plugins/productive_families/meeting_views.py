"""Staff pages of meetings with active families (attendance, the challenges survey, the theme
summary) and of initiatives (needs study, design, annual plan, quality score). Routes of the
plugin's blueprint, thin: the rules are in ``services.meetings`` and ``services.initiatives``."""

from __future__ import annotations

from datetime import date

from babel.dates import get_month_names
from flask import request, url_for
from flask_login import current_user

from core.toolkit import current_language, db, download_response, label, require
from core.toolkit import today as tenant_today

from .i18n import _l
from .models_meetings import INITIATIVE_KINDS, INITIATIVE_STATES
from .services import initiatives as initiative_services
from .services import meetings as meeting_services
from .services.producers import list_producers
from .views import DONE, P, bp, form_data, handle

DONE.update(
    {
        "meeting_create": _l("The meeting was added."),
        "meeting_attendance": _l("The attendance was recorded."),
        "meeting_answer": _l("The survey answers were saved."),
        "initiative_create": _l("The initiative was added."),
        "initiative_criteria": _l("The quality criteria were saved."),
        "initiative_update": _l("The initiative was saved."),
        "initiative_activity": _l("The activity was added to the plan."),
        "initiative_activity_done": _l("The plan was updated."),
        "initiative_score": _l("The quality score was saved."),
    }
)
CRITERIA_ROWS = 8


def _year_bounds() -> tuple[date, date]:
    year = request.args.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else tenant_today().year
    return date(year, 1, 1), date(year, 12, 31)


@bp.route("/meetings/", methods=["GET", "POST"])
@require(P + "view")
def meetings():
    start, end = _year_bounds()

    def create():
        data = form_data(lists=("producer_ids",))
        meeting = meeting_services.create_meeting(data, current_user)
        return url_for(".meeting", meeting_id=meeting.id)

    def context():
        held = meeting_services.meetings_in(start, end)
        active = {p.id for p in meeting_services.active_producers()}
        return {
            "rows": meeting_services.list_meetings(),
            "year": start.year,
            "held": meeting_services.meetings_held(start, end),
            "attendees": meeting_services.meeting_attendees(start, end),
            "summary": meeting_services.theme_summary(held),
            "producers": list_producers(),
            "active": active,
        }

    return handle(
        "productive_families/meetings/list.html", context, {"meeting_create": (P + "manage", create)}
    )


def _answers() -> dict:
    return {
        key[1:]: value for key, value in request.form.items() if key.startswith("q") and key[1:].isdigit()
    }


@bp.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
@require(P + "view")
def meeting(meeting_id: int):
    record = meeting_services.get_meeting(meeting_id)

    def attendance():
        data = {"present": request.form.getlist("present")}
        meeting_services.record_attendance(record, data, current_user)

    def answer():
        meeting_services.add_response(record, _answers(), current_user)

    return handle(
        "productive_families/meetings/meeting.html",
        lambda: {
            "meeting": record,
            "invitees": meeting_services.invitees_of(record),
            "figures": meeting_services.figures_of(record),
            "questions": meeting_services.questions_for(record),
            "summary": meeting_services.theme_summary([record.id]),
        },
        {"meeting_attendance": (P + "manage", attendance), "meeting_answer": (P + "manage", answer)},
    )


def _upload() -> tuple[bytes | None, str | None]:
    upload = request.files.get("needs_file")
    if upload is None or not upload.filename:
        return None, None
    return upload.read(), upload.filename


def _criteria_form() -> dict:
    rows = []
    for index in range(CRITERIA_ROWS):
        name = request.form.get(f"name_{index}", "").strip()
        weight = request.form.get(f"weight_{index}", "").strip()
        if name or weight:
            rows.append({"name": name, "weight": weight})
    return {"criteria": rows}


@bp.route("/initiatives/", methods=["GET", "POST"])
@require(P + "view")
def initiatives():
    def create():
        study, filename = _upload()
        initiative = initiative_services.create_initiative(
            form_data(), current_user, study=study, study_filename=filename
        )
        return url_for(".initiative", initiative_id=initiative.id)

    def context():
        rows = initiative_services.list_initiatives()
        return {
            "rows": rows,
            "criteria": initiative_services.criteria(),
            "criteria_rows": CRITERIA_ROWS,
            "target": initiative_services.quality_target(),
            "kinds": [
                (code, label(code, "productive_families_initiative_kind")) for code in INITIATIVE_KINDS
            ],
            "quality": {i.id: initiative_services.quality_percent(i) for i in rows},
            "this_year": tenant_today().year,
        }

    return handle(
        "productive_families/meetings/initiatives.html",
        context,
        {
            "initiative_create": (P + "manage", create),
            "initiative_criteria": (
                P + "manage",
                lambda: initiative_services.set_criteria(_criteria_form(), current_user) and None,
            ),
        },
    )


@bp.route("/initiatives/<int:initiative_id>", methods=["GET", "POST"])
@require(P + "view")
def initiative(initiative_id: int):
    record = initiative_services.get_initiative(initiative_id)

    def update():
        study, filename = _upload()
        initiative_services.update_initiative(
            record, form_data(), current_user, study=study, study_filename=filename
        )

    def activity():
        initiative_services.add_activity(record, form_data(), current_user)

    def activity_done():
        value = request.form.get("activity_id", "")
        initiative_services.set_activity_done(
            record, int(value) if value.isdigit() else 0, {"done": request.form.get("done", "")}, current_user
        )

    def score():
        scores = {key[6:]: value for key, value in request.form.items() if key.startswith("score_")}
        initiative_services.score(record, {"scores": scores}, current_user)

    return handle(
        "productive_families/meetings/initiative.html",
        lambda: {
            "initiative": record,
            "activities": initiative_services.activities_of(record),
            "criteria": initiative_services.criteria(),
            "target": initiative_services.quality_target(),
            "quality": initiative_services.quality_percent(record),
            "meets": initiative_services.meets(record.quality_points, initiative_services.quality_target()),
            "states": [
                (code, label(code, "productive_families_initiative_state")) for code in INITIATIVE_STATES
            ],
            "months": _months(),
        },
        {
            "initiative_update": (P + "manage", update),
            "initiative_activity": (P + "manage", activity),
            "initiative_activity_done": (P + "manage", activity_done),
            "initiative_score": (P + "manage", score),
        },
    )


def _months() -> list[tuple[str, str]]:
    """The plan's months (1–12 of the year) by name, in the current language."""
    names = get_month_names("wide", locale=current_language())
    return [(str(number), names[number]) for number in range(1, 13)]


@bp.route("/initiatives/<int:initiative_id>/needs-study")
@require(P + "view")
def initiative_needs_file(initiative_id: int):
    """The needs study document (a download, audited)."""
    data, filename, content_type = initiative_services.needs_file_of(
        initiative_services.get_initiative(initiative_id), current_user
    )
    db.session.commit()
    return download_response(data, filename, content_type)
