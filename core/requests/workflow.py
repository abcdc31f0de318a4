"""The request workflow: a transition table and one function per step.

Every step goes through :func:`transition`, which checks — before anything changes —
the actor's permission, the request's state, core's preconditions and the plugins'
(``validate_request_transition``), then moves the request, writes its timeline event
and audit entry, and calls ``request_transitioned``. A refusal raises and leaves the
request untouched: 403 for a role that does not own the step, 409 (translated reason)
for a step the state or a precondition does not allow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from sqlalchemy.orm.attributes import set_committed_value

from ..auth.permissions import can, checker
from ..errors import Conflict, Forbidden, Invalid
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..plugins import enabled_plugin_ids, get_host, tenant_hooks
from ..tenancy import utcnow
from . import links
from .models import AidRequest, Escalation, FieldVisit, RequestEvent, Verification

STATES: dict[str, Any] = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned for missing data"),
    "in_research": _l("In research"),
    "field_visit_scheduled": _l("Field visit scheduled"),
    "visited": _l("Field visit done"),
    "verified": _l("Verified"),
    "in_committee": _l("In committee"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "disbursed": _l("Disbursed"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
}
OPEN_STATES = (
    "draft",
    "submitted",
    "returned",
    "in_research",
    "field_visit_scheduled",
    "visited",
    "verified",
    "in_committee",
    "approved",
)
FINAL_STATES = ("closed", "withdrawn")
# A beneficiary file may be linked (or relinked) until the request is over.
NO_LINK_STATES = ("closed", "withdrawn", "disbursed")
# The applicant (or staff on their behalf) edits the request's data before (re)submitting it.
EDITABLE_STATES = ("draft", "returned")


@dataclass(frozen=True)
class Transition:
    """One step: from any of ``sources`` to ``target``, for holders of ``permission``.

    ``own_permission`` lets an applicant take the step on their own request (portal).
    The request page and the generic step endpoint (``POST …/requests/<id>/steps/<action>``)
    read the rest: ``note_label`` asks for a note under that label (required with
    ``note_required``), ``confirm`` asks "are you sure?" first on the page, and ``elsewhere``
    marks a step taken only from its own page (a permit's outcome, an upheld grievance).
    """

    action: str
    sources: tuple[str, ...]
    target: str
    permission: str
    label: Any = ""
    own_permission: str | None = None
    target_label: Any = None
    note_label: Any = None
    note_required: bool = False
    confirm: bool = False
    elsewhere: bool = False


CORE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", ("draft", "returned"), "submitted", "requests.create", _l("Submit"), "portal.apply"),
    Transition(
        "start_research", ("submitted",), "in_research", "requests.research", _l("Start the research")
    ),
    Transition(
        "schedule_visit",
        ("in_research",),
        "field_visit_scheduled",
        "requests.research",
        _l("Schedule a field visit"),
    ),
    # Recording the visit moves the request on: the researcher then verifies (or returns) it.
    Transition(
        "record_visit",
        ("field_visit_scheduled",),
        "visited",
        "requests.research",
        _l("Record the field visit"),
    ),
    Transition(
        "verify",
        ("field_visit_scheduled", "visited"),
        "verified",
        "requests.research",
        _l("Mark as verified"),
    ),
    Transition(
        "send_to_committee", ("verified",), "in_committee", "requests.research", _l("Send to the committee")
    ),
    Transition("approve", ("in_committee",), "approved", "requests.decide", _l("Approve")),
    Transition("reject", ("in_committee",), "rejected", "requests.decide", _l("Reject")),
    Transition(
        "refuse_permit",
        ("in_committee", "approved"),
        "rejected",
        "requests.escalate",
        _l("Permit refused"),
        elsewhere=True,  # recorded with the escalation's outcome
    ),
    # Every disbursement is this step: the first moves an approved request to ``disbursed``,
    # each later one is a self-transition, checked and announced the same way.
    Transition(
        "disburse", ("approved", "disbursed"), "disbursed", "requests.disburse", _l("Record the disbursement")
    ),
    Transition("close", ("disbursed", "rejected"), "closed", "requests.close", _l("Close")),
    Transition(
        "return",
        ("submitted", "in_research", "field_visit_scheduled", "visited", "verified"),
        "returned",
        "requests.return",
        _l("Return to the applicant"),
    ),
    Transition("withdraw", OPEN_STATES, "withdrawn", "requests.withdraw", _l("Withdraw"), "portal.apply"),
)


def transitions() -> Mapping[str, Transition]:
    """Core's steps plus the enabled plugins' (``register_request_transitions``): built once per
    enabled set, per app (the steps are declarations, as the permissions are), read-only."""
    return get_host().declared("request_transitions", enabled_plugin_ids(), _build_transitions)


def _build_transitions() -> Mapping[str, Transition]:
    table = {t.action: t for t in CORE_TRANSITIONS}
    for declared in tenant_hooks().register_request_transitions():
        for extra in declared or []:
            table.setdefault(extra.action, extra)
    return MappingProxyType(table)


def state_label(state: str) -> str:
    if state in STATES:
        return str(STATES[state])
    for t in transitions().values():
        if t.target == state and t.target_label:
            return str(t.target_label)
    return state


def is_own(request: AidRequest, actor: Any) -> bool:
    return (
        actor is not None and request.applicant_user_id is not None and request.applicant_user_id == actor.id
    )


def may(
    actor: Any, request: AidRequest, step: Transition, allowed: Callable[[str], bool] | None = None
) -> bool:
    """Whether ``actor`` holds the step's permission (or its own-request one on their own
    request); ``allowed``: a ``permissions.checker`` of ``actor`` when several steps are asked."""
    allowed = allowed or (lambda action: can(actor, action))
    if allowed(step.permission):
        return True
    return bool(step.own_permission and is_own(request, actor) and allowed(step.own_permission))


def available_actions(request: AidRequest, actor: Any) -> list[Transition]:
    """The steps ``actor`` may try on ``request`` in its current state (for pages and the API):
    the actor's roles and the permission table looked up once for all the steps."""
    allowed = checker(actor)
    return [
        t for t in transitions().values() if request.state in t.sources and may(actor, request, t, allowed)
    ]


