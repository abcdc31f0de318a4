"""A partner organisation's signed agreement: a file kept outside the documents table through
core's ``FileSlot``, uploaded and downloaded only by staff who keep the register of partners;
both audited (the file's hash, never its content)."""

from __future__ import annotations

from core.toolkit import FileSlot

from ..i18n import _l
from ..models_care import Partner

PARTNERS = "crime_victims.partners"
AREA = "crime_victims_agreements"

AGREEMENT = FileSlot(
    area=AREA,
    stored_action="crime_victims.partner.agreement_attached",
    read_action="crime_victims.partner.agreement_downloaded",
    entity="crime_victims_partner",
    attribute="agreement_file",
    field="agreement",
    permission=PARTNERS,
    required=_l("Choose the signed agreement file."),
    missing=_l("This partner has no agreement file."),
    stored_details=("sha256", "size", "replaced"),
    read_details=("sha256",),
    default_name="agreement",
)


def attach_agreement(partner: Partner, data: bytes | None, filename: str | None, actor) -> Partner:
    """Keep ``data`` as the partner's agreement (replacing an earlier one); a field error on
    ``agreement`` for a missing or unacceptable file, nothing stored."""
    return AGREEMENT.store(partner, data, filename, actor)


def agreement_of(partner: Partner, actor) -> tuple[bytes, str, str]:
    """The agreement's bytes, file name and type for a download (audited)."""
    return AGREEMENT.read(partner, actor)
