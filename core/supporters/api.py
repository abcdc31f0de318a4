"""Tenant API of supporters: ``/t/<tenant>/api/v1/supporters/…`` (all of it needs ``supporters.manage``)."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import ValidationError

from ..api import ApiBlueprint
from ..downloads import download_response
from ..errors import NotFound
from ..extensions import db
from ..i18n import gettext as _
from ..lookup import get_or_404
from . import services
from .models import Agreement, Donation, Supporter
from .queries import donations_query, supporters_query
from .schemas import (
    AgreementInSchema,
    AgreementSchema,
    DonationInSchema,
    DonationListArgs,
    DonationSchema,
    PledgeInSchema,
    PledgeSchema,
    SupporterContactInSchema,
    SupporterContactSchema,
    SupporterInSchema,
    SupporterListArgs,
    SupporterPatchSchema,
    SupporterReportArgs,
    SupporterReportSchema,
    SupporterSchema,
    SupporterStageSchema,
)

bp = ApiBlueprint("supporters_api", __name__, description="Supporters, agreements, donations and pledges")
MANAGE = services.PERMISSION
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _done(obj):
    db.session.commit()
    return obj


@bp.route("/")
@bp.arguments(SupporterListArgs, location="query")
@bp.response(200, SupporterSchema(many=True))
@bp.requires(MANAGE)
def list_supporters(args):
    """Supporters, filtered by pipeline ``stage``, ``kind`` and a name search ``q``."""
    return db.session.scalars(supporters_query(args.get("stage"), args.get("kind"), args.get("q"))).all()


@bp.route("/", methods=["POST"])
@bp.arguments(SupporterInSchema)
@bp.response(201, SupporterSchema)
@bp.requires(MANAGE)
def create_supporter(data):
    """Record a supporter (a potential one starts as ``prospect``). ``preferred_channel`` must be
    one of ``consent_channels``: nobody is contacted through a channel they did not agree to."""
    return _done(services.create_supporter(data, current_user))


@bp.route("/<int:supporter_id>")
@bp.response(200, SupporterSchema)
@bp.requires(MANAGE)
def get_supporter(supporter_id):
    return get_or_404(Supporter, supporter_id)


@bp.route("/<int:supporter_id>", methods=["PATCH"])
@bp.arguments(SupporterPatchSchema)
@bp.response(200, SupporterSchema)
@bp.requires(MANAGE)
def update_supporter(data, supporter_id):
    return _done(services.update_supporter(get_or_404(Supporter, supporter_id), data, current_user))


@bp.route("/<int:supporter_id>/stage", methods=["POST"])
@bp.arguments(SupporterStageSchema)
@bp.response(200, SupporterSchema)
@bp.requires(MANAGE)
def move_stage(data, supporter_id):
    """Move along the pipeline: prospect → contacted → pledged → active → lapsed (and a lapsed
    supporter back to contacted); any other move is refused (422). Audited."""
    supporter = get_or_404(Supporter, supporter_id)
    return _done(services.move_stage(supporter, data["stage"], current_user, reason=data["reason"]))


@bp.route("/<int:supporter_id>/contacts")
@bp.response(200, SupporterContactSchema(many=True))
@bp.requires(MANAGE)
def list_contacts(supporter_id):
    return services.contacts_of(get_or_404(Supporter, supporter_id))


@bp.route("/<int:supporter_id>/contacts", methods=["POST"])
@bp.arguments(SupporterContactInSchema)
@bp.response(201, SupporterContactSchema)
@bp.requires(MANAGE)
def record_contact(data, supporter_id):
    """A contact made with the supporter; refused (422) through a channel without their consent."""
    return _done(services.record_contact(get_or_404(Supporter, supporter_id), data, current_user))


@bp.route("/<int:supporter_id>/agreements")
@bp.response(200, AgreementSchema(many=True))
@bp.requires(MANAGE)
def list_agreements(supporter_id):
    return services.agreements_of(get_or_404(Supporter, supporter_id))


@bp.route("/<int:supporter_id>/agreements", methods=["POST"])
@bp.arguments(AgreementInSchema)
@bp.response(201, AgreementSchema)
@bp.requires(MANAGE)
def create_agreement(data, supporter_id):
    """An agreement or partnership contract with its dates (the signed file: upload it on the
    supporter's page or to ``…/agreements/<id>/file``)."""
    return _done(services.create_agreement(get_or_404(Supporter, supporter_id), data, current_user))


@bp.route("/agreements/<int:agreement_id>/file")
@bp.response(200, description="The signed agreement (PDF or image)")
@bp.requires(MANAGE)
def agreement_file(agreement_id):
    agreement = get_or_404(Agreement, agreement_id)
    if not agreement.has_file:
        raise NotFound(_("No file was attached to this agreement."))
    body = services.agreement_file(agreement, current_user)
    db.session.commit()
    return download_response(body, agreement.filename, agreement.content_type)


@bp.route("/agreements/<int:agreement_id>/file", methods=["PUT"])
@bp.response(200, AgreementSchema)
@bp.requires(MANAGE)
def upload_agreement_file(agreement_id):
    """The signed contract as the request body (PDF, JPEG or PNG), checked like any document."""
    agreement = get_or_404(Agreement, agreement_id)
    filename = request.headers.get("X-Filename") or "agreement"
    return _done(services.attach_agreement_file(agreement, request.get_data(), filename, current_user))


@bp.route("/donations")
@bp.arguments(DonationListArgs, location="query")
@bp.response(200, DonationSchema(many=True))
@bp.requires(MANAGE)
def list_donations(args):
    """Donations received between ``start`` and ``end`` (inclusive), of one supporter or all."""
    return db.session.scalars(
        donations_query(args.get("start"), args.get("end"), args.get("supporter_id"))
    ).all()


@bp.route("/donations", methods=["POST"])
@bp.arguments(DonationInSchema)
@bp.response(201, DonationSchema)
@bp.requires(MANAGE)
def record_donation(data):
    """Record a gift in cash or in kind (valued), optionally restricted to a program
    (``catalog_item_id``) or a campaign (``season``); it gets the next receipt number
    (``R<year>-<sequence>``, gap-free per calendar year). ``instalment_id`` pays a pledge."""
    return _done(services.record_donation(data, current_user))


@bp.route("/donations/<int:donation_id>")
@bp.response(200, DonationSchema)
@bp.requires(MANAGE)
def get_donation(donation_id):
    return get_or_404(Donation, donation_id)


@bp.route("/donations/export.xlsx")
@bp.arguments(DonationListArgs, location="query")
@bp.response(200, description="XLSX workbook")
@bp.requires(MANAGE)
def export_donations(args):
    """The donations as an XLSX workbook (one row per receipt); audited."""
    body = services.export_xlsx(current_user, args.get("start"), args.get("end"))
    db.session.commit()
    return download_response(body, "donations.xlsx", XLSX)


@bp.route("/<int:supporter_id>/pledges")
@bp.response(200, PledgeSchema(many=True))
@bp.requires(MANAGE)
def list_pledges(supporter_id):
    """The supporter's pledges with what is paid, what remains, and each instalment's overdue
    flag (unpaid after its due day)."""
    today = services.today()
    return [services.pledge_view(p, today) for p in services.pledges_of(get_or_404(Supporter, supporter_id))]


@bp.route("/<int:supporter_id>/pledges", methods=["POST"])
@bp.arguments(PledgeInSchema)
@bp.response(201, PledgeSchema)
@bp.requires(MANAGE)
def create_pledge(data, supporter_id):
    """A pledge and its instalments (they must add up to ``total``)."""
    pledge = services.create_pledge(get_or_404(Supporter, supporter_id), data, current_user)
    db.session.commit()
    return services.pledge_view(pledge, services.today())


@bp.route("/<int:supporter_id>/report")
@bp.arguments(SupporterReportArgs, location="query")
@bp.response(200, SupporterReportSchema)
@bp.requires(MANAGE)
def report(args, supporter_id):
    """The supporter's report for ``start``..``end``: gifts received, and for each restricted gift
    how much of its program's disbursements in the period it covered and how many households
    those reached — aggregates only, never a name. Audited."""
    if args["end"] < args["start"]:
        raise ValidationError({"end": [_("The end date cannot be before the start date.")]})
    found = services.produce_report(
        get_or_404(Supporter, supporter_id), args["start"], args["end"], current_user
    )
    db.session.commit()
    return services.report_view(found)
