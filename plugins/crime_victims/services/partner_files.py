"""A partner organisation's signed agreement: a file kept outside the documents table through
core's ``store_file``, uploaded and downloaded only by staff who keep the register of partners;
both audited (the file's hash, never its content)."""

from __future__ import annotations

from core.toolkit import NotFound, audit_record, read_stored, store_file

from ..i18n import _
from ..models_care import Partner
from .cases import check_invalid
from .steps import allow

PARTNERS = "crime_victims.partners"
AREA = "crime_victims_agreements"


def attach_agreement(partner: Partner, data: bytes | None, filename: str | None, actor) -> Partner:
    """Keep ``data`` as the partner's agreement (replacing an earlier one); a field error on
    ``agreement`` for a missing or unacceptable file, nothing stored."""
    allow(actor, PARTNERS)
    check_invalid(not data, "agreement", _("Choose the signed agreement file."))
    stored = store_file(data, filename, AREA, "agreement")
    replaced = bool((partner.agreement_file or {}).get("storage_key"))
    partner.agreement_file = stored.as_dict()
    audit_record(
        "crime_victims.partner.agreement_attached",
        "crime_victims_partner",
        partner.id,
        {"sha256": stored.sha256, "size": stored.size, "replaced": replaced},
        user=actor,
    )
    return partner


def agreement_of(partner: Partner, actor) -> tuple[bytes, str, str]:
    """The agreement's bytes, file name and type for a download (audited)."""
    allow(actor, PARTNERS)
    stored = partner.agreement_file or {}
    if not stored.get("storage_key"):
        raise NotFound(_("This partner has no agreement file."))
    data = read_stored(stored["storage_key"])
    audit_record(
        "crime_victims.partner.agreement_downloaded",
        "crime_victims_partner",
        partner.id,
        {"sha256": stored.get("sha256")},
        user=actor,
    )
    return (
        data,
        stored.get("filename") or "agreement",
        stored.get("content_type") or "application/octet-stream",
    )
