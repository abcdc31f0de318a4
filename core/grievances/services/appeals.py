"""Appeals: the complainant appeals a decision within the appeal window (working days from
the decision); someone who did not handle the original decides it (conflict of interest,
enforced here), within its own working-day deadline."""

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
from ...tenancy import require_tenant, utcnow
from ..models import OUTCOMES, Grievance, GrievanceAppeal
from . import deadlines
from .access import is_about, is_complainant
from .events import notify_complainant, record_event
from .handling import OUTCOME_LABELS, _require_text, can_handle_roles, handlers_of

CONFLICT = _l("Someone who handled the original grievance cannot decide its appeal.")


def appeal_deadline_passed(grievance: Grievance, on: date) -> bool:
    """More working days than the appeal window since the decision."""
    window = grievance.rules.get("appeal_window_working_days", 10)
    return working_days_between(grievance.decided_on, on, holidays_of(require_tenant())) > window


def open_appeal(grievance: Grievance, actor: Any, reason: str, on: date) -> GrievanceAppeal:
    """The complainant (or staff recording it for them) appeals the decision."""
    if not (is_complainant(grievance, actor) or can(actor, "grievances.record")) or is_about(
        grievance, actor
    ):
        raise Forbidden(_("Your role cannot take this step."))
    if grievance.state != "decided":
        raise Conflict(_("This cannot be done in the current state."))
    text = _require_text("reason", reason, _l("Give the reason for the appeal."))
    if appeal_deadline_passed(grievance, on):
        raise ValidationError(
            {
                "reason": [
                    _l("The appeal window of %(days)s working days after the decision has passed.")
                    % {"days": grievance.rules.get("appeal_window_working_days", 10)}
                ]
            }
        )
    appeal = GrievanceAppeal(grievance_id=grievance.id, reason=text, filed_on=on, filed_at=utcnow())
    appeal.due_date = deadlines.compute_appeal_due_date(appeal, grievance.rules)
    grievance.appeals.append(appeal)
    before = grievance.state
    grievance.state = "appealed"
    db.session.flush()
    record_event(grievance, "appeal", actor, from_state=before, note=text, public=True)
    return appeal


def _conflicted(grievance: Grievance, user_id: int) -> bool:
    return user_id in handlers_of(grievance) or user_id == grievance.about_user_id


def assign_appeal(appeal: GrievanceAppeal, actor: Any, handler_id: int) -> GrievanceAppeal:
    grievance = appeal.grievance
    if is_about(grievance, actor) or not can(actor, "grievances.receive"):
        raise Forbidden(_("Your role cannot take this step."))
    if appeal.state != "received":
        raise Conflict(_("This cannot be done in the current state."))
    member = db.session.scalars(db.select(Membership).where(Membership.user_id == handler_id)).first()
    if member is None or not can_handle_roles(member.roles):
        raise ValidationError({"handler_id": [_l("Choose one of the listed values.")]})
    if _conflicted(grievance, handler_id):
        raise ValidationError({"handler_id": [CONFLICT]})
    appeal.handler_id = handler_id
    record_event(grievance, "assign_appeal", actor, from_state=grievance.state, details={"appeal": appeal.id})
    return appeal


def decide_appeal(
    appeal: GrievanceAppeal, actor: Any, outcome: str, decision_text: str, on: date
) -> GrievanceAppeal:
    """Decide the appeal: its handler, or the executive director when they did not handle the
    original. Anyone who handled the original is refused (403), whatever their role."""
    grievance = appeal.grievance
    if appeal.state != "received":
        raise Conflict(_("This cannot be done in the current state."))
    allowed = appeal.handler_id == actor.id or (
        appeal.handler_id is None and can(actor, "grievances.receive")
    )
    if not allowed or is_about(grievance, actor):
        raise Forbidden(_("Your role cannot take this step."))
    if _conflicted(grievance, actor.id):
        raise Forbidden(CONFLICT)
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": [_l("Choose one of the listed values.")]})
    text = _require_text("decision_text", decision_text, _l("Give the reason for the decision."))
    appeal.state = "decided"
    appeal.outcome = outcome
    appeal.decision_text = text
    appeal.decided_at = utcnow()
    appeal.decided_on = on
    appeal.decided_by_id = actor.id
    before = grievance.state
    grievance.state = "closed"
    grievance.closed_at = utcnow()
    record_event(grievance, "decide_appeal", actor, from_state=before, note=text, public=True,
                 details={"outcome": outcome})  # fmt: skip
    notify_complainant(grievance, "grievance_appeal_decided", outcome=OUTCOME_LABELS[outcome], reason=text)
    return appeal
