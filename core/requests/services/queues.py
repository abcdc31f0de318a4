"""Finding requests: by number, and the staff's work queues — filtered, sorted by days
waiting and paginated in SQL — with the working-day limits that make a request overdue.

A request is **overdue** when either

* it has waited in its current state longer than that state's working-day limit
  (:func:`state_limits`: the tenant's ``research_deadline_days`` for the research states,
  the defaults of :data:`DEFAULT_STATE_LIMITS` for the others), or
* its decision deadline (:func:`deadline_of`, the tenant's ``decision_deadline_days`` from
  submission) has passed.

"Days waiting" are the working days (Sunday–Thursday minus the tenant's holidays) since the
request entered its current state (:func:`state_since`: its latest timeline event into that
state, else its submission, else its creation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ...calendar import (
    add_working_days,
    day_bounds,
    holidays_of,
    is_working_day,
    local_time,
    tenant_calendar_settings,
    working_days_between,
)
from ...calendar import today as tenant_today
from ...errors import NotFound
from ...extensions import db
from ...i18n import current_language
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...numbers import normalize_digits
from ...pagination import Paged
from ...tenancy import require_tenant
from .. import workflow
from ..models import AidRequest, CatalogItem, RequestEvent
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

# Working days a request may wait in each state before it is overdue, when the tenant sets no
# limit of its own: a new request is triaged within 3 days, a verified one goes to the committee
# within 3, the committee decides within 10 (its monthly sitting, about two working weeks), an
# approved request is paid within 5, and an applicant asked for missing data is followed up
# after 10. The research states (``in_research``, ``field_visit_scheduled``, ``visited``) take the tenant's
# ``research_deadline_days`` (calendar settings, 10 by default). Drafts and finished requests
# wait on nobody on the staff: they have no limit.
DEFAULT_STATE_LIMITS: dict[str, int] = {
    "submitted": 3,
    "returned": 10,
    "verified": 3,
    "in_committee": 10,
    "approved": 5,
}
RESEARCH_STATES = ("in_research", "field_visit_scheduled", "visited")


def state_limits(tenant: Any = None) -> dict[str, int]:
    """Working days each state may last before its request is overdue (see the module doc)."""
    settings = tenant_calendar_settings(tenant or require_tenant())
    return {
        **DEFAULT_STATE_LIMITS,
        **dict.fromkeys(RESEARCH_STATES, settings["research_deadline_days"]),
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
    return add_working_days(local_time(request.submitted_at, tenant).date(), days, holidays_of(tenant))


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


def waited_since(today: date, days: int, holidays: frozenset[date]) -> date:
    """The latest day ``d`` with ``working_days_between(d, today) >= days``: entering a state
    on or before it means having waited at least ``days`` working days by ``today``."""
    start, counted = today, 0
    while counted < days:
        if is_working_day(start, holidays):
            counted += 1
        start -= timedelta(days=1)
    return start


def state_since() -> Any:
    """SQL: when each request entered its current state (see the module doc)."""
    entered = (
        db.select(sa.func.max(RequestEvent.at))
        .where(RequestEvent.request_id == AidRequest.id, RequestEvent.to_state == AidRequest.state)
        .correlate(AidRequest)
        .scalar_subquery()
    )
    return sa.func.coalesce(entered, AidRequest.submitted_at, AidRequest.created_at)


def _before_end_of(day: date) -> datetime:
    """The stored (naive UTC) moment the association's ``day`` ends: its next local midnight."""
    return day_bounds(day, day, require_tenant())[1]


def overdue_clause(today: date) -> Any:
    """SQL: the request is overdue on ``today`` (either rule of the module doc)."""
    tenant = require_tenant()
    holidays = holidays_of(tenant)
    since = state_since()
    by_state = [
        sa.and_(AidRequest.state == state, since < _before_end_of(waited_since(today, limit + 1, holidays)))
        for state, limit in state_limits(tenant).items()
    ]
    # ``deadline_of`` grows with the submission date, so "deadline before today" is
    # "submitted on or before the last such day": one date cutoff, filtered in SQL.
    by_decision = sa.and_(
        AidRequest.state.in_([s for s in workflow.OPEN_STATES if s != "approved"]),
        AidRequest.submitted_at.is_not(None),
        AidRequest.submitted_at < _before_end_of(last_overdue_submission_day(today)),
    )
    return sa.or_(by_decision, *by_state)


def is_overdue(
    request: AidRequest,
    since: datetime,
    today: date,
    *,
    limits: dict[str, int] | None = None,
    holidays: frozenset[date] | None = None,
) -> bool:
    """The row-by-row form of :func:`overdue_clause` (for one request already loaded)."""
    tenant = require_tenant()
    limit = (limits if limits is not None else state_limits(tenant)).get(request.state)
    holidays = holidays if holidays is not None else holidays_of(tenant)
    if limit is not None and working_days_between(local_time(since, tenant).date(), today, holidays) > limit:
        return True
    deadline = deadline_of(request)
    return deadline is not None and deadline < today


# --------------------------------------------------------------------------- filters


SORTS: dict[str, Any] = {
    "waiting": _l("Waiting longest first"),
    "recent": _l("Waiting least first"),
    "number": _l("By number"),
}
PER_PAGE = 100
MAX_PER_PAGE = 500
_GROUPS = re.compile(r"\d+")


