"""Tenant API for the aid catalog and disbursements: ``/t/<tenant>/api/v1/aid/…``."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from ..api import ApiBlueprint
from ..documents.api import DocumentSchema, UploadFileSchema
from ..extensions import db
from ..lookup import get_or_404
from ..requests.models import AidRequest
from . import services
from .models import CatalogItem
from .schemas import CatalogItemSchema, CatalogItemUpdateSchema, DisbursementSchema

bp = ApiBlueprint("aid_api", __name__, description="Aid catalog and disbursements")


@bp.route("/catalog")
@bp.response(200, CatalogItemSchema(many=True))
@bp.requires("catalog.view")
def list_catalog():
    return services.catalog()


@bp.route("/catalog", methods=["POST"])
@bp.arguments(CatalogItemSchema)
@bp.response(201, CatalogItemSchema)
@bp.requires("catalog.manage")
def create_item(data):
    item = services.create_item(data, current_user)
    db.session.commit()
    return item


@bp.route("/catalog/<int:item_id>", methods=["PATCH"])
@bp.arguments(CatalogItemUpdateSchema(partial=True))
@bp.response(200, CatalogItemSchema)
@bp.requires("catalog.manage")
def update_item(data, item_id):
    item = services.update_item(get_or_404(CatalogItem, item_id), data, current_user)
    db.session.commit()
    return item


@bp.route("/requests/<int:request_id>/disbursements")
@bp.response(200, DisbursementSchema(many=True))
@bp.requires("requests.view")
def list_disbursements(request_id):
    return services.disbursements_of(get_or_404(AidRequest, request_id))


@bp.route("/requests/<int:request_id>/disbursements", methods=["POST"])
@bp.arguments(DisbursementSchema)
@bp.response(201, DisbursementSchema)
@bp.requires("requests.disburse")
def record_disbursement(data, request_id):
    """Record aid handed over (cash or in kind) with delivery mode and exactly one proof of receipt:
    ``proof_document_id`` (uploaded to ``…/receipts``) or ``acknowledged_by``."""
    disbursement = services.record_disbursement(get_or_404(AidRequest, request_id), current_user, data)
    db.session.commit()
    return disbursement


@bp.route("/requests/<int:request_id>/receipts", methods=["POST"])
@bp.arguments(UploadFileSchema, location="files")
@bp.response(201, DocumentSchema)
@bp.requires("requests.disburse")
def upload_receipt(files, request_id):
    """Upload a proof of receipt (multipart ``file``: PDF, JPEG, PNG or WebP, checked by content);
    then record the disbursement with its ``proof_document_id``."""
    upload = request.files.get("file")
    document = services.upload_receipt(
        get_or_404(AidRequest, request_id),
        current_user,
        upload.read() if upload else b"",
        upload.filename if upload else None,
    )
    db.session.commit()
    return document
