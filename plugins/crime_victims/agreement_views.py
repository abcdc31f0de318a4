"""A partner organisation's page with its signed agreement: upload (replacing an earlier one)
and download, for staff who keep the register of partners; both audited."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.toolkit import can, db, download_response, form_transaction, require

from . import services
from .i18n import _
from .views import bp

MANAGE = "crime_victims.partners"


def _page(partner, errors=None, status=200):
    return render_template(
        "crime_victims/partner.html",
        partner=partner,
        agreement=partner.agreement_file or {},
        errors=errors or {},
        may_manage=can(current_user, MANAGE),
    ), status


@bp.route("/partners/<int:partner_id>")
@require("crime_victims.view")
def partner(partner_id: int):
    return _page(services.care.get_partner(partner_id))


@bp.route("/partners/<int:partner_id>/agreement")
@require("crime_victims.view")
def partner_agreement(partner_id: int):
    """The agreement file (a download, audited)."""
    partner = services.care.get_partner(partner_id)
    data, filename, content_type = services.partner_files.agreement_of(partner, current_user)
    db.session.commit()  # the download's audit entry
    return download_response(data, filename, content_type)


@bp.route("/partners/<int:partner_id>/agreement", methods=["POST"])
@require("crime_victims.view")
def upload_partner_agreement(partner_id: int):
    """Upload the agreement (multipart ``agreement``), replacing an earlier one."""
    partner = services.care.get_partner(partner_id)
    upload = request.files.get("agreement")
    with form_transaction(MANAGE) as outcome:
        services.partner_files.attach_agreement(
            partner, upload.read() if upload else None, upload.filename if upload else None, current_user
        )
    if outcome.ok:
        flash(_("The agreement file was saved."), "success")
        return redirect(url_for(".partner", partner_id=partner.id))
    return _page(services.care.get_partner(partner_id), outcome.errors, outcome.status)
