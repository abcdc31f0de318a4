"""Tenant API for aid requests: ``/t/<tenant>/api/v1/requests/…``.

Reading needs ``requests.view``; each step checks its own permission in the service
(403), the state and preconditions (409), the input (422) — and commits only on success.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm.attributes import set_committed_value

from ..api import MAX_ID, ApiBlueprint
from ..errors import NotFound
from ..extensions import db
from ..lookup import get_or_404
from ..prepared import Prepared, attach, attribute_keys
from ..tenancy import require_tenant
from . import services
from .models import AidRequest, Decision, Escalation, FieldVisit, RequestEvent, Verification
from .page import children
from .schemas import (
    ApproveSchema,
    AssessmentSchema,
    DecisionOutSchema,
    EscalateSchema,
    EscalationOutSchema,
    LinkFileSchema,
    NoteSchema,
    PermitOutcomeSchema,
    QueueArgsSchema,
    ReasonSchema,
    RecordVisitSchema,
    RejectSchema,
    RequestCreateSchema,
    RequestDetailSchema,
    RequestSchema,
    ScheduleVisitSchema,
    SubmitSchema,
    VerificationOutSchema,
    VerificationSchema,
    VisitOutSchema,
)
from .workflow import available_actions

bp = ApiBlueprint("requests_api", __name__, description="Aid requests and their workflow")


def _detail(request):
    """The request with the steps the current user may take (dumped by ``RequestDetailSchema``)."""
    request.actions = [t.action for t in available_actions(request, current_user._get_current_object())]
    return request


def _commit_for_detail(request: AidRequest) -> None:
    """Commit a step and keep what the answer reads: the timeline is loaded inside the
    transaction (after the step's own event), and the commit expires nothing, so the detail
    is served from the objects as they were written instead of reading the request, the user
    and the tenant again after the commit."""
    request.events  # noqa: B018 - loaded now (autoflush), in the step's transaction
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


_REQUESTS = AidRequest.__table__
_EVENTS = RequestEvent.__table__
# The request and its timeline in one statement, compiled once (``core.prepared``): the detail
# serialiser reads both. The tenant is a bound value (and Row-Level Security's on PostgreSQL).
_WITH_EVENTS = Prepared(
    sa.select(*_REQUESTS.c, *_EVENTS.c)
    .select_from(
        _REQUESTS.outerjoin(
            _EVENTS,
            sa.and_(_EVENTS.c.tenant_id == _REQUESTS.c.tenant_id, _EVENTS.c.request_id == _REQUESTS.c.id),
        )
    )
    .where(_REQUESTS.c.tenant_id == sa.bindparam("tenant"), _REQUESTS.c.id == sa.bindparam("id"))
    .order_by(_EVENTS.c.id)
)
_REQUEST_KEYS = attribute_keys(AidRequest, _REQUESTS.c)
_EVENT_KEYS = attribute_keys(RequestEvent, _EVENTS.c)
_SPLIT = len(_REQUEST_KEYS)
_EVENT_ID = _SPLIT + _EVENT_KEYS.index("id")  # NULL: a request without events (outer join)


def _request_with_events(request_id: int) -> AidRequest:
    """The request of the tenant in context and its timeline, read in one statement, as the
    session's objects (the request's ``events`` loaded); 404 when there is none."""
    if not 0 <= request_id <= MAX_ID:  # the path's documented range (INTEGER: 32 bits on PostgreSQL)
        raise NotFound()
    session = db.session()
    found = _WITH_EVENTS.rows(session.connection(), {"tenant": require_tenant().id, "id": request_id})
    if not found:
        raise NotFound()
    request = attach(session, AidRequest, _REQUEST_KEYS, found[0][:_SPLIT])
    if "events" not in vars(request):  # not loaded yet (a request already in the session may have them)
        events = [
            attach(session, RequestEvent, _EVENT_KEYS, row[_SPLIT:])
            for row in found
            if row[_SPLIT] is not None
        ]
        set_committed_value(request, "events", events)
    return request


@bp.route("/")
@bp.arguments(QueueArgsSchema, location="query")
@bp.response(
    200,
    RequestSchema(many=True),
    headers={"X-Total-Count": {"description": "Rows of every page", "schema": {"type": "integer"}}},
)
@bp.requires("requests.view")
def list_requests(args):
    """Requests of one work queue (``mine``, ``new``, ``awaiting_visit``, ``awaiting_committee``,
    ``overdue`` …), filtered (number in any digits, name words, program, state, days waiting,
    amount), sorted by days waiting and paginated (``page``, ``per_page``; the total in
    ``X-Total-Count``)."""
    found = services.queue_page(
        args["queue"],
        current_user,
        services.QueueFilters.of(args),
        page=args["page"],
        per_page=args["per_page"],
    )
    items = []
    for row in found.rows:
        row.request.days_waiting, row.request.overdue = row.days_waiting, row.overdue
        row.request.program_name = row.program
        items.append(row.request)
    return items, {"X-Total-Count": str(found.total)}


@bp.route("/", methods=["POST"])
@bp.arguments(RequestCreateSchema)
@bp.response(201, RequestDetailSchema)
@bp.requires("requests.create")
def create_request(data):
    """Register a request received on any channel (a draft until submitted)."""
    request = services.create_request(data, current_user)
    _commit_for_detail(request)
    return _detail(request)


@bp.route("/<int:request_id>")
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.view")
def get_request(request_id):
    return _detail(_request_with_events(request_id))


def _step(request_id: int, run) -> dict:
    # with its timeline: the step's event is put at its end (``workflow``), not read again
    request = _request_with_events(request_id)
    run(request)
    _commit_for_detail(request)
    return _detail(request)


@bp.route("/<int:request_id>/submit", methods=["POST"])
@bp.arguments(SubmitSchema)
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.create", "portal.apply")
def submit(data, request_id):
    """Submit with the signed declaration: the request gets its number and date."""
    return _step(
        request_id, lambda r: services.submit(r, current_user, declaration_signed_by=data["signed_by"])
    )


@bp.route("/<int:request_id>/file", methods=["PUT"])
@bp.arguments(LinkFileSchema)
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.link_file")
def link_file(data, request_id):
    """Link (or relink) the request to a beneficiary file of this association (audited, on the timeline)."""
    return _step(request_id, lambda r: services.link_file(r, current_user, data["file_id"]))


@bp.route("/<int:request_id>/start-research", methods=["POST"])
@bp.arguments(NoteSchema)
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.research")
def start_research(data, request_id):
    return _step(request_id, lambda r: services.start_research(r, current_user))


@bp.route("/<int:request_id>/verify", methods=["POST"])
@bp.arguments(NoteSchema)
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.research")
def verify(data, request_id):
    return _step(request_id, lambda r: services.verify(r, current_user))


@bp.route("/<int:request_id>/send-to-committee", methods=["POST"])
@bp.arguments(NoteSchema)
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.research")
def send_to_committee(data, request_id):
    return _step(request_id, lambda r: services.send_to_committee(r, current_user))


@bp.route("/<int:request_id>/return", methods=["POST"])
@bp.arguments(ReasonSchema)
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.return")
def return_to_applicant(data, request_id):
    return _step(request_id, lambda r: services.return_to_applicant(r, current_user, data["reason"]))


@bp.route("/<int:request_id>/withdraw", methods=["POST"])
@bp.arguments(NoteSchema)
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.withdraw", "portal.apply")
def withdraw(data, request_id):
    return _step(request_id, lambda r: services.withdraw(r, current_user, data["note"]))


@bp.route("/<int:request_id>/close", methods=["POST"])
@bp.arguments(NoteSchema)
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.close")
def close(data, request_id):
    return _step(request_id, lambda r: services.close(r, current_user, data["note"]))


@bp.route("/<int:request_id>/visits")
@bp.response(200, VisitOutSchema(many=True))
@bp.requires("requests.view")
def list_visits(request_id):
    return children(FieldVisit, get_or_404(AidRequest, request_id).id)


@bp.route("/<int:request_id>/visits", methods=["POST"])
@bp.arguments(ScheduleVisitSchema)
@bp.response(201, VisitOutSchema)
@bp.requires("requests.research")
def schedule_visit(data, request_id):
    visit = services.schedule_visit(get_or_404(AidRequest, request_id), current_user, data["scheduled_for"])
    db.session.commit()
    return visit


@bp.route("/<int:request_id>/visits/<int:visit_id>", methods=["POST"])
@bp.arguments(RecordVisitSchema)
@bp.response(200, VisitOutSchema)
@bp.requires("requests.research")
def record_visit(data, request_id, visit_id):
    """Record the visit: date, findings, each field confirmed / corrected / not seen."""
    visit = services.record_visit(get_or_404(AidRequest, request_id), current_user, visit_id=visit_id, **data)
    db.session.commit()
    return visit


@bp.route("/<int:request_id>/verifications")
@bp.response(200, VerificationOutSchema(many=True))
@bp.requires("requests.view")
def list_verifications(request_id):
    return children(Verification, get_or_404(AidRequest, request_id).id)


@bp.route("/<int:request_id>/verifications", methods=["POST"])
@bp.arguments(VerificationSchema)
@bp.response(201, VerificationOutSchema)
@bp.requires("requests.research")
def record_verification(data, request_id):
    verification = services.record_verification(get_or_404(AidRequest, request_id), current_user, data)
    db.session.commit()
    return verification


@bp.route("/<int:request_id>/assessment")
@bp.response(200, AssessmentSchema)
@bp.requires("requests.view")
def assessment(request_id):
    """The merged eligibility checks (``assess_eligibility``) and the ceiling (``propose_aid_ceiling``)."""
    request = get_or_404(AidRequest, request_id)
    ceiling = services.ceiling_for(request)
    return {
        "checks": services.assess(request),
        "ceiling_halalas": ceiling.amount_halalas if ceiling else None,
        "ceiling_reason": str(ceiling.reason) if ceiling else None,
    }


@bp.route("/<int:request_id>/decisions")
@bp.response(200, DecisionOutSchema(many=True))
@bp.requires("requests.view")
def list_decisions(request_id):
    return children(Decision, get_or_404(AidRequest, request_id).id)


@bp.route("/<int:request_id>/approve", methods=["POST"])
@bp.arguments(ApproveSchema)
@bp.response(201, DecisionOutSchema)
@bp.requires("requests.decide")
def approve(data, request_id):
    """Approve with an amount; above the ceiling only with ``override_reason`` (``requests.override``)."""
    decision = services.approve(
        get_or_404(AidRequest, request_id),
        current_user,
        amount_halalas=data["amount"],
        members_present=data["members_present"],
        decided_on=data["decided_on"],
        override_reason=data["override_reason"],
        note=data["note"],
    )
    db.session.commit()
    return decision


@bp.route("/<int:request_id>/reject", methods=["POST"])
@bp.arguments(RejectSchema)
@bp.response(201, DecisionOutSchema)
@bp.requires("requests.decide")
def reject(data, request_id):
    """Reject with the reason the applicant will see."""
    decision = services.reject(get_or_404(AidRequest, request_id), current_user, **data)
    db.session.commit()
    return decision


@bp.route("/<int:request_id>/escalations")
@bp.response(200, EscalationOutSchema(many=True))
@bp.requires("requests.view")
def list_escalations(request_id):
    return children(Escalation, get_or_404(AidRequest, request_id).id)


@bp.route("/<int:request_id>/escalations", methods=["POST"])
@bp.arguments(EscalateSchema)
@bp.response(201, EscalationOutSchema)
@bp.requires("requests.escalate")
def escalate(data, request_id):
    escalation = services.escalate(get_or_404(AidRequest, request_id), current_user, **data)
    db.session.commit()
    return escalation


@bp.route("/<int:request_id>/escalations/<int:escalation_id>/outcome", methods=["POST"])
@bp.arguments(PermitOutcomeSchema)
@bp.response(200, EscalationOutSchema)
@bp.requires("requests.escalate")
def permit_outcome(data, request_id, escalation_id):
    escalation = services.record_permit_outcome(
        get_or_404(AidRequest, request_id), current_user, escalation_id, **data
    )
    db.session.commit()
    return escalation
