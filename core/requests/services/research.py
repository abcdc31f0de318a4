"""The research: the field visit, verifications with other bodies, and the steps that move a
request through it (verify, to the committee, return, withdraw, close)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...auth.permissions import can
from ...errors import Conflict, Forbidden, NotFound
from ...extensions import db
from ...i18n import gettext as _
from ..models import AidRequest, FieldVisit, Verification
from ..workflow import record_event, transition


def start_research(request: AidRequest, actor: Any) -> AidRequest:
    transition(request, "start_research", actor)
    return request


def schedule_visit(request: AidRequest, actor: Any, scheduled_for: date) -> FieldVisit:
    visit = FieldVisit(
        tenant_id=request.tenant_id,
        request_id=request.id,
        researcher_id=actor.id,
        scheduled_for=scheduled_for,
    )

    def apply(req: AidRequest) -> None:
        db.session.add(visit)

    transition(request, "schedule_visit", actor, data={"scheduled_for": scheduled_for}, apply=apply)
    return visit


def record_visit(
    request: AidRequest,
    actor: Any,
    *,
    visited_on: date,
    findings: str,
    checked_fields: list[dict],
    visit_id: int | None = None,
) -> FieldVisit:
    """The visit's date, findings and each entered field matched against the original document;
    recording it is the workflow step ``record_visit`` (visit scheduled → visit done), checked
    and announced like every step."""

    if not can(actor, "requests.research"):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state != "field_visit_scheduled":
        raise Conflict(_("Schedule the field visit first."))
    query = db.select(FieldVisit).where(FieldVisit.request_id == request.id)
    if visit_id is not None:
        query = query.where(FieldVisit.id == visit_id)
    visit = db.session.scalars(query.order_by(FieldVisit.id.desc())).first()
    if visit is None:
        raise NotFound(_("Not found."))
    counts = {
        status: sum(1 for f in checked_fields if f["status"] == status)
        for status in ("confirmed", "corrected", "not_seen")
    }

    def apply(req: AidRequest) -> None:
        visit.visited_on = visited_on
        visit.findings = findings
        visit.checked_fields = [dict(item) for item in checked_fields]

    transition(
        request,
        "record_visit",
        actor,
        note=findings,
        data={"visit_id": visit.id, "visited_on": visited_on, **counts},
        apply=apply,
    )
    return visit


def record_verification(request: AidRequest, actor: Any, data: dict) -> Verification:
    if not can(actor, "requests.research"):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state not in ("in_research", "field_visit_scheduled", "visited", "verified"):
        raise Conflict(_("Verifications are recorded during the research."))
    verification = Verification(
        tenant_id=request.tenant_id, request_id=request.id, recorded_by_id=actor.id, **data
    )
    db.session.add(verification)
    db.session.flush()
    record_event(
        request,
        "record_verification",
        actor,
        note=data.get("notes", ""),
        data={"body": data["body"], "outcome": data["outcome"]},
    )
    return verification


def verify(request: AidRequest, actor: Any) -> AidRequest:
    transition(request, "verify", actor)
    return request


def send_to_committee(request: AidRequest, actor: Any) -> AidRequest:
    transition(request, "send_to_committee", actor)
    return request


def return_to_applicant(request: AidRequest, actor: Any, reason: str) -> AidRequest:
    def apply(req: AidRequest) -> None:
        req.returned_reason = reason

    transition(request, "return", actor, note=reason, data={"reason": reason}, apply=apply)
    return request


def withdraw(request: AidRequest, actor: Any, reason: str = "") -> AidRequest:
    transition(request, "withdraw", actor, note=reason, data={"reason": reason})
    return request


def close(request: AidRequest, actor: Any, note: str = "") -> AidRequest:
    transition(request, "close", actor, note=note)
    return request
