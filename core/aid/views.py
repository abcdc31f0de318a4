"""The aid catalog page (tenant admins extend it), and the disbursement form and list of the
request page (registered with ``core.requests.views`` by ``init_app``)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from ..auth.permissions import require
from ..calendar import today
from ..extensions import db
from ..forms import FormOutcome, form_transaction
from ..i18n import gettext as _
from ..i18n import localized, translate_messages
from ..lookup import get_or_404
from ..requests.models import AidRequest, CatalogItem
from ..tenancy import require_tenant
from . import export, services
from .models import Disbursement
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


@bp.route("/disbursements/<int:disbursement_id>/receipt")
@require("requests.view")
def print_receipt(disbursement_id):
    """A printable receipt of one disbursement, for the beneficiary to sign or to keep."""
    disbursement = get_or_404(Disbursement, disbursement_id)
    item = get_or_404(AidRequest, disbursement.request_id)
    catalog_item = db.session.get(CatalogItem, disbursement.catalog_item_id or item.catalog_item_id or 0)
    return render_template(
        "aid/print_receipt.html",
        disbursement=disbursement,
        item=item,
        tenant=require_tenant(),
        today=today(),
        program=localized(catalog_item, "name") if catalog_item else None,
        kind_label=str(export.KIND_LABELS.get(disbursement.kind, disbursement.kind)),
        delivery_label=str(
            export.DELIVERY_LABELS.get(disbursement.delivery_mode, disbursement.delivery_mode)
        ),
        back_url=url_for("requests.view", request_id=item.id),
    )


@bp.route("/disbursements.xlsx")
@require("requests.export")
def export_disbursements():
    """Disbursements as an XLSX sheet, filtered like the queues (date range, number, name,
    program); a bad filter answers 400 with the field's translated error."""
    try:
        args = export.load_args(request.args)
    except ValidationError as exc:
        return render_template(
            "aid/export_error.html", errors=translate_messages(exc.messages), labels=_export_labels()
        ), 400
    response = export.export_disbursements(args)
    db.session.commit()  # the export's audit entry
    return response


def _export_labels() -> dict:
    return {
        "start": _("From"),
        "end": _("To"),
        "number": _("Request number"),
        "name": _("Applicant's name"),
        "program": _("Program"),
    }


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
