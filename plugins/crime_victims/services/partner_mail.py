"""Sending a partner's link to the partner's contact e-mail (issue 15, "Partner access").

Through core's notifications outbox, like every message of the platform: an e-mail in the
association's default language (Arabic first) naming the association, the referral's area and
the date the link stops working — never the victim's name, narrative, ID number or anything of
the case. The link's address is never kept in clear: the outbox keeps the message with it
masked and the text as sent encrypted until it is sent (``Sealed``); the link itself is
stored as a hash, as always."""

from __future__ import annotations

from core.toolkit import Conflict, Sealed, get_in_tenant, notify, page_url, require_tenant

from ..i18n import _, _l
from ..models_care import Need, Partner, Referral
from ..models_partner import PartnerLink
from ..schemas import AREA_LABELS
from .cases import check_invalid

TEMPLATE = "crime_victims_partner_link"
FIELD = "send_email"

# (subject, body) for ``register_notification_templates``: %(tenant)s is the association's name.
MESSAGE = (
    _l("%(tenant)s: a referral for your organisation"),
    _l(
        "%(tenant)s has referred a case to your organisation for a service in the area of "
        "%(area)s.\n\nOpen the referral with this link to accept or decline it and to report "
        "the service: %(url)s\n\nThe link works until %(date)s, or until the referral is "
        "completed or declined. It is for your organisation only: do not forward it."
    ),
)


def address_of(partner: Partner) -> str:
    return (partner.email or "").strip()


def check_sendable(partner: Partner) -> None:
    """A field error on ``send_email`` when the partner's register entry has no e-mail."""
    check_invalid(
        not address_of(partner),
        FIELD,
        _("This partner has no e-mail address in the register: add one to the partner first."),
    )


def send_link(link: PartnerLink, token: str, referral: Referral, partner: Partner) -> dict:
    """Queue the link's e-mail to the partner (the caller commits); what the audit records of it."""
    need = get_in_tenant(Need, referral.need_id)
    messages = notify(
        TEMPLATE,
        {
            "area": AREA_LABELS.get(need.area, need.area),
            "date": link.expires_on,
            "url": Sealed(page_url("crime_victims_partner.link", token=token)),
        },
        email=address_of(partner),
        locale=require_tenant().default_locale or "ar",
        only=("email",),
    )
    if not messages:
        raise Conflict(_("E-mail is not available for this association: show the link instead."))
    return {"channel": "email", "message_id": messages[0].id, "status": messages[0].status}
