"""Document pages: upload from the household file, verify, download (authorised, audited)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from ..auth.permissions import require
from ..extensions import db
from ..forms import form_transaction
from ..i18n import gettext as _
from ..i18n import translate_messages
from ..lookup import get_or_404
from ..numbers import NumberFormatError, parse_int
from . import services
from .api import send_document
from .models import Document

bp = Blueprint("documents", __name__, url_prefix="/t/<tenant>/documents")


def _id(value: str | None) -> int | None:
    try:
        return parse_int(value) if value else None
    except NumberFormatError:
        return None


@bp.route("/upload", methods=["POST"])
@require("registry.write")
def upload():
    household_id = _id(request.form.get("household_id"))
    upload = request.files.get("file")
    fields = {
        "doc_type": request.form.get("doc_type"),
        "person_id": _id(request.form.get("person_id")),
        "household_id": household_id if not request.form.get("person_id") else None,
        "note": (request.form.get("note") or "").strip()[:255] or None,
    }
    with form_transaction() as outcome:
        services.upload(
            upload.read() if upload else b"", upload.filename if upload else None, fields, current_user
        )
    if outcome.ok:
        flash(_("The document was attached."), "success")
    for messages in translate_messages(outcome.errors).values():
        flash(" ".join(messages), "danger")
    if household_id:
        return redirect(url_for("registry.household", household_id=household_id) + "#documents")
    return redirect(url_for("registry.search"))


@bp.route("/<int:document_id>/verify", methods=["POST"])
@require("registry.verify_documents")
def verify(document_id: int):
    document = get_or_404(Document, document_id)
    services.verify(document, current_user)
    db.session.commit()
    flash(_("The document is marked verified."), "success")
    target = _id(request.form.get("household_id"))
    if target:
        return redirect(url_for("registry.household", household_id=target) + "#documents")
    return redirect(url_for("registry.search"))


@bp.route("/<int:document_id>/download")
@require("registry.read")
def download(document_id: int):
    document = get_or_404(Document, document_id)
    return send_document(document)