# --------------------------------------------------------------------------- preconditions


def _blocked_file(request: AidRequest) -> list[str]:
    status = links.file_status(request)
    if status in links.BLOCKING_FILE_STATUSES:
        return [
            _("The beneficiary file is %(status)s: no approval or disbursement.", status=_status_text(status))
        ]
    return []


def _needs_file(request: AidRequest) -> list[str]:
    if request.file_id is None:
        return [_("Link the request to a beneficiary file first.")]
    return []


def _status_text(status: str) -> str:
    return {"suspended": _("suspended"), "excluded": _("excluded")}.get(status, status)


def _needs_declaration(request: AidRequest) -> list[str]:
    if request.declaration_signed_at is None:
        return [_("The applicant has not signed the declaration yet.")]
    return []


def _visit_and_verification(request: AidRequest) -> list[str]:
    problems = []
    visited = db.session.scalar(
        db.select(db.func.count(FieldVisit.id)).where(
            FieldVisit.request_id == request.id, FieldVisit.visited_on.is_not(None)
        )
    )
    if not visited:
        problems.append(_("Record the field visit first."))
    if request.needs_verification_with:
        verified = db.session.scalar(
            db.select(db.func.count(Verification.id)).where(
                Verification.request_id == request.id, Verification.body == request.needs_verification_with
            )
        )
        if not verified:
            problems.append(_("Record the official verification with the other body first."))
    return problems


def _permit_granted(request: AidRequest) -> list[str]:
    if not request.needs_permit:
        return []
    granted = db.session.scalar(
        db.select(db.func.count(Escalation.id)).where(
            Escalation.request_id == request.id, Escalation.outcome == "granted"
        )
    )
    return [] if granted else [_("This request needs the competent authority's permit first.")]


PRECONDITIONS: dict[str, tuple[Callable[[AidRequest], list[str]], ...]] = {
    "start_research": (_needs_declaration,),
    "verify": (_visit_and_verification,),
    "approve": (_needs_declaration, _needs_file, _blocked_file),
    "disburse": (_needs_file, _blocked_file, _permit_granted),
}


# --------------------------------------------------------------------------- the one step function


