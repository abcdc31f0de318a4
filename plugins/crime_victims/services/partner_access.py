"""Partner access: staff issue a partner organisation a scoped, expiring link to ONE referral;
the partner opens it without a login, acknowledges the referral (accept, or decline with a
reason) and reports progress and the outcome through the same transitions staff use
(:func:`care.move`). Only a hash of the link's random token is stored; every use is recorded
and audited with the partner as the actor."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from marshmallow import Schema, fields, validate

from core.toolkit import (
    Conflict,
    NotFound,
    Text,
    User,
    audit_record,
    db,
    get_in_tenant,
    plugin_settings,
    require_tenant,
    today,
    utcnow,
)

from .. import rules
from ..i18n import _, _l
from ..models_care import Need, Partner, Referral
from ..models_partner import PartnerLink, PartnerLinkUse
from . import care, partner_mail
from .cases import check_invalid
from .steps import allow

PLUGIN_ID = "crime_victims"
# What the partner may do through the link: the referral status each action moves to.
PARTNER_ACTIONS = {
    "accept": "accepted",
    "decline": "declined",
    "in_service": "in_service",
    "complete": "completed",
}
NOT_VALID = _l("This link is not valid: it may have expired, been withdrawn, or its referral has ended.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PartnerActor:
    """The partner organisation as the actor of the audit trail (no user account)."""

    partner_id: int
    name: str
    id: None = None

    @property
    def email(self) -> str:
        """How the audit trail names the partner: in the association's language, whatever
        language the partner reads the page in (one name for one actor)."""
        with force_locale(require_tenant().default_locale or "ar"):
            return _("Partner: %(name)s", name=self.name)


@dataclass(frozen=True)
class LinkAccess:
    """An open link with everything its page may show (nothing of the victim)."""

    link: PartnerLink
    referral: Referral
    partner: Partner
    need: Need


class ReportSchema(Schema):
    class Meta:
        unknown = "raise"

    action = fields.String(required=True, validate=validate.OneOf(tuple(PARTNER_ACTIONS), error=care.CHOOSE))
    reason = Text(load_default="", validate=validate.Length(max=2000))
    outcome = Text(load_default="", validate=validate.Length(max=2000))


def _audit(action: str, link: PartnerLink, details: dict, actor) -> None:
    audit_record(
        f"crime_victims.partner_link.{action}",
        "crime_victims_partner_link",
        link.id,
        {"referral_id": link.referral_id, **details},
        user=actor,
    )


# --------------------------------------------------------------------------- staff


def current_link(referral: Referral) -> PartnerLink | None:
    """The link out for the referral (the newest not revoked), if any."""
    return db.session.scalar(
        sa.select(PartnerLink)
        .where(PartnerLink.referral_id == referral.id, PartnerLink.revoked_at.is_(None))
        .order_by(PartnerLink.id.desc())
        .limit(1)
    )


def _end(link: PartnerLink, why: str, actor) -> None:
    link.revoked_at, link.revoked_by_id, link.revoked_why = utcnow(), getattr(actor, "id", None), why


def issue(
    referral: Referral, actor, *, on: date | None = None, send_email: bool = False
) -> tuple[PartnerLink, str]:
    """A new link for the referral's partner (replacing the one out, if any); returns the link
    and its token — shown once, never stored. ``send_email``: the link is also e-mailed to the
    partner's contact address through the outbox (audited ``sent``); a partner without an
    e-mail is a field error on ``send_email`` and nothing is issued."""
    allow(actor, care.CARE)
    if referral.status in rules.LINK_ENDING_STATUSES:
        raise Conflict(_("This referral has ended: a partner link is no longer useful."))
    partner = get_in_tenant(Partner, referral.partner_id)
    if send_email:
        partner_mail.check_sendable(partner)
    previous = current_link(referral)
    if previous is not None:
        _end(previous, "replaced", actor)
        _audit("revoked", previous, {"why": "replaced"}, actor)
    token = secrets.token_urlsafe(32)
    days = int(plugin_settings(PLUGIN_ID)["partner_link_days"])
    link = PartnerLink(
        referral_id=referral.id,
        token_hash=token_hash(token),
        expires_on=rules.partner_link_expiry(on or today(), days),
        issued_by_id=actor.id,
    )
    db.session.add(link)
    db.session.flush()
    _audit("issued", link, {"partner_id": referral.partner_id, "expires_on": link.expires_on}, actor)
    if send_email:
        _audit("sent", link, partner_mail.send_link(link, token, referral, partner), actor)
    return link, token


def revoke(referral: Referral, actor) -> PartnerLink:
    allow(actor, care.CARE)
    link = current_link(referral)
    if link is None:
        raise Conflict(_("No link is out for this referral."))
    _end(link, "revoked", actor)
    _audit("revoked", link, {"why": "revoked"}, actor)
    return link


@dataclass(frozen=True)
class LinkSummary:
    """What staff see of a referral's link: out or not, until when, and its uses."""

    link: PartnerLink
    usable: bool
    uses: list


