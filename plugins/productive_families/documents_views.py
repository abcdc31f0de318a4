"""Stored documents' pages (routes of the plugin's blueprint): the procedure leaflet of each
activity on the licensing list and an exhibition's feasibility study — upload (replacing the
file kept) and download through core's ``download_response``; both audited by the service."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from core.toolkit import db, download_response, require

from .i18n import _l
from .services import documents, exhibitions
from .settings import activity_name
from .views import DONE, P, bp, handle

DONE.update(
    {
        "leaflet": _l("The procedure leaflet was saved."),
        "study": _l("The feasibility study was saved."),
    }
)


def _upload() -> tuple[bytes | None, str | None]:
    upload = request.files.get("file")
    return (upload.read(), upload.filename) if upload else (None, None)


@bp.context_processor
def _documents_context():
    return {"licence_leaflets": documents.leaflets, "feasibility_study": documents.study_of}


@bp.route("/licensing/leaflets/<activity>", methods=["GET", "POST"])
@require(P + "view")
def leaflet(activity: str):
    def store():
        documents.store_leaflet(activity, *_upload(), actor=current_user)
        return url_for(".licensing")

    rule = documents.licensed_activities().get(activity)
    return handle(
        "productive_families/graduation/leaflet.html",
        lambda: {
            "activity": activity,
            "activity_text": activity_name(activity),
            "rule": rule,
            "current": documents.leaflets().get(activity),
        },
        {"leaflet": (P + "manage", store)},
    )


@bp.route("/licensing/leaflets/<activity>/file")
@require(P + "view")
def leaflet_file(activity: str):
    kept = documents.get_leaflet(activity)
    content = documents.read_leaflet(kept, current_user)
    db.session.commit()
    return download_response(content, kept.file["filename"], kept.file["content_type"])


@bp.route("/exhibitions/<int:exhibition_id>/feasibility-study", methods=["GET", "POST"])
@require(P + "view")
def feasibility_study(exhibition_id: int):
    exhibition = exhibitions.get_exhibition(exhibition_id)

    def store():
        documents.store_study(exhibition.id, *_upload(), actor=current_user)
        return url_for(".exhibition", exhibition_id=exhibition.id)

    return handle(
        "productive_families/graduation/study.html",
        lambda: {"exhibition": exhibition, "current": documents.study_of(exhibition.id)},
        {"study": (P + "manage", store)},
    )


@bp.route("/exhibitions/<int:exhibition_id>/feasibility-study/file")
@require(P + "view")
def feasibility_study_file(exhibition_id: int):
    kept = documents.get_study(exhibition_id)
    content = documents.read_study(kept, current_user)
    db.session.commit()
    return download_response(content, kept.file["filename"], kept.file["content_type"])
