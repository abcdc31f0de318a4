"""Stored documents' pages (routes of the plugin's blueprint): the procedure leaflet of each
activity on the licensing list and an exhibition's feasibility study — upload (replacing the
file kept) and download through core's ``download_response``; both audited by the service."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from core.toolkit import require

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
    return documents.LEAFLET.sent()  # the multipart ``file`` (the study's field too)


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
    return documents.download_leaflet(documents.get_leaflet(activity), current_user)


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
    return documents.download_study(documents.get_study(exhibition_id), current_user)
