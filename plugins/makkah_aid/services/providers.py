"""Providers and provider-delivered services (seed 004, "تغطية تكاليف شراء الخدمات المطلوبة من
الجهات التي تقدمها للمستفيد"): a provider is a tenant record (name, the service it delivers,
its contract, bank details kept to finance); a disbursement a provider delivers names it, and
its proof of receipt is the provider's invoice or the beneficiary's acknowledgement."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from marshmallow import ValidationError

from core.toolkit import (
    AidRequest,
    CatalogItem,
    Disbursement,
    Document,
    FileSlot,
    Forbidden,
    audit_record,
    can,
    check_name,
    check_text,
    current_language,
    db,
    get_in_tenant,
    normalize_digits,
)

from ..i18n import _, _l
from ..models import Provider, ProviderDelivery
from ..settings import DOMAINS
from .rule_versions import settings

CONTRACT_AREA = "makkah_aid_contracts"
# The provider's signed contract: stored with the provider (its audit entry says which file),
# read back through the slot, each download audited.
CONTRACT = FileSlot(
    area=CONTRACT_AREA,
    stored_action="makkah_aid.provider.updated",
    read_action="makkah_aid.provider.contract_read",
    entity="makkah_aid_provider",
    attribute="contract_file",
    field="contract",
    missing=_l("No contract is kept for this provider."),
    default_name="contract",
)

INVOICE_TYPE = "provider_invoice"
# Seed 004's services ("الخدمات المتوفرة في الجمعية تقدم مباشرة للمستفيد مثل: غسيل الكلى، خدمات
# السمع والنطق، إسكان الأرامل والمطلقات") and one per remaining domain, declared to the catalog.
SEED_SERVICES = [
    ("dialysis", "غسيل الكلى", "Dialysis", "in_kind", "individual"),
    ("speech_hearing", "خدمات السمع والنطق", "Speech and hearing services", "in_kind", "individual"),
    ("widows_housing", "إسكان الأرامل والمطلقات", "Housing for widows and divorcees", "in_kind", "family"),
    ("medical_treatment", "تكاليف العلاج", "Medical treatment costs", "cash", "individual"),
    ("education_support", "دعم تعليمي", "Education support", "cash", "individual"),
]
IBAN = re.compile(r"^SA\d{22}$")
BANK_FIELDS = ("bank_name", "iban", "account_holder")


def catalog_declarations() -> list[dict]:
    return [
        {
            "code": code,
            "name_ar": ar,
            "name_en": en,
            "kind": kind,
            "unit": unit,
            "default_value_halalas": None,
            "seasonal": False,
            "season": None,
        }
        for code, ar, en, kind, unit in SEED_SERVICES
    ]


def domain_of(item: CatalogItem | None) -> str | None:
    """An item's relief domain (tenant setting by item code); seasonal items are in kind."""
    if item is None:
        return None
    domains = {row["item_code"]: row["domain"] for row in settings().get("catalog_domains") or []}
    return domains.get(item.code) or ("in_kind" if item.seasonal else None)


def services_by_domain() -> list[tuple[str, list[CatalogItem]]]:
    items = list(db.session.scalars(db.select(CatalogItem).where(CatalogItem.active.is_(True))))
    grouped: dict[str, list] = {d: [] for d in (*DOMAINS, "")}
    for item in items:
        grouped[domain_of(item) or ""].append(item)
    return [(d, grouped[d]) for d in (*DOMAINS, "") if grouped[d]]


def providers(active_only: bool = False) -> list[Provider]:
    query = db.select(Provider).order_by(Provider.name)
    if active_only:
        query = query.where(Provider.active.is_(True))
    return list(db.session.scalars(query))


def may_see_bank(user: Any) -> bool:
    return can(user, "makkah_aid.provider_bank")


def _check(data: dict, actor: Any, provider: Provider | None) -> dict:
    errors: dict = {}
    name = (data.get("name") or "").strip()
    if provider is None or "name" in data:
        if not name:
            errors["name"] = [_("Enter the provider's name.")]
        elif check_name(name) or len(name) > 255:
            errors["name"] = check_name(name) or [_("At most 255 characters.")]
        elif db.session.scalar(
            db.select(Provider.id).where(Provider.name == name, Provider.id != getattr(provider, "id", 0))
        ):
            errors["name"] = [_("A provider with this name is already recorded.")]
    if provider is None or "catalog_item_id" in data:
        item = (
            get_in_tenant(CatalogItem, data.get("catalog_item_id")) if data.get("catalog_item_id") else None
        )
        if item is None:
            errors["catalog_item_id"] = [_("Choose the service the provider delivers.")]
    if any(data.get(k) for k in BANK_FIELDS) and not may_see_bank(actor):
        raise Forbidden(_("Only finance records a provider's bank details."))
    for key in ("phone", "contract_reference", "notes", "bank_name", "account_holder"):
        if isinstance(data.get(key), str) and check_text(data[key]):
            errors[key] = check_text(data[key])
    if data.get("iban"):
        iban = normalize_digits(data["iban"]).replace(" ", "").upper()
        if not IBAN.match(iban):
            errors["iban"] = [_("Enter a Saudi IBAN: SA followed by 22 digits.")]
        data["iban"] = iban
    return errors


