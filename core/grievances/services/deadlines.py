"""Deadlines: filing date + N working days (the calendar module's arithmetic, Sunday–Thursday
minus the tenant's holidays), plus the working days the clock was paused while the grievance
waited on the complainant; the traffic light; recomputation when holidays move."""

from __future__ import annotations

from datetime import date

from ...audit.services import record
from ...calendar import add_working_days, holidays_of, working_days_between
from ...tenancy import require_tenant
from ..models import Grievance, GrievanceAppeal

AMBER_SHARE = 0.25


def _holidays() -> frozenset[date]:
    return holidays_of(require_tenant())


def paused_so_far(grievance: Grievance, today: date, holidays=None) -> int:
    """Working days paused: those recorded, plus the running pause up to ``today``."""
    running = 0
    if grievance.paused_since is not None:
        off = _holidays() if holidays is None else holidays
        running = working_days_between(grievance.paused_since, today, off)
    return grievance.paused_days + running


def compute_due_date(grievance: Grievance, today: date, holidays=None, *, running: bool = True) -> date:
    """Filing date + deadline working days + the working days paused (with the pause still
    running up to ``today`` unless ``running`` is False: the stored due date counts the
    pauses that ended)."""
    off = _holidays() if holidays is None else holidays
    paused = paused_so_far(grievance, today, off) if running else grievance.paused_days
    return add_working_days(grievance.clock_from, grievance.rules["deadline_working_days"] + paused, off)


def compute_appeal_due_date(appeal: GrievanceAppeal, rules: dict, holidays=None) -> date:
    off = _holidays() if holidays is None else holidays
    return add_working_days(appeal.filed_on, rules["deadline_working_days"], off)


def refresh_due_date(grievance: Grievance, today: date, holidays=None) -> bool:
    """Store the due date computed now (holidays moved, a pause running); audited when it changed."""
    if not grievance.is_open:
        return False
    due = compute_due_date(grievance, today, holidays, running=False)
    if due == grievance.due_date:
        return False
    record(
        "grievance.due_date.recomputed",
        "grievance",
        grievance.id,
        {"from": grievance.due_date.isoformat(), "to": due.isoformat()},
    )
    grievance.due_date = due
    return True


def effective_due_date(grievance: Grievance, today: date, holidays=None) -> date:
    """The stored due date, moved on by a pause still running (the clock does not run out
    while the grievance waits on the complainant)."""
    if grievance.paused_since is None:
        return grievance.due_date
    return compute_due_date(grievance, today, holidays)


def light(grievance: Grievance, today: date, holidays=None) -> str | None:
    """``green``/``amber``/``red`` by the share of working time left (amber under 25 %, red
    overdue); None once the grievance is no longer open."""
    if not grievance.is_open:
        return None
    off = _holidays() if holidays is None else holidays
    due = effective_due_date(grievance, today, off)
    if today > due:
        return "red"
    total = grievance.rules["deadline_working_days"]
    left = working_days_between(today, due, off)
    return "amber" if left < AMBER_SHARE * total else "green"


def working_days_left(grievance: Grievance, today: date, holidays=None) -> int:
    off = _holidays() if holidays is None else holidays
    due = effective_due_date(grievance, today, off)
    if today > due:
        return -working_days_between(due, today, off)
    return working_days_between(today, due, off)
