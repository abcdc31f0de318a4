"""Queues (mine, unassigned, due soon, overdue), the daily tick, and the KPIs."""

from __future__ import annotations

import statistics
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ...calendar import add_working_days, holidays_of, working_days_between
from ...extensions import db
from ...notifications import notify
from ...numbers import normalize_digits
from ...tenancy import require_tenant, utcnow
from ..models import OPEN_STATES, Grievance, GrievanceAppeal, GrievanceAssignee, GrievanceEvent
from . import deadlines, handling
from .access import audit_list, visible_filter
from .appeals import appeal_deadline_passed
from .events import directors
from .rules import DUE_SOON_WORKING_DAYS

QUEUES = ("all", "mine", "unassigned", "due_soon", "overdue")


def queue(
    user: Any, name: str, on: date, state: str | None = None, search: str | None = None
) -> list[Grievance]:
    """The grievances of queue ``name`` that ``user`` may read, the most urgent first;
    ``search`` narrows them by number or complainant name (never beyond what ``user`` may read)."""
    query = _queue_query(user, name, on, state, search).options(
        selectinload(Grievance.events), selectinload(Grievance.appeals)
    )
    return list(db.session.scalars(query.order_by(Grievance.due_date, Grievance.id)))


def queue_size(user: Any, name: str, on: date, state: str | None = None, search: str | None = None) -> int:
    query = _queue_query(user, name, on, state, search)
    return db.session.scalar(db.select(sa.func.count()).select_from(query.subquery()))


def refresh_open_due_dates(on: date) -> int:
    """Recompute the stored due date of every open grievance (a tenant holiday may have moved
    since); each change is audited. Returns how many changed."""
    off = holidays_of(require_tenant())
    return sum(
        deadlines.refresh_due_date(grievance, on, off)
        for grievance in db.session.scalars(db.select(Grievance).where(Grievance.state.in_(OPEN_STATES)))
    )


def read_queue(
    user: Any, name: str, on: date, via: str, state: str | None = None, search: str | None = None
) -> list[Grievance]:
    """The queue for ``user``: open due dates brought up to date with the holidays (lazily, as
    the daily tick does), the listing audited and committed first (so that the rows handed to
    the page or the API are loaded after the commit, not expired by it)."""
    refresh_open_due_dates(on)
    audit_list(user, via, queue_size(user, name, on, state, search))
    db.session.commit()
    return queue(user, name, on, state, search)


def _queue_query(user: Any, name: str, on: date, state: str | None, search: str | None = None) -> sa.Select:
    query = db.select(Grievance).where(visible_filter(user))
    if search and (words := normalize_digits(search).split()):
        # Every word must match the number or the complainant's name (confidentiality first:
        # the filter above already left out what the user may not read).
        for word in words:
            like = f"%{word.replace('%', '').replace('_', '')}%"
            query = query.where(sa.or_(Grievance.number.ilike(like), Grievance.complainant_name.ilike(like)))
    is_open = Grievance.state.in_(OPEN_STATES)
    # The clock does not run while the grievance waits on the complainant.
    running = Grievance.state.in_(("received", "under_review"))
    if name == "mine":
        query = query.where(
            sa.exists().where(
                GrievanceAssignee.grievance_id == Grievance.id, GrievanceAssignee.user_id == user.id
            )
        )
    elif name == "unassigned":
        query = query.where(is_open, ~sa.exists().where(GrievanceAssignee.grievance_id == Grievance.id))
    elif name == "due_soon":
        soon = add_working_days(on, DUE_SOON_WORKING_DAYS, holidays_of(require_tenant()))
        query = query.where(running, Grievance.due_date >= on, Grievance.due_date <= soon)
    elif name == "overdue":
        query = query.where(running, Grievance.due_date < on)
    if state:
        query = query.where(Grievance.state == state)
    return query


def counts(user: Any, on: date) -> dict[str, int]:
    """How many grievances ``user`` sees overdue and due soon (the staff home's card)."""
    return {name: len(queue(user, name, on)) for name in ("overdue", "due_soon")}


