"""Disbursements as an XLSX sheet (headers in the page's language, values in words, amounts in
riyals, dates in the tenant's calendar), filtered by date range, request number, applicant's
name and program like the queues; permission ``requests.export``, every export audited."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from ..audit.services import record
from ..calendar import format_date
from ..downloads import xlsx_response
from ..extensions import db
from ..i18n import current_language
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..numbers import normalize_digits
from ..requests.export import MAX_ROWS, riyals
from ..requests.models import AidRequest, CatalogItem
from ..requests.schemas import AnyDate
from ..requests.services.queues import name_clause, number_clause
from ..tenancy import require_tenant
from .models import Disbursement

KIND_LABELS = {"cash": _l("Cash"), "in_kind": _l("In kind")}
DELIVERY_LABELS = {"direct": _l("The association delivers it"), "provider": _l("Paid to a provider")}
PROOF_LABELS = {"document": _l("Signed receipt (document)"), "acknowledgement": _l("Acknowledged by name")}


class DisbursementExportArgs(Schema):
    """The export's filters; a blank box means "any"."""

    start = AnyDate(load_default=None)
    end = AnyDate(load_default=None)
    number = fields.String(load_default=None, validate=validate.Length(max=40))
    name = fields.String(load_default=None, validate=validate.Length(max=120))
    program = fields.Integer(load_default=None, validate=validate.Range(min=1))
    queue = fields.String(load_default=None)  # the queue page's own arguments, ignored here
    sort = fields.String(load_default=None)

    @pre_load
    def _blank_is_absent(self, data, **kwargs):
        values = {key: data.get(key) for key in data}
        if isinstance(values.get("program"), str):
            values["program"] = normalize_digits(values["program"]).strip()
        return {
            k: v for k, v in values.items() if v is not None and not (isinstance(v, str) and not v.strip())
        }

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError({"end": [_l("The end must not be before the start.")]})


def load_args(args) -> dict:
    """Validated filters (unknown queue-page arguments ignored); raises ``ValidationError``."""
    known = set(DisbursementExportArgs().fields)
    return DisbursementExportArgs().load({k: v for k, v in args.items() if k in known})


def headers() -> list[str]:
    return [
        _("Request number"),
        _("Applicant"),
        _("Program"),
        _("Kind"),
        _("Value (SAR)"),
        _("Quantity"),
        _("Description"),
        _("Delivery"),
        _("Provider"),
        _("Proof of receipt"),
        _("Received by"),
        _("Date"),
    ]


def rows(args: dict) -> list[tuple]:
    program = CatalogItem.name_ar if current_language() == "ar" else CatalogItem.name_en
    query = (
        db.select(Disbursement, AidRequest.number, AidRequest.applicant_name, program)
        .join(AidRequest, AidRequest.id == Disbursement.request_id)
        .outerjoin(
            CatalogItem,
            CatalogItem.id == sa.func.coalesce(Disbursement.catalog_item_id, AidRequest.catalog_item_id),
        )
        .order_by(Disbursement.disbursed_on, Disbursement.id)
        .limit(MAX_ROWS)
    )
    if args.get("start"):
        query = query.where(Disbursement.disbursed_on >= args["start"])
    if args.get("end"):
        query = query.where(Disbursement.disbursed_on <= args["end"])
    if args.get("number"):
        query = query.where(number_clause(args["number"]))
    if args.get("name"):
        query = query.where(name_clause(args["name"]))
    if args.get("program"):
        query = query.where(AidRequest.catalog_item_id == args["program"])
    return list(db.session.execute(query))


def row(disbursement: Disbursement, number: str | None, name: str, program: str | None) -> list[Any]:
    return [
        number or "",
        name,
        program or "",
        str(KIND_LABELS.get(disbursement.kind, disbursement.kind)),
        riyals(disbursement.value_halalas),
        disbursement.quantity,
        disbursement.description or "",
        str(DELIVERY_LABELS.get(disbursement.delivery_mode, disbursement.delivery_mode)),
        disbursement.provider_name or "",
        str(PROOF_LABELS.get(disbursement.proof_type, disbursement.proof_type)),
        disbursement.acknowledged_by or "",
        format_date(disbursement.disbursed_on),
    ]


def export_disbursements(args: dict):
    """The XLSX download of the disbursements matching ``args`` (audited; the caller commits)."""
    found = rows(args)
    record(
        "aid.disbursements_exported",
        "Disbursement",
        None,
        {
            "rows": len(found),
            **{k: str(v) for k, v in args.items() if v is not None and k not in ("queue", "sort")},
        },
    )
    title = _("Disbursements")
    return xlsx_response(
        f"{title}-{require_tenant().slug}.xlsx",
        title,
        headers(),
        (row(*found_row) for found_row in found),
        rtl=current_language() == "ar",
    )
