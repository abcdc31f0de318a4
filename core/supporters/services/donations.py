"""Donations (cash or in kind, optionally restricted to a program or a campaign) with their
gap-free receipt numbers, the thank-you message (only through a consented channel), and the
agreements signed with supporters (their contract file checked and stored like any document)."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from marshmallow import ValidationError

from ...aid.models import SEASONS, CatalogItem
from ...calendar import today
from ...documents.files import EXTENSIONS
from ...documents.services import accept_file
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...lookup import get_in_tenant
from ...notifications import notify
from ...numbers import format_halalas
from ...requests.numbering import next_in_sequence
from ...storage import get_storage, tenant_key
from ...tenancy import require_tenant
from ...validation import check_text
from ..models import (
    AGREEMENT_KINDS,
    DONATION_KINDS,
    METHODS,
    Agreement,
    Donation,
    Instalment,
    Pledge,
    ReceiptCounter,
    Supporter,
)
from .common import CHOOSE, audit, check_manage
from .supporters import became_active, contact_targets

RECEIPT_PREFIX = "R"

TEMPLATES: dict[str, tuple[Any, Any]] = {
    "supporter_receipt": (
        _l("%(tenant)s: receipt %(number)s — thank you"),
        _l(
            "%(tenant)s thanks you for your gift of %(amount)s SAR received on %(date)s. Receipt number %(number)s."
        ),
    ),
}


def restriction_errors(data: dict) -> dict:
    errors: dict = {}
    item_id, season = data.get("catalog_item_id"), data.get("season")
    if item_id is not None and get_in_tenant(CatalogItem, item_id) is None:
        errors["catalog_item_id"] = [CHOOSE]
    if season is not None and season not in SEASONS:
        errors["season"] = [CHOOSE]
    if item_id is not None and season is not None:
        errors["season"] = [_l("Restrict the gift to a program or to a campaign, not both.")]
    return errors


def donation_errors(supporter: Supporter | None, data: dict, on: date) -> dict:
    errors = restriction_errors(data)
    if supporter is None:
        errors["supporter_id"] = [CHOOSE]
    kind, method = data.get("kind"), data.get("method")
    if kind not in DONATION_KINDS:
        errors["kind"] = [CHOOSE]
    if method not in METHODS:
        errors["method"] = [CHOOSE]
    elif (kind == "in_kind") != (method == "in_kind"):
        errors["method"] = [
            _l("A gift in kind is received in kind; a cash gift by cash, transfer, cheque or card.")
        ]
    value = data.get("value_halalas")
    if not isinstance(value, int) or value <= 0:
        errors["value_halalas"] = [_l("Give an amount greater than zero.")]
    if kind == "in_kind" and not (data.get("description") or "").strip():
        errors["description"] = [_l("Describe the goods received.")]
    if problems := check_text(data.get("description")):
        errors["description"] = problems
    quantity = data.get("quantity")
    if quantity is not None and quantity <= 0:
        errors["quantity"] = [_l("Give a quantity greater than zero.")]
    received = data.get("received_on")
    if received is None:
        errors["received_on"] = [_l("Give the date the gift was received.")]
    elif received > on:
        errors["received_on"] = [_l("The date cannot be in the future.")]
    instalment_id = data.get("instalment_id")
    if instalment_id is not None and supporter is not None and "value_halalas" not in errors:
        instalment = get_in_tenant(Instalment, instalment_id)
        pledge = get_in_tenant(Pledge, instalment.pledge_id) if instalment else None
        if pledge is None or pledge.supporter_id != supporter.id:
            errors["instalment_id"] = [CHOOSE]
        elif value > instalment.amount_halalas - instalment.paid_halalas:
            errors["value_halalas"] = [_l("More than what remains of this instalment.")]
    return errors


def record_donation(data: dict, actor: Any, *, on: date | None = None) -> Donation:
    """Record a gift and give it the next receipt number (in the same transaction: a refused or
    rolled-back gift takes no number). An instalment it pays is credited; the supporter becomes
    active; a thank-you goes out only through the channels the supporter consented to."""
    check_manage(actor)
    on = on or today()
    supporter = get_in_tenant(Supporter, data.get("supporter_id"))
    if errors := donation_errors(supporter, data, on):
        raise ValidationError(errors)
    donation = Donation(
        supporter_id=supporter.id,
        kind=data["kind"],
        method=data["method"],
        value_halalas=data["value_halalas"],
        description=(data.get("description") or "").strip() or None,
        quantity=data.get("quantity"),
        received_on=data["received_on"],
        catalog_item_id=data.get("catalog_item_id"),
        season=data.get("season"),
        instalment_id=data.get("instalment_id"),
        recorded_by_id=actor.id,
    )
    donation.receipt_year, donation.receipt_seq, donation.receipt_number = next_in_sequence(
        ReceiptCounter.__table__, donation.received_on, RECEIPT_PREFIX
    )
    db.session.add(donation)
    if donation.instalment_id is not None:
        instalment = get_in_tenant(Instalment, donation.instalment_id)
        instalment.paid_halalas += donation.value_halalas
    db.session.flush()
    audit("donation", "donation", donation.id, actor, {
        "kind": donation.kind, "value_halalas": donation.value_halalas, "receipt": donation.receipt_number,
        "restricted": donation.restricted,
    })  # fmt: skip
    became_active(supporter, actor, donation.received_on)
    targets = contact_targets(supporter)
    if targets["email"] or targets["phone"]:
        notify(
            "supporter_receipt",
            {"number": donation.receipt_number, "amount": format_halalas(donation.value_halalas),
             "date": donation.received_on},
            email=targets["email"], phone=targets["phone"],
        )  # fmt: skip
    return donation


def donations_of(supporter: Supporter) -> list[Donation]:
    return list(
        db.session.scalars(
            db.select(Donation)
            .where(Donation.supporter_id == supporter.id)
            .order_by(Donation.received_on.desc(), Donation.receipt_seq.desc())
        )
    )


# --------------------------------------------------------------------------- agreements


def _filename(name: str | None, content_type: str) -> str:
    stem = re.sub(r"[^\w.\- ]", "_", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" .")[:120]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return f"{stem or 'agreement'}.{EXTENSIONS[content_type]}"


def create_agreement(
    supporter: Supporter, data: dict, actor: Any, *, file: bytes | None = None, filename: str | None = None
) -> Agreement:
    """An agreement with its dates and, optionally, the signed contract (checked like a document)."""
    check_manage(actor)
    errors: dict = {}
    if data.get("kind") not in AGREEMENT_KINDS:
        errors["kind"] = [CHOOSE]
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = [_l("Give the agreement a title.")]
    elif problems := check_text(title):
        errors["title"] = problems
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts is None:
        errors["starts_on"] = [_l("Give the date the agreement starts.")]
    if ends is None:
        errors["ends_on"] = [_l("Give the date the agreement ends.")]
    elif starts is not None and ends < starts:
        errors["ends_on"] = [_l("The end date cannot be before the start date.")]
    value = data.get("value_halalas")
    if value is not None and value < 0:
        errors["value_halalas"] = [_l("Give an amount of zero or more.")]
    content_type, cleaned = None, b""
    if file:
        content_type, cleaned, file_errors = accept_file(file)
        if file_errors:
            errors["file"] = file_errors
    if errors:
        raise ValidationError(errors)
    agreement = Agreement(
        supporter_id=supporter.id, kind=data["kind"], title=title, starts_on=starts, ends_on=ends,
        value_halalas=value, created_by_id=actor.id,
    )  # fmt: skip
    db.session.add(agreement)
    db.session.flush()
    audit("agreement", "agreement", agreement.id, actor, {
        "kind": agreement.kind, "starts_on": starts.isoformat(), "ends_on": ends.isoformat(),
    })  # fmt: skip
    if content_type:
        _store(agreement, content_type, cleaned, filename, actor)
    return agreement


def attach_agreement_file(agreement: Agreement, data: bytes, filename: str | None, actor: Any) -> Agreement:
    """The signed contract of an agreement (replaces an earlier file), checked like any document."""
    check_manage(actor)
    content_type, cleaned, file_errors = accept_file(data)
    if file_errors:
        raise ValidationError({"file": file_errors})
    _store(agreement, content_type, cleaned, filename, actor)
    return agreement


def _store(agreement: Agreement, content_type: str, data: bytes, filename: str | None, actor: Any) -> None:
    agreement.filename = _filename(filename, content_type)
    agreement.content_type, agreement.size = content_type, len(data)
    agreement.sha256 = hashlib.sha256(data).hexdigest()
    agreement.storage_key = tenant_key(require_tenant().id, "supporters")
    db.session.flush()
    get_storage().put(agreement.storage_key, data)
    audit("agreement_file", "agreement", agreement.id, actor, {"size": len(data), "type": content_type})


def agreement_file(agreement: Agreement, actor: Any) -> bytes:
    check_manage(actor)
    audit("agreement_download", "agreement", agreement.id, actor)
    return get_storage().get(agreement.storage_key)


def agreements_of(supporter: Supporter) -> list[Agreement]:
    return list(
        db.session.scalars(
            db.select(Agreement)
            .where(Agreement.supporter_id == supporter.id)
            .order_by(Agreement.starts_on.desc())
        )
    )
