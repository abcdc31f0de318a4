"""The aid catalog (tenant admins extend it) and disbursements against approved requests."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from ..auth.permissions import can
from ..documents.models import Document
from ..documents.services import check_file, upload
from ..errors import Conflict, Forbidden
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_in_tenant, get_or_404
from ..numbers import format_halalas
from ..plugins import tenant_hooks
from ..registry.models import BeneficiaryFile, Household, Member
from ..requests import links
from ..requests.models import AidRequest
from ..requests.services import catalog
from ..requests.workflow import transition
from .models import CatalogItem, Disbursement

__all__ = [
    "catalog",
    "create_item",
    "disbursed_total",
    "disbursements_of",
    "household_aid_history",
    "install_default_catalog",
    "person_aid_total",
    "record_disbursement",
    "update_item",
    "upload_receipt",
]


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


def _proof_errors(request: AidRequest, data: dict, proof_file: bytes | None) -> dict:
    """Exactly one proof of receipt: a document (attached to this request, or uploaded now)
    or the name of who signed the acknowledgement. Sets ``data["proof_type"]`` accordingly."""

    errors: dict = {}
    document_id = data.get("proof_document_id")
    has_document = bool(document_id) or proof_file is not None
    has_ack = bool((data.get("acknowledged_by") or "").strip())
    declared = data.get("proof_type")
    if declared == "document" and not has_document:
        errors["proof_document_id"] = [_l("Attach the proof of receipt.")]
    elif declared == "acknowledgement" and not has_ack:
        errors["acknowledged_by"] = [_l("Enter who signed the acknowledgement of receipt.")]
    elif has_document and has_ack:
        errors["proof"] = [_l("Give one proof of receipt: a document or a signed acknowledgement, not both.")]
    elif not has_document and not has_ack:
        errors["proof"] = [
            _l("Give the proof of receipt: attach a document or enter who signed the acknowledgement.")
        ]
    if document_id and proof_file is not None:
        errors["proof"] = [_l("Give one proof of receipt: a document or a signed acknowledgement, not both.")]
    if document_id:
        document = get_in_tenant(Document, document_id)
        if document is None or document.request_id != request.id:
            errors["proof_document_id"] = [_l("No such document attached to this request.")]
    if proof_file is not None:
        _content_type, file_errors = check_file(proof_file)
        if file_errors:
            errors["proof_file"] = file_errors
    if not errors:
        data["proof_type"] = "document" if has_document else "acknowledgement"
        if data["proof_type"] == "document":
            data["acknowledged_by"] = None
    return errors


def upload_receipt(request: AidRequest, actor: Any, content: bytes, filename: str | None) -> Any:
    """Store a proof of receipt (scan or photo) attached to ``request`` (finance officer)."""

    if not can(actor, "requests.disburse"):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state not in ("approved", "disbursed"):
        raise Conflict(_("Only an approved request can receive a disbursement."))
    return upload(content, filename, {"doc_type": "receipt", "request_id": request.id}, user=actor)


def record_disbursement(
    request: AidRequest,
    actor: Any,
    data: dict,
    *,
    proof_file: bytes | None = None,
    proof_filename: str | None = None,
) -> Disbursement:
    """Aid handed over, in cash or in kind, with proof of receipt. The total never exceeds
    the approved amount.

    Every disbursement — the first (``approved`` → ``disbursed``) and each later one
    (``disbursed`` → ``disbursed``) — is the workflow step ``disburse``: role, state, core's
    and the plugins' preconditions (``validate_request_transition``) are checked before
    anything is written; then the timeline event, the audit entries, ``request_transitioned``
    and ``disbursement_recorded`` follow, every time.

    The proof is exactly one of: ``proof_document_id`` (a document attached to this request),
    ``proof_file`` (bytes uploaded with the form, stored once every check passed) or
    ``acknowledged_by`` (who signed the acknowledgement of receipt).
    """
    if not can(actor, "requests.disburse"):
        raise Forbidden(_("Your role cannot take this step."))
    data = dict(data)
    errors = _proof_errors(request, data, proof_file)
    if data.get("delivery_mode") == "provider" and not (data.get("provider_name") or "").strip():
        errors["provider_name"] = [_l("Enter the provider paid for the service.")]
    if errors:
        raise ValidationError(errors)
    if data.get("catalog_item_id") is not None:
        get_or_404(CatalogItem, data["catalog_item_id"])
    disbursement = Disbursement(
        tenant_id=request.tenant_id, request_id=request.id, recorded_by_id=actor.id, **data
    )

    def hand_over(req: AidRequest) -> None:
        already = disbursed_total(req)
        if req.approved_halalas is not None and already + data["value_halalas"] > req.approved_halalas:
            raise Conflict(
                _(
                    "The disbursements would exceed the approved amount of %(amount)s SAR.",
                    amount=format_halalas(req.approved_halalas),
                )
            )
        if proof_file is not None:
            document = upload_receipt(req, actor, proof_file, proof_filename)
            disbursement.proof_document_id = document.id
        db.session.add(disbursement)
        db.session.flush()

    summary = {
        "value_halalas": data["value_halalas"],
        "kind": data["kind"],
        "delivery_mode": data.get("delivery_mode", "direct"),
        "provider_name": data.get("provider_name"),
        "proof_type": data["proof_type"],
        "proof_document_id": data.get("proof_document_id"),
    }
    transition(request, "disburse", actor, data=summary, apply=hand_over)
    summary["proof_document_id"] = disbursement.proof_document_id
    links.audit("aid.disbursement", disbursement, actor, summary)
    tenant_hooks().disbursement_recorded(disbursement=disbursement, request=request)
    return disbursement


# --------------------------------------------------------------------------- aid history


def household_aid_history(household: Any) -> dict:
    """The requests of a household's beneficiary file and every disbursement made on them.

    ``{"requests": [AidRequest …], "disbursements": [(Disbursement, AidRequest, program) …],
    "total_halalas": int}``, newest first; ``program`` is the catalog item (or None).
    """

    file_ids = db.select(BeneficiaryFile.id).where(BeneficiaryFile.household_id == household.id)
    requests = list(
        db.session.scalars(
            db.select(AidRequest).where(AidRequest.file_id.in_(file_ids)).order_by(AidRequest.id.desc())
        )
    )
    by_id = {r.id: r for r in requests}
    items = {i.id: i for i in catalog()}
    rows = []
    if by_id:
        for d in db.session.scalars(
            db.select(Disbursement)
            .where(Disbursement.request_id.in_(list(by_id)))
            .order_by(Disbursement.disbursed_on.desc(), Disbursement.id.desc())
        ):
            request = by_id[d.request_id]
            program = items.get(d.catalog_item_id or request.catalog_item_id or -1)
            rows.append((d, request, program))
    return {
        "requests": requests,
        "disbursements": rows,
        "total_halalas": sum(d.value_halalas for d, *_ in rows),
    }


def person_aid_total(person: Any) -> int:
    """Halalas disbursed, in the current tenant, on the files of every household the person
    heads or belongs to."""

    households = (
        db.select(Household.id)
        .where(Household.head_person_id == person.id)
        .union(db.select(Member.household_id).where(Member.person_id == person.id))
    )
    files = db.select(BeneficiaryFile.id).where(BeneficiaryFile.household_id.in_(households))
    requests = db.select(AidRequest.id).where(AidRequest.file_id.in_(files))
    return int(
        db.session.scalar(
            db.select(db.func.coalesce(db.func.sum(Disbursement.value_halalas), 0)).where(
                Disbursement.request_id.in_(requests)
            )
        )
    )