def urgent(user: Any, on: date) -> tuple[list[Grievance], list[Grievance]]:
    """The overdue and the due-soon grievances ``user`` may read, the most urgent first."""
    return queue(user, "overdue", on), queue(user, "due_soon", on)


def tick(on: date) -> dict[str, int]:
    """The daily pass (``flask grievances tick``, and lazily on read): recompute open due dates
    (holidays may have moved), tell the executive directors once of each newly overdue
    grievance, and close decided ones whose appeal window has passed."""
    recomputed = refresh_open_due_dates(on)
    overdue = closed = 0
    heads: list | None = None
    for grievance in db.session.scalars(db.select(Grievance).where(Grievance.state.in_(OPEN_STATES))):
        if (
            grievance.paused_since is None
            and grievance.due_date < on
            and grievance.overdue_notified_at is None
        ):
            grievance.overdue_notified_at = utcnow()
            overdue += 1
            heads = directors() if heads is None else heads
            for director in heads:
                notify(
                    "grievance_overdue",
                    {"number": grievance.number, "due": grievance.due_date},
                    user=director,
                )
    for grievance in db.session.scalars(db.select(Grievance).where(Grievance.state == "decided")):
        if grievance.decided_on is not None and appeal_deadline_passed(grievance, on):
            handling.close(grievance, None)
            closed += 1
    db.session.flush()
    return {"recomputed": recomputed, "overdue": overdue, "closed": closed}


# --------------------------------------------------------------------------- KPIs
# One aggregate query per figure (planning computes every source of a tenant for a period).


def _decided_in(start: date, end: date):
    return Grievance.decided_on.between(start, end)


def _share(hits, total) -> float | None:
    return round(100 * (hits or 0) / total, 1) if total else None


def kpi_filed(tenant, start: date, end: date) -> int:
    return db.session.scalar(
        db.select(sa.func.count(Grievance.id)).where(Grievance.filed_on.between(start, end))
    )


def kpi_decided_in_time(tenant, start: date, end: date) -> float | None:
    """Share (%) of the grievances decided in the period that were decided by their due date."""
    on_time = sa.func.sum(sa.case((Grievance.decided_on <= Grievance.due_date, 1), else_=0))
    total, hits = db.session.execute(
        db.select(sa.func.count(Grievance.id), on_time).where(_decided_in(start, end))
    ).one()
    return _share(hits, total)


def kpi_median_days(tenant, start: date, end: date) -> float | None:
    """Median working days from the start of the clock (filing, or reopening) to the decision
    (pauses included: the complainant's time counts)."""
    rows = db.session.execute(
        db.select(Grievance.clock_from, Grievance.decided_on).where(_decided_in(start, end))
    ).all()
    if not rows:
        return None
    off = holidays_of(tenant)
    return float(statistics.median(working_days_between(begun, decided, off) for begun, decided in rows))


def kpi_upheld(tenant, start: date, end: date) -> float | None:
    """Share (%) of the grievances decided in the period upheld in full or in part."""
    upheld = sa.func.sum(sa.case((Grievance.outcome.in_(("upheld", "partly_upheld")), 1), else_=0))
    total, hits = db.session.execute(
        db.select(sa.func.count(Grievance.id), upheld).where(_decided_in(start, end))
    ).one()
    return _share(hits, total)


def _share_with(start: date, end: date, condition) -> float | None:
    hits = sa.func.sum(sa.case((condition, 1), else_=0))
    total, found = db.session.execute(
        db.select(sa.func.count(Grievance.id), hits).where(_decided_in(start, end))
    ).one()
    return _share(found, total)


def kpi_appeal_rate(tenant, start: date, end: date) -> float | None:
    """Share (%) of the grievances decided in the period that were appealed."""
    return _share_with(start, end, sa.exists().where(GrievanceAppeal.grievance_id == Grievance.id))


def kpi_reopen_rate(tenant, start: date, end: date) -> float | None:
    """Share (%) of the grievances decided in the period that had been reopened."""
    reopened = sa.exists().where(
        GrievanceEvent.grievance_id == Grievance.id, GrievanceEvent.action == "reopen"
    )
    return _share_with(start, end, reopened)
