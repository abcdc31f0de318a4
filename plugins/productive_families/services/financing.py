"""Financing (seed 001, goal 7): the registry of financing bodies and partners (criteria, quality
score), producers' requests referred to a body with their outcome and amount, and the figures."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import Conflict, NotFound, db, get_in_tenant
from core.toolkit import today as tenant_today

from .. import rules
from ..i18n import _l
from ..models import FinancingBody, FinancingRequest, Producer
from ..schemas import (
    FinancingBodySchema,
    FinancingDecisionSchema,
    FinancingRequestSchema,
    PartnershipSchema,
)
from ._common import audit, settings
from .graduation import capture_baselines
from .producers import get_producer


def add_body(data: dict, actor: Any = None) -> FinancingBody:
    values = FinancingBodySchema().load(data)
    if db.session.scalar(sa.select(FinancingBody.id).where(FinancingBody.name == values["name"])):
        raise ValidationError({"name": [_l("A body with this name is already registered.")]})
    body = FinancingBody(**values)
    db.session.add(body)
    db.session.flush()
    audit("financing.body_added", body, {"kind": body.kind, "partner": body.is_partner}, actor)
    return body


def get_body(body_id: int) -> FinancingBody:
    body = get_in_tenant(FinancingBody, body_id)
    if body is None:
        raise NotFound(_l("No such financing body in this association."))
    return body


def set_partnership(body: FinancingBody, data: dict, actor: Any = None) -> FinancingBody:
    """Record a body's partnership as assessed now: partner or not, the criteria and the quality
    score (0–100) the partnership KPI compares with the tenant's threshold; audited with the
    score before."""
    values = PartnershipSchema().load(data)
    before = body.quality_score
    for field, value in values.items():
        setattr(body, field, value)
    db.session.flush()
    audit(
        "financing.partnership_changed",
        body,
        {"partner": body.is_partner, "quality_score": body.quality_score, "before": before},
        actor,
    )
    return body


def list_bodies() -> list[FinancingBody]:
    return list(db.session.scalars(sa.select(FinancingBody).order_by(FinancingBody.name)))


def refer(data: dict, actor: Any = None, today: date | None = None) -> FinancingRequest:
    """Refer a producer's financing request to a body."""
    values = FinancingRequestSchema().load(data)
    get_producer(values["producer_id"])
    if get_in_tenant(FinancingBody, values["body_id"]) is None:
        raise ValidationError({"body_id": [_l("No such financing body in this association.")]})
    values["referred_on"] = values["referred_on"] or today or tenant_today()
    request = FinancingRequest(**values)
    db.session.add(request)
    db.session.flush()
    audit("financing.referred", request, {"body_id": request.body_id}, actor)
    return request


def get_request(request_id: int) -> FinancingRequest:
    request = get_in_tenant(FinancingRequest, request_id)
    if request is None:
        raise NotFound(_l("No such financing request."))
    return request


def decide(
    request: FinancingRequest, data: dict, actor: Any = None, today: date | None = None
) -> FinancingRequest:
    """The body's outcome: approved (with the amount), rejected, then disbursed."""
    values = FinancingDecisionSchema().load(data)
    target = values["status"]
    if not rules.can_change_financing(request.status, target):
        raise Conflict(_l("A financing request cannot go from this state to the one chosen."))
    if target == "approved":
        request.approved_halalas = values["approved_halalas"]
    request.decided_on = values["decided_on"] or today or tenant_today()
    before, request.status = request.status, target
    db.session.flush()
    audit("financing.decided", request, {"from": before, "to": target}, actor)
    if target in ("approved", "disbursed"):
        capture_baselines([request.producer_id], today)  # graduation: the income before the first anchor
    return request


def list_requests(limit: int = 200) -> list[FinancingRequest]:
    query = sa.select(FinancingRequest).order_by(
        FinancingRequest.referred_on.desc(), FinancingRequest.id.desc()
    )
    return list(db.session.scalars(query.limit(limit)).unique())


def channels_in_use(start: date, end: date) -> int:
    """Financing bodies that received at least one referral in the period (seed 001: at least 3)."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(FinancingRequest.body_id))).where(
                FinancingRequest.referred_on.between(start, end)
            )
        )
        or 0
    )


def quality_partnerships() -> int:
    """Partners whose quality score reaches the tenant's threshold (seed 001: at least 2 of ≥ 80 %)."""
    threshold = settings()["partnership_quality_threshold"]
    return int(
        db.session.scalar(
            sa.select(sa.func.count(FinancingBody.id)).where(
                FinancingBody.is_partner.is_(True), FinancingBody.quality_score >= threshold
            )
        )
        or 0
    )


def financed(start: date, end: date) -> tuple[int, int]:
    """(families, halalas) approved or disbursed with a decision in the period."""
    row = db.session.execute(
        sa.select(
            sa.func.count(sa.distinct(Producer.household_id)),
            sa.func.coalesce(sa.func.sum(FinancingRequest.approved_halalas), 0),
        )
        .join(
            Producer,
            sa.and_(
                Producer.id == FinancingRequest.producer_id, Producer.tenant_id == FinancingRequest.tenant_id
            ),
        )
        .where(
            FinancingRequest.status.in_(("approved", "disbursed")),
            FinancingRequest.decided_on.between(start, end),
        )
    ).one()
    return int(row[0]), int(row[1])