def save_provider(
    data: dict,
    actor: Any,
    provider: Provider | None = None,
    *,
    contract: bytes | None = None,
    contract_filename: str | None = None,
) -> Provider:
    """Add or change a provider; a new one needs its contract document."""
    data = dict(data)
    errors = _check(data, actor, provider)
    if provider is None and not contract:
        errors["contract"] = [_("Attach the provider's contract.")]
    if errors:
        raise ValidationError(errors)
    stored = CONTRACT.keep(contract, contract_filename) if contract else None
    creating = provider is None
    if creating:
        provider = Provider(created_by_id=getattr(actor, "id", None))
        db.session.add(provider)
    for key in (
        "name",
        "catalog_item_id",
        "phone",
        "contract_reference",
        "contract_ends_on",
        "notes",
        "active",
    ):
        if key in data:
            value = data[key]
            setattr(provider, key, value.strip() if isinstance(value, str) else value)
    for key in BANK_FIELDS:
        if key in data and may_see_bank(actor):
            setattr(provider, key, (data[key] or "").strip())
    if stored is not None:
        provider.contract_file = stored.as_dict()
    db.session.flush()
    audit_record(
        "makkah_aid.provider.created" if creating else "makkah_aid.provider.updated",
        "makkah_aid_provider",
        provider.id,
        {
            "fields": sorted(k for k in data if k not in BANK_FIELDS),
            "bank_details": any(k in data for k in BANK_FIELDS),
            "contract": stored.sha256 if stored else None,
        },
        user=actor,
    )
    return provider


def update_provider(provider: Provider, changes: dict, actor: Any, upload: Any = None) -> Provider:
    """Managers change a provider; finance changes only its bank details (403 otherwise)."""
    if (set(changes) - set(BANK_FIELDS) or upload) and not can(actor, "makkah_aid.providers"):
        raise Forbidden(_("Your role cannot take this step."))
    return save_provider(
        changes,
        actor,
        provider,
        contract=upload.read() if upload else None,
        contract_filename=upload.filename if upload else None,
    )


def provider_view(provider: Provider, user: Any) -> dict:
    """A provider as a page or the API shows it; bank details only to finance."""
    item = get_in_tenant(CatalogItem, provider.catalog_item_id)
    view = {
        "id": provider.id,
        "name": provider.name,
        "catalog_item_id": provider.catalog_item_id,
        "service": (item.name_ar if item else "") if _lang_ar() else (item.name_en if item else ""),
        "domain": domain_of(item),
        "phone": provider.phone,
        "contract_reference": provider.contract_reference,
        "contract_ends_on": provider.contract_ends_on,
        "contract_filename": (provider.contract_file or {}).get("filename"),
        "active": provider.active,
        "notes": provider.notes,
    }
    if may_see_bank(user):
        view.update({k: getattr(provider, k) for k in BANK_FIELDS})
    return view


def _lang_ar() -> bool:
    return current_language() == "ar"


# --------------------------------------------------------------------------- provider deliveries


def check_provider_disbursement(request: AidRequest, data: dict) -> dict[str, list[str]]:
    """``validate_request_transition`` for ``disburse``: a provider-delivered disbursement names
    one of the tenant's active providers, and its proof is the provider's invoice (a document of
    type "provider invoice" attached to the request) or the beneficiary's acknowledgement.
    Field errors (422 on ``provider_name`` / ``proof_document_id``): the form can point at them."""
    if data.get("delivery_mode") != "provider":
        return {}
    name = (data.get("provider_name") or "").strip()
    provider = db.session.scalars(
        db.select(Provider).where(Provider.name == name, Provider.active.is_(True))
    ).first()
    errors: dict[str, list[str]] = {}
    if provider is None:
        errors["provider_name"] = [_("Choose the provider among the association's providers.")]
    if data.get("proof_type") == "document":
        document = (
            get_in_tenant(Document, data.get("proof_document_id")) if data.get("proof_document_id") else None
        )
        if document is None or document.doc_type != INVOICE_TYPE:
            errors["proof_document_id"] = [
                _(
                    "A service delivered by a provider is proven by the provider's invoice (attach it to "
                    "the request as a provider invoice) or by the beneficiary's acknowledgement."
                )
            ]
    return errors


def link_delivery(disbursement: Disbursement, request: AidRequest) -> ProviderDelivery | None:
    """``disbursement_recorded``: remember which provider delivered it."""
    if disbursement.delivery_mode != "provider":
        return None
    provider = db.session.scalars(
        db.select(Provider).where(Provider.name == disbursement.provider_name)
    ).first()
    if provider is None:
        return None
    delivery = ProviderDelivery(
        disbursement_id=disbursement.id,
        provider_id=provider.id,
        request_id=request.id,
        proof="invoice" if disbursement.proof_type == "document" else "acknowledgement",
    )
    db.session.add(delivery)
    db.session.flush()
    audit_record(
        "makkah_aid.provider.delivered",
        "makkah_aid_provider",
        provider.id,
        {"disbursement_id": disbursement.id, "request_id": request.id, "proof": delivery.proof},
    )
    return delivery


def deliveries_of(provider: Provider) -> list[tuple[ProviderDelivery, Disbursement]]:
    rows = db.session.execute(
        db.select(ProviderDelivery, Disbursement)
        .join(Disbursement, Disbursement.id == ProviderDelivery.disbursement_id)
        .where(ProviderDelivery.provider_id == provider.id)
        .order_by(ProviderDelivery.id.desc())
    )
    return [(d, b) for d, b in rows]


def contract_expired(provider: Provider, on: date) -> bool:
    return provider.contract_ends_on is not None and provider.contract_ends_on < on
