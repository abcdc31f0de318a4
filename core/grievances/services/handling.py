"""Handling a grievance: the transition table and one function per step.

``received → under_review → decided (upheld | partly_upheld | dismissed) → closed``; while
under review it may wait on the complainant (``awaiting_complainant``, the clock paused); a
decided grievance may be appealed (``appealed``, see :mod:`.appeals`) or reopened; open ones
may be refused as inadmissible (with the rule) or withdrawn. Every step is recorded on the
timeline and audited; a step from the wrong state answers 409, a wrong role 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError

from ...auth.models import Membership
from ...auth.permissions import can
from ...calendar import holidays_of, working_days_between
from ...errors import Conflict, Forbidden
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...plugins import tenant_hooks
from ...tenancy import require_tenant, utcnow
from ...validation import check_text
from ..models import INADMISSIBLE_RULES, OPEN_STATES, OUTCOMES, Grievance, GrievanceAssignee
from . import deadlines
from .access import can_act, is_about, is_complainant
from .events import notify_complainant, record_event

# action: (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "assign": (("received", "under_review"), "under_review"),
    "review": (("received",), "under_review"),
    "ask_complainant": (("under_review",), "awaiting_complainant"),
    "answer": (("awaiting_complainant",), "under_review"),
    "decide": (("received", "under_review"), "decided"),
    "reject_inadmissible": (OPEN_STATES, "rejected_inadmissible"),
    "withdraw": (OPEN_STATES, "withdrawn"),
    "reopen": (("decided", "closed"), "under_review"),
    "close": (("decided",), "closed"),
}

OUTCOME_LABELS = {
    "upheld": _l("Upheld"),
    "partly_upheld": _l("Partly upheld"),
    "dismissed": _l("Dismissed"),
}
RULE_LABELS = {
    "anonymous": _l("No explicit name"),
    "no_contact": _l("No contact number"),
    "late": _l("Filed after the filing window"),
    "incomplete": _l("Incomplete data"),
    "duplicate": _l("Duplicate of another grievance"),
    "outside_competence": _l("Outside the association's competence"),
}


def _require_text(field: str, value: str | None, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    if problems := check_text(text):
        raise ValidationError({field: problems})
    return text


def _move(grievance: Grievance, action: str, actor: Any, **event: Any) -> None:
    sources, target = TRANSITIONS[action]
    if grievance.state not in sources:
        raise Conflict(_("This cannot be done in the current state."))
    before = grievance.state
    grievance.state = target
    record_event(grievance, action, actor, from_state=before, **event)


def _require_director(grievance: Grievance, actor: Any) -> None:
    if is_about(grievance, actor) or not can(actor, "grievances.receive"):
        raise Forbidden(_("Your role cannot take this step."))


def _require_handler(grievance: Grievance, actor: Any) -> None:
    if not can_act(grievance, actor):
        raise Forbidden(_("Your role cannot take this step."))


def assign(grievance: Grievance, actor: Any, user_ids: list[int], body: str | None = None) -> Grievance:
    """The executive director assigns the competent committee (``body``) or person(s)."""
    _require_director(grievance, actor)
    if grievance.state not in TRANSITIONS["assign"][0]:
        raise Conflict(_("This cannot be done in the current state."))
    ids = list(dict.fromkeys(user_ids or []))
    if not ids:
        raise ValidationError({"user_ids": [_l("Choose at least one person.")]})
    members = {
        m.user_id: m for m in db.session.scalars(db.select(Membership).where(Membership.user_id.in_(ids)))
    }
    for uid in ids:
        member = members.get(uid)
        if member is None or not can_handle_roles(member.roles):
            raise ValidationError({"user_ids": [_l("Choose one of the listed values.")]})
        if uid == grievance.about_user_id:
            raise ValidationError(
                {"user_ids": [_l("The staff member a grievance is about cannot handle it.")]}
            )
    if body is not None and (problems := check_text(body)):
        raise ValidationError({"body": problems})
    keep = set(ids)
    for existing in list(grievance.assignees):
        if existing.user_id not in keep:
            grievance.assignees.remove(existing)
    have = set(grievance.assignee_ids)
    for uid in ids:
        if uid not in have:
            grievance.assignees.append(
                GrievanceAssignee(grievance_id=grievance.id, user_id=uid, assigned_by_id=actor.id)
            )
    grievance.assigned_body = (body or "").strip() or None
    _move(grievance, "assign", actor, details={"assignees": len(ids)})
    return grievance


def can_handle_roles(roles: list[str]) -> bool:
    return any(role != "applicant" for role in roles or [])


def review(grievance: Grievance, actor: Any) -> Grievance:
    _require_handler(grievance, actor)
    _move(grievance, "review", actor)
    return grievance


def ask_complainant(grievance: Grievance, actor: Any, note: str, on: date) -> Grievance:
    """Wait on the complainant for information: the clock pauses from ``on``."""
    _require_handler(grievance, actor)
    text = _require_text("note", note, _l("Say what information is needed."))
    _move(grievance, "ask_complainant", actor, note=text, public=True)
    grievance.paused_since = on
    notify_complainant(grievance, "grievance_needs_information", note=text)
    return grievance


def answer(grievance: Grievance, actor: Any, note: str, on: date) -> Grievance:
    """The complainant answered (on the portal, or recorded by a handler): the clock resumes
    and the due date moves by the working days it was paused."""
    if not (is_complainant(grievance, actor) or can_act(grievance, actor)):
        raise Forbidden(_("Your role cannot take this step."))
    text = _require_text("note", note, _l("Write the information asked for."))
    off = holidays_of(require_tenant())
    paused = working_days_between(grievance.paused_since, on, off) if grievance.paused_since else 0
    _move(grievance, "answer", actor, note=text, public=True, details={"paused_days": paused})
    grievance.paused_days += paused
    grievance.paused_since = None
    grievance.due_date = deadlines.compute_due_date(grievance, on, off)
    return grievance


def decide(
    grievance: Grievance, actor: Any, outcome: str, decision_text: str, action_taken: str | None, on: date
) -> Grievance:
    """Decide: the outcome, the reason and the action taken; the complainant is told."""
    _require_handler(grievance, actor)
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": [_l("Choose one of the listed values.")]})
    text = _require_text("decision_text", decision_text, _l("Give the reason for the decision."))
    if problems := check_text(action_taken):
        raise ValidationError({"action_taken": problems})
    _move(grievance, "decide", actor, note=text, public=True, details={"outcome": outcome})
    grievance.outcome = outcome
    grievance.decision_text = text
    grievance.action_taken = (action_taken or "").strip() or None
    grievance.decided_at = utcnow()
    grievance.decided_on = on
    grievance.decided_by_id = actor.id
    notify_complainant(grievance, "grievance_decided", outcome=OUTCOME_LABELS[outcome], reason=text)
    tenant_hooks().grievance_decided(grievance=grievance)
    return grievance


def reject_inadmissible(grievance: Grievance, actor: Any, rule: str, note: str | None = None) -> Grievance:
    """Refuse a received grievance as inadmissible, naming the rule (core's or a plugin's code)."""
    _require_director(grievance, actor)
    if rule not in INADMISSIBLE_RULES:
        raise ValidationError({"rule": [_l("Choose one of the listed values.")]})
    if problems := check_text(note):
        raise ValidationError({"note": problems})
    reason = str(RULE_LABELS[rule]) + (f": {note.strip()}" if note and note.strip() else "")
    _move(grievance, "reject_inadmissible", actor, note=reason, public=True, details={"rule": rule})
    grievance.inadmissible_rule = rule
    grievance.closed_at = utcnow()
    notify_complainant(grievance, "grievance_decided", outcome=_l("Not admissible"), reason=reason)
    return grievance


def withdraw(grievance: Grievance, actor: Any) -> Grievance:
    """The complainant withdraws (on the portal, or a handler records it at their request)."""
    if not (is_complainant(grievance, actor) or can_act(grievance, actor)):
        raise Forbidden(_("Your role cannot take this step."))
    _move(grievance, "withdraw", actor, public=True)
    grievance.paused_since = None
    grievance.closed_at = utcnow()
    return grievance


def reopen(grievance: Grievance, actor: Any, note: str, on: date) -> Grievance:
    """The executive director reopens a decided grievance: a fresh deadline from ``on``."""
    _require_director(grievance, actor)
    text = _require_text("note", note, _l("Give the reason for reopening."))
    _move(grievance, "reopen", actor, note=text, public=True)
    grievance.outcome = None
    grievance.decided_at = grievance.decided_on = grievance.decided_by_id = None
    grievance.closed_at = None
    grievance.clock_from, grievance.paused_days, grievance.paused_since = on, 0, None
    grievance.overdue_notified_at = None
    grievance.due_date = deadlines.compute_due_date(grievance, on)
    return grievance


def close(grievance: Grievance, actor: Any) -> Grievance:
    if actor is not None:
        _require_handler(grievance, actor)
    _move(grievance, "close", actor)
    grievance.closed_at = utcnow()
    return grievance


def mark_malicious(grievance: Grievance, actor: Any, note: str, refer: bool) -> Grievance:
    """كيدية: the executive director marks the grievance malicious and may refer the
    complainant for disciplinary action. Recorded and audited; never shown on the portal."""
    _require_director(grievance, actor)
    text = _require_text("note", note, _l("Give the grounds."))
    grievance.malicious = True
    grievance.malicious_note = text
    grievance.disciplinary_referral = bool(refer)
    record_event(
        grievance, "mark_malicious", actor, note=text, public=False, details={"referred": bool(refer)}
    )
    return grievance


def set_about(grievance: Grievance, actor: Any, user_id: int | None) -> Grievance:
    """Name the staff member the grievance is about (they lose any access to it)."""
    _require_director(grievance, actor)
    if user_id is not None:
        member = db.session.scalars(db.select(Membership).where(Membership.user_id == user_id)).first()
        if member is None or not can_handle_roles(member.roles):
            raise ValidationError({"about_user_id": [_l("Choose one of the listed values.")]})
        if user_id in grievance.assignee_ids:
            grievance.assignees[:] = [a for a in grievance.assignees if a.user_id != user_id]
    grievance.about_user_id = user_id
    record_event(grievance, "set_about", actor, details={"named": user_id is not None})
    return grievance


def handlers_of(grievance: Grievance) -> set[int]:
    """Everyone who handled the original: assignees, the decider, every actor of a handling step
    (assigning it is management, not handling)."""
    ids = set(grievance.assignee_ids)
    if grievance.decided_by_id:
        ids.add(grievance.decided_by_id)
    for event in grievance.events:
        if event.action in {"review", "ask_complainant", "answer", "decide", "reopen"} and event.actor_id:
            ids.add(event.actor_id)
    return ids
