"""The care of a case: needs (the case plan), partners, referrals and their follow-up reminders."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from core.toolkit import (
    AidRequest,
    AnyDate,
    Conflict,
    Name,
    Text,
    User,
    audit_record,
    db,
    get_in_tenant,
    get_or_404,
    notify,
    page_path,
    require_tenant,
    roles_in,
    unique_field,
    utcnow,
)
from core.toolkit import today as tenant_today

from .. import rules
from ..i18n import _, _l
from ..models import VictimCase
from ..models_care import Need, Partner, Referral
from .cases import check_invalid, request_of
from .steps import allow

CARE = "crime_victims.care"
PARTNERS = "crime_victims.partners"
CHOOSE = _l("Choose one of the listed values.")
REMINDER_TEMPLATE = "crime_victims_follow_up"
DUPLICATE_PARTNER = _l("A partner with this name exists already.")
# A duplicate that slips past the check (two at once) answers the same field error.
unique_field("uq_crime_victims_partners_tenant_id_name", "name", DUPLICATE_PARTNER)


class Strict(Schema):
    class Meta:
        unknown = "raise"


class NeedSchema(Strict):
    area = fields.String(required=True, validate=validate.OneOf(rules.AREAS, error=CHOOSE))
    severity = fields.String(required=True, validate=validate.OneOf(rules.SEVERITIES, error=CHOOSE))
    note = Text(load_default="", validate=validate.Length(max=2000))
    owner_id = fields.Integer(load_default=None, allow_none=True)
    due_on = AnyDate(load_default=None, allow_none=True)


class MeetSchema(Strict):
    aid_request_id = fields.Integer(load_default=None, allow_none=True)


class CloseNeedSchema(Strict):
    reason = Text(required=True, validate=validate.Length(min=3, max=2000))


class PartnerSchema(Strict):
    name = Name(required=True, validate=validate.Length(min=2, max=120))
    services = fields.List(
        fields.String(validate=validate.OneOf(rules.AREAS, error=CHOOSE)),
        required=True,
        validate=validate.Length(min=1),
    )
    contact_name = fields.String(load_default="", validate=validate.Length(max=120))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    email = fields.Email(load_default=None, allow_none=True)
    agreement_reference = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))
    agreement_until = AnyDate(load_default=None, allow_none=True)


class ReferSchema(Strict):
    partner_id = fields.Integer(required=True)
    sent_on = AnyDate(load_default=None, allow_none=True)
    follow_up_on = AnyDate(load_default=None, allow_none=True)


class MoveSchema(Strict):
    status = fields.String(
        required=True,
        validate=validate.OneOf(("accepted", "declined", "in_service", "completed"), error=CHOOSE),
    )
    outcome = Text(load_default="", validate=validate.Length(max=2000))
    follow_up_on = AnyDate(load_default=None, allow_none=True)


def _audit(action: str, kind: str, object_id: int, details: dict, actor) -> None:
    audit_record(f"crime_victims.{action}", f"crime_victims_{kind}", object_id, details, user=actor)


# --------------------------------------------------------------------------- needs (the case plan)


def add_need(case: VictimCase, data: dict, actor) -> Need:
    allow(actor, CARE)
    values = NeedSchema().load(data)
    if request_of(case).state in ("closed", "withdrawn"):
        raise Conflict(_("This case is closed: no need can be added to its plan."))
    if values.get("owner_id") is not None:
        owner = db.session.get(User, values["owner_id"])
        check_invalid(
            owner is None or not roles_in(owner, require_tenant()),
            "owner_id",
            _("Choose a member of the association's staff."),
        )
    need = Need(case_id=case.id, created_by_id=actor.id, **values)
    db.session.add(need)
    db.session.flush()
    _audit("need.added", "need", need.id, {"area": need.area, "severity": need.severity}, actor)
    return need


def _open_need(need: Need) -> None:
    if need.status != "open":
        raise Conflict(_("This need is not open."))


def meet_in_house(need: Need, data: dict, actor) -> Need:
    """Met by the association itself, through core's aid request (the case's own by default)."""
    allow(actor, CARE)
    values = MeetSchema().load(data)
    _open_need(need)
    case = get_in_tenant(VictimCase, need.case_id)
    request_id = values.get("aid_request_id") or case.request_id
    check_invalid(
        get_in_tenant(AidRequest, request_id) is None,
        "aid_request_id",
        _("No such request in this association."),
    )
    need.status, need.aid_request_id, need.resolved_at = "met", request_id, utcnow()
    _audit("need.met", "need", need.id, {"aid_request_id": request_id}, actor)
    return need


def close_need(need: Need, data: dict, actor) -> Need:
    allow(actor, CARE)
    values = CloseNeedSchema().load(data)
    if rules.need_resolved(need.status):
        raise Conflict(_("This need is already resolved."))
    if need.status == "referred":
        raise Conflict(_("This need is with a partner: follow its referral to the end first."))
    need.status, need.closed_reason, need.resolved_at = "closed", values["reason"], utcnow()
    _audit("need.closed", "need", need.id, {"fields": ["reason"]}, actor)
    return need


def needs_of(case: VictimCase) -> list[Need]:
    return list(db.session.scalars(sa.select(Need).where(Need.case_id == case.id).order_by(Need.id)))


def close_problems(case: VictimCase | None) -> list[str]:
    """Why the case may not close yet (core's ``close`` step): a need still unresolved."""
    if case is None:
        return []
    if rules.case_may_close([need.status for need in needs_of(case)]):
        return []
    return [_("Every need of the case must be met, completed by a partner, or closed with a reason first.")]


# --------------------------------------------------------------------------- partners


def add_partner(data: dict, actor) -> Partner:
    allow(actor, PARTNERS)
    values = PartnerSchema().load(data)
    check_invalid(
        db.session.scalar(sa.select(Partner.id).where(Partner.name == values["name"])) is not None,
        "name",
        DUPLICATE_PARTNER,
    )
    partner = Partner(**values)
    db.session.add(partner)
    db.session.flush()
    _audit("partner.added", "partner", partner.id, {"services": partner.services}, actor)
    return partner


def partners(active_only: bool = True) -> list[Partner]:
    query = sa.select(Partner).order_by(Partner.name)
    if active_only:
        query = query.where(Partner.active.is_(True))
    return list(db.session.scalars(query))


# --------------------------------------------------------------------------- referrals


def refer(need: Need, data: dict, actor) -> Referral:
    """Refer an open need to a partner offering its area (status ``sent``)."""
    allow(actor, CARE)
    values = ReferSchema().load(data)
    _open_need(need)
    partner = get_in_tenant(Partner, values["partner_id"])
    check_invalid(
        partner is None or not partner.active, "partner_id", _("Choose one of the association's partners.")
    )
    check_invalid(
        need.area not in (partner.services or []),
        "partner_id",
        _("This partner does not offer this service."),
    )
    referral = Referral(
        need_id=need.id,
        partner_id=partner.id,
        sent_on=values.get("sent_on") or tenant_today(),
        follow_up_on=values.get("follow_up_on"),
        created_by_id=actor.id,
    )
    db.session.add(referral)
    need.status = "referred"
    db.session.flush()
    _audit("referral.sent", "referral", referral.id, {"partner_id": partner.id, "need_id": need.id}, actor)
    return referral


def move(referral: Referral, data: dict, actor, *, permission: str | None = CARE) -> Referral:
    """The next status of a referral; ``completed`` needs the outcome and meets the need,
    ``declined`` reopens it (refer it elsewhere or meet it in-house)."""
    if permission is not None:
        allow(actor, permission)
    values = MoveSchema().load(data)
    target = values["status"]
    if not rules.may_move_referral(referral.status, target):
        raise Conflict(_("A referral cannot go from this status to that one."))
    check_invalid(
        target == "completed" and not values["outcome"].strip(),
        "outcome",
        _("Record the outcome of the service."),
    )
    now = utcnow()
    need = get_in_tenant(Need, referral.need_id)
    referral.status = target
    setattr(referral, f"{target}_at", now)
    if values["outcome"]:
        referral.outcome = values["outcome"]
    if values.get("follow_up_on") is not None:
        referral.follow_up_on = values["follow_up_on"]
    if target == "completed":
        need.status, need.resolved_at = "met", now
    elif target == "declined":
        need.status = "open"
    _audit("referral.moved", "referral", referral.id, {"status": target}, actor)
    return referral


def get_referral(referral_id) -> Referral:
    return get_or_404(Referral, referral_id)


def get_need(need_id) -> Need:
    return get_or_404(Need, need_id)


def get_partner(partner_id) -> Partner:
    return get_or_404(Partner, partner_id)


def referrals_of(case: VictimCase) -> list[tuple[Referral, Partner, Need]]:
    """The case's referrals with their partner and need (one query)."""
    rows = db.session.execute(
        sa.select(Referral, Partner, Need)
        .join(Need, sa.and_(Need.id == Referral.need_id, Need.tenant_id == Referral.tenant_id))
        .join(Partner, sa.and_(Partner.id == Referral.partner_id, Partner.tenant_id == Referral.tenant_id))
        .where(Need.case_id == case.id)
        .order_by(Referral.id)
    ).all()
    return [tuple(row) for row in rows]


def send_reminders(today: date | None = None) -> dict:
    """Remind, in their inbox, the case's researcher (else the staff who care for cases) of each
    referral whose follow-up date has come; once per follow-up date. The caller commits."""
    today = today or tenant_today()
    tenant = require_tenant()
    rows = db.session.execute(
        sa.select(Referral, Need.case_id, VictimCase.researcher_id)
        .join(Need, sa.and_(Need.id == Referral.need_id, Need.tenant_id == Referral.tenant_id))
        .join(VictimCase, sa.and_(VictimCase.id == Need.case_id, VictimCase.tenant_id == Need.tenant_id))
        .where(Referral.status.in_(("sent", "accepted", "in_service")), Referral.follow_up_on <= today)
    ).all()
    carers = None
    sent = 0
    for referral, case_id, researcher_id in rows:
        if not rules.follow_up_due(referral.status, referral.follow_up_on, referral.reminded_on, today):
            continue
        if researcher_id is not None:
            recipients = [db.session.get(User, researcher_id)]
        else:
            if carers is None:
                users = db.session.scalars(sa.select(User).where(User.is_active.is_(True)).order_by(User.id))
                carers = [u for u in users if roles_in(u, tenant) & {"researcher", "relations_officer"}]
            recipients = carers
        for user in recipients:
            notify(
                REMINDER_TEMPLATE,
                {"case": case_id, "referral": referral.id, "date": referral.follow_up_on},
                user=user,
                only=("in_app",),
                link=page_path("crime_victims.case", case_id=case_id),
            )
        referral.reminded_on = today
        sent += 1
    db.session.flush()
    return {"reminded": sent}
