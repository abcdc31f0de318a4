"""The API of partner access (in the OpenAPI document, on the plugin's API blueprint):
staff issue, read and revoke a referral's partner link; the partner reads and reports through
the link's token, without a login (an invalid token of any kind: 404)."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user
from marshmallow import Schema, fields

from core.toolkit import Timestamp, db, limiter

from . import services
from .api import bp
from .schemas import PartnerOutSchema
from .services import partner_access


class LinkUseOutSchema(Schema):
    action = fields.String()
    at = Timestamp()


class PartnerLinkOutSchema(Schema):
    out = fields.Boolean(metadata={"description": "Whether a link is out for the referral."})
    usable = fields.Boolean()
    expires_on = fields.Date(allow_none=True)
    issued_at = Timestamp(allow_none=True)
    uses = fields.List(fields.Nested(LinkUseOutSchema))


class IssueLinkSchema(Schema):
    send_email = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Also e-mail the link to the partner's contact address (through the "
            "outbox; the partner has no e-mail: 422 on this field, nothing issued)."
        },
    )


class IssuedLinkOutSchema(Schema):
    url = fields.String(metadata={"description": "The partner's link: shown this once, never stored."})
    expires_on = fields.Date()
    issued_at = Timestamp()
    emailed = fields.Boolean(metadata={"description": "Whether the link was queued to the partner's e-mail."})


class PartnerReferralOutSchema(Schema):
    """What the partner sees: the referral, never the victim."""

    referral_id = fields.Integer()
    partner = fields.String()
    area = fields.String()
    severity = fields.String()
    request = fields.String()
    status = fields.String()
    sent_on = fields.Date()
    follow_up_on = fields.Date(allow_none=True)
    link_expires_on = fields.Date()
    contact_name = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    next_actions = fields.List(fields.String())


class PartnerReportSchema(Schema):
    """The body is validated by the service (field errors 422, nothing written)."""

    class Meta:
        unknown = "include"


def _state(referral) -> dict:
    summary = partner_access.summaries([referral]).get(referral.id)
    if summary is None:
        return {"out": False, "usable": False, "expires_on": None, "issued_at": None, "uses": []}
    return {
        "out": True,
        "usable": summary.usable,
        "expires_on": summary.link.expires_on,
        "issued_at": summary.link.issued_at,
        "uses": summary.uses,
    }


@bp.route("/referrals/<int:referral_id>/partner-link")
@bp.response(200, PartnerLinkOutSchema)
@bp.requires("crime_victims.view")
def partner_link_state(referral_id):
    """Whether a partner link is out for the referral, until when, and its uses."""
    return _state(services.care.get_referral(referral_id))


@bp.route("/referrals/<int:referral_id>/partner-link", methods=["POST"])
@bp.arguments(IssueLinkSchema, required=False)
@bp.response(201, IssuedLinkOutSchema)
@bp.requires("crime_victims.care")
def issue_partner_link(data, referral_id):
    """Issue the partner's link to this one referral (re-issuing replaces the old one; a
    completed or declined referral: 409). Usable for the tenant's ``partner_link_days``;
    ``send_email``: also e-mailed to the partner (in the association's language)."""
    send_email = bool((data or {}).get("send_email"))
    link, token = partner_access.issue(
        services.care.get_referral(referral_id), current_user, send_email=send_email
    )
    db.session.commit()
    url = url_for("crime_victims_partner.link", token=token, _external=True)
    return {"url": url, "expires_on": link.expires_on, "issued_at": link.issued_at, "emailed": send_email}


@bp.route("/referrals/<int:referral_id>/partner-link", methods=["DELETE"])
@bp.response(204)
@bp.requires("crime_victims.care")
def revoke_partner_link(referral_id):
    """Withdraw the partner's link (none out: 409)."""
    partner_access.revoke(services.care.get_referral(referral_id), current_user)
    db.session.commit()


def _partner_view(access) -> dict:
    contact = partner_access.contact_of(access.referral)
    return {
        "referral_id": access.referral.id,
        "partner": access.partner.name,
        "area": access.need.area,
        "severity": access.need.severity,
        "request": access.need.note,
        "status": access.referral.status,
        "sent_on": access.referral.sent_on,
        "follow_up_on": access.referral.follow_up_on,
        "link_expires_on": access.link.expires_on,
        "contact_name": contact.name if contact else None,
        "contact_email": contact.email if contact else None,
        "next_actions": list(partner_access.next_actions(access.referral)),
    }


@bp.route("/partner-link/<token>")
@limiter.shared_limit("60 per minute", scope="crime_victims-partner-link")
@bp.response(200, PartnerReferralOutSchema)
def partner_read(token):
    """The partner's view of its referral, by the link's token (no login). Any invalid token —
    unknown, revoked, expired, ended, another association's: 404."""
    access = partner_access.resolve(token)
    partner_access.record_open(access)
    db.session.commit()
    return _partner_view(access)


@bp.route("/partner-link/<token>", methods=["POST"])
@limiter.shared_limit("20 per minute", scope="crime_victims-partner-report")
@bp.arguments(PartnerReportSchema)
@bp.response(200, PartnerReferralOutSchema)
def partner_report(data, token):
    """The partner's ``action``: ``accept``; ``decline`` with a ``reason``; ``in_service``;
    ``complete`` with the ``outcome`` — the staff's own transitions (out of order: 409)."""
    access = partner_access.resolve(token)
    partner_access.report(access, data)
    db.session.commit()
    return _partner_view(access)


# --------------------------------------------------------------------------- the partner's agreement


class AgreementFileSchema(Schema):
    agreement = fields.Raw(metadata={"type": "string", "format": "binary"})


@bp.route("/partners/<int:partner_id>/agreement", methods=["POST"])
@bp.arguments(AgreementFileSchema, location="files")
@bp.response(200, PartnerOutSchema)
@bp.requires("crime_victims.partners")
def upload_partner_agreement(files, partner_id):
    """Upload the partner's signed agreement (multipart ``agreement``: PDF or image; replaces an
    earlier one). A missing or unacceptable file: 422 on ``agreement``, nothing stored."""
    agreement = services.partner_files.AGREEMENT
    partner = agreement.store(services.care.get_partner(partner_id), *agreement.sent(), current_user)
    db.session.commit()
    return partner


@bp.route("/partners/<int:partner_id>/agreement")
@bp.response(200, description="The partner's signed agreement file")
@bp.requires("crime_victims.partners")
def download_partner_agreement(partner_id):
    """The partner's signed agreement file (audited); none uploaded: 404."""
    return services.partner_files.AGREEMENT.download(services.care.get_partner(partner_id), current_user)