@dataclass
class QueueFilters:
    """What the queue page's search box and filters ask (already validated)."""

    number: str | None = None
    name: str | None = None
    program: int | None = None
    state: tuple[str, ...] | None = None  # any of these
    min_days: int | None = None
    min_amount: int | None = None  # halalas
    max_amount: int | None = None
    sort: str = "waiting"

    @classmethod
    def of(cls, args: dict) -> QueueFilters:
        """The filters of validated ``QueueArgsSchema`` arguments (other keys ignored)."""
        names = ("number", "name", "program", "state", "min_days", "min_amount", "max_amount", "sort")
        found = {name: args[name] for name in names if args.get(name) is not None}
        if isinstance(found.get("state"), str):
            found["state"] = (found["state"],)
        elif found.get("state") is not None:
            found["state"] = tuple(found["state"])
        return cls(**found)


@dataclass
class QueueRow:
    request: AidRequest
    since: datetime
    days_waiting: int
    overdue: bool
    program: str | None


@dataclass
class QueuePage(Paged):
    """A page of a queue (its page count and links: core's shared ``Paged``)."""

    rows: list[QueueRow]
    filters: QueueFilters = field(default_factory=QueueFilters)


def number_clause(text: str) -> Any:
    """A request number typed in any digits, in either order of its two parts (Arabic text
    shows ``000001-1448`` for ``1448-000001``), whole or in part."""
    groups = _GROUPS.findall(normalize_digits(text))
    if not groups:
        return sa.false()
    if len(groups) == 2:
        first, second = groups
        return sa.or_(
            AidRequest.number.like(f"%{first}-{second}%"), AidRequest.number.like(f"%{second}-{first}%")
        )
    return sa.func.replace(AidRequest.number, "-", "").like(f"%{''.join(groups)}%")


def name_clause(text: str) -> Any:
    """Every word typed appears in the applicant's name, in any order (first + family name …)."""
    words = [w for w in text.split() if w]
    return sa.and_(*(AidRequest.applicant_name.ilike(f"%{_escape(w)}%", escape="\\") for w in words))


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _queue_query(name: str, actor: Any, today: date) -> Any:
    # The tenant is named here too: the count below wraps this query in a subquery, which the
    # session's automatic tenant criteria do not reach.
    query = db.select(AidRequest).where(AidRequest.tenant_id == require_tenant().id)
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
        query = query.where(overdue_clause(today))
    elif name != "all":
        raise NotFound(_("Not found."))
    return query


def _filtered(query: Any, filters: QueueFilters, today: date) -> Any:
    if filters.number:
        query = query.where(number_clause(filters.number))
    if filters.name and filters.name.strip():
        query = query.where(name_clause(filters.name))
    if filters.program is not None:
        query = query.where(AidRequest.catalog_item_id == filters.program)
    if filters.state:
        query = query.where(AidRequest.state.in_(filters.state))
    if filters.min_days:
        cutoff = waited_since(today, filters.min_days, holidays_of(require_tenant()))
        query = query.where(state_since() < _before_end_of(cutoff))
    if filters.min_amount is not None:
        query = query.where(AidRequest.requested_halalas >= filters.min_amount)
    if filters.max_amount is not None:
        query = query.where(AidRequest.requested_halalas <= filters.max_amount)
    return query


def queue_page(
    name: str,
    actor: Any,
    filters: QueueFilters | None = None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    today: date | None = None,
) -> QueuePage:
    """One page of a work queue (``QUEUES``) with its filters, each row with its days waiting,
    whether it is overdue and its program's name: two queries whatever the page holds."""
    filters = filters or QueueFilters()
    today = today or tenant_today()
    query = _filtered(_queue_query(name, actor, today), filters, today)
    total = db.session.scalar(db.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    since = state_since().label("since")
    program = CatalogItem.name_ar if current_language() == "ar" else CatalogItem.name_en
    order = {
        "waiting": (since.asc(), AidRequest.id.asc()),
        "recent": (since.desc(), AidRequest.id.desc()),
        "number": (AidRequest.number.asc(), AidRequest.id.asc()),
    }[filters.sort if filters.sort in SORTS else "waiting"]
    rows_query = (
        query.add_columns(since, program)
        .outerjoin(CatalogItem, CatalogItem.id == AidRequest.catalog_item_id)
        .order_by(*order)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    tenant = require_tenant()
    limits, holidays = state_limits(tenant), holidays_of(tenant)
    return QueuePage(
        rows=[
            queue_row(item, at, label, today, limits=limits, holidays=holidays)
            for item, at, label in db.session.execute(rows_query)
        ],
        total=total,
        page=max(page, 1),
        per_page=per_page,
        filters=filters,
    )


def queue_row(
    item: AidRequest,
    since: datetime | str,
    program: str | None,
    today: date,
    *,
    limits: dict[str, int],
    holidays: frozenset[date],
) -> QueueRow:
    """A loaded request with its days waiting (``since`` from :func:`state_since`)."""
    if isinstance(since, str):  # SQLite answers coalesce() of datetimes as text
        since = datetime.fromisoformat(since)
    return QueueRow(
        request=item,
        since=since,
        days_waiting=working_days_between(local_time(since).date(), today, holidays),
        overdue=is_overdue(item, since, today, limits=limits, holidays=holidays),
        program=program,
    )


def queue(name: str, actor: Any, *, today: date | None = None) -> list[AidRequest]:
    """A whole work queue of the current tenant (``QUEUES``), oldest first."""
    today = today or tenant_today()
    return list(db.session.scalars(_queue_query(name, actor, today).order_by(AidRequest.id)))
