"""What the volunteer is told (the notifications outbox: in-app, e-mail, SMS): the decision on
their offer with its reason, and a place given to them."""

from __future__ import annotations

from typing import Any

from ...auth.models import User
from ...calendar import format_date
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...notifications import notify

# Registered through ``register_notification_templates`` by hooks.py.
TEMPLATES: dict[str, tuple[Any, Any]] = {
    "volunteer_accepted": (
        _l("%(tenant)s: your offer to volunteer was accepted"),
        _l("Welcome to the volunteers of %(tenant)s. You will find the open opportunities on the portal."),
    ),
    "volunteer_declined": (
        _l("%(tenant)s: about your offer to volunteer"),
        _l("Thank you for offering to volunteer. We cannot accept the offer now: %(reason)s"),
    ),
    "volunteer_inactive": (
        _l("%(tenant)s: your volunteering is paused"),
        _l("Your volunteering with %(tenant)s is paused: %(reason)s"),
    ),
    "volunteer_assigned": (
        _l("%(tenant)s: you have a place in %(title)s"),
        _l("You have a place in %(title)s on %(date)s. Check in on the portal when you arrive."),
    ),
}


def tell(volunteer: Any, template: str, **context: Any) -> None:
    """Queue ``template`` for the volunteer: their portal account, else the e-mail and phone given."""
    user = db.session.get(User, volunteer.user_id) if volunteer.user_id else None
    email = volunteer.email if volunteer.email and (user is None or user.email != volunteer.email) else None
    notify(template, context, user=user, email=email, phone=volunteer.phone if user is None else None)


def tell_decision(volunteer: Any) -> None:
    tell(volunteer, f"volunteer_{volunteer.state}", reason=volunteer.decision_reason or "")


def tell_place(volunteer: Any, opportunity: Any) -> None:
    tell(volunteer, "volunteer_assigned", title=opportunity.title, date=format_date(opportunity.on_date))
