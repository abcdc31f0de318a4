"""The timeline of a grievance (each step audited) and the messages to its complainant."""

from __future__ import annotations

from typing import Any

from ...audit.services import record
from ...auth.models import Membership, User
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...notifications import notify
from ..models import Grievance, GrievanceEvent

# Message templates (registered through ``register_notification_templates`` by hooks.py).
TEMPLATES: dict[str, tuple[Any, Any]] = {
    "grievance_received": (
        _l("%(tenant)s: your grievance %(number)s was received"),
        _l(
            "%(tenant)s received your grievance number %(number)s on %(date)s. "
            "It will be decided by %(due)s at the latest."
        ),
    ),
    "grievance_needs_information": (
        _l("%(tenant)s: your grievance %(number)s needs more information"),
        _l("To decide your grievance %(number)s we need more information: %(note)s"),
    ),
    "grievance_decided": (
        _l("%(tenant)s: decision on your grievance %(number)s"),
        _l("Your grievance %(number)s was decided: %(outcome)s. %(reason)s"),
    ),
    "grievance_appeal_decided": (
        _l("%(tenant)s: decision on your appeal of grievance %(number)s"),
        _l("Your appeal of grievance %(number)s was decided: %(outcome)s. %(reason)s"),
    ),
    "grievance_overdue": (
        _l("%(tenant)s: grievance %(number)s is overdue"),
        _l("Grievance %(number)s was due on %(due)s and is not decided yet."),
    ),
}


def record_event(
    grievance: Grievance,
    action: str,
    actor: Any,
    *,
    from_state: str | None = None,
    note: str | None = None,
    public: bool = False,
    details: dict | None = None,
) -> GrievanceEvent:
    event = GrievanceEvent(
        grievance_id=grievance.id,
        action=action,
        from_state=from_state,
        to_state=grievance.state,
        actor_id=getattr(actor, "id", None),
        note=note,
        public=public,
    )
    db.session.add(event)
    record(
        f"grievance.{action}",
        "grievance",
        grievance.id,
        {"from": from_state, "to": grievance.state, **(details or {})},
        user=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return event


def notify_complainant(grievance: Grievance, template: str, **context: Any) -> None:
    """Queue ``template`` for the complainant: their portal account, the e-mail and phone they gave."""
    user = db.session.get(User, grievance.complainant_user_id) if grievance.complainant_user_id else None
    email = (
        grievance.complainant_email
        if grievance.complainant_email and (user is None or user.email != grievance.complainant_email)
        else None
    )
    notify(
        template,
        {"number": grievance.number, **context},
        user=user,
        email=email,
        phone=grievance.complainant_phone,
    )


def directors() -> list[User]:
    """The tenant's executive directors (who receive every grievance)."""
    members = db.session.scalars(db.select(Membership)).all()
    ids = [m.user_id for m in members if "executive_director" in (m.roles or [])]
    return list(db.session.scalars(db.select(User).where(User.id.in_(ids)))) if ids else []
