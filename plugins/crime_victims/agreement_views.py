"""A partner organisation's page with its signed agreement: upload (replacing an earlier one)
and download, for staff who keep the register of partners; both audited."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from core.toolkit import can, form_transaction, require

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
    return services.partner_files.AGREEMENT.download(services.care.get_partner(partner_id), current_user)


@bp.route("/partners/<int:partner_id>/agreement", methods=["POST"])
@require("crime_victims.view")
def upload_partner_agreement(partner_id: int):
    """Upload the agreement (multipart ``agreement``), replacing an earlier one."""
    partner = services.care.get_partner(partner_id)
    agreement = services.partner_files.AGREEMENT
    with form_transaction(MANAGE) as outcome:
        agreement.store(partner, *agreement.sent(), current_user)
    if outcome.ok:
        flash(_("The agreement file was saved."), "success")
        return redirect(url_for(".partner", partner_id=partner.id))
    return _page(services.care.get_partner(partner_id), outcome.errors, outcome.status)
