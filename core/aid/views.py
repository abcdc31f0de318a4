"""The aid catalog page (tenant admins extend it), and the disbursement form and list of the
request page (registered with ``core.requests.views`` by ``init_app``)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import require
from ..forms import FormOutcome, form_transaction
from ..i18n import gettext as _
from ..i18n import localized
from . import services
from .schemas import CatalogItemSchema, DisbursementSchema

bp = Blueprint("aid", __name__, template_folder="templates")


@bp.route("/catalog", methods=["GET", "POST"])
@require("catalog.manage")
def catalog():
    outcome = FormOutcome()
    if request.method == "POST":
        form = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
        form["seasonal"] = "seasonal" in request.form
        form["active"] = True
        with form_transaction() as outcome:
            item = services.create_item(CatalogItemSchema().load(form), current_user)
        if outcome.ok:
            flash(_("Catalog item added: %(name)s.", name=localized(item, "name")), "success")
            return redirect(url_for(".catalog"))
    return render_template(
        "aid/catalog.html", items=services.catalog(), errors=outcome.errors
    ), outcome.status


def disburse_step(item, form, files) -> None:
    """The request page's disbursement form (``requests.step`` with ``action=disburse``)."""
    data = DisbursementSchema().load(
        {
            "kind": form.get("kind", "cash"),
            "value": form.get("value", ""),
            "delivery_mode": form.get("delivery_mode", "direct"),
            "provider_name": form.get("provider_name") or None,
            "acknowledged_by": form.get("acknowledged_by") or None,
            "disbursed_on": form.get("disbursed_on", ""),
        }
    )
    proof = files.get("proof_file")
    content = proof.read() if proof and proof.filename else None
    services.record_disbursement(
        item,
        current_user,
        data,
        proof_file=content,
        proof_filename=proof.filename if content is not None else None,
    )
