"""Partner access pages.

* The partner's page (``/t/<tenant>/crime_victims/partner-link/<token>``): no login, phone
  first, only what the referral needs — never the narrative, the incident, the victim's ID
  number, address or phone. The partner accepts or declines (with a reason) and reports the
  service and its outcome. An unknown, revoked, expired or ended link, another association's
  token and the plugin switched off all answer the same "link not valid" page (404).
* Staff issue, re-issue (the old link stops) and revoke the link of a referral from the case page.

A blueprint of its own (switched off with the plugin), so that its "not valid" page answers the
404s of the partner's pages only."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.toolkit import AppError, db, form_transaction, limiter, require

from . import services
from .i18n import _, _l, domain
from .schemas import AREA_LABELS, REFERRAL_STATUS_LABELS, SEVERITY_LABELS
from .services import partner_access
from .views import _render_case as render_case
from .views import bp as staff_bp

bp = Blueprint("crime_victims_partner", __name__, template_folder="templates")

# Per address: enough for a partner at work, too few to guess tokens.
_rate_open = limiter.shared_limit("60 per minute", scope="crime_victims-partner-link")
_rate_post = limiter.shared_limit("20 per minute", scope="crime_victims-partner-report", methods=["POST"])

ACTION_LABELS = {
    "accept": _l("Accept the referral"),
    "decline": _l("Decline the referral"),
    "in_service": _l("The service has started"),
    "complete": _l("The service is completed"),
}
DONE = {
    "accept": _l("Thank you: the referral is accepted."),
    "decline": _l("The referral is declined; the association will look for another way."),
    "in_service": _l("Recorded: the service has started."),
    "complete": _l("Thank you: the service is recorded as completed with its outcome."),
}


@bp.context_processor
def _i18n():
    return {
        "_": domain.template_gettext,
        "area_labels": AREA_LABELS,
        "severity_labels": SEVERITY_LABELS,
        "referral_status_labels": REFERRAL_STATUS_LABELS,
        "action_labels": ACTION_LABELS,
    }


LINK_USE_LABELS = {
    "opened": _l("Opened by the partner"),
    "accept": _l("Accepted by the partner"),
    "decline": _l("Declined by the partner"),
    "in_service": _l("Service started, reported by the partner"),
    "complete": _l("Completed, reported by the partner"),
}


@staff_bp.context_processor
def _staff_i18n():
    return {"link_use_labels": LINK_USE_LABELS}


@bp.after_request
def _private(response):
    """The token is in the address: never cached, never sent on as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def not_valid(_error=None):
    return render_template("crime_victims/partner/not_valid.html", message=partner_access.NOT_VALID), 404


bp.register_error_handler(404, not_valid)


def _page(access, errors=None, message=None, status=200):
    return render_template(
        "crime_victims/partner/link.html",
        access=access,
        actions=partner_access.next_actions(access.referral),
        contact=partner_access.contact_of(access.referral),
        errors=errors or {},
        message=message,
        form=request.form,
        lang_next=request.path,
    ), status


@bp.route("/partner-link/<token>", methods=["GET", "POST"])
@_rate_open
@_rate_post
def link(token: str):
    try:
        access = partner_access.resolve(token)
    except AppError:
        return not_valid()
    if request.method == "GET":
        partner_access.record_open(access)
        db.session.commit()
        return _page(access)
    action = request.form.get("action", "")
    with form_transaction() as outcome:
        data = {k: v for k, v in request.form.items() if k in ("action", "reason", "outcome")}
        partner_access.report(access, data)
    if not outcome.ok:
        db.session.expire_all()
        try:
            access = partner_access.resolve(token)
        except AppError:
            return not_valid()
        return _page(access, outcome.errors, outcome.message, outcome.status)
    still_open = partner_access.next_actions(access.referral)
    return render_template(
        "crime_victims/partner/done.html",
        message=DONE[action],
        again=url_for(".link", token=token) if still_open else None,
        lang_next=url_for(".link", token=token) if still_open else request.path,
    )


# --------------------------------------------------------------------------- staff (case page)


def _case_url(referral) -> str:
    return (
        url_for("crime_victims.case", case_id=services.care.get_need(referral.need_id).case_id) + "#referrals"
    )


@staff_bp.route("/referrals/<int:referral_id>/partner-link", methods=["POST"])
@require("crime_victims.view")
def issue_partner_link(referral_id: int):
    """Issue (or re-issue) the partner's link; its address is shown once, on this answer."""
    referral = services.care.get_referral(referral_id)
    send_email = bool(request.form.get("send_email"))
    with form_transaction("crime_victims.care") as outcome:
        partner_link, token = partner_access.issue(referral, current_user, send_email=send_email)
    if outcome.errors:  # the e-mail choice refused (no address): on the case page, by the referral
        case = services.get_case(services.care.get_need(referral.need_id).case_id)
        errors = {f"{field}-{referral.id}": messages for field, messages in outcome.errors.items()}
        return render_case(case, errors, outcome.status)
    if not outcome.ok:
        flash(outcome.message or _("The link could not be issued."), "danger")
        return redirect(_case_url(referral))
    return render_template(
        "crime_victims/partner/issued.html",
        referral=referral,
        partner=services.care.get_partner(referral.partner_id),
        partner_link=partner_link,
        emailed=send_email,
        url=url_for("crime_victims_partner.link", token=token, _external=True),
        back=_case_url(referral),
    )


@staff_bp.route("/referrals/<int:referral_id>/partner-link/revoke", methods=["POST"])
@require("crime_victims.view")
def revoke_partner_link(referral_id: int):
    referral = services.care.get_referral(referral_id)
    with form_transaction("crime_victims.care") as outcome:
        partner_access.revoke(referral, current_user)
    if outcome.ok:
        flash(_("The partner's link was withdrawn: it no longer opens."), "success")
    else:
        flash(outcome.message or _("The link could not be withdrawn."), "danger")
    return redirect(_case_url(referral))
