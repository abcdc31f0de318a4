"""The API of graduation and the stored documents (routes of the plugin's API blueprint,
``/t/<tenant>/api/v1/productive_families/…``, in the OpenAPI document)."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from core.toolkit import db

from .api import P, bp
from .schemas_graduation import (
    FileSchema,
    FollowUpOutSchema,
    FollowUpSchema,
    GraduationOutSchema,
    LeafletOutSchema,
    OutcomeArgs,
    OutcomeOutSchema,
    SlotOutSchema,
    StudyOutSchema,
)
from .services import documents, graduation, producers


def _body() -> dict:
    return request.get_json(silent=True) or {}


@bp.route("/graduation/queue")
@bp.response(200, SlotOutSchema(many=True))
@bp.requires(P + "view")
def graduation_queue():
    """Income follow-ups due or overdue, by due date (``followup_months`` after each anchor)."""
    return graduation.open_slots()


@bp.route("/graduation/outcomes")
@bp.arguments(OutcomeArgs, location="query")
@bp.response(200, OutcomeOutSchema)
@bp.requires(P + "view")
def graduation_outcomes(args):
    """Producers followed up in the period, those whose income rose (the latest follow-up of the
    period above the baseline), the share (%) and the median change."""
    return graduation.outcomes(args["start"], args["end"])


@bp.route("/producers/<int:producer_id>/graduation")
@bp.response(200, GraduationOutSchema)
@bp.requires(P + "view")
def producer_graduation(producer_id):
    """A producer's baseline income, follow-ups and the follow-ups still open (upcoming too)."""
    return graduation.graduation_of(producers.get_producer(producer_id))


@bp.route("/producers/<int:producer_id>/followups", methods=["POST"])
@bp.arguments(FollowUpSchema)
@bp.response(201, FollowUpOutSchema)
@bp.requires(P + "manage")
def post_followup(_data, producer_id):
    """Record a follow-up answering one of the producer's due or overdue slots (422 by field)."""
    followup = graduation.record_followup(producers.get_producer(producer_id), _body(), current_user)
    db.session.commit()
    return followup


def _file_out(row, **extra) -> dict:
    return {**row.file, "uploaded_at": row.uploaded_at, **extra}


@bp.route("/licensing/leaflets")
@bp.response(200, LeafletOutSchema(many=True))
@bp.requires(P + "view")
def list_leaflets():
    """The procedure leaflets kept, one per activity on the licensing list."""
    rules = documents.licensed_activities()
    return [
        _file_out(row, activity=code, issuing_body=(rules.get(code) or {}).get("issuing_body", ""))
        for code, row in sorted(documents.leaflets().items())
    ]


def _upload() -> tuple[bytes | None, str | None]:
    return documents.LEAFLET.sent()  # the multipart ``file`` (the study's field too)


@bp.route("/licensing/leaflets/<activity>", methods=["PUT"])
@bp.arguments(FileSchema, location="files")
@bp.response(200, LeafletOutSchema)
@bp.requires(P + "manage")
def put_leaflet(_files, activity):
    """Keep (or replace) the procedure leaflet of an activity (multipart ``file``: PDF or image)."""
    row = documents.store_leaflet(activity, *_upload(), actor=current_user)
    db.session.commit()
    rule = documents.licensed_activities().get(activity) or {}
    return _file_out(row, activity=activity, issuing_body=rule.get("issuing_body", ""))


@bp.route("/licensing/leaflets/<activity>/file")
@bp.response(200, description="The procedure leaflet's file")
@bp.requires(P + "view")
def get_leaflet_file(activity):
    return documents.download_leaflet(documents.get_leaflet(activity), current_user)


@bp.route("/exhibitions/<int:exhibition_id>/feasibility-study", methods=["PUT"])
@bp.arguments(FileSchema, location="files")
@bp.response(200, StudyOutSchema)
@bp.requires(P + "manage")
def put_study(_files, exhibition_id):
    """Keep (or replace) an exhibition's feasibility study (multipart ``file``: PDF or image)."""
    row = documents.store_study(exhibition_id, *_upload(), actor=current_user)
    db.session.commit()
    return _file_out(row, exhibition_id=exhibition_id)


@bp.route("/exhibitions/<int:exhibition_id>/feasibility-study")
@bp.response(200, StudyOutSchema)
@bp.requires(P + "view")
def get_study(exhibition_id):
    return _file_out(documents.get_study(exhibition_id), exhibition_id=exhibition_id)


@bp.route("/exhibitions/<int:exhibition_id>/feasibility-study/file")
@bp.response(200, description="The feasibility study's file")
@bp.requires(P + "view")
def get_study_file(exhibition_id):
    return documents.download_study(documents.get_study(exhibition_id), current_user)