def check_allowed(request: AidRequest, step: Transition, actor: Any) -> None:
    """The actor's role may take ``step`` (403) and the request's state allows it (409)."""
    if not may(actor, request, step):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state not in step.sources:
        raise Conflict(
            _(
                "A request in state “%(state)s” cannot take the step “%(step)s”.",
                state=state_label(request.state),
                step=str(step.label or step.action),
            )
        )


def refusals(results, problems: list[str] | None = None) -> tuple[list[str], dict[str, list[str]]]:
    """The plugins' answers to ``validate_request_transition``, sorted: each answer is a list
    whose items are messages (the step cannot be taken now: 409) or ``{field: [messages]}``
    mappings (the step's input is wrong: 422 on those fields); a mapping alone counts as a
    one-item list. Messages of the same field from several plugins are concatenated."""
    messages = list(problems or [])
    fields: dict[str, list[str]] = {}
    for refused in results:
        for item in [refused] if isinstance(refused, Mapping) else refused or []:
            if isinstance(item, Mapping):
                for field, said in item.items():
                    said = said if isinstance(said, list | tuple) else [said]
                    fields.setdefault(field, []).extend(str(message) for message in said)
            else:
                messages.append(str(item))
    return messages, fields


def transition(
    request: AidRequest,
    action: str,
    actor: Any,
    *,
    note: str = "",
    data: dict | None = None,
    apply: Callable[[AidRequest], None] | None = None,
) -> RequestEvent:
    """Take step ``action``; ``apply`` makes the step's own changes once every check passed.

    A step whose target is the current state (a further disbursement) is taken the same way:
    every check, a timeline event, an audit entry and ``request_transitioned``.
    """
    data = dict(data or {})
    step = transitions().get(action)
    if step is None:
        raise Conflict(_("This step does not exist."))
    check_allowed(request, step, actor)
    problems = [message for check in PRECONDITIONS.get(action, ()) for message in check(request)]
    problems, field_errors = refusals(
        tenant_hooks().validate_request_transition(request=request, action=action, actor=actor, data=data),
        problems,
    )
    if problems:
        raise Conflict(problems[0], {"_schema": problems})
    if field_errors:
        raise Invalid(field_errors)

    from_state = request.state
    if apply is not None:
        apply(request)
    request.state = step.target
    request.updated_at = utcnow()
    event = RequestEvent(
        tenant_id=request.tenant_id,
        request_id=request.id,
        action=action,
        from_state=from_state,
        to_state=step.target,
        actor_id=getattr(actor, "id", None),
        note=note or "",
        data=_jsonable(data),
    )
    db.session.add(event)
    db.session.flush()
    _on_timeline(request, event)
    links.audit(
        f"request.{action}", request, actor, {"from": from_state, "to": step.target, **_jsonable(data)}
    )
    tenant_hooks().request_transitioned(
        request=request, action=action, from_state=from_state, to_state=step.target, actor=actor
    )
    return event


def record_event(
    request: AidRequest, action: str, actor: Any, note: str = "", data: dict | None = None
) -> RequestEvent:
    """An audited timeline entry that does not change the state (a visit recorded, a verification…)."""
    event = RequestEvent(
        tenant_id=request.tenant_id,
        request_id=request.id,
        action=action,
        from_state=request.state,
        to_state=request.state,
        actor_id=getattr(actor, "id", None),
        note=note or "",
        data=_jsonable(data or {}),
    )
    db.session.add(event)
    db.session.flush()
    _on_timeline(request, event)
    links.audit(f"request.{action}", request, actor, _jsonable(data or {}))
    return event


def _on_timeline(request: AidRequest, event: RequestEvent) -> None:
    """A timeline already loaded (``events``, read-only) gets the new event at its end (ids
    grow, so the order stays the collection's ``order_by``) instead of being read again; one
    not loaded is read when first used, as before."""
    if "events" in request.__dict__:
        set_committed_value(request, "events", [*request.events, event])


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


__all__ = [
    "CORE_TRANSITIONS",
    "FINAL_STATES",
    "OPEN_STATES",
    "STATES",
    "Transition",
    "available_actions",
    "transition",
    "transitions",
]
