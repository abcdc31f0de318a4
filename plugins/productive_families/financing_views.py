"""The financing page: bodies and partners, requests referred to them and their outcomes.
Routes of the plugin's blueprint."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from core.toolkit import label, require

from . import services
from .i18n import _l
from .models import BODY_KINDS
from .views import DONE, P, bp, form_data, handle

DONE.update(
    {
        "body": _l("The financing body was added."),
        "refer": _l("The request was referred."),
        "decide": _l("The outcome was recorded."),
        "partnership": _l("The partnership was saved."),
    }
)


@bp.route("/financing/", methods=["GET", "POST"])
@require(P + "view")
def financing():
    def decide():
        value = request.form.get("request_id", "")
        data = {k: v for k, v in form_data().items() if k != "request_id"}
        services.decide(services.get_request(int(value) if value.isdigit() else 0), data, current_user)

    def partnership():
        value = request.form.get("body_id", "")
        data = {k: v for k, v in form_data("is_partner").items() if k != "body_id"}
        services.set_partnership(services.get_body(int(value) if value.isdigit() else 0), data, current_user)

    return handle(
        "productive_families/financing.html",
        lambda: {
            "bodies": services.list_bodies(),
            "requests": services.list_requests(),
            "producers": services.list_producers(),
            "kinds": [(code, label(code, "productive_families_body")) for code in BODY_KINDS],
            "threshold": services.settings()["partnership_quality_threshold"],
        },
        {
            "body": (P + "manage", lambda: services.add_body(form_data("is_partner"), current_user) and None),
            "refer": (P + "manage", lambda: services.refer(form_data(), current_user) and None),
            "decide": (P + "manage", decide),
            "partnership": (P + "manage", partnership),
        },
    )
