"""Finding requests: by number, and the staff's work queues (with the working-day deadline
that makes a request overdue)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from ...calendar import add_working_days, holidays_of, tenant_calendar_settings
from ...errors import NotFound
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...tenancy import require_tenant, utcnow
from .. import workflow
from ..models import AidRequest, RequestEvent
from ..numbering import parse_number


def get_by_number(number: str) -> AidRequest | None:
    """The request with this number, typed in any digits and either part order (``parse_number``)."""
    stored = parse_number(number)
    if stored is None:
        return None
    return db.session.scalars(db.select(AidRequest).where(AidRequest.number == stored)).first()


QUEUES: dict[str, Any] = {
    "mine": _l("My cases"),
    "new": _l("New requests"),
    "awaiting_visit": _l("Awaiting visit"),
    "awaiting_committee": _l("Awaiting committee"),
    "awaiting_disbursement": _l("Awaiting disbursement"),
    "overdue": _l("Overdue"),
    "all": _l("All requests"),
}


def deadline_of(request: AidRequest) -> date | None:
    """The working-day deadline of a request still open: decided within ``decision_deadline_days``."""
    if (
        request.submitted_at is None
        or request.state not in workflow.OPEN_STATES
        or request.state == "approved"
    ):
        return None
    tenant = require_tenant()
    days = tenant_calendar_settings(tenant)["decision_deadline_days"]
    return add_working_days(request.submitted_at.date(), days, holidays_of(tenant))


def last_overdue_submission_day(today: date) -> date:
    """The latest submission date whose working-day deadline (``deadline_of``) is before ``today``."""
    tenant = require_tenant()
    days = tenant_calendar_settings(tenant)["decision_deadline_days"]
    holidays = holidays_of(tenant)
    # ``days`` working days never span more than 7/5 of them, a week, and the holidays.
    low = today - timedelta(days=2 * days + len(holidays) + 14)
    high = today  # add_working_days(today, …) > today: never overdue
    while high - low > timedelta(days=1):  # invariant: deadline(low) < today <= deadline(high)
        middle = low + (high - low) // 2
        if add_working_days(middle, days, holidays) < today:
            low = middle
        else:
            high = middle
    return low


def queue(name: str, actor: Any, *, today: date | None = None) -> list[AidRequest]:
    """A work queue of the current tenant (``QUEUES``), oldest first."""

    query = db.select(AidRequest).order_by(AidRequest.id)
    if name == "mine":
        touched = db.select(RequestEvent.request_id).where(RequestEvent.actor_id == actor.id)
        query = query.where(AidRequest.id.in_(touched), AidRequest.state.in_(workflow.OPEN_STATES))
    elif name == "new":
        query = query.where(AidRequest.state == "submitted")
    elif name == "awaiting_visit":
        query = query.where(AidRequest.state.in_(("in_research", "field_visit_scheduled")))
    elif name == "awaiting_committee":
        query = query.where(AidRequest.state == "in_committee")
    elif name == "awaiting_disbursement":
        query = query.where(AidRequest.state == "approved")
    elif name == "overdue":
        # ``deadline_of`` grows with the submission date, so "deadline before today" is
        # "submitted on or before the last such day": one date cutoff, filtered in SQL.
        last_day = last_overdue_submission_day(today or utcnow().date())
        query = query.where(
            AidRequest.state.in_([s for s in workflow.OPEN_STATES if s != "approved"]),
            AidRequest.submitted_at.is_not(None),
            AidRequest.submitted_at < datetime.combine(last_day + timedelta(days=1), time.min),
        )
    elif name != "all":
        raise NotFound(_("Not found."))
    return list(db.session.scalars(query))
