"""The aid catalog (tenant admins extend it) and disbursements against approved requests."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from ..auth.permissions import can
from ..errors import Conflict, NotFound
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..numbers import format_halalas
from ..requests import links
from ..requests.models import AidRequest
from ..requests.workflow import Forbidden, record_event, transition
from .models import CatalogItem, Disbursement


def catalog(active_only: bool = False) -> list[CatalogItem]:
    query = db.select(CatalogItem).order_by(CatalogItem.seasonal, CatalogItem.code)
    if active_only:
        query = query.where(CatalogItem.active.is_(True))
    return list(db.session.scalars(query))


def get_item(item_id: int) -> CatalogItem:
    item = db.session.get(CatalogItem, item_id)
    if item is None:
        raise NotFound(_("Not found."))
    return item


def _check_manage(actor: Any) -> None:
    if not can(actor, "catalog.manage"):
        raise Forbidden(_("Your role cannot take this step."))


def create_item(data: dict, actor: Any) -> CatalogItem:
    _check_manage(actor)
    if db.session.scalars(db.select(CatalogItem).where(CatalogItem.code == data["code"])).first():
        raise ValidationError({"code": [_l("An item with this code already exists.")]})
    item = CatalogItem(**data)
    db.session.add(item)
    db.session.flush()
    links.audit("catalog.create", item, actor, {"code": item.code})
    return item


def update_item(item: CatalogItem, data: dict, actor: Any) -> CatalogItem:
    _check_manage(actor)
    for key, value in data.items():
        setattr(item, key, value)
    db.session.flush()
    links.audit("catalog.update", item, actor, {k: v for k, v in data.items() if not hasattr(v, "isoformat")})
    return item


def install_default_catalog(tenant: Any) -> int:
    """Add the items of ``register_aid_catalog`` the tenant does not have yet; returns how many."""
    from ..plugins import tenant_hooks

    existing = {item.code for item in catalog()}
    added = 0
    seen: set[str] = set()
    for declared in tenant_hooks().register_aid_catalog(tenant=tenant):
        for spec in declared or []:
            if spec["code"] in seen or spec["code"] in existing:
                continue
            seen.add(spec["code"])
            db.session.add(CatalogItem(**spec))
            added += 1
    db.session.flush()
    return added


def disbursed_total(request: AidRequest) -> int:
    return int(
        db.session.scalar(
            db.select(db.func.coalesce(db.func.sum(Disbursement.value_halalas), 0)).where(
                Disbursement.request_id == request.id
            )
        )
    )


def disbursements_of(request: AidRequest) -> list[Disbursement]:
    return list(
        db.session.scalars(
            db.select(Disbursement).where(Disbursement.request_id == request.id).order_by(Disbursement.id)
        )
    )


def record_disbursement(request: AidRequest, actor: Any, data: dict) -> Disbursement:
    """Aid handed over, in cash or in kind, with proof of receipt; the first one moves the
    request to ``disbursed``. The total never exceeds the approved amount."""
    from ..calendar import format_date
    from ..plugins import tenant_hooks
    from ..requests.services import _notify

    if not can(actor, "requests.disburse"):
        raise Forbidden(_("Your role cannot take this step."))
    if data["proof_type"] == "document" and not data.get("proof_document_id"):
        raise ValidationError({"proof_document_id": [_l("Attach the proof of receipt.")]})
    if data["proof_type"] == "acknowledgement" and not (data.get("acknowledged_by") or "").strip():
        raise ValidationError({"acknowledged_by": [_l("Enter who signed the acknowledgement of receipt.")]})
    if data.get("delivery_mode") == "provider" and not (data.get("provider_name") or "").strip():
        raise ValidationError({"provider_name": [_l("Enter the provider paid for the service.")]})
    if data.get("catalog_item_id") is not None:
        get_item(data["catalog_item_id"])
    disbursement = Disbursement(
        tenant_id=request.tenant_id, request_id=request.id, recorded_by_id=actor.id, **data
    )

    def check_total() -> None:
        already = disbursed_total(request)
        if (
            request.approved_halalas is not None
            and already + data["value_halalas"] > request.approved_halalas
        ):
            raise Conflict(
                _(
                    "The disbursements would exceed the approved amount of %(amount)s SAR.",
                    amount=format_halalas(request.approved_halalas),
                )
            )

    summary = {
        "value_halalas": data["value_halalas"],
        "kind": data["kind"],
        "delivery_mode": data.get("delivery_mode", "direct"),
        "proof_type": data["proof_type"],
    }
    if request.state == "approved":

        def apply(req: AidRequest) -> None:
            check_total()
            db.session.add(disbursement)

        transition(request, "disburse", actor, data=summary, apply=apply)
    elif request.state == "disbursed":
        from ..requests.workflow import PRECONDITIONS

        problems = [m for check in PRECONDITIONS["disburse"] for m in check(request)]
        if problems:
            raise Conflict(problems[0], {"_schema": problems})
        check_total()
        db.session.add(disbursement)
        db.session.flush()
        record_event(request, "disburse_more", actor, data=summary)
    else:
        raise Conflict(_("Only an approved request can receive a disbursement."))
    db.session.flush()
    links.audit("aid.disbursement", disbursement, actor, summary)
    tenant_hooks().disbursement_recorded(disbursement=disbursement, request=request)
    _notify(
        request,
        "aid_disbursed",
        amount=format_halalas(disbursement.value_halalas),
        date=format_date(disbursement.disbursed_on),
    )
    return disbursement