def summaries(referrals: list[Referral], on: date | None = None) -> dict[int, LinkSummary]:
    """The current link of each referral with its uses (two queries for the whole list)."""
    ids = [referral.id for referral in referrals]
    if not ids:
        return {}
    links = db.session.scalars(
        sa.select(PartnerLink)
        .where(PartnerLink.referral_id.in_(ids), PartnerLink.revoked_at.is_(None))
        .order_by(PartnerLink.id)
    ).all()
    latest = {link.referral_id: link for link in links}
    uses: dict[int, list] = {link.id: [] for link in latest.values()}
    if uses:
        for use in db.session.scalars(
            sa.select(PartnerLinkUse).where(PartnerLinkUse.link_id.in_(uses)).order_by(PartnerLinkUse.id)
        ):
            uses[use.link_id].append(use)
    status = {referral.id: referral.status for referral in referrals}
    return {
        referral_id: LinkSummary(
            link,
            rules.partner_link_usable(link.expires_on, False, status[referral_id], on or today()),
            uses[link.id],
        )
        for referral_id, link in latest.items()
    }


# --------------------------------------------------------------------------- the partner


def resolve(token: str, on: date | None = None) -> LinkAccess:
    """The link of ``token`` in the current association, if still usable; otherwise NotFound —
    unknown, another association's, revoked, expired and ended alike (nothing to tell apart)."""
    if not token or len(token) > 100:
        raise NotFound(str(NOT_VALID))
    link = db.session.scalar(sa.select(PartnerLink).where(PartnerLink.token_hash == token_hash(token)))
    referral = get_in_tenant(Referral, link.referral_id) if link is not None else None
    if (
        link is None
        or referral is None
        or not rules.partner_link_usable(
            link.expires_on, link.revoked_at is not None, referral.status, on or today()
        )
    ):
        raise NotFound(str(NOT_VALID))
    return LinkAccess(
        link, referral, get_in_tenant(Partner, referral.partner_id), get_in_tenant(Need, referral.need_id)
    )


def _use(access: LinkAccess, action: str, details: dict | None = None) -> None:
    db.session.add(PartnerLinkUse(link_id=access.link.id, action=action))
    actor = PartnerActor(access.partner.id, access.partner.name)
    _audit(
        "opened" if action == "opened" else "used", access.link, {"action": action, **(details or {})}, actor
    )


def record_open(access: LinkAccess) -> None:
    _use(access, "opened")
    db.session.flush()


def report(access: LinkAccess, data: dict) -> Referral:
    """The partner's acknowledgement or report, through the staff's own transition
    (:func:`care.move`): accept; decline with a reason; in service; completed with the outcome."""
    values = ReportSchema().load(data)
    action = values["action"]
    check_invalid(
        action == "decline" and len(values["reason"].strip()) < 3,
        "reason",
        _("Give the reason for declining the referral."),
    )
    text = values["reason"] if action == "decline" else values["outcome"]
    actor = PartnerActor(access.partner.id, access.partner.name)
    care.move(access.referral, {"status": PARTNER_ACTIONS[action], "outcome": text}, actor, permission=None)
    _use(access, action, {"status": PARTNER_ACTIONS[action]})
    db.session.flush()
    return access.referral


def next_actions(referral: Referral) -> tuple[str, ...]:
    """The partner's actions open from the referral's status (the staff's state machine)."""
    allowed = rules.REFERRAL_NEXT.get(referral.status, ())
    return tuple(action for action, status in PARTNER_ACTIONS.items() if status in allowed)


def contact_of(referral: Referral) -> User | None:
    """Who the partner contacts at the association: the staff member who made the referral."""
    return db.session.get(User, referral.created_by_id) if referral.created_by_id else None
