"""Exhibition pages: staff (list, new, one exhibition with scores, allocation and sales) and the
producer's applications on the portal. Routes of the plugin's blueprint."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from core.toolkit import require

from . import services
from .i18n import _l
from .portal import PORTAL
from .views import DONE, P, bp, form_data, handle

DONE.update(
    {
        "exhibition": _l("The exhibition was added."),
        "score": _l("The score was saved."),
        "allocate": _l("The booths were allocated."),
        "sales": _l("The sales were recorded."),
        "apply": _l("Your application was sent."),
    }
)


@bp.route("/exhibitions/", methods=["GET", "POST"])
@require(P + "view")
def exhibitions():
    def create():
        exhibition = services.create_exhibition(form_data(), current_user)
        return url_for(".exhibition", exhibition_id=exhibition.id)

    return handle(
        "productive_families/exhibitions.html",
        lambda: {"exhibitions": services.list_exhibitions()},
        {"exhibition": (P + "manage", create)},
    )


def _fields() -> dict:
    return {k: v for k, v in form_data().items() if k != "application_id"}


def _application():
    value = request.form.get("application_id", "")
    return int(value) if value.isdigit() else 0


@bp.route("/exhibitions/<int:exhibition_id>", methods=["GET", "POST"])
@require(P + "view")
def exhibition(exhibition_id: int):
    record = services.get_exhibition(exhibition_id)

    def score():
        services.score_application(
            services.get_application(record, _application()), form_data(), current_user
        )

    def allocate():
        services.allocate(record, current_user)

    def sales():
        services.record_sales(services.get_application(record, _application()), _fields(), current_user)

    return handle(
        "productive_families/exhibition.html",
        lambda: {
            "exhibition": record,
            "applications": services.applications_of(record),
            "totals": services.exhibition_totals(record),
            "rotated": services.previous_booth_holders(record),
        },
        {
            "score": (P + "manage", score),
            "allocate": (P + "manage", allocate),
            "sales": (P + "manage", sales),
        },
    )


@bp.route("/portal/exhibitions", methods=["GET", "POST"])
@require(PORTAL)
def portal_exhibitions():
    producer = services.producer_of(current_user)

    def apply():
        value = request.form.get("exhibition_id", "")
        services.apply(services.get_exhibition(int(value) if value.isdigit() else 0), producer, current_user)

    return handle(
        "productive_families/portal_exhibitions.html",
        lambda: {
            "producer": producer,
            "calls": services.open_calls(),
            "mine": services.applications_by_producer(producer),
            "upcoming": services.upcoming_for(producer),
        },
        {"apply": (PORTAL, apply)},
    )
