"""Tenant API for the aid catalog and disbursements: ``/t/<tenant>/api/v1/aid/…``."""

from __future__ import annotations

from flask_login import current_user

from ..api import ApiBlueprint
from ..extensions import db
from ..requests.services import get_request
from . import services
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
    item = services.update_item(services.get_item(item_id), data, current_user)
    db.session.commit()
    return item


@bp.route("/requests/<int:request_id>/disbursements")
@bp.response(200, DisbursementSchema(many=True))
@bp.requires("requests.view")
def list_disbursements(request_id):
    return services.disbursements_of(get_request(request_id))


@bp.route("/requests/<int:request_id>/disbursements", methods=["POST"])
@bp.arguments(DisbursementSchema)
@bp.response(201, DisbursementSchema)
@bp.login_required
def record_disbursement(data, request_id):
    """Record aid handed over (cash or in kind) with proof of receipt and delivery mode."""
    disbursement = services.record_disbursement(get_request(request_id), current_user, data)
    db.session.commit()
    return disbursement
