"""Opportunities and their places; staff assign volunteers or volunteers apply; check-in and
check-out record the minutes; a supervisor confirms them (or corrects or rejects them with a
note). Only confirmed minutes count: in the volunteer's total, the certificate and the KPIs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from ...audit import record
from ...auth.models import STAFF_ROLES, User
from ...auth.permissions import can
from ...auth.services import member_rows
from ...calendar import local_time, today
from ...errors import Conflict, Forbidden, Invalid
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...lookup import get_in_tenant
from ...requests.models import CatalogItem
from ...tenancy import utcnow
from ..models import Assignment, Opportunity, Volunteer
from .enrolment import CHOOSE, COORDINATE, own_volunteer, skills
from .messages import tell_place

MAX_MINUTES = 24 * 60
NOT_ALLOWED = _l("Your role cannot take this step.")


def _coordinator(actor: Any) -> None:
    if not can(actor, COORDINATE):
        raise Forbidden(_("Your role cannot take this step."))


def supervisors() -> list[User]:
    """The association's active staff (a membership with a staff role), by name: who may
    supervise an opportunity and confirm its hours."""
    return [row[0] for row in member_rows(frozenset(STAFF_ROLES), User)]


def _check_opportunity(data: dict) -> None:
    errors: dict[str, list] = {}
    supervisor = data.get("supervisor_id")
    if supervisor is not None and supervisor not in {user.id for user in supervisors()}:
        errors["supervisor_id"] = [CHOOSE]  # not a member of this association's staff
    known = {item["code"] for item in skills()}
    if any(code not in known for code in data.get("skills") or []):
        errors["skills"] = [CHOOSE]
    if (
        data.get("catalog_item_id") is not None
        and get_in_tenant(CatalogItem, data["catalog_item_id"]) is None
    ):
        errors["catalog_item_id"] = [CHOOSE]
    start, end = data.get("starts_at"), data.get("ends_at")
    if start is not None and end is not None and end <= start:
        errors["ends_at"] = [_l("The end of the time must come after its start.")]
    if errors:
        raise Invalid(errors)


OPPORTUNITY_FIELDS = (
    "kind", "title", "description", "on_date", "starts_at", "ends_at", "location", "skills", "places",
    "catalog_item_id", "supervisor_id", "state",
)  # fmt: skip


def create_opportunity(data: dict, actor: Any) -> Opportunity:
    _coordinator(actor)
    _check_opportunity(data)
    opportunity = Opportunity(created_by_id=actor.id, **{k: data[k] for k in OPPORTUNITY_FIELDS if k in data})
    db.session.add(opportunity)
    db.session.flush()
    record(
        "volunteer.opportunity.create", "volunteer_opportunity", opportunity.id, {"kind": opportunity.kind}
    )
    return opportunity


def update_opportunity(opportunity: Opportunity, data: dict, actor: Any) -> Opportunity:
    _coordinator(actor)
    merged = {k: getattr(opportunity, k) for k in OPPORTUNITY_FIELDS} | data
    _check_opportunity(merged)
    if "places" in data and data["places"] < taken(opportunity):
        raise Invalid({"places": [_l("More volunteers are assigned than this number of places.")]})
    for key in OPPORTUNITY_FIELDS:
        if key in data:
            setattr(opportunity, key, data[key])
    record("volunteer.opportunity.update", "volunteer_opportunity", opportunity.id, {"fields": sorted(data)})
    return opportunity


def taken(opportunity: Opportunity) -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(Assignment)
        .where(Assignment.opportunity_id == opportunity.id, Assignment.state == "assigned")
    )


def taken_by_opportunity(ids: list[int]) -> dict[int, int]:
    """Assigned places per opportunity, in one query (for lists)."""
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Assignment.opportunity_id, db.func.count())
        .where(Assignment.opportunity_id.in_(ids), Assignment.state == "assigned")
        .group_by(Assignment.opportunity_id)
    )
    return {opportunity_id: count for opportunity_id, count in rows}  # noqa: C416 - rows, not pairs


def _existing(opportunity: Opportunity, volunteer: Volunteer) -> Assignment | None:
    return db.session.scalars(
        db.select(Assignment).where(
            Assignment.opportunity_id == opportunity.id, Assignment.volunteer_id == volunteer.id
        )
    ).first()


def _place_left(opportunity: Opportunity) -> None:
    if opportunity.state != "open":
        raise Conflict(_("This opportunity is closed."))
    if taken(opportunity) >= opportunity.places:
        raise Conflict(_("Every place of this opportunity is taken."))


def assign(opportunity: Opportunity, volunteer: Volunteer, actor: Any) -> Assignment:
    """Staff give an accepted volunteer a place (or accept the volunteer's application)."""
    _coordinator(actor)
    if volunteer.state != "accepted":
        raise Invalid({"volunteer_id": [_l("Only an accepted volunteer can be given a place.")]})
    assignment = _existing(opportunity, volunteer)
    if assignment is not None and assignment.state == "assigned":
        raise Conflict(_("The volunteer already has a place in this opportunity."))
    _place_left(opportunity)
    if assignment is None:
        assignment = Assignment(opportunity_id=opportunity.id, volunteer_id=volunteer.id, origin="assigned")
        db.session.add(assignment)
    assignment.state = "assigned"
    db.session.flush()
    record("volunteer.assign", "volunteer_assignment", assignment.id, {"origin": assignment.origin})
    tell_place(volunteer, opportunity)
    return assignment


def apply(opportunity: Opportunity, actor: Any) -> Assignment:
    """The signed-in accepted volunteer asks for a place (staff then assign it)."""
    volunteer = own_volunteer(actor)
    if volunteer is None or volunteer.state != "accepted":
        raise Forbidden(_("Only an accepted volunteer can apply."))
    if opportunity.on_date < today():
        raise Conflict(_("This opportunity is over."))
    if _existing(opportunity, volunteer) is not None:
        raise Conflict(_("You have already applied to this opportunity."))
    _place_left(opportunity)
    assignment = Assignment(
        opportunity_id=opportunity.id, volunteer_id=volunteer.id, origin="applied", state="applied"
    )
    db.session.add(assignment)
    db.session.flush()
    record("volunteer.apply", "volunteer_assignment", assignment.id, {"origin": "applied"})
    return assignment


def withdraw(assignment: Assignment, actor: Any) -> Assignment:
    """The volunteer (before checking in) or a coordinator frees the place."""
    volunteer = db.session.get(Volunteer, assignment.volunteer_id)
    if not (can(actor, COORDINATE) or (volunteer.user_id is not None and volunteer.user_id == actor.id)):
        raise Forbidden(_("Your role cannot take this step."))
    if assignment.checked_in_at is not None:
        raise Conflict(_("The volunteer has checked in; confirm or reject the hours instead."))
    assignment.state = "withdrawn"
    record("volunteer.withdraw", "volunteer_assignment", assignment.id, {})
    return assignment


def _may_record(assignment: Assignment, actor: Any) -> bool:
    """The volunteer themselves, a coordinator, or the opportunity's supervisor."""
    volunteer = db.session.get(Volunteer, assignment.volunteer_id)
    opportunity = db.session.get(Opportunity, assignment.opportunity_id)
    return (
        (volunteer.user_id is not None and volunteer.user_id == actor.id)
        or can(actor, COORDINATE)
        or (opportunity.supervisor_id is not None and opportunity.supervisor_id == actor.id)
    )


def check_in(assignment: Assignment, actor: Any, at: datetime | None = None) -> Assignment:
    """Check in on the opportunity's day (the volunteer on the portal, or staff at the door)."""
    if not _may_record(assignment, actor):
        raise Forbidden(_("Your role cannot take this step."))
    if assignment.state != "assigned":
        raise Conflict(_("Only a volunteer with a place can check in."))
    if assignment.checked_in_at is not None:
        raise Conflict(_("Already checked in."))
    at = at or utcnow()
    opportunity = db.session.get(Opportunity, assignment.opportunity_id)
    if local_time(at).date() != opportunity.on_date:  # the association's day
        raise Conflict(_("Check in on the opportunity's day."))
    assignment.checked_in_at = at
    record("volunteer.check_in", "volunteer_assignment", assignment.id, {})
    return assignment


def check_out(assignment: Assignment, actor: Any, at: datetime | None = None) -> Assignment:
    """Check out: the minutes since check-in wait for the supervisor's confirmation."""
    if not _may_record(assignment, actor):
        raise Forbidden(_("Your role cannot take this step."))
    if assignment.checked_in_at is None:
        raise Conflict(_("Check in first."))
    if assignment.checked_out_at is not None:
        raise Conflict(_("Already checked out."))
    at = at or utcnow()
    if at <= assignment.checked_in_at:
        raise Invalid({"at": [_l("The check-out must come after the check-in.")]})
    minutes = int((at - assignment.checked_in_at) / timedelta(minutes=1))
    assignment.checked_out_at = at
    assignment.minutes = min(minutes, MAX_MINUTES)
    assignment.hours_state = "pending"
    record("volunteer.check_out", "volunteer_assignment", assignment.id, {"minutes": assignment.minutes})
    return assignment


def may_confirm(assignment: Assignment, actor: Any) -> bool:
    """A coordinator or the opportunity's supervisor; never the volunteer for their own hours."""
    volunteer = db.session.get(Volunteer, assignment.volunteer_id)
    if volunteer.user_id is not None and volunteer.user_id == actor.id:
        return False
    opportunity = db.session.get(Opportunity, assignment.opportunity_id)
    return can(actor, COORDINATE) or (
        opportunity.supervisor_id is not None and opportunity.supervisor_id == actor.id
    )


def confirm_hours(
    assignment: Assignment,
    actor: Any,
    *,
    minutes: int | None = None,
    note: str | None = None,
    reject: bool = False,
) -> Assignment:
    """The supervisor confirms the recorded minutes, or confirms another figure (a note says
    why), or rejects them (with a note). Confirmed once: a confirmed figure is final."""
    if not may_confirm(assignment, actor):
        raise Forbidden(_("Your role cannot take this step."))
    if assignment.hours_state != "pending":
        raise Conflict(_("There are no hours waiting for confirmation."))
    note = (note or "").strip() or None
    if reject:
        if note is None:
            raise Invalid({"note": [_l("Say why the hours are rejected.")]})
        assignment.hours_state, assignment.confirmed_minutes = "rejected", 0
    else:
        figure = assignment.minutes if minutes is None else minutes
        if not 0 < figure <= MAX_MINUTES:
            raise Invalid({"minutes": [_l("Between 1 minute and 24 hours.")]})
        if figure != assignment.minutes and note is None:
            raise Invalid({"note": [_l("Say why the confirmed time differs from the recorded one.")]})
        assignment.hours_state, assignment.confirmed_minutes = "confirmed", figure
    assignment.confirmation_note = note
    assignment.confirmed_by_id, assignment.confirmed_at = actor.id, utcnow()
    record(
        "volunteer.confirm_hours",
        "volunteer_assignment",
        assignment.id,
        {"state": assignment.hours_state, "minutes": assignment.confirmed_minutes},
    )
    return assignment


def history(volunteer: Volunteer) -> list[tuple[Assignment, Opportunity]]:
    """The volunteer's assignments with their opportunity, newest first (one query)."""
    rows = db.session.execute(
        db.select(Assignment, Opportunity)
        .join(Opportunity, Opportunity.id == Assignment.opportunity_id)
        .where(Assignment.volunteer_id == volunteer.id)
        .order_by(Opportunity.on_date.desc(), Assignment.id.desc())
    )
    return [(a, o) for a, o in rows]


def confirmed_minutes(volunteer: Volunteer, start: date | None = None, end: date | None = None) -> int:
    query = (
        db.select(db.func.coalesce(db.func.sum(Assignment.confirmed_minutes), 0))
        .join(Opportunity, Opportunity.id == Assignment.opportunity_id)
        .where(Assignment.volunteer_id == volunteer.id, Assignment.hours_state == "confirmed")
    )
    if start is not None:
        query = query.where(Opportunity.on_date >= start)
    if end is not None:
        query = query.where(Opportunity.on_date <= end)
    return int(db.session.scalar(query) or 0)


def pending_hours() -> list[tuple[Assignment, Opportunity, Volunteer]]:
    """Hours waiting for a supervisor, oldest first (one query)."""
    rows = db.session.execute(
        db.select(Assignment, Opportunity, Volunteer)
        .join(Opportunity, Opportunity.id == Assignment.opportunity_id)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .where(Assignment.hours_state == "pending")
        .order_by(Opportunity.on_date, Assignment.id)
    )
    return [tuple(row) for row in rows]
