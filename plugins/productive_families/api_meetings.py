"""The API of meetings (attendance, the challenges survey, the theme summary) and initiatives
(criteria, needs study, annual plan, quality score), under
``/t/<tenant>/api/v1/productive_families/…`` on the plugin's API blueprint."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from core.toolkit import db, download_response

from .api import P, bp
from .schemas_meetings import (
    ActivityDoneSchema,
    ActivityOutSchema,
    ActivitySchema,
    CriteriaSchema,
    CriterionOutSchema,
    InitiativeDetailSchema,
    InitiativeOutSchema,
    InitiativePatchSchema,
    InitiativeSchema,
    MeetingAttendanceSchema,
    MeetingDetailSchema,
    MeetingOutSchema,
    MeetingSchema,
    QualityScoresSchema,
    SurveyAnswersSchema,
    SurveyQuestionOutSchema,
    ThemeSummarySchema,
)
from .services import initiatives as initiative_services
from .services import meetings as meeting_services


def _body() -> dict:
    return request.get_json(silent=True) or {}


def _meeting_out(meeting, detail: bool = False) -> dict:
    out = {**_meeting_out_plain(meeting), **meeting_services.figures_of(meeting)}
    if detail:
        out["invitees"] = meeting_services.invitees_of(meeting)
    return out


@bp.route("/meetings")
@bp.response(200, MeetingOutSchema(many=True))
@bp.requires(P + "view")
def list_meetings():
    """Meetings with families, latest first, with invited, attended and survey answer counts."""
    rows = meeting_services.list_meetings()
    return [
        {**_meeting_out_plain(row["meeting"]), **{k: row[k] for k in ("invited", "attended", "responses")}}
        for row in rows
    ]


def _meeting_out_plain(meeting) -> dict:
    return {
        "id": meeting.id,
        "topic": meeting.topic,
        "place": meeting.place,
        "starts_at": meeting.starts_at,
        "notes": meeting.notes,
        "attendance_recorded_at": meeting.attendance_recorded_at,
    }


@bp.route("/meetings", methods=["POST"])
@bp.arguments(MeetingSchema)
@bp.response(201, MeetingDetailSchema)
@bp.requires(P + "manage")
def post_meeting(_data):
    """Add a meeting: ``starts_at`` in the association's time; without ``producer_ids`` every active
    producer (at least one available product) is invited."""
    meeting = meeting_services.create_meeting(_body(), current_user)
    db.session.commit()
    return _meeting_out(meeting, detail=True)


@bp.route("/meetings/<int:meeting_id>")
@bp.response(200, MeetingDetailSchema)
@bp.requires(P + "view")
def get_meeting(meeting_id):
    return _meeting_out(meeting_services.get_meeting(meeting_id), detail=True)


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["PUT"])
@bp.arguments(MeetingAttendanceSchema)
@bp.response(200, MeetingDetailSchema)
@bp.requires(P + "manage")
def put_attendance(_data, meeting_id):
    """Who came (invitees only; once the meeting has started, else 409); the others are absent."""
    meeting = meeting_services.record_attendance(
        meeting_services.get_meeting(meeting_id), _body(), current_user
    )
    db.session.commit()
    return _meeting_out(meeting, detail=True)


@bp.route("/meetings/<int:meeting_id>/challenges-survey")
@bp.response(200, SurveyQuestionOutSchema(many=True))
@bp.requires(P + "view")
def get_meeting_survey(meeting_id):
    """The questions of the challenges survey (core's survey engine); each choice names its theme."""
    return meeting_services.questions_for(meeting_services.get_meeting(meeting_id))


@bp.route("/meetings/<int:meeting_id>/responses", methods=["POST"])
@bp.arguments(SurveyAnswersSchema)
@bp.response(201, ThemeSummarySchema)
@bp.requires(P + "manage")
def post_meeting_response(_data, meeting_id):
    """One family's answers (anonymous); at most one per family present (409 after that). Answers
    the meeting's theme summary."""
    meeting = meeting_services.get_meeting(meeting_id)
    meeting_services.add_response(meeting, _body().get("answers") or {}, current_user)
    db.session.commit()
    return meeting_services.theme_summary([meeting.id])


@bp.route("/meetings/<int:meeting_id>/themes")
@bp.response(200, ThemeSummarySchema)
@bp.requires(P + "view")
def get_meeting_themes(meeting_id):
    """Answers per challenge theme at this meeting, most first (ties in the themes' fixed order)."""
    return meeting_services.theme_summary([meeting_services.get_meeting(meeting_id).id])


@bp.route("/initiatives/criteria")
@bp.response(200, CriterionOutSchema(many=True))
@bp.requires(P + "view")
def get_initiative_criteria():
    criteria = initiative_services.criteria()
    db.session.commit()  # the seed's defaults, kept on first use
    return criteria


@bp.route("/initiatives/criteria", methods=["PUT"])
@bp.arguments(CriteriaSchema)
@bp.response(200, CriterionOutSchema(many=True))
@bp.requires(P + "manage")
def put_initiative_criteria(_data):
    """Replace the quality criteria; the weights must add up to 100 (422 on ``criteria`` otherwise)."""
    criteria = initiative_services.set_criteria(_body(), current_user)
    db.session.commit()
    return criteria


@bp.route("/initiatives")
@bp.response(200, InitiativeOutSchema(many=True))
@bp.requires(P + "view")
def list_initiatives():
    return [initiative_services.as_out(i) for i in initiative_services.list_initiatives()]


@bp.route("/initiatives", methods=["POST"])
@bp.arguments(InitiativeSchema)
@bp.response(201, InitiativeDetailSchema)
@bp.requires(P + "manage")
def post_initiative(_data):
    """Add an economic or community initiative (the needs study document is uploaded on its page)."""
    initiative = initiative_services.create_initiative(_body(), current_user)
    db.session.commit()
    return initiative_services.as_out(initiative, with_activities=True)


@bp.route("/initiatives/<int:initiative_id>")
@bp.response(200, InitiativeDetailSchema)
@bp.requires(P + "view")
def get_initiative(initiative_id):
    return initiative_services.as_out(initiative_services.get_initiative(initiative_id), with_activities=True)


@bp.route("/initiatives/<int:initiative_id>", methods=["PATCH"])
@bp.arguments(InitiativePatchSchema)
@bp.response(200, InitiativeDetailSchema)
@bp.requires(P + "manage")
def patch_initiative(_data, initiative_id):
    """Change the needs study, design, title or status."""
    initiative = initiative_services.update_initiative(
        initiative_services.get_initiative(initiative_id), _body(), current_user
    )
    db.session.commit()
    return initiative_services.as_out(initiative, with_activities=True)


@bp.route("/initiatives/<int:initiative_id>/activities", methods=["POST"])
@bp.arguments(ActivitySchema)
@bp.response(201, ActivityOutSchema)
@bp.requires(P + "manage")
def post_initiative_activity(_data, initiative_id):
    """Add an activity (month 1–12, responsible) to the initiative's annual plan."""
    activity = initiative_services.add_activity(
        initiative_services.get_initiative(initiative_id), _body(), current_user
    )
    db.session.commit()
    return activity


@bp.route("/initiatives/<int:initiative_id>/activities/<int:activity_id>", methods=["PATCH"])
@bp.arguments(ActivityDoneSchema)
@bp.response(200, ActivityOutSchema)
@bp.requires(P + "manage")
def patch_initiative_activity(_data, initiative_id, activity_id):
    """Mark an activity of the annual plan done (``{"done": true}``) or not done again."""
    activity = initiative_services.set_activity_done(
        initiative_services.get_initiative(initiative_id), activity_id, _body(), current_user
    )
    db.session.commit()
    return activity


@bp.route("/initiatives/<int:initiative_id>/quality", methods=["PUT"])
@bp.arguments(QualityScoresSchema)
@bp.response(200, InitiativeDetailSchema)
@bp.requires(P + "manage")
def put_initiative_quality(_data, initiative_id):
    """Score each of the tenant's criteria 0–10: the weighted percentage and whether it meets the
    tenant's target (default 95 %)."""
    initiative = initiative_services.score(
        initiative_services.get_initiative(initiative_id), _body(), current_user
    )
    db.session.commit()
    return initiative_services.as_out(initiative, with_activities=True)


@bp.route("/initiatives/<int:initiative_id>/needs-study")
@bp.response(200, description="The needs study document.")
@bp.requires(P + "view")
def get_initiative_needs_file(initiative_id):
    """The needs study document (404 when none); each download is audited."""
    data, filename, content_type = initiative_services.needs_file_of(
        initiative_services.get_initiative(initiative_id), current_user
    )
    db.session.commit()
    return download_response(data, filename, content_type)
