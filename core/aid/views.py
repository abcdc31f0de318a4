"""The aid catalog page (tenant admins extend it)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import require
from ..forms import FormOutcome, form_transaction
from ..i18n import gettext as _
from . import services
from .schemas import CatalogItemSchema

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
            services.create_item(CatalogItemSchema().load(form), current_user)
        if outcome.ok:
            flash(_("Saved."), "success")
            return redirect(url_for(".catalog"))
    return render_template(
        "aid/catalog.html", items=services.catalog(), errors=outcome.errors
    ), outcome.status
