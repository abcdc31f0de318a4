"""Volunteers in the request workflow: the volunteer a ``volunteer_service`` request came
through (recorded before it is submitted), and the volunteers who accompany a researcher's
field visit — companions, never the researcher of record, and never readers of the file."""

from __future__ import annotations

from typing import Any

from ...audit import record
from ...auth.permissions import can
from ...errors import Forbidden, Invalid
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...requests.models import AidRequest, FieldVisit
from ..models import Referral, VisitCompanion, Volunteer
from .enrolment import CHOOSE, COORDINATE

CHANNEL = "volunteer_service"
NEEDS_VOLUNTEER = _l("Record the volunteer this request came through (volunteer service).")


def _staff_step(actor: Any, *permissions: str) -> None:
    if not any(can(actor, p) for p in (*permissions, COORDINATE)):
        raise Forbidden(_("Your role cannot take this step."))


def _accepted(volunteer: Volunteer | None, field: str = "volunteer_id") -> Volunteer:
    if volunteer is None or volunteer.state != "accepted":
        raise Invalid({field: [CHOOSE]})
    return volunteer


def referral_of(request: AidRequest) -> Referral | None:
    return db.session.scalars(db.select(Referral).where(Referral.request_id == request.id)).first()


def record_referral(request: AidRequest, volunteer: Volunteer | None, actor: Any) -> Referral:
    """Record (or correct) the volunteer a volunteer-service request came through."""
    _staff_step(actor, "requests.create")
    if request.channel != CHANNEL:
        raise Invalid(
            {"channel": [_l("Only a request received through the volunteer service names a volunteer.")]}
        )
    _accepted(volunteer)
    referral = referral_of(request)
    if referral is None:
        referral = Referral(request_id=request.id, volunteer_id=volunteer.id, recorded_by_id=actor.id)
        db.session.add(referral)
    referral.volunteer_id, referral.recorded_by_id = volunteer.id, actor.id
    db.session.flush()
    record("volunteer.referral", "request", request.id, {"volunteer_id": volunteer.id})
    return referral


def submission_errors(request: AidRequest) -> dict:
    """A volunteer-service request is submitted with its volunteer recorded."""
    if request.channel == CHANNEL and referral_of(request) is None:
        return {"volunteer_id": [NEEDS_VOLUNTEER]}
    return {}


def add_companion(visit: FieldVisit, volunteer: Volunteer | None, actor: Any) -> VisitCompanion:
    """A volunteer who can do field visits accompanies the visit (the researcher stays of record)."""
    _staff_step(actor, "requests.research")
    volunteer = _accepted(volunteer)
    if not volunteer.field_visits:
        raise Invalid({"volunteer_id": [_l("This volunteer does not take part in field visits.")]})
    if volunteer.user_id is not None and volunteer.user_id == visit.researcher_id:
        raise Invalid({"volunteer_id": [_l("The researcher of record cannot also be the companion.")]})
    exists = db.session.scalars(
        db.select(VisitCompanion).where(
            VisitCompanion.visit_id == visit.id, VisitCompanion.volunteer_id == volunteer.id
        )
    ).first()
    if exists is not None:
        raise Invalid({"volunteer_id": [_l("This volunteer already accompanies the visit.")]})
    companion = VisitCompanion(visit_id=visit.id, volunteer_id=volunteer.id, added_by_id=actor.id)
    db.session.add(companion)
    db.session.flush()
    record(
        "volunteer.companion",
        "request",
        visit.request_id,
        {"visit_id": visit.id, "volunteer_id": volunteer.id},
    )
    return companion


def companions_of(request: AidRequest) -> list[tuple[FieldVisit, list[Volunteer]]]:
    """Each visit of the request with its companions (two queries)."""
    visits = db.session.scalars(
        db.select(FieldVisit).where(FieldVisit.request_id == request.id).order_by(FieldVisit.id)
    ).all()
    rows = db.session.execute(
        db.select(VisitCompanion.visit_id, Volunteer)
        .join(Volunteer, Volunteer.id == VisitCompanion.volunteer_id)
        .where(VisitCompanion.visit_id.in_([v.id for v in visits]))
        .order_by(VisitCompanion.id)
    ).all()
    by_visit: dict[int, list[Volunteer]] = {}
    for visit_id, volunteer in rows:
        by_visit.setdefault(visit_id, []).append(volunteer)
    return [(visit, by_visit.get(visit.id, [])) for visit in visits]


def field_volunteers() -> list[Volunteer]:
    return db.session.scalars(
        db.select(Volunteer)
        .where(Volunteer.state == "accepted", Volunteer.field_visits.is_(True))
        .order_by(Volunteer.name)
    ).all()


def accepted_volunteers() -> list[Volunteer]:
    return db.session.scalars(
        db.select(Volunteer).where(Volunteer.state == "accepted").order_by(Volunteer.name)
    ).all()
